"""Row-level writes of one action, inside the writer's open transaction.

Each written entity gets its document (version + 1, ``updated_at``, refreshed actions and, for
an order, its money summary and payment status settled from its payments) in ``doc`` and the
row columns derived from it; a written or created order keeps its customer's order count and
lifetime value in step; every change becomes an audit row; every email an outbox row. Nothing
here commits: writer.py owns the transaction.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pydantic import BaseModel

from agent.backends.demo import documents
from agent.backends.demo.documents_common import not_found
from agent.backends.demo.ids import order_id, return_id
from agent.backends.demo.rows import TABLES, row_columns, unix
from agent.backends.demo.search_refs import has_refs, refs_of
from agent.domain.customer.offers import refresh_customer_actions
from agent.domain.order.money import rebalance
from agent.domain.order.offers import refresh_order_actions
from agent.domain.outcome import ActionContext, Change, Email
from agent.domain.return_.offers import refresh_return_actions
from shared_schema.common import EntityKind
from shared_schema.entities import CustomerDetail, OrderDetail, ReturnDetail

# Customer columns the derived documents of the customer's orders read (documents_order._party).
PARTY_COLUMNS = (
    "first_name",
    "last_name",
    "phone",
    "address1",
    "city",
    "state",
    "postal_code",
    "country",
)


def api_id(kind: EntityKind, number: int) -> str:
    if kind == "order":
        return order_id(number)
    if kind == "return":
        return return_id(number)
    return str(number)


def load_document(conn: sqlite3.Connection, kind: EntityKind, number: int) -> BaseModel:
    if kind == "customer":
        return documents.customer_detail(conn, number)
    if kind == "order":
        return documents.order_detail(conn, number)
    return documents.return_detail(conn, number)


def refresh_actions(doc: BaseModel) -> BaseModel:
    if isinstance(doc, CustomerDetail):
        return refresh_customer_actions(doc)
    if isinstance(doc, OrderDetail):
        return refresh_order_actions(doc)
    assert isinstance(doc, ReturnDetail)
    return refresh_return_actions(doc)


def _stamp(doc: BaseModel, version: int, now: str) -> BaseModel:
    doc = doc.model_copy(update={"version": version, "updated_at": now}, deep=True)
    if isinstance(doc, OrderDetail):
        rebalance(doc)  # whatever the action did, the payment status follows the payments
    return refresh_actions(doc)


def _current_version(conn: sqlite3.Connection, kind: EntityKind, number: int) -> int:
    table, key = TABLES[kind]
    row = conn.execute(f"SELECT version FROM {table} WHERE {key} = ?", (number,)).fetchone()
    if row is None:
        raise not_found(kind, number)
    return int(row[0])


def write_existing(
    conn: sqlite3.Connection, kind: EntityKind, number: int, doc: BaseModel, now: str
) -> BaseModel:
    """Store a changed document of an existing entity; answers it as stored."""
    version = _current_version(conn, kind, number) + 1
    stored = _stamp(doc, version, now)
    columns = row_columns(kind, stored)
    if kind == "customer":
        _freeze_orders_before_party_change(conn, number, columns)
        _sync_segments(conn, number, columns["segments"])
    if kind == "order":
        _follow_in_customer(conn, _order_facts(conn, number), columns)
    table, key = TABLES[kind]
    assignments = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(
        f"UPDATE {table} SET {assignments}, version = ?, doc = ? WHERE {key} = ?",
        (*columns.values(), version, stored.model_dump_json(), number),
    )
    return stored


def next_number(conn: sqlite3.Connection, kind: EntityKind) -> int:
    table, key = TABLES[kind]
    return int(conn.execute(f"SELECT coalesce(max({key}), 0) + 1 FROM {table}").fetchone()[0])


def insert_new(
    conn: sqlite3.Connection, kind: EntityKind, number: int, doc: BaseModel, now: str
) -> BaseModel:
    """Insert a created order or return: a full row and its document, version 1."""
    stored = _stamp(doc, 1, now)
    if getattr(stored, "id", None) != api_id(kind, number):
        raise ValueError(f"created {kind} #{number} must carry the id {api_id(kind, number)}")
    columns = row_columns(kind, stored)
    if kind == "return":
        columns |= _order_phone(conn, columns["order_number"])
        columns |= _order_location(conn, columns["order_number"])
        stored = stored.model_copy(update={"location": columns.get("location") or None})
    if kind == "order":
        _follow_in_customer(conn, None, columns)
    table, key = TABLES[kind]
    names = [key, *columns, "version", "doc"]
    conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        (number, *columns.values(), 1, stored.model_dump_json()),
    )
    return stored


def _order_facts(conn: sqlite3.Connection, number: int) -> tuple[Any, ...] | None:
    return conn.execute(
        "SELECT customer_id, status, total_cents FROM orders WHERE number = ?", (number,)
    ).fetchone()


def _lifetime_share(status: str, total_cents: int) -> int:
    """What an order adds to its customer's lifetime value: its total, unless cancelled."""
    return 0 if status == "Cancelled" else total_cents


def _follow_in_customer(
    conn: sqlite3.Connection, before: tuple[Any, ...] | None, columns: dict[str, Any]
) -> None:
    """The customer's order count and lifetime value follow a written (``before`` its row) or
    created (``before`` None) order; a customer's stored document reads them from the row."""
    customer_id = columns["customer_id"]
    if customer_id is None:
        return
    share = _lifetime_share(columns["status"], columns["total_cents"])
    added = 1
    if before is not None:
        added = 0
        share -= _lifetime_share(before[1], before[2])
    if share or added:
        conn.execute(
            "UPDATE customers SET lifetime_value_cents = lifetime_value_cents + ?, "
            "order_count = order_count + ? WHERE id = ?",
            (share, added, customer_id),
        )


def _order_phone(conn: sqlite3.Connection, order_number: int) -> dict[str, Any]:
    row = conn.execute(
        "SELECT phone_digits, phone_last4 FROM orders WHERE number = ?", (order_number,)
    ).fetchone()
    return {"phone_digits": row[0] if row else "", "phone_last4": row[1] if row else ""}


def _order_location(conn: sqlite3.Connection, order_number: int) -> dict[str, Any]:
    """A return made here is handled where its order was placed (docs/search.md); its external
    id stays empty: that is the marketplace's, and this return was not made there."""
    if not has_refs(conn):
        return {}
    return {"location": refs_of(conn, "orders", order_number)["location"] or ""}


def _freeze_orders_before_party_change(
    conn: sqlite3.Connection, customer_id: int, columns: dict[str, Any]
) -> None:
    """Orders without a document take their contact from the customer row; before the row's
    name, phone or address changes, store those orders' documents so history stays put."""
    old = conn.execute(
        f"SELECT {', '.join(PARTY_COLUMNS)} FROM customers WHERE id = ?", (customer_id,)
    ).fetchone()
    if old is None or tuple(old) == tuple(columns[name] for name in PARTY_COLUMNS):
        return
    numbers = [
        row[0]
        for row in conn.execute(
            "SELECT number FROM orders WHERE customer_id = ? AND doc IS NULL AND address IS NULL",
            (customer_id,),
        )
    ]
    for number in numbers:
        frozen = documents.order_detail(conn, number).model_dump_json()
        conn.execute("UPDATE orders SET doc = ? WHERE number = ?", (frozen, number))


def _sync_segments(conn: sqlite3.Connection, customer_id: int, segments: str) -> None:
    conn.execute("DELETE FROM customer_segments WHERE customer_id = ?", (customer_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO customer_segments (segment, customer_id) VALUES (?, ?)",
        [(code, customer_id) for code in segments.split(",") if code],
    )


def audit_text(value: Any) -> str | None:
    """Audit values as the seeded log writes them: strings as they are, anything else as
    JSON ('true', '1250', '{"city": ...}'), a missing value as NULL."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def write_audit(
    conn: sqlite3.Connection,
    kind: EntityKind,
    number: int,
    action: str,
    ctx: ActionContext,
    changes: list[Change],
) -> None:
    """One row per change; an action that changed no field still leaves one row."""
    rows: list[tuple[str | None, str | None, str | None]] = [
        (c.field, audit_text(c.old), audit_text(c.new)) for c in changes
    ] or [(None, None, None)]
    conn.executemany(
        "INSERT INTO audit_log (kind, entity_id, at, who, session_id, action, field, "
        "old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(kind, str(number), unix(ctx.now), ctx.who, ctx.session_id, action, *row) for row in rows],
    )


def write_outbox(
    conn: sqlite3.Connection, kind: EntityKind, number: int, ctx: ActionContext, emails: list[Email]
) -> None:
    conn.executemany(
        "INSERT INTO outbox (at, kind, entity_id, template, recipient, subject, who) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (unix(ctx.now), kind, api_id(kind, number), e.template, e.to, e.subject, ctx.who)
            for e in emails
        ],
    )
