"""The desk's note templates in the state database (table ``note_templates``, schema v4).

Names are unique: creating a name in use, or renaming onto one, is 409 ``duplicate_template``;
a name not kept is 404 ``unknown_template``; more than ``NOTE_TEMPLATES_MAX`` is 422.
"""

from __future__ import annotations

import sqlite3

from agent.domain.note_templates import checked
from agent.errors import Conflict, NotFound, Unprocessable
from shared_schema.note_templates import (
    NOTE_TEMPLATES_MAX,
    PLACEHOLDERS,
    NoteTemplate,
    NoteTemplateIn,
    NoteTemplates,
    Placeholder,
)


def all_templates(conn: sqlite3.Connection) -> NoteTemplates:
    rows = conn.execute("SELECT name, body, updated_at FROM note_templates ORDER BY name")
    return NoteTemplates(
        templates=[NoteTemplate(name=n, body=b, updated_at=u) for n, b, u in rows],
        placeholders=[Placeholder(name=n, description=d) for n, d in PLACEHOLDERS.items()],
    )


def template(conn: sqlite3.Connection, name: str) -> NoteTemplate:
    row = conn.execute(
        "SELECT name, body, updated_at FROM note_templates WHERE name = ?", (name,)
    ).fetchone()
    if row is None:
        raise NotFound(
            f"No note template named '{name}'",
            details={"field": "name", "name": name},
            code="unknown_template",
        )
    return NoteTemplate(name=row[0], body=row[1], updated_at=row[2])


def create(conn: sqlite3.Connection, wanted: NoteTemplateIn, now: str) -> NoteTemplate:
    good = checked(wanted)
    _refuse_taken(conn, good.name)
    count = conn.execute("SELECT count(*) FROM note_templates").fetchone()[0]
    if count >= NOTE_TEMPLATES_MAX:
        raise Unprocessable(
            f"At most {NOTE_TEMPLATES_MAX} note templates; delete one first",
            details={"field": "name", "max": NOTE_TEMPLATES_MAX},
            code="too_many_templates",
        )
    conn.execute(
        "INSERT INTO note_templates (name, body, updated_at) VALUES (?, ?, ?)",
        (good.name, good.body, now),
    )
    return template(conn, good.name)


def replace(conn: sqlite3.Connection, name: str, wanted: NoteTemplateIn, now: str) -> NoteTemplate:
    good = checked(wanted)
    template(conn, name)
    if good.name != name:
        _refuse_taken(conn, good.name)
    conn.execute(
        "UPDATE note_templates SET name = ?, body = ?, updated_at = ? WHERE name = ?",
        (good.name, good.body, now, name),
    )
    return template(conn, good.name)


def delete(conn: sqlite3.Connection, name: str) -> NoteTemplates:
    template(conn, name)
    conn.execute("DELETE FROM note_templates WHERE name = ?", (name,))
    return all_templates(conn)


def _refuse_taken(conn: sqlite3.Connection, name: str) -> None:
    if conn.execute("SELECT 1 FROM note_templates WHERE name = ?", (name,)).fetchone():
        raise Conflict(
            f"A note template named '{name}' exists already; choose another name or edit it",
            details={"field": "name", "name": name},
            code="duplicate_template",
        )
