"""How each search kind maps to SQL: its table, FTS table, columns, sorts and filters.

Sort keys list their tie-breakers; every key takes the requested direction, matching the
indexes of ``search_schema.INDEXES`` so a sorted page is an index walk.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent.backends.demo.ids import order_id, return_id
from agent.backends.demo.names import CURRENCY_BY_COUNTRY


@dataclass(frozen=True)
class KindSql:
    table: str
    fts: str
    number_label: str
    columns: str
    row: Callable[[sqlite3.Row], dict[str, Any]]
    sorts: dict[str, tuple[str, ...]]
    relevance: tuple[str, ...]
    filters: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    # The date column the numbers rise with (the seed and the store number records in time
    # order), so sorting by number is sorting by it; None when they do not.
    time_column: str | None = None
    # Another number bare digits find (returns: their order's), and its indexed column.
    other_number: tuple[str, str] | None = None


def iso(ts: int | None) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _customer_row(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": str(r["id"]),
        "name": f"{r['first_name']} {r['last_name']}",
        "email": r["email"],
        "phone": r["phone"],
        "account_status": r["account_status"],
        "location": f"{r['city']}, {r['state']}, {r['country']}",
        "customer_set": r["customer_set"],
        "segments": r["segments"],
        "order_count": r["order_count"],
        "lifetime_value": r["lifetime_value_cents"],
        "created_at": iso(r["created_at"]),
        "currency": CURRENCY_BY_COUNTRY.get(r["country"], "USD"),
    }


def _order_row(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": order_id(r["number"]),
        "number": r["number"],
        "customer_name": r["customer_name"],
        "email": r["email"],
        "status": r["status"],
        "payment_status": r["payment_status"],
        "fulfillment_status": r["fulfillment_status"],
        "return_status": r["return_status"],
        "type": r["type"],
        "channel": r["channel"],
        "site": r["site"],
        "item_count": r["item_count"],
        "total": r["total_cents"],
        "submitted_at": iso(r["submitted_at"]),
        "currency": r["currency"],
        "external_id": r["external_id"] or None,
        "location": r["location"] or None,
    }


def _return_row(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": return_id(r["number"]),
        "number": r["number"],
        "order_number": r["order_number"],
        "customer_name": r["customer_name"],
        "email": r["email"],
        "status": r["status"],
        "return_type": r["return_type"],
        "refund_status": r["refund_status"],
        "reason": r["reason"],
        "item_count": r["item_count"],
        "refund_total": r["refund_cents"],
        "created_at": iso(r["created_at"]),
        "currency": r["currency"],
        "external_id": r["external_id"] or None,
        "location": r["location"] or None,
    }


# Relevance lists customers as a phone book does; the Name column sorts as it reads.
CUSTOMER_NAME_ORDER = ("t.last_name COLLATE NOCASE", "t.first_name COLLATE NOCASE", "t.rowid")
DISPLAY_NAME_ORDER = ("t.first_name COLLATE NOCASE", "t.last_name COLLATE NOCASE", "t.rowid")

# Sort keys list their tie-breakers; all take the requested direction, matching the indexes.
KINDS: dict[str, KindSql] = {
    "customers": KindSql(
        table="customers",
        fts="customers_fts",
        number_label="customer id",
        columns="t.id, t.first_name, t.last_name, t.email, t.phone, t.account_status, t.city, "
        "t.state, t.country, t.customer_set, t.segments, t.order_count, "
        "t.lifetime_value_cents, t.created_at",
        row=_customer_row,
        sorts={
            "id": ("t.rowid",),
            "name": DISPLAY_NAME_ORDER,
            "email": ("t.email", "t.rowid"),
            "account_status": ("t.account_status", "t.rowid"),
            "customer_set": ("t.customer_set", "t.rowid"),
            "order_count": ("t.order_count", "t.rowid"),
            "lifetime_value": ("t.lifetime_value_cents", "t.rowid"),
            "created_at": ("t.created_at", "t.rowid"),
        },
        relevance=CUSTOMER_NAME_ORDER,
        filters={"account_status": "t.account_status", "customer_set": "t.customer_set"},
        dates={"created": "t.created_at"},
    ),
    "orders": KindSql(
        table="orders",
        fts="orders_fts",
        number_label="order number",
        columns="t.number, t.customer_name, t.email, t.status, t.payment_status, "
        "t.fulfillment_status, t.return_status, t.type, t.channel, t.site, t.item_count, "
        "t.total_cents, t.submitted_at, t.currency, t.external_id, t.location",
        row=_order_row,
        sorts={
            "number": ("t.rowid",),
            "customer_name": ("t.customer_name COLLATE NOCASE", "t.rowid"),
            "email": ("t.email", "t.rowid"),
            "status": ("t.status", "t.submitted_at", "t.rowid"),
            "payment_status": ("t.payment_status", "t.submitted_at", "t.rowid"),
            "fulfillment_status": ("t.fulfillment_status", "t.submitted_at", "t.rowid"),
            "return_status": ("t.return_status", "t.submitted_at", "t.rowid"),
            "type": ("t.type", "t.submitted_at", "t.rowid"),
            "channel": ("t.channel", "t.submitted_at", "t.rowid"),
            "site": ("t.site", "t.submitted_at", "t.rowid"),
            "item_count": ("t.item_count", "t.rowid"),
            "total": ("t.total_cents", "t.rowid"),
            "submitted_at": ("t.submitted_at", "t.rowid"),
        },
        relevance=("t.submitted_at DESC", "t.rowid DESC"),
        filters={
            "status": "t.status",
            "payment_status": "t.payment_status",
            "fulfillment_status": "t.fulfillment_status",
            "return_status": "t.return_status",
            "type": "t.type",
            "channel": "t.channel",
            "site": "t.site",
            "number": "t.rowid",
            "customer_id": "t.customer_id",
            "location": "t.location",
        },
        dates={"submitted": "t.submitted_at"},
        time_column="t.submitted_at",
    ),
    "returns": KindSql(
        table="returns",
        fts="returns_fts",
        number_label="return number",
        columns="t.number, t.order_number, t.customer_name, t.email, t.status, t.return_type, "
        "t.refund_status, t.reason, t.item_count, t.refund_cents, t.created_at, t.currency, "
        "t.external_id, t.location",
        row=_return_row,
        sorts={
            "number": ("t.rowid",),
            "order_number": ("t.order_number", "t.rowid"),
            "customer_name": ("t.customer_name COLLATE NOCASE", "t.rowid"),
            "email": ("t.email", "t.rowid"),
            "status": ("t.status", "t.created_at", "t.rowid"),
            "return_type": ("t.return_type", "t.created_at", "t.rowid"),
            "refund_status": ("t.refund_status", "t.created_at", "t.rowid"),
            "reason": ("t.reason", "t.created_at", "t.rowid"),
            "item_count": ("t.item_count", "t.rowid"),
            "refund_total": ("t.refund_cents", "t.rowid"),
            "created_at": ("t.created_at", "t.rowid"),
        },
        relevance=("t.created_at DESC", "t.rowid DESC"),
        filters={
            "status": "t.status",
            "return_type": "t.return_type",
            "refund_status": "t.refund_status",
            "reason": "t.reason",
            "number": "t.rowid",
            "order_number": "t.order_number",
            "customer_id": "t.customer_id",
            "location": "t.location",
        },
        dates={"created": "t.created_at"},
        time_column="t.created_at",
        other_number=("original order number", "order_number"),
    ),
}
