"""What every write of the fake tenant shares: the clock, new ids, touching a document, and
Kibo's refusals. The writes themselves are in fake_write_orders.py, fake_write_returns.py,
fake_write_customers.py and fake_write_credits.py; fake_routes.py maps paths to them.

Each write changes the canned documents as Kibo would (as far as the documents, Kibo's admin
code and SDK tests tell; docs/kibo.md marks the rest inferred), moves ``auditInfo.updateDate``
(and an order's ``version``), and answers the documented shape.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

Json = dict[str, Any]
NOW = "2026-11-26T12:00:00Z"  # the fake tenant's "today" for dates a write sets
EMPTY = object()  # a documented "200 Success" without a body
_ids = itertools.count(100)
_ticks = itertools.count(1)


class Refusal(Exception):
    """Kibo's refusal of a write: answered with its status and error body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def not_found(what: str) -> Refusal:
    return Refusal(404, "ITEM_NOT_FOUND", f"{what} not found")


def conflict(message: str) -> Refusal:
    return Refusal(409, "VALIDATION_CONFLICT", message)


def invalid(message: str) -> Refusal:
    return Refusal(400, "VALIDATION_CONFLICT", message)


def new_id() -> int:
    return next(_ids)


def stamp() -> str:
    """A moment after NOW, one second later at every call: writes leave distinct times."""
    moment = dt.datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    return (moment + dt.timedelta(seconds=next(_ticks))).strftime("%Y-%m-%dT%H:%M:%SZ")


def created(by: str = "app") -> Json:
    at = stamp()
    return {"createDate": at, "updateDate": at, "createBy": by, "updateBy": by}


def touch(doc: Json) -> None:
    doc.setdefault("auditInfo", {})["updateDate"] = stamp()
    if isinstance(doc.get("version"), str) and doc["version"].isdigit():
        doc["version"] = str(int(doc["version"]) + 1)


def money(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise invalid(f"{what} must be a positive amount, not {value!r}")
    return round(float(value), 2)


def find(docs: list[Json], key: str, value: Any, what: str) -> Json:
    found = next((d for d in docs if str(d.get(key)) == str(value)), None)
    if found is None:
        raise not_found(what)
    return found


def change_message(doc: Json, verb: str, message: str, **extra: Any) -> None:
    doc.setdefault("changeMessages", []).append(
        {"id": f"c{new_id()}", "verb": verb, "message": message, "createDate": stamp()} | extra
    )
