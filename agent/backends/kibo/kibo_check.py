"""`callcenter-agent kibo-check`: every read and search form the backend relies on, once,
against the configured tenant, so the first person with a sandbox can confirm in minutes
what docs/kibo.md still lists as unverified.

Read-only: only GETs are sent (and the OAuth token call). The probes go through the backend's
own code (``KiboBackend.search``, ``get_entity``, ``related``), so what is checked is what the
panel sends. Each search form is checked on a record the tenant already has: a customer, an
order and a return are read first, and each search for them (by number, email, phone as
stored, bare digits, last four, name words, each filter, each sort) must find that record.
A probe that has nothing to work on (no return on the tenant, no phone on the record) is
skipped and says why.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.convert import items, obj, text
from agent.config import KiboSettings
from agent.errors import ApiError
from shared_schema.common import EntityKind

Status = Literal["ok", "failed", "skipped"]
SAMPLE_SIZE = 20  # records looked at to pick one with a phone, an email and names
ENTITIES: dict[str, EntityKind] = {"customers": "customer", "orders": "order", "returns": "return"}
# What opening one record also reads (agent/backends/kibo/sections.py).
SECTIONS = {
    "customer": ("payment_methods", "store_credits", "wishlists", "login_state"),
    "order": ("returns",),
    "return": (),
}


@dataclass(frozen=True)
class Probe:
    name: str
    status: Status
    detail: str


class Prober:
    """Runs probes and keeps their results in order."""

    def __init__(self, backend: KiboBackend) -> None:
        self.backend = backend
        self.results: list[Probe] = []

    def skip(self, name: str, why: str) -> None:
        self.results.append(Probe(name, "skipped", why))

    async def run(self, name: str, call: Callable[[], Awaitable[str]]) -> bool:
        """``call`` answers what it saw, or raises AssertionError / ApiError."""
        try:
            detail = await call()
        except ApiError as exc:
            self.results.append(Probe(name, "failed", f"{exc.code}: {exc.message}"))
            return False
        except AssertionError as exc:
            self.results.append(Probe(name, "failed", str(exc)))
            return False
        self.results.append(Probe(name, "ok", detail))
        return True


async def sample(backend: KiboBackend, path: str, what: str, score: Callable[[Any], int]) -> Any:
    """The best-scored record of the first page of ``path`` (None when the list is empty)."""
    data = await backend.client.get(path, {"startIndex": 0, "pageSize": SAMPLE_SIZE}, what=what)
    found = items(data, "items")
    return max(found, key=score) if found else None


async def _reads(probe: Prober, kind: str, path: str, score: Callable[[Any], int]) -> Any:
    """List the kind, pick a record, open it as the panel does; the record or None."""
    entity = ENTITIES[kind]
    picked: list[Any] = []

    async def listed() -> str:
        found = await sample(probe.backend, path, entity, score)
        picked.append(found)
        return f"{path} answered" + (f"; using {entity} {found.get('id')}" if found else ", empty")

    if not await probe.run(f"{kind}: list", listed) or picked[0] is None:
        return None
    record = picked[0]
    details: list[Any] = []

    async def opened() -> str:
        probe.backend.invalidate(entity, str(record["id"]))
        detail = await probe.backend.get_entity(entity, str(record["id"]))
        details.append(detail)
        return f"{entity} {record['id']} read"

    if await probe.run(f"{kind}: open one", opened):
        for section in SECTIONS[entity]:
            missing = [m for m in details[0].unavailable_sections if m.section == section]
            probe.results.append(
                Probe(
                    f"{kind}: read its {section.replace('_', ' ')}",
                    "failed" if missing else "ok",
                    missing[0].message if missing else "read with it",
                )
            )
    return record


def first_phone(contact: Any) -> str:
    phones = obj(contact, "phoneNumbers")
    return next((text(phones, k) for k in ("home", "mobile", "work") if text(phones, k)), "")


def _customer_score(account: Any) -> int:
    phone = any(first_phone(c) for c in items(account, "contacts"))
    return 4 * phone + 2 * bool(text(account, "emailAddress")) + bool(text(account, "lastName"))


def _order_score(order: Any) -> int:
    phone = bool(first_phone(obj(order, "billingInfo", "billingContact")))
    return 4 * phone + 2 * bool(text(order, "email")) + bool(order.get("customerAccountId"))


def _return_score(ret: Any) -> int:
    contact = obj(ret, "contact")
    return 4 * bool(first_phone(contact)) + 2 * bool(text(contact, "email"))


async def run_kibo_check(backend: KiboBackend) -> list[Probe]:
    from agent.backends.kibo.kibo_check_searches import (
        customer_searches,
        order_searches,
        return_searches,
    )

    probe = Prober(backend)

    async def token() -> str:
        await backend.client.tokens.bearer()
        return f"OAuth token issued for {backend.client.connection.client_id}"

    if not await probe.run("credentials", token):
        return probe.results
    account = await _reads(probe, "customers", "/commerce/customer/accounts", _customer_score)
    if account is not None:
        await customer_searches(probe, account)
    else:
        probe.skip("customers: searches", "the tenant has no customer to search for")
    order = await _reads(probe, "orders", "/commerce/orders", _order_score)
    if order is not None:
        await order_searches(probe, order)
    else:
        probe.skip("orders: searches", "the tenant has no order to search for")
    ret = await _reads(probe, "returns", "/commerce/returns", _return_score)
    if ret is not None:
        await return_searches(probe, ret)
    else:
        probe.skip("returns: searches", "the tenant has no return to search for")
    return probe.results


async def check_tenant(settings: KiboSettings) -> list[Probe]:
    """Everything `callcenter-agent kibo-check` reports (raises ConfigError on bad config)."""
    backend = KiboBackend.open(settings)
    try:
        return await run_kibo_check(backend)
    finally:
        await backend.close()
