"""Per-session call notes: the pure rule, persistence (and the v1 → v2 migration), the route."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from agent.backends.base import EntityRef
from agent.errors import NotFound, Unprocessable
from agent.sessions import rules
from agent.sessions.db import SCHEMA_VERSION
from agent.sessions.store import SessionStore
from tests.support.api import Api


def _ids() -> Iterator[str]:
    n = 0
    while True:
        n += 1
        yield f"n{n}"


CUSTOMER = EntityRef(
    kind="customer", id="7", title="Ana", customer_key="7", customer_id="7", customer_name="Ana"
)


def test_notes_rule_bumps_once_and_checks_size() -> None:
    opened = rules.open_from_new_call(rules.State(), CUSTOMER, "t", _ids())
    state = rules.set_notes(opened.state, opened.session_id, "asked about a refund")
    assert state.version == opened.state.version + 1
    assert state.sessions[0].notes == "asked about a refund"
    assert rules.set_notes(state, opened.session_id, "asked about a refund") is state
    with pytest.raises(Unprocessable):
        rules.set_notes(state, opened.session_id, "x" * (rules.MAX_NOTES_CHARS + 1))
    with pytest.raises(NotFound):
        rules.set_notes(state, "nope", "x")
    assert rules.check_invariants(state) == []


def test_notes_survive_reopening_the_store_and_closing_the_session(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with SessionStore(path) as store:
        opened = store.open_new_call(CUSTOMER)
        store.set_notes(opened.session_id, "ünïcode ✓ notes")
    with SessionStore(path) as store:
        assert store.state().sessions[0].notes == "ünïcode ✓ notes"
        store.close_session(opened.session_id)
        reopened = store.reopen(opened.session_id)
        assert reopened.state.sessions[0].notes == "ünïcode ✓ notes"


def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with SessionStore(path) as store:
        opened = store.open_new_call(CUSTOMER)
    with closing(sqlite3.connect(path)) as conn:  # make it look like a v1 file
        conn.execute("ALTER TABLE sessions DROP COLUMN notes")
        conn.execute("ALTER TABLE sessions DROP COLUMN held_seconds")  # came in v5
        conn.execute("ALTER TABLE sessions DROP COLUMN hold_since")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    with SessionStore(path) as store:
        assert store.state().sessions[0].id == opened.session_id
        assert store.state().sessions[0].notes == ""
        store.set_notes(opened.session_id, "after migration")
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


async def test_notes_route(api: Api) -> None:
    _, found = await api.get("/search/customers", page_size="1", q="a")
    status, opened = await api.send(
        "POST", "/sessions", {"kind": "customer", "id": found["results"][0]["id"]}
    )
    sid = opened["session_id"]
    status, state = await api.send("PUT", f"/sessions/{sid}/notes", {"notes": "called twice"})
    assert status == 200
    assert state["sessions"][0]["notes"] == "called twice"
    status, _ = await api.send("PUT", f"/sessions/{sid}/notes", {"notes": "x" * 4001})
    assert status == 422
    status, _ = await api.send("PUT", "/sessions/unknown/notes", {"notes": "x"})
    assert status == 404
    status, _ = await api.send("PUT", f"/sessions/{sid}/notes", {"text": "x"})
    assert status == 422
    _, state = await api.get("/sessions")
    assert state["sessions"][0]["notes"] == "called twice"
