"""A call's holds, kept by the agent per session (docs/wrap-up.md): the hold rules, their
storage in state.db (and the v4 -> v5 migration), the route and its live event, and the
wrap-up's handle time computed from them."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from agent.backends.base import EntityRef
from agent.errors import NotFound
from agent.sessions import rules
from agent.sessions import store as store_module
from agent.sessions.db import SCHEMA_VERSION
from agent.sessions.holds import held_seconds
from agent.sessions.store import SessionStore
from shared_schema.wrapups import WrapUpIn
from tests.support.api import TOKEN, Api

CUSTOMER = EntityRef(
    kind="customer", id="7", title="Ana", customer_key="7", customer_id="7", customer_name="Ana"
)


def at(clock: str) -> str:
    return f"2026-03-02T{clock}.000Z"


def opened_call() -> tuple[rules.State, str]:
    ids = iter(f"id{i}" for i in range(10))
    opened = rules.open_from_new_call(rules.State(), CUSTOMER, at("09:00:00"), ids)
    return opened.state, opened.session_id


# The rules


def test_hold_then_resume_adds_the_hold_to_the_held_time() -> None:
    state, sid = opened_call()
    held = rules.set_hold(state, sid, True, at("09:01:00"))
    assert held.session(sid).hold_since == at("09:01:00")
    assert held.version == state.version + 1
    assert held_seconds(held.session(sid), at("09:01:30")) == 30  # a running hold counts
    resumed = rules.set_hold(held, sid, False, at("09:02:15"))
    assert (resumed.session(sid).held_seconds, resumed.session(sid).hold_since) == (75, None)
    again = rules.set_hold(resumed, sid, True, at("09:03:00"))
    twice = rules.set_hold(again, sid, False, at("09:03:10"))
    assert twice.session(sid).held_seconds == 85
    assert held_seconds(twice.session(sid), at("10:00:00")) == 85  # not on hold: no growth
    assert rules.check_invariants(twice) == []


def test_asking_for_what_already_is_changes_nothing() -> None:
    state, sid = opened_call()
    assert rules.set_hold(state, sid, False, at("09:01:00")) is state  # not on hold: resume
    held = rules.set_hold(state, sid, True, at("09:01:00"))
    # A second panel pressing Hold later keeps the hold's start.
    assert rules.set_hold(held, sid, True, at("09:05:00")) is held
    with pytest.raises(NotFound):
        rules.set_hold(state, "nope", True, at("09:01:00"))


def test_a_reopened_call_starts_its_holds_afresh() -> None:
    state, sid = opened_call()
    held = rules.set_hold(state, sid, True, at("09:01:00"))
    closed = rules.close_session(held, sid, at("09:02:00")).state
    reopened = rules.reopen_closed(closed, sid, at("11:00:00")).state.session(sid)
    assert (reopened.created_at, reopened.held_seconds, reopened.hold_since) == (
        at("11:00:00"),
        0,
        None,
    )


# Storage


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    now = [at("09:00:00")]
    monkeypatch.setattr(store_module, "_now", lambda: now[0])
    return now


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state.db"


@pytest.fixture
def store(path: Path) -> Iterator[SessionStore]:
    with SessionStore(path) as opened:
        yield opened


def test_a_hold_survives_a_restart_of_the_agent(path: Path, clock: list[str]) -> None:
    with SessionStore(path) as store:
        sid = store.open_new_call(CUSTOMER).session_id
        clock[0] = at("09:00:40")
        store.set_hold(sid, True)
        clock[0] = at("09:01:00")
        store.set_hold(sid, False)
        clock[0] = at("09:02:00")
        store.set_hold(sid, True)
    with SessionStore(path) as store:
        session = store.state().sessions[0]
        assert (session.held_seconds, session.hold_since) == (20, at("09:02:00"))


def test_a_version_4_database_gains_the_hold_columns(path: Path) -> None:
    with SessionStore(path) as store:
        sid = store.open_new_call(CUSTOMER).session_id
        store.set_notes(sid, "kept")
    with closing(sqlite3.connect(path)) as conn:  # make it look like a v4 file
        conn.execute("ALTER TABLE sessions DROP COLUMN held_seconds")
        conn.execute("ALTER TABLE sessions DROP COLUMN hold_since")
        conn.execute("PRAGMA user_version = 4")
        conn.commit()
    with SessionStore(path) as store:
        session = store.state().sessions[0]
        assert (session.notes, session.held_seconds, session.hold_since) == ("kept", 0, None)
        store.set_hold(sid, True)
        assert store.state().sessions[0].hold_since is not None
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5


# The wrap-up's handle time


def test_the_wrap_up_leaves_the_agent_s_holds_out(store: SessionStore, clock: list[str]) -> None:
    sid = store.open_new_call(CUSTOMER).session_id
    clock[0] = at("09:01:00")
    store.set_hold(sid, True)
    clock[0] = at("09:02:30")
    store.set_hold(sid, False)
    clock[0] = at("09:04:00")
    store.set_hold(sid, True)  # still on hold at the wrap-up: counted up to it
    clock[0] = at("09:05:00")
    done = store.wrap_up(sid, WrapUpIn(disposition="Other"))
    assert (done.held_seconds, done.handle_seconds) == (90 + 60, 300 - 150)
    other = store.open_new_call(
        EntityRef("customer", "8", "Bo", customer_key="8", customer_id="8", customer_name="Bo")
    ).session_id
    clock[0] = at("09:07:00")
    plain = store.wrap_up(other, WrapUpIn(disposition="Other"))
    assert (plain.held_seconds, plain.handle_seconds) == (0, 120)


# The route and its event


async def _receive(ws, type_: str) -> dict:  # type: ignore[no-untyped-def]
    while True:
        message = await asyncio.wait_for(ws.receive_json(), timeout=5)
        if message["type"] == type_:
            return message


async def test_hold_route_puts_on_hold_resumes_and_tells_every_panel(api: Api) -> None:
    _, found = await api.get("/search/customers", page_size="1")
    _, opened = await api.send(
        "POST", "/sessions", {"kind": "customer", "id": found["results"][0]["id"]}
    )
    sid = opened["session_id"]
    ws = await api.client.ws_connect(
        "/api/v1/events", protocols=("callcenter.v1", f"bearer.{TOKEN}")
    )
    await _receive(ws, "hello")

    status, held = await api.send("PUT", f"/sessions/{sid}/hold", {"on_hold": True})
    assert status == 200, held
    [session] = held["sessions"]
    assert session["hold_since"] is not None and session["held_seconds"] == 0
    event = await _receive(ws, "sessions")
    assert event["data"]["sessions"][0]["hold_since"] == session["hold_since"]

    status, again = await api.send("PUT", f"/sessions/{sid}/hold", {"on_hold": True})
    assert status == 200
    assert again["version"] == held["version"]  # idempotent: the hold keeps its start
    assert again["sessions"][0]["hold_since"] == session["hold_since"]

    status, resumed = await api.send("PUT", f"/sessions/{sid}/hold", {"on_hold": False})
    assert status == 200
    assert resumed["sessions"][0]["hold_since"] is None
    assert resumed["version"] == held["version"] + 1
    event = await _receive(ws, "sessions")
    while event["data"]["version"] != resumed["version"]:
        event = await _receive(ws, "sessions")
    assert event["data"]["sessions"][0]["hold_since"] is None
    await ws.close()


async def test_hold_route_refuses_bad_input_and_changes_nothing(api: Api) -> None:
    _, found = await api.get("/search/customers", page_size="1")
    _, opened = await api.send(
        "POST", "/sessions", {"kind": "customer", "id": found["results"][0]["id"]}
    )
    sid = opened["session_id"]
    before = await api.read("/sessions")
    for body in ({}, {"on_hold": "yes"}, {"on_hold": 1}, {"on_hold": True, "since": "now"}):
        status, refused = await api.send("PUT", f"/sessions/{sid}/hold", body)
        assert (status, refused["error"]["code"]) == (422, "validation_failed"), body
    status, refused = await api.send("PUT", f"/sessions/{sid}/hold", raw=b"{not json")
    assert status == 400 and "error" in refused
    status, refused = await api.send("PUT", "/sessions/nosuch/hold", {"on_hold": True})
    assert status == 404 and "error" in refused
    assert await api.read("/sessions") == before
