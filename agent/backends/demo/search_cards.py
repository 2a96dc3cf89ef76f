"""Cards' last four digits for the search box (docs/search.md): four digits typed find the
customers whose saved cards and the orders whose card payment end in them.

The digits are part of the derived documents (``documents_customer.saved_card_last4s``,
``documents_order.payment_card_last4``), so the store keeps them in ``card_last4``, filled
when the search structures are built (a store of an older agent gets it once when opened).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from agent.backends.demo.documents_common import Picker
from agent.backends.demo.documents_customer import saved_card_last4s
from agent.backends.demo.documents_order import payment_card_last4

TABLE = "card_last4"
DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    kind   TEXT NOT NULL,
    last4  TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (kind, last4, number)
) WITHOUT ROWID
"""
KIND_OF_TABLE = {"customers": "customer", "orders": "order"}
BATCH = 50_000


def build_card_index(conn: sqlite3.Connection) -> None:
    """Fill ``card_last4`` from every customer and order (idempotent: rebuilt whole)."""
    conn.execute(DDL)
    conn.execute(f"DELETE FROM {TABLE}")
    rows = _rows(conn)
    while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
        conn.executemany(f"INSERT OR IGNORE INTO {TABLE} VALUES (?, ?, ?)", batch)


def _rows(conn: sqlite3.Connection) -> Iterator[tuple[str, str, int]]:
    for cid, username in conn.execute("SELECT id, username FROM customers"):
        if username:  # a guest has no saved cards
            for saved in saved_card_last4s(Picker("customer", cid)):
                yield ("customer", saved, cid)
    for number, order_type in conn.execute("SELECT number, type FROM orders"):
        paid = payment_card_last4(Picker("order", number), order_type)
        if paid:
            yield ("order", paid, number)


def card_hit(table: str) -> str | None:
    """The rows of ``table`` whose card ends in ``?``, as a rowid subquery (None: no cards)."""
    kind = KIND_OF_TABLE.get(table)
    if kind is None:
        return None
    return f"SELECT number FROM {TABLE} WHERE kind = '{kind}' AND last4 = ?"
