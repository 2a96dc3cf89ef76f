"""Entity documents of the demo store: details, session refs, audit log, an order's returns.

Each entity's ``doc`` column holds its full JSON document once an action has changed it;
until then the document is derived from the row, the same on every read
(documents_customer/_order/_return). Either way ``available_actions`` is recomputed from the
document's state, so the offered actions always follow the current rules.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

from agent.backends.base import EntityRef
from agent.backends.demo.documents_common import display_name, not_found
from agent.backends.demo.documents_customer import customer_detail, customer_row
from agent.backends.demo.documents_order import order_detail, order_row
from agent.backends.demo.documents_return import (
    return_detail,
    return_row,
    return_summary,
    returns_of_order,
)
from agent.backends.demo.ids import (
    order_id,
    parse_customer_id,
    parse_order_id,
    parse_return_id,
    return_id,
)
from shared_schema.entities import ReturnSummary

__all__ = [
    "customer_detail",
    "entity_ref",
    "order_detail",
    "order_returns",
    "return_detail",
]


def entity_ref(
    conn: sqlite3.Connection, kind: Literal["customer", "order", "return"], entity_id: str
) -> EntityRef:
    """What a session needs to open the entity; reads the row only, never builds the document."""
    if kind == "customer":
        number = parse_customer_id(entity_id)
        if number is None:
            raise not_found(kind, entity_id)
        customer = customer_row(conn, number)
        name = display_name(f"{customer['first_name']} {customer['last_name']}", customer["email"])
        return EntityRef(
            kind=kind,
            id=str(number),
            title=name,
            customer_key=str(number),
            customer_id=str(number),
            customer_name=name,
        )
    parse = parse_order_id if kind == "order" else parse_return_id
    number = parse(entity_id)
    if number is None:
        raise not_found(kind, entity_id)
    if kind == "order":
        row = order_row(conn, number)
        canonical_id, title = order_id(number), f"Order #{number}"
    else:
        row = return_row(conn, number)
        canonical_id, title = return_id(number), f"Return #{number}"
    account = str(row["customer_id"]) if row["customer_id"] is not None else None
    return EntityRef(
        kind=kind,
        id=canonical_id,
        title=title,
        customer_key=account or row["email"],
        customer_id=account,
        customer_name=display_name(row["customer_name"], row["email"]),
    )


def order_returns(conn: sqlite3.Connection, number: int) -> list[ReturnSummary]:
    order_row(conn, number)
    return [return_summary(row) for row in returns_of_order(conn, number)]
