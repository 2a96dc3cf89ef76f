"""SessionStore on real SQLite files: persistence, atomicity, drafts, preferences, bad files."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from agent.backends.base import EntityRef
from agent.errors import Conflict, NotFound, Unprocessable
from agent.sessions.db import StateStoreError
from agent.sessions.store import MAX_DRAFT_BYTES, SessionStore
from shared_schema.sessions import DraftIn, Preferences, SearchState


def customer(key: str) -> EntityRef:
    return EntityRef(
        kind="customer",
        id=key,
        title=f"Customer {key}",
        customer_key=key,
        customer_id=key,
        customer_name=f"Customer {key}",
    )


def order(number: str, key: str) -> EntityRef:
    return EntityRef(
        kind="order",
        id=number,
        title=f"Order #{number}",
        customer_key=key,
        customer_id=key,
        customer_name=f"Customer {key}",
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[SessionStore]:
    with SessionStore(path) as opened:
        yield opened


def rows(path: Path, statement: str) -> list[tuple[object, ...]]:
    """Runs one statement in its own connection, committed, and answers its rows."""
    with closing(sqlite3.connect(path)) as conn, conn:
        return conn.execute(statement).fetchall()


def test_a_new_file_starts_on_the_empty_landing_page(store: SessionStore) -> None:
    state = store.state()

    assert state.version == 0 and state.sessions == [] and state.recently_closed == []
    assert state.active_session_id is None and state.landing == SearchState()
    assert store.integrity_problems() == []


def test_open_new_call_answers_with_random_ids_and_utc_timestamps(store: SessionStore) -> None:
    result = store.open_new_call(order("1001", "c1"))

    session = result.state.sessions[0]
    assert result.created and result.session_id == session.id
    assert result.tab_id == session.tabs[1].id == session.active_tab_id
    for some_id in (session.id, *(t.id for t in session.tabs)):
        assert re.fullmatch(r"[A-Za-z0-9]{12}", some_id)  # never a leading "-" on a CLI
    assert session.created_at.endswith("Z")
    assert datetime.fromisoformat(session.created_at).utcoffset() is not None


def test_everything_survives_reopening_the_store(path: Path) -> None:
    with SessionStore(path) as store:
        first = store.open_new_call(customer("c1")).session_id
        store.open_new_call(customer("c2"))
        store.open_tab(first, order("9", "c1"))
        store.set_search_state(None, SearchState(kind="orders", q="smith", filters={"x": "1"}))
        store.set_search_state(first, SearchState(kind="returns", sort="date", order="asc"))
        closed = store.open_new_call(customer("c3")).session_id
        store.close_session(closed)
        store.activate_session(first)
        store.put_preferences(
            "orders", Preferences(columns=["number", "total"], sort="total", order="desc")
        )
        before = store.state()
        preferences = store.preferences()

    with SessionStore(path) as reopened:
        assert reopened.state() == before
        assert reopened.preferences() == preferences
        assert before.version == 8


def test_eviction_and_reopen_through_the_store(store: SessionStore) -> None:
    first = store.open_new_call(customer("c1")).session_id
    for key in ("c2", "c3", "c4"):
        store.open_new_call(customer(key))

    result = store.open_new_call(customer("c5"))

    assert result.evicted is not None and result.evicted.id == first
    assert result.evicted.reason == "evicted"
    assert result.state.recently_closed[0].id == first
    store.close_session(result.session_id)
    reopened = store.reopen(first)
    assert reopened.session_id == first and reopened.evicted is None
    assert [s.customer_key for s in reopened.state.sessions] == ["c2", "c3", "c4", "c1"]


def test_tabs_through_the_store(store: SessionStore) -> None:
    sid = store.open_new_call(customer("c1")).session_id
    first = store.open_tab(sid, order("1", "c1"))
    second = store.open_tab(sid, order("2", "c1"))

    assert first.replaced is None
    assert second.replaced is not None and second.replaced.id == first.tab_id
    search_tab = second.state.sessions[0].tabs[0].id
    store.activate_tab(sid, search_tab)
    assert store.state().sessions[0].active_tab_id == search_tab
    with pytest.raises(Conflict, match="search tab"):
        store.close_tab(sid, search_tab)
    state = store.close_tab(sid, second.tab_id)
    assert [t.kind for t in state.sessions[0].tabs] == ["search", "customer"]


def test_a_failed_write_leaves_the_previous_state(path: Path, store: SessionStore) -> None:
    sid = store.open_new_call(customer("c1")).session_id
    before = store.state()
    rows(
        path,
        "CREATE TRIGGER fail_orders BEFORE INSERT ON tabs WHEN NEW.kind = 'order' "
        "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END",
    )

    with pytest.raises(StateStoreError, match="disk trouble"):
        store.open_tab(sid, order("1", "c1"))
    with pytest.raises(StateStoreError, match="disk trouble"):
        store.open_new_call(order("2", "c2"))  # its session row is written before the tabs

    assert store.state() == before
    assert rows(path, "SELECT count(*) FROM sessions") == [(1,)]
    with SessionStore(path) as reopened:
        assert reopened.state() == before
    rows(path, "DROP TRIGGER fail_orders")
    assert store.open_tab(sid, order("1", "c1")).state.version == before.version + 1


def test_a_refused_change_changes_nothing(store: SessionStore) -> None:
    session = store.open_new_call(customer("c1")).state.sessions[0]
    before = store.state()

    with pytest.raises(Conflict):
        store.close_tab(session.id, session.tabs[0].id)

    assert store.state() == before


def test_a_change_that_changes_nothing_keeps_the_version(store: SessionStore) -> None:
    store.open_new_call(customer("c1"))
    version = store.activate_session(None).version

    assert store.activate_session(None).version == version
    assert store.set_search_state(None, SearchState()).version == version


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.open_tab("nope", customer("c1")),
        lambda s: s.activate_session("nope"),
        lambda s: s.activate_tab("nope", "t"),
        lambda s: s.close_session("nope"),
        lambda s: s.close_tab("nope", "t"),
        lambda s: s.reopen("nope"),
        lambda s: s.set_search_state("nope", SearchState()),
        lambda s: s.drafts("nope", "t"),
        lambda s: s.put_draft("nope", "t", "notes", DraftIn(data={})),
        lambda s: s.delete_draft("nope", "t", "notes"),
    ],
)
def test_unknown_session_ids_are_not_found(
    store: SessionStore, call: Callable[[SessionStore], object]
) -> None:
    store.open_new_call(customer("c1"))

    with pytest.raises(NotFound, match="nope"):
        call(store)


# drafts


def test_draft_lifecycle(store: SessionStore) -> None:
    opened = store.open_new_call(order("1", "c1"))
    sid, tid = opened.session_id, opened.tab_id

    saved = store.put_draft(
        sid, tid, "shipping-address", DraftIn(data={"city": "Austin"}, entity_version=3)
    )
    store.put_draft(sid, tid, "notes", DraftIn(data={"text": "called twice"}))
    updated = store.put_draft(
        sid, tid, "shipping-address", DraftIn(data={"city": "Waco"}, entity_version=4)
    )

    assert saved.entity_version == 3 and updated.data == {"city": "Waco"}
    drafts = store.drafts(sid, tid)
    assert drafts.tab_id == tid
    assert [(d.form, d.data, d.entity_version) for d in drafts.drafts] == [
        ("notes", {"text": "called twice"}, None),
        ("shipping-address", {"city": "Waco"}, 4),
    ]
    remaining = store.delete_draft(sid, tid, "notes")
    assert [d.form for d in remaining.drafts] == ["shipping-address"]
    assert store.delete_draft(sid, tid, "notes") == remaining


def test_drafts_survive_reopening_the_store(path: Path) -> None:
    with SessionStore(path) as store:
        opened = store.open_new_call(order("1", "c1"))
        store.put_draft(opened.session_id, opened.tab_id, "notes", DraftIn(data={"t": "ñ"}))

    with SessionStore(path) as reopened:
        drafts = reopened.drafts(opened.session_id, opened.tab_id).drafts
        assert [(d.form, d.data) for d in drafts] == [("notes", {"t": "ñ"})]


def test_drafts_go_with_a_replaced_or_closed_tab(path: Path, store: SessionStore) -> None:
    opened = store.open_new_call(order("1", "c1"))
    sid = opened.session_id
    customer_tab = store.open_tab(sid, customer("c1")).tab_id
    store.put_draft(sid, opened.tab_id, "notes", DraftIn(data={"a": 1}))
    store.put_draft(sid, customer_tab, "notes", DraftIn(data={"b": 2}))

    store.open_tab(sid, order("2", "c1"))
    store.close_tab(sid, customer_tab)

    assert rows(path, "SELECT count(*) FROM drafts") == [(0,)]
    with pytest.raises(NotFound, match=opened.tab_id):
        store.drafts(sid, opened.tab_id)


def test_drafts_follow_a_closed_session_back_on_reopen(store: SessionStore) -> None:
    opened = store.open_new_call(order("1", "c1"))
    store.put_draft(opened.session_id, opened.tab_id, "notes", DraftIn(data={"a": 1}))
    store.close_session(opened.session_id)

    with pytest.raises(NotFound):
        store.drafts(opened.session_id, opened.tab_id)
    store.reopen(opened.session_id)

    assert [d.data for d in store.drafts(opened.session_id, opened.tab_id).drafts] == [{"a": 1}]


def test_drafts_are_deleted_when_recently_closed_drops_their_session(
    path: Path, store: SessionStore
) -> None:
    opened = store.open_new_call(order("1", "c1"))
    store.put_draft(opened.session_id, opened.tab_id, "notes", DraftIn(data={"a": 1}))
    store.close_session(opened.session_id)
    for n in range(9):
        store.close_session(store.open_new_call(customer(f"k{n}")).session_id)
    assert rows(path, "SELECT count(*) FROM drafts") == [(1,)]

    store.close_session(store.open_new_call(customer("last")).session_id)

    assert rows(path, "SELECT count(*) FROM drafts") == [(0,)]
    assert opened.session_id not in {c.id for c in store.state().recently_closed}


@pytest.mark.parametrize("form", ["", "Notes", "a b", "x" * 41, "../etc"])
def test_bad_form_names_are_refused(store: SessionStore, form: str) -> None:
    opened = store.open_new_call(order("1", "c1"))

    with pytest.raises(Unprocessable, match="form name"):
        store.put_draft(opened.session_id, opened.tab_id, form, DraftIn(data={}))


def test_oversized_drafts_are_refused_and_not_stored(store: SessionStore) -> None:
    opened = store.open_new_call(order("1", "c1"))
    big = DraftIn(data={"text": "x" * MAX_DRAFT_BYTES})

    with pytest.raises(Unprocessable, match="limit is 65536"):
        store.put_draft(opened.session_id, opened.tab_id, "notes", big)

    assert store.drafts(opened.session_id, opened.tab_id).drafts == []


def test_unknown_tab_ids_are_not_found(store: SessionStore) -> None:
    sid = store.open_new_call(customer("c1")).session_id

    with pytest.raises(NotFound, match="ghost"):
        store.put_draft(sid, "ghost", "notes", DraftIn(data={}))
    with pytest.raises(NotFound, match="ghost"):
        store.close_tab(sid, "ghost")


# preferences


def test_preferences_default_to_unset_and_are_kept_per_kind(store: SessionStore) -> None:
    assert store.preferences().customers == Preferences(columns=None, sort=None, order=None)

    chosen = Preferences(columns=["name", "email"], sort="name", order="asc")
    result = store.put_preferences("customers", chosen)

    assert result.customers == chosen
    assert result.orders == Preferences(columns=None, sort=None, order=None)
    with pytest.raises(NotFound, match="unknown search kind 'carts'"):
        store.put_preferences("carts", chosen)  # type: ignore[arg-type]


# files that are not a sound state database


def test_a_corrupt_file_is_refused_and_left_alone(path: Path) -> None:
    path.parent.mkdir(parents=True)
    junk = b"this is not a database, it is a grocery list\n" * 100
    path.write_bytes(junk)

    with pytest.raises(StateStoreError, match=r"state database .* is corrupt"):
        SessionStore(path)

    assert path.read_bytes() == junk


def test_a_damaged_page_is_reported_as_corrupt(path: Path) -> None:
    with SessionStore(path) as store:
        for key in ("c1", "c2", "c3"):
            store.open_new_call(order(f"{key}-1", key))
    rows(path, "PRAGMA journal_mode = DELETE")
    page_size = int(str(rows(path, "PRAGMA page_size")[0][0]))
    data = bytearray(path.read_bytes())
    data[page_size : page_size + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))

    with pytest.raises(StateStoreError, match="is corrupt"):
        SessionStore(path)


def test_another_programs_database_is_refused_and_left_alone(path: Path) -> None:
    path.parent.mkdir(parents=True)
    rows(path, "CREATE TABLE recipes (name TEXT)")
    rows(path, "INSERT INTO recipes VALUES ('soup')")
    before = path.read_bytes()

    with pytest.raises(StateStoreError, match="not a Call Center state database"):
        SessionStore(path)

    assert path.read_bytes() == before


def test_a_database_from_a_newer_agent_is_refused(path: Path) -> None:
    SessionStore(path).close()
    rows(path, "PRAGMA user_version = 99")

    with pytest.raises(StateStoreError, match="schema version 99, newer"):
        SessionStore(path)


def test_unreadable_rows_are_reported_as_corrupt(path: Path) -> None:
    with SessionStore(path) as store:
        store.set_search_state(None, SearchState(q="smith"))
    rows(path, "UPDATE meta SET value = '{\"kind\": \"planets\"}' WHERE key = 'landing'")

    with pytest.raises(StateStoreError, match="is corrupt"):
        SessionStore(path)
