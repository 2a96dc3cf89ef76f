"""Base tables of the demo store (SQLite).

Ids are the numbers a CSR sees: customer id, order number and return number are the
INTEGER PRIMARY KEY, so a lookup by number is a rowid lookup. Names and emails are
denormalised into orders and returns so search never joins. Times are unix seconds (UTC),
money is integer minor units, emails are stored lower-case, phones both as written and as
national digits (``phone_digits``) with their last four digits (``phone_last4``).

``doc`` holds the entity's full JSON document once something has been changed on it; while
it is NULL the details are derived deterministically from the row (see ``documents.py``).
Compact columns, kept small for the 1M-order store:

- ``orders.items``: JSON ``[[sku, quantity, unit_price_cents, fulfilled_qty, returned_qty], ...]``;
  product names come from ``products.PRODUCTS[sku]``. Line ids are the 1-based positions.
- ``orders.address``: JSON ``{"address1", "city", "state", "postal_code", "country", "phone"}``
  for guest orders; NULL means the account's address (``customers`` row).
- ``returns.items``: JSON ``[[order_line_id, sku, quantity, unit_price_cents], ...]``.
- ``customers.segments``: comma-separated codes, mirrored in ``customer_segments`` for filtering.

Search structures (FTS5 tables, triggers, secondary indexes) live in ``search_schema.py``
and are built after a bulk load.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

BASE_TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS customers (
    id                   INTEGER PRIMARY KEY,
    first_name           TEXT NOT NULL,
    last_name            TEXT NOT NULL,
    email                TEXT NOT NULL,
    username             TEXT NOT NULL,
    phone                TEXT NOT NULL,
    phone_digits         TEXT NOT NULL,
    phone_last4          TEXT NOT NULL,
    account_status       TEXT NOT NULL,
    customer_set         TEXT NOT NULL,
    segments             TEXT NOT NULL DEFAULT '',
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    address1             TEXT NOT NULL,
    city                 TEXT NOT NULL,
    state                TEXT NOT NULL,
    postal_code          TEXT NOT NULL,
    country              TEXT NOT NULL,
    accepts_marketing    INTEGER NOT NULL,
    tax_exempt           INTEGER NOT NULL,
    tax_id               TEXT NOT NULL DEFAULT '',
    order_count          INTEGER NOT NULL DEFAULT 0,
    lifetime_value_cents INTEGER NOT NULL DEFAULT 0,
    last_order_at        INTEGER,
    version              INTEGER NOT NULL DEFAULT 1,
    doc                  TEXT
);

CREATE TABLE IF NOT EXISTS customer_segments (
    segment     TEXT NOT NULL,
    customer_id INTEGER NOT NULL,
    PRIMARY KEY (segment, customer_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS orders (
    number             INTEGER PRIMARY KEY,
    customer_id        INTEGER,
    customer_name      TEXT NOT NULL,
    email              TEXT NOT NULL,
    phone_digits       TEXT NOT NULL,
    phone_last4        TEXT NOT NULL,
    status             TEXT NOT NULL,
    payment_status     TEXT NOT NULL,
    fulfillment_status TEXT NOT NULL,
    return_status      TEXT NOT NULL,
    type               TEXT NOT NULL,
    channel            TEXT NOT NULL,
    site               TEXT NOT NULL,
    currency           TEXT NOT NULL,
    submitted_at       INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    total_cents        INTEGER NOT NULL,
    collected_cents    INTEGER NOT NULL,
    item_count         INTEGER NOT NULL,
    items              TEXT NOT NULL,
    address            TEXT,
    restrict_edit      INTEGER NOT NULL DEFAULT 0,
    restrict_cancel    INTEGER NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL DEFAULT 1,
    doc                TEXT
);

CREATE TABLE IF NOT EXISTS returns (
    number        INTEGER PRIMARY KEY,
    order_number  INTEGER NOT NULL,
    customer_id   INTEGER,
    customer_name TEXT NOT NULL,
    email         TEXT NOT NULL,
    phone_digits  TEXT NOT NULL,
    phone_last4   TEXT NOT NULL,
    status        TEXT NOT NULL,
    return_type   TEXT NOT NULL,
    refund_status TEXT NOT NULL,
    reason        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    refund_cents  INTEGER NOT NULL DEFAULT 0,
    item_count    INTEGER NOT NULL,
    items         TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    doc           TEXT
);

CREATE TABLE IF NOT EXISTS audit_log (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    at         INTEGER NOT NULL,
    who        TEXT NOT NULL,
    session_id TEXT,
    action     TEXT NOT NULL,
    field      TEXT,
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_entity ON audit_log (kind, entity_id, at);
"""

# Tables of the action write path (writer.py); also created when an older store is opened,
# which is the in-place migration of a store seeded before an index here existed.
# ``idempotency.result`` is the ActionResult the client got without its ``entity``: a replay
# takes the entity's current document (docs/actions.md).
ACTION_TABLES = """
CREATE TABLE IF NOT EXISTS idempotency (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    result      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;
-- Expiring old keys is a range scan of this index, not a walk over every row.
CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency (created_at);

CREATE TABLE IF NOT EXISTS outbox (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    template   TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    who        TEXT NOT NULL
);
"""


def create_base_tables(conn: sqlite3.Connection) -> None:
    conn.executescript(BASE_TABLES)
    create_action_tables(conn)
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )


def create_action_tables(conn: sqlite3.Connection) -> None:
    conn.executescript(ACTION_TABLES)
