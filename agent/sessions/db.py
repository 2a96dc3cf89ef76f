"""Open the agent's state database: recognise it, create it when the file is new, refuse the rest.

A file that is not ours, is corrupt, or was written by a newer agent is never touched: the
caller gets a ``StateStoreError`` naming the file and the reason.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from agent.errors import ApiError

APPLICATION_ID = 0x43434331  # "CCC1": marks the file as a Call Center state database
SCHEMA_VERSION = 5
BUSY_TIMEOUT = 1.0  # seconds

SCHEMA = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    customer_id TEXT,
    customer_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    active_tab_id TEXT NOT NULL,
    closed_at TEXT,
    close_reason TEXT CHECK (close_reason IN ('closed', 'evicted')),
    notes TEXT NOT NULL DEFAULT '',
    held_seconds INTEGER NOT NULL DEFAULT 0,
    hold_since TEXT
) STRICT;

CREATE TABLE tabs (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('search', 'customer', 'order', 'return')),
    entity_id TEXT,
    title TEXT NOT NULL,
    customer_key TEXT,
    customer_name TEXT,
    is_foreign INTEGER NOT NULL,
    search_state TEXT
) STRICT;
CREATE INDEX tabs_by_session ON tabs(session_id);

CREATE TABLE drafts (
    tab_id TEXT NOT NULL REFERENCES tabs(id) ON DELETE CASCADE,
    form TEXT NOT NULL,
    data TEXT NOT NULL,
    entity_version INTEGER,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tab_id, form)
) STRICT;

CREATE TABLE preferences (
    kind TEXT PRIMARY KEY,
    data TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS call_actions (
    session_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    amount INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS call_actions_by_session ON call_actions(session_id);

CREATE TABLE IF NOT EXISTS wrap_ups (
    session_id TEXT PRIMARY KEY,
    customer_id TEXT,
    title TEXT NOT NULL,
    disposition TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    wrapped_at TEXT NOT NULL,
    handle_seconds INTEGER NOT NULL,
    held_seconds INTEGER NOT NULL,
    records TEXT NOT NULL,
    actions TEXT NOT NULL,
    money_moved INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS wrap_ups_by_time ON wrap_ups(wrapped_at);

CREATE TABLE IF NOT EXISTS recent_callers (
    customer_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    session_id TEXT NOT NULL,
    closed_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS recent_callers_by_time ON recent_callers(closed_at);

CREATE TABLE IF NOT EXISTS dispositions (
    position INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE
) STRICT;
"""
# v4: the desk's note templates (docs/note-templates.md)
NOTE_TEMPLATES = """
CREATE TABLE IF NOT EXISTS note_templates (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
"""
SCHEMA += NOTE_TEMPLATES
# The wrap-up's call reasons until the desk changes them (PUT /dispositions).
DEFAULT_DISPOSITIONS = (
    "Order status",
    "Return or refund",
    "Address or delivery change",
    "Payment or billing",
    "Account help",
    "Product question",
    "Complaint",
    "Other",
)
_SEED_DISPOSITIONS = "INSERT OR IGNORE INTO dispositions (position, label) VALUES " + ", ".join(
    f"({i}, '{label}')" for i, label in enumerate(DEFAULT_DISPOSITIONS)
)


class StateStoreError(ApiError):
    """The state database cannot be used as it is; nothing was changed."""

    status = 503
    code = "state_store_error"


def open_state_db(path: Path) -> sqlite3.Connection:
    """A connection to the state database at ``path``, created if the file is new or empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Wait at most BUSY_TIMEOUT for another process's lock: the agent's one connection runs on
    # the event loop, and a client (the CLI waits 3 s) must get the 503 before it gives up,
    # or it reports a failure for a write that lands once the lock goes.
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)
    try:
        _check_readable(conn, path)
        _check_ours(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if _user_version(conn) == 0:
            _create(conn)
        elif _user_version(conn) < SCHEMA_VERSION:
            _migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` and the foreign keys report; empty when sound."""
    rows = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    problems = [] if rows == ["ok"] else rows
    problems += [
        f"dangling reference in {row[0]} row {row[1]}"
        for row in conn.execute("PRAGMA foreign_key_check")
    ]
    return problems


def _check_readable(conn: sqlite3.Connection, path: Path) -> None:
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        raise StateStoreError(f"state database {path} is corrupt: {exc}") from exc
    if rows != ["ok"]:
        raise StateStoreError(f"state database {path} is corrupt: {'; '.join(rows[:5])}")


def _check_ours(conn: sqlite3.Connection, path: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise StateStoreError(
                f"{path} is not a Call Center state database "
                "(it holds other tables); move it away or pick another "
                "data dir"
            )
        return
    if app_id != APPLICATION_ID:
        raise StateStoreError(
            f"{path} is not a Call Center state database (application id {app_id:#x})"
        )
    version = _user_version(conn)
    if version > SCHEMA_VERSION:
        raise StateStoreError(
            f"state database {path} has schema version {version}, newer than "
            f"this agent's {SCHEMA_VERSION}; upgrade the agent"
        )
    if version < 1:
        raise StateStoreError(f"state database {path} has no schema version; it is damaged")


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


_V3_TABLES = SCHEMA[
    SCHEMA.index("CREATE TABLE IF NOT EXISTS call_actions") : SCHEMA.index(NOTE_TEMPLATES)
]

# version -> the statements that bring a database of that version one step up
MIGRATIONS = {
    1: ["ALTER TABLE sessions ADD COLUMN notes TEXT NOT NULL DEFAULT ''"],  # call notes
    # structured wrap-up (the actions of each call, its wrap-up, the dispositions offered)
    # and the recent callers
    2: [
        *(s for s in _V3_TABLES.split(";") if s.strip()),
        _SEED_DISPOSITIONS,
    ],
    3: [NOTE_TEMPLATES.strip().rstrip(";")],  # note templates
    # the call's holds, kept by the agent (docs/wrap-up.md)
    4: [
        "ALTER TABLE sessions ADD COLUMN held_seconds INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sessions ADD COLUMN hold_since TEXT",
    ],
}


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring an older state database up to SCHEMA_VERSION, one transaction per step."""
    while (version := _user_version(conn)) < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _user_version(conn) == version:  # not already done by another process
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _user_version(conn) != 0:  # another process created it while we waited
            conn.execute("COMMIT")
            return
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(_SEED_DISPOSITIONS)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
