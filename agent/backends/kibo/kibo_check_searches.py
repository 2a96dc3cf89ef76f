"""The search probes of `kibo-check`: each way a CSR finds a customer, an order or a return,
tried on a record the tenant has, through ``KiboBackend.search`` (what the panel sends).

A probe passes when Kibo answers and the record is among the results; on a miss it shows the
Kibo parameters sent, so the field or form at fault can be read off.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any
from urllib.parse import quote

from agent.backends.kibo.convert import cents, items, obj, parse_time, primary_contact, text
from agent.backends.kibo.kibo_check import Prober, first_phone
from agent.backends.kibo.search_query import build_query
from agent.search.catalog import CATALOG
from agent.search.params import parse_search_request
from agent.search.text import national_digits
from shared_schema.common import SearchKind

PAGE = "100"  # the panel's largest page: a broad search still shows the record


async def _kibo_params(probe: Prober, kind: SearchKind, params: dict[str, str]) -> str:
    request = parse_search_request(CATALOG[kind], {k: [v] for k, v in params.items()})
    lookups = await probe.backend.lookups.resolve(request.filters)
    query = build_query(kind, request, lookups, catalog_default=CATALOG[kind].default_sort)
    shown = {k: v for k, v in query.params.items() if k in ("filter", "q", "sortBy")}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


async def finds(
    probe: Prober, name: str, kind: SearchKind, params: dict[str, str], key: str, want: Any
) -> None:
    """The search ``params`` must list the record whose ``key`` column is ``want``."""

    async def call() -> str:
        request = parse_search_request(
            CATALOG[kind], {k: [v] for k, v in (params | {"page_size": PAGE}).items()}
        )
        found = await probe.backend.search(kind, request)
        hits = [row[key] for row in found.results]
        if want not in hits:
            sent = await _kibo_params(probe, kind, params)
            raise AssertionError(f"{want} not among {found.total} found ({sent})")
        return f"found {want} ({len(hits)} of {found.total})"

    await probe.run(f"{kind}: {name}", call)


async def sorts(probe: Prober, kind: SearchKind) -> None:
    for column in probe.backend.filters(kind).columns:
        if not column.sortable:
            continue

        async def call(key: str = column.key) -> str:
            params = {"sort": key, "order": "desc", "page_size": "1"}
            request = parse_search_request(CATALOG[kind], {k: [v] for k, v in params.items()})
            await probe.backend.search(kind, request)
            return "Kibo sorted by it"

        await probe.run(f"{kind}: sort by {column.label}", call)


async def _text_forms(
    probe: Prober, kind: SearchKind, key: str, want: Any, email: str, phone: str, names: str
) -> None:
    """Email, phone and name forms of the free text, for one record."""
    for form, typed in (
        ("by email", email),
        ("by the email's start", email.split("@")[0] + "@" if email else ""),
        ("by phone as stored", phone),
        ("by the phone's digits", national_digits("".join(c for c in phone if c.isdigit()))),
        ("by the phone's last four", "".join(c for c in phone if c.isdigit())[-4:]),
        ("by full name", names),
        ("by a name's start", names.split()[-1][:3] if names.split() else ""),
    ):
        if typed:
            await finds(probe, f"{form} ({typed})", kind, {"q": typed}, key, want)
        else:
            probe.skip(f"{kind}: {form}", "the record has none")


async def name_filters(
    probe: Prober, kind: SearchKind, key: str, want: Any, first: str, last: str
) -> None:
    """First Name and Last Name, each Name Match: the name, its start, its middle."""
    exact = {"q": f"#{want}"}
    for name_key, value in (("first_name", first), ("last_name", last)):
        if not value:
            probe.skip(f"{kind}: filter {name_key}", "the record has no value for it")
            continue
        tries = [("exact", value), ("starts", value[:2])]
        if len(value) > 2:
            tries.append(("contains", value[1:-1]))
        for match, typed in tries:
            params = exact | {name_key: typed, "name_match": match}
            await finds(probe, f"filter {name_key} {match} ({typed})", kind, params, key, want)


async def customer_searches(probe: Prober, account: Any) -> None:
    want = str(account["id"])
    exact = {"q": f"#{want}"}
    await finds(probe, "by number", "customers", exact, "id", want)
    await finds(probe, "by bare digits", "customers", {"q": want}, "id", want)
    contact = primary_contact(account)
    email, phone = text(account, "emailAddress"), first_phone(contact)
    last = text(account, "lastName")
    names = " ".join(p for p in (text(account, "firstName"), last) if p)
    await _text_forms(probe, "customers", "id", want, email, phone, names)
    for key, value in (
        ("name", last),
        ("email", email),
        ("phone", phone),
        ("customer_set", text(account, "customerSet")),
        ("segment", next((text(s, "code") for s in items(account, "segments")), "")),
    ):
        if value:
            await finds(probe, f"filter {key}", "customers", exact | {key: value}, "id", want)
        else:
            probe.skip(f"customers: filter {key}", "the record has no value for it")
    await name_filters(probe, "customers", "id", want, text(account, "firstName"), last)
    await sorts(probe, "customers")

    async def audit_log() -> str:
        page = await probe.backend.related("customer", want, "audit-log", 1, 5)
        return f"{page.total} entries, newest first"

    await probe.run("customers: audit log", audit_log)
    detail = await probe.backend.get_entity("customer", want)
    if not detail.store_credits:
        probe.skip("customers: a store credit's transactions", "the customer has no credit")
        return
    code = detail.store_credits[0].code

    async def transactions() -> str:
        data = await probe.backend.client.get(
            f"/commerce/customer/credits/{quote(code, safe='')}/transactions",
            {"pageSize": 200},
            what="store credit",
        )
        return f"{len(items(data, 'items'))} transactions of {code}"

    await probe.run("customers: a store credit's transactions", transactions)


async def order_searches(probe: Prober, order: Any) -> None:
    want = order.get("orderNumber")
    if not isinstance(want, int):
        probe.skip("orders: searches", "the order has no number yet")
        return
    exact = {"q": f"#{want}"}
    await finds(probe, "by number", "orders", exact, "number", want)
    await finds(probe, "by bare digits", "orders", {"q": str(want)}, "number", want)
    billing = obj(order, "billingInfo", "billingContact")
    names = " ".join(
        p for p in (text(billing, "firstName"), text(billing, "lastNameOrSurname")) if p
    )
    email = text(order, "email")
    await _text_forms(probe, "orders", "number", want, email, first_phone(billing), names)
    day = parse_time(order.get("submittedDate"))
    total = cents(order, "total")
    for key, value in (
        ("status", text(order, "status")),
        ("payment_status", text(order, "paymentStatus")),
        ("fulfillment_status", text(order, "fulfillmentStatus")),
        ("type", text(order, "type")),
        ("channel", text(order, "channelCode")),
        ("email", email),
        ("customer_id", str(order.get("customerAccountId") or "")),
    ):
        if value:
            await finds(probe, f"filter {key}", "orders", exact | {key: value}, "number", want)
        else:
            probe.skip(f"orders: filter {key}", "the order has no value for it")
    if day:
        date = day.astimezone(UTC).date().isoformat()
        dates = {"submitted_from": date, "submitted_to": date}
        await finds(probe, "filter submitted", "orders", exact | dates, "number", want)
    amounts = {"total_min": str(total), "total_max": str(total)}
    await finds(probe, "filter total", "orders", exact | amounts, "number", want)
    first, last = text(billing, "firstName"), text(billing, "lastNameOrSurname")
    await name_filters(probe, "orders", "number", want, first, last)
    await sorts(probe, "orders")


async def return_searches(probe: Prober, ret: Any) -> None:
    want = ret.get("returnNumber")
    if not isinstance(want, int):
        probe.skip("returns: searches", "the return has no number")
        return
    exact = {"q": f"#{want}"}
    await finds(probe, "by number", "returns", exact, "number", want)
    await finds(probe, "by bare digits", "returns", {"q": str(want)}, "number", want)
    contact = obj(ret, "contact")
    last = text(contact, "lastNameOrSurname")
    names = " ".join(p for p in (text(contact, "firstName"), last) if p)
    email = text(contact, "email")
    await _text_forms(probe, "returns", "number", want, email, first_phone(contact), names)
    for key, value in (
        ("order_number", str(ret.get("originalOrderNumber") or "")),
        ("status", text(ret, "status")),
        ("refund_status", text(ret, "refundStatus")),
        ("customer", email),
        ("customer", last),
        ("customer_id", str(ret.get("customerAccountId") or "")),
    ):
        if value:
            await finds(
                probe, f"filter {key} ({value})", "returns", exact | {key: value}, "number", want
            )
        else:
            probe.skip(f"returns: filter {key}", "the return has no value for it")
    await name_filters(probe, "returns", "number", want, text(contact, "firstName"), last)
    order_number = ret.get("originalOrderNumber")
    if isinstance(order_number, int):
        typed = {"q": str(order_number)}
        await finds(probe, "by its order's number", "returns", typed, "number", want)
    await sorts(probe, "returns")
