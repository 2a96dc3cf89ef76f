"""External ID and Location of the demo store's orders and returns (docs/search.md), the
columns Kibo's Orders and Returns dashboards filter by.

They are derived, like the documents, from each order's own picker: a Marketplace order has
the marketplace's id (``MP-`` and nine digits), an in-store sale the till's (``POS-`` and
seven), other orders none; the location is one of its site's (``vocab.LOCATIONS_BY_SITE``). A
return takes its order's location and, for a Marketplace order, an ``RMA-`` id. The columns
are added and filled with the search structures (a store of an older agent gets them once
when opened). They stay the truth for the order and return views too (``refs_of``): a document
an action stored does not carry them. A return created later by an action takes its order's
location and no external id (it was made here, not in the marketplace).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from agent.backends.demo.documents_common import Picker
from shared_schema.vocab import LOCATIONS_BY_SITE

COLUMNS = ("external_id", "location")
BATCH = 50_000


def order_refs(number: int, channel: str, site: str) -> tuple[str, str]:
    picker = Picker("order", number)
    if channel == "Marketplace":
        external = f"MP-{picker.digits('external-id', 9)}"
    elif channel == "Store":
        external = f"POS-{picker.digits('external-id', 7)}"
    else:
        external = ""
    return external, picker.pick("location", LOCATIONS_BY_SITE.get(site, ("Austin DC",)))


def return_external_id(number: int, channel: str) -> str:
    return (
        f"RMA-{Picker('return', number).digits('external-id', 8)}"
        if channel == "Marketplace"
        else ""
    )


def refs_of(conn: sqlite3.Connection, table: str, number: int) -> dict[str, str | None]:
    """The record's ``external_id`` and ``location``, None where it has none (or where the
    store has not had its search structures built yet)."""
    try:
        row = conn.execute(
            f"SELECT external_id, location FROM {table} WHERE number = ?", (number,)
        ).fetchone()
    except sqlite3.OperationalError:
        if has_refs(conn):
            raise
        row = None
    return dict(zip(COLUMNS, (value or None for value in row or ("", "")), strict=True))


def has_refs(conn: sqlite3.Connection) -> bool:
    return all(
        column in {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for table in ("orders", "returns")
        for column in COLUMNS
    )


def add_refs(conn: sqlite3.Connection) -> None:
    """Add and fill the two columns of orders and returns (once; nothing when present)."""
    if has_refs(conn):
        return
    for table in ("orders", "returns"):
        for column in COLUMNS:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    for low, high in _ranges(conn, "orders"):
        rows = conn.execute(
            "SELECT number, channel, site FROM orders WHERE number BETWEEN ? AND ?", (low, high)
        ).fetchall()
        conn.executemany(
            "UPDATE orders SET external_id = ?, location = ? WHERE number = ?",
            [(*order_refs(number, channel, site), number) for number, channel, site in rows],
        )
    for low, high in _ranges(conn, "returns"):
        rows = conn.execute(
            "SELECT r.number, o.channel, o.location FROM returns r "
            "JOIN orders o ON o.number = r.order_number WHERE r.number BETWEEN ? AND ?",
            (low, high),
        ).fetchall()
        conn.executemany(
            "UPDATE returns SET external_id = ?, location = ? WHERE number = ?",
            [(return_external_id(n, channel), location, n) for n, channel, location in rows],
        )


def _ranges(conn: sqlite3.Connection, table: str) -> Iterator[tuple[int, int]]:
    """The table's numbers in stretches of ``BATCH``, so a batch is read before it is written."""
    low, high = conn.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchone()
    for start in range(low or 0, (high or -1) + 1, BATCH):
        yield start, start + BATCH - 1
