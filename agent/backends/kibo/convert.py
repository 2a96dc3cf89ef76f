"""Small conversions every Kibo mapping needs: money, times, names, phones, addresses."""

from __future__ import annotations

import datetime as dt
from typing import Any

EPOCH = "1970-01-01T00:00:00Z"
INT32_MAX = 2**31 - 1

Json = dict[str, Any]


def obj(data: Any, *keys: str) -> Json:
    """``data[k1][k2]...`` as a dict; ``{}`` when any step is missing or not an object."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def items(data: Any, key: str) -> list[Json]:
    value = data.get(key) if isinstance(data, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def text(data: Any, key: str, default: str = "") -> str:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else default


def number(data: Any, key: str, default: int = 0) -> int:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return int(value)


def cents(data: Any, key: str) -> int:
    """Kibo money is a decimal in currency units; ours is integer minor units."""
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return round(value * 100)


def parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def iso(value: Any) -> str | None:
    moment = parse_time(value)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def version_of(data: Json) -> int:
    """A concurrency token as an integer.

    Orders carry Kibo's ``version`` (a string of digits, inferred); accounts and returns have
    none, so their last update time in seconds stands in (inferred: verify on a sandbox).
    """
    raw = data.get("version")
    if isinstance(raw, str) and raw.isdigit() and 0 < int(raw) <= INT32_MAX:
        return int(raw)
    moment = parse_time(obj(data, "auditInfo").get("updateDate"))
    return max(1, min(int(moment.timestamp()), INT32_MAX)) if moment else 1


def full_name(first: str, last: str, email: str = "") -> str:
    name = " ".join(p for p in (first.strip(), last.strip()) if p)
    return name or email or "Guest"


def contact_name(contact: Json) -> tuple[str, str]:
    return text(contact, "firstName"), text(contact, "lastNameOrSurname")


def phone(contact: Json) -> str:
    phones = obj(contact, "phoneNumbers")
    return next((text(phones, k) for k in ("mobile", "home", "work") if text(phones, k)), "")


def account_status(account: Json) -> str:
    if account.get("isLocked") is True:
        return "Locked"
    if account.get("isActive") is False:
        return "Disabled"
    return "Active"


def primary_contact(account: Json) -> Json:
    """The address-book entry marked primary, else the first one, else ``{}``."""
    contacts = items(account, "contacts")
    for contact in contacts:
        if any(t.get("isPrimary") for t in items(contact, "types")):
            return contact
    return contacts[0] if contacts else {}
