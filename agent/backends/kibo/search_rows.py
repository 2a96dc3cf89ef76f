"""Kibo list answers as our search rows, and the catalogue as the Kibo backend offers it."""

from __future__ import annotations

from typing import Any

from agent.backends.kibo.convert import (
    Json,
    account_status,
    cents,
    contact_name,
    full_name,
    iso,
    items,
    number,
    obj,
    phone,
    primary_contact,
    text,
)
from agent.backends.kibo.search_query import KINDS
from agent.search.catalog import CATALOG
from shared_schema.common import SearchKind
from shared_schema.search import CellValue, Column, FilterDef


def columns(kind: SearchKind) -> list[Column]:
    """Our columns; those Kibo cannot sort by are marked unsortable."""
    sorts = KINDS[kind].sorts
    return [
        c if not c.sortable or c.key in sorts else c.model_copy(update={"sortable": False})
        for c in CATALOG[kind].columns
    ]


# Words of the demo store's own that a Kibo tenant never reports (vocab.ORDER_PAYMENT_STATUSES).
DEMO_ONLY_OPTIONS = {"payment_status": frozenset({"Refunded"})}


def filters(kind: SearchKind) -> list[FilterDef]:
    """Every filter of the catalog; those Kibo cannot apply carry the reason, and options of
    the demo store's own are left out."""
    unavailable = KINDS[kind].unavailable
    offered = []
    for f in CATALOG[kind].filters:
        demo_only = DEMO_ONLY_OPTIONS.get(f.key, frozenset())
        if demo_only:
            f = f.model_copy(update={"options": [o for o in f.options if o.value not in demo_only]})
        if f.key in unavailable:
            f = f.model_copy(update={"unavailable": unavailable[f.key]})
        offered.append(f)
    return offered


def default_sort(kind: SearchKind) -> str:
    """The catalog's default sort, or the kind's own where Kibo cannot sort by it."""
    key = CATALOG[kind].default_sort
    return key if key == "relevance" or key in KINDS[kind].sorts else KINDS[kind].default_sort


def _location(contact: Json) -> str | None:
    address = obj(contact, "address")
    parts = [text(address, k) for k in ("cityOrTown", "stateOrProvince", "countryCode")]
    return ", ".join(p for p in parts if p) or None


def customer_row(account: Json) -> dict[str, CellValue]:
    contact = primary_contact(account)
    summary = obj(account, "commerceSummary")
    return {
        "id": str(number(account, "id")),
        "name": full_name(
            text(account, "firstName"), text(account, "lastName"), text(account, "emailAddress")
        ),
        "email": text(account, "emailAddress"),
        "phone": phone(contact) or None,
        "account_status": account_status(account),
        "location": _location(contact),
        "customer_set": text(account, "customerSet") or None,
        "segments": ", ".join(
            text(s, "code") or text(s, "name") for s in items(account, "segments")
        )
        or None,
        "order_count": number(summary, "orderCount"),
        "lifetime_value": cents(obj(summary, "totalOrderAmount"), "amount"),
        "created_at": iso(obj(account, "auditInfo").get("createDate")),
        "currency": text(obj(summary, "totalOrderAmount"), "currencyCode") or "USD",
    }


def order_party(order: Json) -> Json:
    billing = obj(order, "billingInfo", "billingContact")
    return (
        billing
        if any(contact_name(billing))
        else obj(order, "fulfillmentInfo", "fulfillmentContact")
    )


def order_row(order: Json) -> dict[str, CellValue]:
    first, last = contact_name(order_party(order))
    site = order.get("siteId")
    return {
        "id": text(order, "id"),
        "number": number(order, "orderNumber"),
        "customer_name": full_name(first, last, text(order, "email")),
        "email": text(order, "email"),
        "status": text(order, "status"),
        "payment_status": text(order, "paymentStatus"),
        "fulfillment_status": text(order, "fulfillmentStatus"),
        "return_status": text(order, "returnStatus") or "None",
        "type": text(order, "type"),
        "channel": text(order, "channelCode"),
        "site": str(site) if isinstance(site, int) else None,
        "item_count": sum(number(i, "quantity") for i in items(order, "items")),
        "total": cents(order, "total"),
        "submitted_at": iso(order.get("submittedDate")),
        "currency": text(order, "currencyCode") or "USD",
        "external_id": text(order, "externalId") or None,
        "location": text(order, "locationCode") or None,
    }


def return_units(ret: Json) -> int:
    return sum(number(r, "quantity") for i in items(ret, "items") for r in items(i, "reasons"))


def return_reason(ret: Json) -> str:
    return next(
        (
            text(r, "reason")
            for i in items(ret, "items")
            for r in items(i, "reasons")
            if text(r, "reason")
        ),
        "",
    )


def return_row(ret: Json) -> dict[str, CellValue]:
    contact = obj(ret, "contact")
    first, last = contact_name(contact)
    return {
        "id": text(ret, "id"),
        "number": number(ret, "returnNumber"),
        "order_number": number(ret, "originalOrderNumber"),
        "customer_name": full_name(first, last, text(contact, "email")),
        "email": text(contact, "email"),
        "status": text(ret, "status"),
        "return_type": text(ret, "returnType"),
        "refund_status": text(ret, "refundStatus"),
        "reason": return_reason(ret) or None,
        "item_count": return_units(ret),
        "refund_total": cents(ret, "refundAmount"),
        "created_at": iso(obj(ret, "auditInfo").get("createDate")),
        "currency": text(ret, "currencyCode") or "USD",
        "external_id": text(ret, "externalId") or None,
        "location": text(ret, "locationCode") or None,
    }


ROWS = {"customers": customer_row, "orders": order_row, "returns": return_row}


def rows(kind: SearchKind, collection: Any) -> tuple[list[dict[str, CellValue]], int | None]:
    """The rows and Kibo's ``totalCount`` (None when Kibo did not say)."""
    build = ROWS[kind]
    found = [build(item) for item in items(collection, "items")]
    total = collection.get("totalCount") if isinstance(collection, dict) else None
    return found, total if isinstance(total, int) and not isinstance(total, bool) else None
