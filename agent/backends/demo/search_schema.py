"""Search structures of the demo store: FTS5 tables, the triggers that keep them in sync, and
the B-tree indexes behind every filter and sort the search catalog offers.

The FTS tables are contentless (``content=''``): they index a name and the email's local part
(``zoe.muller`` of ``zoe.muller@example.com``; the domain would make ``c``/``co`` match every
row), which are not columns of the base tables. Contentless rows are deleted by repeating their
indexed values, which the triggers take from ``OLD``. ``columnsize=0`` because search ranks by
numbers and names, never by bm25. The FTS rowid is the base table's rowid (customer id, order
number, return number), so ``ORDER BY rowid DESC`` streams newest first from the doclist.

Orders and returns carry a ``facet``: the code of their combination of list-filter values
(status, payment status, type, channel…), kept with its values in ``order_facets`` /
``return_facets`` by triggers. A few hundred combinations cover 1M orders, so any mix of those
filters is a short list of codes: one index range per code for filter lists, and a check on the
index alone (no row lookup) while walking a sort index that ends in ``facet``.

Call ``build_search_structures`` once after a bulk load; calling it again changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from agent.backends.demo.search_cards import TABLE as CARD_TABLE
from agent.backends.demo.search_cards import build_card_index
from agent.backends.demo.search_refs import add_refs, has_refs

# Prefix indexes up to 6 characters: a longer typed prefix merges few terms. Measured on 1M
# orders: p99 of typeahead 6 ms with them against 45 ms with '1 2 3', for ~3 s more build time.
FTS_OPTIONS = (
    "content='', columnsize=0, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6'"
)

# table -> (fts table, SQL expression of the indexed name)
FTS_SOURCES: dict[str, tuple[str, str]] = {
    "customers": ("customers_fts", "{row}first_name || ' ' || {row}last_name"),
    "orders": ("orders_fts", "{row}customer_name"),
    "returns": ("returns_fts", "{row}customer_name"),
}

EMAIL_LOCAL_PART = (
    "CASE WHEN instr({row}email, '@') > 0 "
    "THEN substr({row}email, 1, instr({row}email, '@') - 1) ELSE {row}email END"
)

# The list filters whose combinations are coded in ``facet`` (table -> columns).
FACET_COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": (
        "status",
        "payment_status",
        "fulfillment_status",
        "return_status",
        "type",
        "channel",
        "site",
    ),
    "returns": ("status", "return_type", "refund_status", "reason"),
}


def facet_table(table: str) -> str:
    return f"{table.removesuffix('s')}_facets"


# Every index ends in the columns the search breaks ties with, in the same direction, so a
# sorted page is an index walk. The rowid is implicitly the last column of every index. The
# sort indexes of wide columns end in ``facet`` so a walk checks the list filters on the index
# (ties on the column then come out by facet; SQLite orders them by rowid, a small sort).
INDEXES: dict[str, tuple[str, ...]] = {
    "customers": (
        "last_name COLLATE NOCASE, first_name COLLATE NOCASE",
        "first_name COLLATE NOCASE, last_name COLLATE NOCASE",
        "email",
        "phone_digits, last_name COLLATE NOCASE, first_name COLLATE NOCASE",
        "phone_last4",
        "account_status",
        "customer_set",
        "order_count",
        "lifetime_value_cents",
        "created_at",
    ),
    "orders": (
        "submitted_at",
        "customer_id, submitted_at",
        "status, submitted_at",
        "status, total_cents",
        "payment_status, submitted_at",
        "fulfillment_status, submitted_at",
        "return_status, submitted_at",
        "type, submitted_at",
        "channel, submitted_at",
        "site, submitted_at",
        "facet, submitted_at",
        "email, number, facet",
        "phone_digits",
        "phone_last4",
        "external_id",
        "location, submitted_at",
        "customer_name COLLATE NOCASE, number, facet",
        "total_cents, number, facet",
        "item_count, number, facet",
    ),
    "returns": (
        "created_at",
        "order_number, created_at",
        "customer_id, created_at",
        "status, created_at",
        "return_type, created_at",
        "refund_status, created_at",
        "reason, created_at",
        "facet, created_at",
        "email, number, facet",
        "phone_digits",
        "phone_last4",
        "external_id",
        "location, created_at",
        "customer_name COLLATE NOCASE, number, facet",
        "item_count, number, facet",
        "refund_cents, number, facet",
    ),
}


def _index_name(table: str, columns: str) -> str:
    words = columns.replace("COLLATE NOCASE", "nocase").replace(",", " ").split()
    return f"{table}_by_{'_'.join(words)}"


def _values(table: str, row: str) -> str:
    """The FTS column values of one base row; ``row`` is 'NEW.', 'OLD.' or ''."""
    name = FTS_SOURCES[table][1].format(row=row)
    return f"{name}, {EMAIL_LOCAL_PART.format(row=row)}"


def _triggers(table: str) -> str:
    fts = FTS_SOURCES[table][0]
    insert = (
        f"INSERT INTO {fts} (rowid, name, email_local) "
        f"VALUES (NEW.rowid, {_values(table, 'NEW.')});"
    )
    delete = (
        f"INSERT INTO {fts} ({fts}, rowid, name, email_local) "
        f"VALUES ('delete', OLD.rowid, {_values(table, 'OLD.')});"
    )
    watched = "first_name, last_name, email" if table == "customers" else "customer_name, email"
    return f"""
    CREATE TRIGGER IF NOT EXISTS {fts}_after_insert AFTER INSERT ON {table} BEGIN {insert} END;
    CREATE TRIGGER IF NOT EXISTS {fts}_after_delete AFTER DELETE ON {table} BEGIN {delete} END;
    CREATE TRIGGER IF NOT EXISTS {fts}_after_update AFTER UPDATE OF {watched} ON {table}
    BEGIN {delete} {insert} END;
    """


def _facet_sql(table: str) -> tuple[str, str]:
    """The facet table's DDL, and the trigger body that codes ``NEW``'s combination and
    counts the row in."""
    columns = FACET_COLUMNS[table]
    facets = facet_table(table)
    ddl = (
        f"CREATE TABLE IF NOT EXISTS {facets} (code INTEGER PRIMARY KEY, "
        + ", ".join(f"{c} TEXT NOT NULL" for c in columns)
        + f", rows INTEGER NOT NULL DEFAULT 0, UNIQUE ({', '.join(columns)}))"
    )
    same = " AND ".join(f"{c} = NEW.{c}" for c in columns)
    body = (
        f"INSERT OR IGNORE INTO {facets} ({', '.join(columns)}) "
        f"VALUES ({', '.join('NEW.' + c for c in columns)}); "
        f"UPDATE {table} SET facet = (SELECT code FROM {facets} WHERE {same}) "
        "WHERE rowid = NEW.rowid; "
        f"UPDATE {facets} SET rows = rows + 1 WHERE {same};"
    )
    return ddl, body


def _build_facets(conn: sqlite3.Connection, table: str) -> None:
    """Code every row's combination of list-filter values and count the rows of each code;
    triggers keep both up to date."""
    columns = FACET_COLUMNS[table]
    facets = facet_table(table)
    ddl, body = _facet_sql(table)
    if not _table_exists(conn, facets):
        conn.execute(ddl)
        names = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if "facet" not in names:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN facet INTEGER")
        listed = ", ".join(columns)
        conn.execute(
            f"INSERT INTO {facets} ({listed}) SELECT DISTINCT {listed} FROM {table} "
            f"ORDER BY {listed}"
        )
        same = " AND ".join(f"f.{c} = {table}.{c}" for c in columns)
        conn.execute(f"UPDATE {table} SET facet = f.code FROM {facets} f WHERE {same}")
    if "rows" not in {row[1] for row in conn.execute(f"PRAGMA table_info({facets})")}:
        conn.execute(f"ALTER TABLE {facets} ADD COLUMN rows INTEGER NOT NULL DEFAULT 0")
    if conn.execute(f"SELECT count(*) FROM {facets} WHERE rows > 0").fetchone()[0] == 0:
        conn.execute(
            f"UPDATE {facets} SET rows = counted.n FROM (SELECT facet, count(*) AS n "
            f"FROM {table} GROUP BY facet) AS counted WHERE counted.facet = code"
        )
    uncount = f"UPDATE {facets} SET rows = rows - 1 WHERE code = OLD.facet;"
    conn.executescript(f"""
    DROP TRIGGER IF EXISTS {table}_facet_after_insert;
    DROP TRIGGER IF EXISTS {table}_facet_after_update;
    DROP TRIGGER IF EXISTS {table}_facet_after_delete;
    CREATE TRIGGER {table}_facet_after_insert AFTER INSERT ON {table} BEGIN {body} END;
    CREATE TRIGGER {table}_facet_after_update AFTER UPDATE OF {", ".join(columns)}
    ON {table} BEGIN {uncount} {body} END;
    CREATE TRIGGER {table}_facet_after_delete AFTER DELETE ON {table} BEGIN {uncount} END;
    """)


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None


def _stale_indexes(conn: sqlite3.Connection) -> list[str]:
    """Search indexes of an older layout (``{table}_by_…`` no longer in ``INDEXES``)."""
    current = {_index_name(t, c) for t, columns in INDEXES.items() for c in columns}
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name GLOB '*_by_*'"
        )
    ]
    return [n for n in names if n.split("_by_")[0] in INDEXES and n not in current]


def search_structures_current(conn: sqlite3.Connection) -> bool:
    """True when the store has every search structure of this layout and no stale index."""
    wanted = [fts for fts, _ in FTS_SOURCES.values()]
    wanted += [f"{fts}_vocab" for fts, _ in FTS_SOURCES.values()]
    wanted.append(CARD_TABLE)
    wanted += [facet_table(table) for table in FACET_COLUMNS]
    wanted += [_index_name(t, c) for t, columns in INDEXES.items() for c in columns]
    wanted += [f"{table}_facet_after_delete" for table in FACET_COLUMNS]
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    complete = all(name in present for name in wanted) and has_refs(conn)
    return complete and not _stale_indexes(conn)


def search_build_steps() -> int:
    """How many steps ``build_search_structures`` reports: FTS tables, cards, facets,
    indexes, ANALYZE."""
    indexes = sum(len(columns) for columns in INDEXES.values())
    return len(FTS_SOURCES) + 1 + len(FACET_COLUMNS) + indexes + 1


def build_search_structures(
    conn: sqlite3.Connection, step_done: Callable[[str], None] | None = None
) -> None:
    """Create and fill the FTS tables, the facets, their triggers and the secondary indexes
    (dropping those of an older layout); then ANALYZE.

    ``step_done(name)`` is called after each of the ``search_build_steps()`` steps.
    """
    done = step_done or (lambda name: None)
    # CREATE INDEX sorts its rows; let SQLite use a second core for that.
    conn.execute("PRAGMA threads = 2")
    for table, (fts, _) in FTS_SOURCES.items():
        if not _table_exists(conn, fts):
            conn.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(name, email_local, {FTS_OPTIONS})")
            conn.execute(
                f"INSERT INTO {fts} (rowid, name, email_local) "
                f"SELECT rowid, {_values(table, '')} FROM {table}"
            )
            conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('optimize')")
        conn.executescript(_triggers(table))
        # The index's words, for the name filters' Contains (search_names.py); no storage.
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts}_vocab USING fts5vocab({fts}, 'col')"
        )
        done(fts)
    add_refs(conn)
    if not _table_exists(conn, CARD_TABLE):
        build_card_index(conn)
    done(CARD_TABLE)
    for table in FACET_COLUMNS:
        _build_facets(conn, table)
        done(facet_table(table))
    for name in _stale_indexes(conn):
        conn.execute(f"DROP INDEX {name}")
    for table, index_columns in INDEXES.items():
        for columns in index_columns:
            name = _index_name(table, columns)
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
            done(name)
    # After every schema change: without fresh statistics a new index can turn a 0.05 ms page
    # into a 500 ms sort (tests/test_query_plans.py notices).
    conn.execute("ANALYZE")
    conn.commit()
    done("ANALYZE")
