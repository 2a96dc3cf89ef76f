"""Reads of what actions leave behind: any entity's audit log and the demo outbox."""

from __future__ import annotations

import sqlite3

from agent.backends.demo.documents_common import fetch_row, fetch_rows, iso, not_found
from agent.backends.demo.rows import TABLES
from shared_schema.actions import Outbox, OutboxMessage
from shared_schema.common import EntityKind
from shared_schema.entities import AuditEntry, AuditLogPage


def audit_log(
    conn: sqlite3.Connection, kind: EntityKind, number: int, page: int, page_size: int
) -> AuditLogPage:
    """Newest first; ``page`` is 1-based. Entries are keyed by the entity's number."""
    table, key = TABLES[kind]
    if fetch_row(conn, f"SELECT 1 AS found FROM {table} WHERE {key} = ?", (number,)) is None:
        raise not_found(kind, number)
    where = (kind, str(number))
    total = conn.execute(
        "SELECT count(*) FROM audit_log WHERE kind = ? AND entity_id = ?", where
    ).fetchone()[0]
    rows = fetch_rows(
        conn,
        "SELECT id, at, who, action, field, old_value, new_value, session_id FROM audit_log "
        "WHERE kind = ? AND entity_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
        (*where, page_size, (page - 1) * page_size),
    )
    entries = [AuditEntry(**{**row, "at": iso(row["at"])}) for row in rows]
    return AuditLogPage(entries=entries, total=total, page=page, page_size=page_size)


def outbox(conn: sqlite3.Connection, limit: int) -> Outbox:
    """The newest ``limit`` messages the demo store would have sent, newest first."""
    rows = fetch_rows(
        conn,
        "SELECT id, at, kind, entity_id, template, recipient, subject, who FROM outbox "
        "ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return Outbox(
        messages=[
            OutboxMessage(
                id=r["id"],
                at=iso(r["at"]),
                kind=r["kind"],
                entity_id=r["entity_id"],
                template=r["template"],
                to=r["recipient"],
                subject=r["subject"],
                by=r["who"],
            )
            for r in rows
        ]
    )
