"""Read and write the rules' ``State`` as rows of the state database.

Writing upserts what exists and deletes what is gone; the foreign keys then drop the drafts of
every tab that disappeared (replaced, closed, or its session fell off recently closed).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pydantic import ValidationError

from agent.sessions.rules import ClosedSessionState, SessionState, State, TabState
from shared_schema.sessions import SearchState


class BadRow(ValueError):
    """A stored row that the rules' state cannot hold."""


def load_state(conn: sqlite3.Connection) -> State:
    try:
        return _load(conn)
    except (ValidationError, ValueError, KeyError, TypeError) as exc:
        raise BadRow(str(exc)) from exc


def save_state(conn: sqlite3.Connection, state: State) -> None:
    _put_meta(conn, "version", state.version)
    _put_meta(conn, "active_session_id", state.active_session_id)
    _put_meta(conn, "landing", state.landing.model_dump(mode="json"))
    rows: list[tuple[SessionState, str, int, str | None, str | None]]
    rows = [(s, "open", i, None, None) for i, s in enumerate(state.sessions)]
    rows += [
        (c.session, "closed", i, c.closed_at, c.reason) for i, c in enumerate(state.recently_closed)
    ]
    for session, status, position, closed_at, reason in rows:
        _put_session(conn, session, status, position, closed_at, reason)
        for tab_position, tab in enumerate(session.tabs):
            _put_tab(conn, session.id, tab_position, tab)
    _delete_missing(conn, "tabs", [t.id for row in rows for t in row[0].tabs])
    _delete_missing(conn, "sessions", [row[0].id for row in rows])


def _load(conn: sqlite3.Connection) -> State:
    meta = {key: json.loads(value) for key, value in conn.execute("SELECT key, value FROM meta")}
    tabs: dict[str, list[TabState]] = {}
    for row in conn.execute(
        "SELECT session_id, id, kind, entity_id, title, customer_key, "
        "customer_name, is_foreign, search_state FROM tabs "
        "ORDER BY session_id, position"
    ):
        tabs.setdefault(row[0], []).append(_tab(row[1:]))
    sessions: list[SessionState] = []
    closed: list[ClosedSessionState] = []
    for row in conn.execute(
        "SELECT id, title, customer_id, customer_key, created_at, "
        "active_tab_id, status, closed_at, close_reason, notes, held_seconds, hold_since "
        "FROM sessions "
        "ORDER BY position"
    ):
        session = SessionState(
            id=row[0],
            title=row[1],
            customer_id=row[2],
            customer_key=row[3],
            created_at=row[4],
            tabs=tuple(tabs.get(row[0], ())),
            active_tab_id=row[5],
            notes=row[9],
            held_seconds=int(row[10]),
            hold_since=row[11],
        )
        if row[6] == "open":
            sessions.append(session)
        else:
            closed.append(ClosedSessionState(session, closed_at=row[7], reason=row[8]))
    return State(
        version=int(meta.get("version", 0)),
        sessions=tuple(sessions),
        active_session_id=meta.get("active_session_id"),
        landing=SearchState.model_validate(meta.get("landing", {})),
        recently_closed=tuple(closed),
    )


def _tab(row: tuple[Any, ...]) -> TabState:
    tab_id, kind, entity_id, title, customer_key, customer_name, is_foreign, search = row
    return TabState(
        id=tab_id,
        kind=kind,
        entity_id=entity_id,
        title=title,
        customer_key=customer_key,
        customer_name=customer_name,
        foreign=bool(is_foreign),
        search=None if search is None else SearchState.model_validate_json(search),
    )


def _put_meta(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )


def _put_session(
    conn: sqlite3.Connection,
    session: SessionState,
    status: str,
    position: int,
    closed_at: str | None,
    reason: str | None,
) -> None:
    conn.execute(
        "INSERT INTO sessions (id, status, position, title, customer_id, customer_key, "
        "created_at, active_tab_id, closed_at, close_reason, notes, held_seconds, hold_since) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET status = excluded.status, position = excluded.position, "
        "title = excluded.title, customer_id = excluded.customer_id, "
        "customer_key = excluded.customer_key, created_at = excluded.created_at, "
        "active_tab_id = excluded.active_tab_id, closed_at = excluded.closed_at, "
        "close_reason = excluded.close_reason, notes = excluded.notes, "
        "held_seconds = excluded.held_seconds, hold_since = excluded.hold_since",
        (
            session.id,
            status,
            position,
            session.title,
            session.customer_id,
            session.customer_key,
            session.created_at,
            session.active_tab_id,
            closed_at,
            reason,
            session.notes,
            session.held_seconds,
            session.hold_since,
        ),
    )


def _put_tab(conn: sqlite3.Connection, session_id: str, position: int, tab: TabState) -> None:
    search = None if tab.search is None else tab.search.model_dump_json()
    conn.execute(
        "INSERT INTO tabs (id, session_id, position, kind, entity_id, title, customer_key, "
        "customer_name, is_foreign, search_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET session_id = excluded.session_id, "
        "position = excluded.position, kind = excluded.kind, entity_id = excluded.entity_id, "
        "title = excluded.title, customer_key = excluded.customer_key, "
        "customer_name = excluded.customer_name, is_foreign = excluded.is_foreign, "
        "search_state = excluded.search_state",
        (
            tab.id,
            session_id,
            position,
            tab.kind,
            tab.entity_id,
            tab.title,
            tab.customer_key,
            tab.customer_name,
            int(tab.foreign),
            search,
        ),
    )


def _delete_missing(conn: sqlite3.Connection, table: str, keep: list[str]) -> None:
    placeholders = ", ".join("?" * len(keep))
    conn.execute(f"DELETE FROM {table} WHERE id NOT IN ({placeholders})", keep)
