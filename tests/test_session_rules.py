"""The session and tab rules of docs/design.md §3, one rule per test, plus a seeded random walk."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from agent.backends.base import EntityRef
from agent.errors import ApiError, Conflict, NotFound
from agent.sessions import rules
from agent.sessions.rules import State, check_invariants
from shared_schema.sessions import SearchState

_serial = itertools.count(1)


def new_ids() -> Iterator[str]:
    while True:
        yield f"id{next(_serial)}"


def customer(key: str, name: str | None = None) -> EntityRef:
    name = name if name is not None else f"Customer {key}"
    return EntityRef(
        kind="customer", id=key, title=name, customer_key=key, customer_id=key, customer_name=name
    )


def order(number: str, key: str, name: str | None = None) -> EntityRef:
    name = name if name is not None else f"Customer {key}"
    return EntityRef(
        kind="order",
        id=number,
        title=f"Order #{number}",
        customer_key=key,
        customer_id=key,
        customer_name=name,
    )


def a_return(number: str, key: str) -> EntityRef:
    return EntityRef(
        kind="return",
        id=number,
        title=f"Return #{number}",
        customer_key=key,
        customer_id=key,
        customer_name=f"Customer {key}",
    )


def new_call(state: State, ref: EntityRef, now: str = "t") -> rules.SessionOpened:
    opened = rules.open_from_new_call(state, ref, now, new_ids())
    assert check_invariants(opened.state) == []
    return opened


def open_tab(state: State, session_id: str, ref: EntityRef) -> rules.TabOpened:
    opened = rules.open_in_session(state, session_id, ref, new_ids())
    assert check_invariants(opened.state) == []
    return opened


def with_sessions(*keys: str) -> State:
    state = State()
    for n, key in enumerate(keys):
        state = new_call(state, customer(key), now=f"t{n}").state
    return state


def kinds(state: State, session_id: str) -> list[str]:
    return [tab.kind for tab in state.session(session_id).tabs]


# §3.1–3.2 creating a session


def test_new_call_creates_active_session_with_search_tab_then_entity_tab() -> None:
    opened = new_call(State(), order("1001", "c1", "Will Smith"), now="2026-01-01T10:00:00Z")

    session = opened.state.session(opened.session_id)
    assert opened.created and opened.evicted is None
    assert session.title == "Will Smith"
    assert session.customer_key == "c1" and session.customer_id == "c1"
    assert session.created_at == "2026-01-01T10:00:00Z"
    assert [(t.kind, t.entity_id) for t in session.tabs] == [("search", None), ("order", "1001")]
    assert session.active_tab_id == opened.tab_id == session.tabs[1].id
    assert opened.state.active_session_id == session.id


def test_session_title_falls_back_to_guest_email_then_guest() -> None:
    guest = EntityRef(
        kind="order",
        id="7",
        title="Order #7",
        customer_key="ana@example.com",
        customer_id=None,
        customer_name="",
    )
    anonymous = replace(guest, customer_key="guest-7", customer_name="  ")

    assert new_call(State(), guest).state.sessions[0].title == "ana@example.com"
    assert new_call(State(), guest).state.sessions[0].customer_id is None
    assert rules.session_title(anonymous) == "Guest"


def test_new_session_search_tab_starts_from_the_landing_search() -> None:
    landing = SearchState(kind="orders", q="smith")
    state = rules.set_search_state(State(), None, landing)

    session = new_call(state, customer("c1")).state.sessions[0]

    assert session.tabs[0].search == landing


def test_new_call_for_a_customer_already_open_focuses_that_session_and_opens_the_entity() -> None:
    state = with_sessions("c1", "c2")
    first = state.sessions[0]

    opened = new_call(state, order("55", "c1"))

    assert not opened.created
    assert opened.session_id == first.id
    assert len(opened.state.sessions) == 2
    assert opened.state.active_session_id == first.id
    assert kinds(opened.state, first.id) == ["search", "customer", "order"]
    assert opened.state.session(first.id).active_tab_id == opened.tab_id
    assert opened.state.version == state.version + 1


def test_new_call_for_the_entity_already_open_only_focuses_it() -> None:
    state = with_sessions("c1", "c2")
    first = state.sessions[0]

    opened = new_call(state, customer("c1"))

    assert opened.tab_id == first.tabs[1].id
    assert opened.state.session(first.id).tabs == first.tabs
    assert opened.state.active_session_id == first.id
    assert opened.state.version == state.version + 1


# §3.3 at most four sessions


def test_fifth_session_evicts_the_earliest_created_even_when_it_is_active() -> None:
    state = with_sessions("c1", "c2", "c3", "c4")
    oldest = state.sessions[0]
    state = rules.activate_session(state, oldest.id)

    opened = new_call(state, customer("c5"), now="t9")

    assert opened.evicted is not None
    assert opened.evicted.session.id == oldest.id
    assert opened.evicted.reason == "evicted" and opened.evicted.closed_at == "t9"
    assert [s.customer_key for s in opened.state.sessions] == ["c2", "c3", "c4", "c5"]
    assert opened.state.active_session_id == opened.session_id
    assert opened.state.recently_closed[0] == opened.evicted


def test_eviction_goes_by_creation_not_by_recent_use() -> None:
    state = with_sessions("c1", "c2", "c3", "c4")
    oldest = state.sessions[0]
    state = open_tab(state, oldest.id, order("9", "c1")).state

    opened = new_call(state, customer("c5"))

    assert opened.evicted is not None and opened.evicted.session.id == oldest.id


# §3.4 tabs


def test_opening_the_same_entity_again_just_activates_its_tab() -> None:
    state = with_sessions("c1")
    session = state.sessions[0]
    state = rules.activate_tab(state, session.id, session.tabs[0].id)

    opened = open_tab(state, session.id, customer("c1"))

    assert opened.replaced is None
    assert opened.tab_id == session.tabs[1].id
    assert opened.state.session(session.id).tabs == session.tabs
    assert opened.state.session(session.id).active_tab_id == session.tabs[1].id


def test_a_different_order_replaces_the_order_tab_in_place() -> None:
    state = with_sessions("c1")
    sid = state.sessions[0].id
    state = open_tab(state, sid, order("1", "c1")).state
    state = open_tab(state, sid, a_return("r1", "c1")).state
    old_order = state.session(sid).tabs[2]

    opened = open_tab(state, sid, order("2", "c1"))

    tabs = opened.state.session(sid).tabs
    assert opened.replaced == old_order
    assert [(t.kind, t.entity_id) for t in tabs] == [
        ("search", None),
        ("customer", "c1"),
        ("order", "2"),
        ("return", "r1"),
    ]
    assert tabs[2].id == opened.tab_id != old_order.id
    assert opened.state.session(sid).active_tab_id == opened.tab_id


def test_one_tab_per_kind_fills_exactly_four_tabs() -> None:
    state = with_sessions("c1")
    sid = state.sessions[0].id
    state = open_tab(state, sid, order("1", "c1")).state
    state = open_tab(state, sid, a_return("r1", "c1")).state

    assert kinds(state, sid) == ["search", "customer", "order", "return"]
    for ref in (order("2", "c1"), a_return("r2", "c1"), customer("c1b")):
        state = open_tab(state, sid, ref).state
        assert len(state.session(sid).tabs) == rules.MAX_TABS


def test_tab_limit_refuses_a_new_kind_when_the_session_is_full() -> None:
    state = with_sessions("c1")
    sid = state.sessions[0].id

    with pytest.raises(Conflict, match="already has 2 tabs"):
        rules.open_in_session(state, sid, order("1", "c1"), new_ids(), max_tabs=2)
    replaced = rules.open_in_session(state, sid, customer("c2"), new_ids(), max_tabs=2)
    assert kinds(replaced.state, sid) == ["search", "customer"]


def test_another_customers_record_opens_as_a_foreign_tab_naming_them() -> None:
    state = with_sessions("c1")
    session = state.sessions[0]

    opened = open_tab(state, session.id, order("77", "c2", "Ana Núñez"))

    tab = opened.state.session(session.id).tabs[2]
    assert tab.foreign and tab.customer_name == "Ana Núñez" and tab.customer_key == "c2"
    assert not opened.state.session(session.id).tabs[1].foreign
    assert opened.state.session(session.id).title == session.title


def test_another_customer_replacing_the_customer_tab_keeps_the_session_owner() -> None:
    state = with_sessions("c1")
    session = state.sessions[0]

    opened = open_tab(state, session.id, customer("c2"))

    after = opened.state.session(session.id)
    assert after.customer_key == "c1" and after.tabs[1].foreign
    assert new_call(opened.state, order("3", "c2")).created


# §3.5 closing


def test_closing_the_active_tab_activates_its_right_neighbour() -> None:
    state = with_sessions("c1")
    sid = state.sessions[0].id
    state = open_tab(state, sid, order("1", "c1")).state
    customer_tab, order_tab = state.session(sid).tabs[1:]
    state = rules.activate_tab(state, sid, customer_tab.id)

    closed = rules.close_tab(state, sid, customer_tab.id)

    assert closed.closed == customer_tab
    assert [t.id for t in closed.state.session(sid).tabs][1:] == [order_tab.id]
    assert closed.state.session(sid).active_tab_id == order_tab.id


def test_closing_the_last_active_tab_activates_its_left_neighbour() -> None:
    state = with_sessions("c1")
    sid = state.sessions[0].id
    search_tab, customer_tab = state.session(sid).tabs

    closed = rules.close_tab(state, sid, customer_tab.id)

    assert closed.state.session(sid).tabs == (search_tab,)
    assert closed.state.session(sid).active_tab_id == search_tab.id


def test_closing_an_inactive_tab_keeps_the_active_one() -> None:
    state = with_sessions("c1")
    sid = state.sessions[0].id
    state = open_tab(state, sid, order("1", "c1")).state
    customer_tab, order_tab = state.session(sid).tabs[1:]

    closed = rules.close_tab(state, sid, customer_tab.id)

    assert closed.state.session(sid).active_tab_id == order_tab.id


def test_the_search_tab_cannot_be_closed() -> None:
    state = with_sessions("c1")
    session = state.sessions[0]

    with pytest.raises(Conflict, match="search tab cannot be closed"):
        rules.close_tab(state, session.id, session.tabs[0].id)


def test_closing_the_last_session_leaves_the_landing_page() -> None:
    state = with_sessions("c1")

    closed = rules.close_session(state, state.sessions[0].id, now="t5")

    assert closed.state.sessions == ()
    assert closed.state.active_session_id is None
    assert closed.closed.reason == "closed" and closed.closed.closed_at == "t5"
    assert closed.state.recently_closed == (closed.closed,)


def test_closing_the_active_session_activates_its_neighbour() -> None:
    state = with_sessions("c1", "c2", "c3")
    middle, last = state.sessions[1], state.sessions[2]
    state = rules.activate_session(state, middle.id)

    after_middle = rules.close_session(state, middle.id, now="t").state
    after_last = rules.close_session(after_middle, last.id, now="t").state

    assert after_middle.active_session_id == last.id
    assert after_last.active_session_id == state.sessions[0].id


def test_closing_an_inactive_session_keeps_the_active_one() -> None:
    state = with_sessions("c1", "c2")

    closed = rules.close_session(state, state.sessions[0].id, now="t")

    assert closed.state.active_session_id == state.sessions[1].id


def test_recently_closed_keeps_the_last_ten_newest_first() -> None:
    state = State()
    for n in range(12):
        state = new_call(state, customer(f"c{n}")).state
        state = rules.close_session(state, state.sessions[0].id, now=f"t{n:02}").state

    assert [c.closed_at for c in state.recently_closed] == [f"t{n:02}" for n in range(11, 1, -1)]


# reopening


def test_reopen_restores_the_session_with_its_tabs_and_active_tab() -> None:
    state = with_sessions("c1", "c2")
    session = open_tab(state, state.sessions[0].id, order("1", "c1")).state.sessions[0]
    state = replace(state, sessions=(session, state.sessions[1]))
    state = rules.close_session(state, session.id, now="t5").state

    reopened = rules.reopen_closed(state, session.id, now="t6")

    back = reopened.state.session(session.id)
    assert back.tabs == session.tabs and back.active_tab_id == session.active_tab_id
    assert back.created_at == "t6"
    assert reopened.state.sessions[-1] == back
    assert reopened.state.active_session_id == session.id
    assert reopened.state.recently_closed == ()
    assert reopened.tab_id == session.active_tab_id and reopened.evicted is None
    assert check_invariants(reopened.state) == []


def test_reopen_with_four_open_evicts_the_earliest_created() -> None:
    state = with_sessions("c0")
    closed_id = state.sessions[0].id
    state = rules.close_session(state, closed_id, now="t").state
    for key in ("c1", "c2", "c3", "c4"):
        state = new_call(state, customer(key)).state

    reopened = rules.reopen_closed(state, closed_id, now="t9")

    assert reopened.evicted is not None and reopened.evicted.session.customer_key == "c1"
    assert [s.customer_key for s in reopened.state.sessions] == ["c2", "c3", "c4", "c0"]
    assert [c.session.customer_key for c in reopened.state.recently_closed] == ["c1"]
    assert check_invariants(reopened.state) == []


def test_reopen_with_the_customer_open_again_focuses_that_one_and_offers_the_closed_tabs() -> None:
    state = with_sessions("c1", "c2")
    first = state.sessions[0]
    state = open_tab(state, first.id, order("77", "c1")).state
    state = open_tab(state, first.id, a_return("9", "c1")).state
    state = rules.close_session(state, first.id, now="t").state
    state = new_call(state, order("77", "c1", "Will Smith")).state  # a new session, order 77
    again = next(s for s in state.sessions if s.customer_key == "c1")
    state = rules.activate_session(state, state.sessions[0].id)

    reopened = rules.reopen_closed(state, first.id, now="t")

    assert not reopened.created and reopened.evicted is None
    assert reopened.session_id == again.id and reopened.tab_id == again.active_tab_id
    assert reopened.state.active_session_id == again.id
    assert len(reopened.state.sessions) == 2
    # The customer and return tabs the open session lacks are offered; order 77 it shows.
    assert [(t.kind, t.entity_id) for t in reopened.offered] == [
        ("customer", "c1"),
        ("return", "9"),
    ]
    assert [c.session.id for c in reopened.state.recently_closed] == [first.id]
    assert check_invariants(reopened.state) == []


# §3.2 the landing page starts clean for the next caller


def test_opening_from_the_landing_page_moves_its_search_into_the_session() -> None:
    landing = SearchState(kind="orders", q="smith", filters={"status": ["Completed"]}, page=2)
    state = rules.set_search_state(State(), None, landing)

    opened = new_call(state, customer("c1"))

    assert opened.state.sessions[0].tabs[0].search == landing
    assert opened.state.landing == SearchState(kind="orders")
    # The same when the caller's session was already open.
    state = rules.set_search_state(opened.state, None, SearchState(q="smith"))
    again = new_call(state, order("5", "c1"))
    assert not again.created and again.state.landing == SearchState()


def test_start_new_call_shows_a_clean_landing_page() -> None:
    state = with_sessions("c1")
    state = rules.set_search_state(state, None, SearchState(kind="returns", q="damaged"))

    started = rules.start_new_call(state)

    assert started.active_session_id is None
    assert started.landing == SearchState(kind="returns")
    assert started.version == state.version + 1
    assert rules.start_new_call(started) is started  # already there and clean: no change


# §3.3 eviction never silently closes a call in progress


def test_a_fifth_session_asks_first_when_the_oldest_call_has_notes() -> None:
    state = with_sessions("c1", "c2", "c3", "c4")
    oldest = state.sessions[0]
    state = rules.set_notes(state, oldest.id, "Promised a refund by Friday")

    with pytest.raises(Conflict) as refused:
        rules.open_from_new_call(state, customer("c5"), "t", new_ids())
    assert refused.value.code == "session_in_progress"
    assert refused.value.details == {
        "session_id": oldest.id,
        "title": oldest.title,
        "call_notes": True,
        "draft": False,
    }
    assert "Customer c1's call is in progress (call notes)" in refused.value.message

    replaced = rules.open_from_new_call(
        state, customer("c5"), "t", new_ids(), replace_in_progress=True
    )
    assert replaced.evicted is not None and replaced.evicted.session.notes
    assert check_invariants(replaced.state) == []


def test_a_fifth_session_asks_first_when_the_oldest_holds_a_draft() -> None:
    state = with_sessions("c1", "c2", "c3", "c4")
    oldest = state.sessions[0]
    busy = frozenset({oldest.id})

    with pytest.raises(Conflict, match=r"in progress \(an unsaved draft\)") as refused:
        rules.open_from_new_call(state, customer("c5"), "t", new_ids(), in_progress=busy)
    assert refused.value.details["draft"] is True
    # Drafts elsewhere do not matter: only the session to be replaced.
    other = frozenset({state.sessions[1].id})
    opened = rules.open_from_new_call(state, customer("c5"), "t", new_ids(), in_progress=other)
    assert opened.evicted is not None and opened.evicted.session.id == oldest.id


def test_a_quiet_oldest_session_is_still_replaced_without_asking() -> None:
    state = with_sessions("c1", "c2", "c3", "c4")
    state = rules.set_notes(state, state.sessions[0].id, "   ")  # blank notes hold nothing
    opened = new_call(state, customer("c5"))
    assert opened.evicted is not None


def test_reopening_asks_first_too() -> None:
    state = with_sessions("c0")
    closed_id = state.sessions[0].id
    state = rules.close_session(state, closed_id, now="t").state
    for key in ("c1", "c2", "c3", "c4"):
        state = new_call(state, customer(key)).state
    state = rules.set_notes(state, state.sessions[0].id, "Call back")

    with pytest.raises(Conflict, match="in progress"):
        rules.reopen_closed(state, closed_id, now="t")
    reopened = rules.reopen_closed(state, closed_id, now="t", replace_in_progress=True)
    assert reopened.evicted is not None


# search page state


def test_search_state_is_kept_for_the_landing_page_and_each_session() -> None:
    state = with_sessions("c1", "c2")
    first, second = state.sessions
    landing = SearchState(kind="returns", q="damaged", filters={"status": ["Authorized"]})
    in_session = SearchState(kind="orders", sort="total", order="asc", page=2)

    state = rules.set_search_state(state, None, landing)
    state = rules.set_search_state(state, first.id, in_session)

    assert state.landing == landing
    assert state.session(first.id).tabs[0].search == in_session
    assert state.session(second.id).tabs[0].search == SearchState()
    assert check_invariants(state) == []


# versions and errors


def test_every_change_bumps_the_version_by_one_and_no_op_keeps_it() -> None:
    state = State()
    state = new_call(state, customer("c1")).state
    assert state.version == 1
    sid = state.sessions[0].id
    state = open_tab(state, sid, order("1", "c1")).state
    assert state.version == 2
    state = rules.set_search_state(state, None, SearchState(q="x"))
    assert state.version == 3
    state = rules.activate_session(state, None)
    assert state.version == 4

    assert rules.activate_session(state, None) is state
    assert rules.set_search_state(state, None, SearchState(q="x")) is state
    active = rules.activate_session(state, sid)
    assert rules.activate_tab(active, sid, active.session(sid).active_tab_id) is active


@pytest.mark.parametrize(
    "operation",
    [
        lambda s: rules.open_in_session(s, "nope", customer("c1"), new_ids()),
        lambda s: rules.activate_session(s, "nope"),
        lambda s: rules.activate_tab(s, "nope", "x"),
        lambda s: rules.close_tab(s, "nope", "x"),
        lambda s: rules.close_session(s, "nope", now="t"),
        lambda s: rules.reopen_closed(s, "nope", now="t"),
        lambda s: rules.set_search_state(s, "nope", SearchState()),
    ],
)
def test_unknown_session_ids_are_named_in_not_found(operation: Callable[[State], object]) -> None:
    with pytest.raises(NotFound, match="nope"):
        operation(with_sessions("c1"))


def test_unknown_tab_ids_are_named_in_not_found() -> None:
    state = with_sessions("c1")
    sid = state.sessions[0].id

    with pytest.raises(NotFound, match="no tab ghost"):
        rules.activate_tab(state, sid, "ghost")
    with pytest.raises(NotFound, match="no tab ghost"):
        rules.close_tab(state, sid, "ghost")


def test_check_invariants_reports_broken_states() -> None:
    state = with_sessions("c1", "c2")
    first, second = state.sessions

    twin = replace(state, sessions=(first, replace(second, customer_key="c1")))
    no_search_first = replace(state, sessions=(replace(first, tabs=first.tabs[::-1]), second))
    bad_active = replace(state, active_session_id="gone")
    bad_tab = replace(state, sessions=(replace(first, active_tab_id="gone"), second))

    assert any("share a customer" in p for p in check_invariants(twin))
    assert any("search tab" in p for p in check_invariants(no_search_first))
    assert any("active session gone" in p for p in check_invariants(bad_active))
    assert any("active tab gone" in p for p in check_invariants(bad_tab))


# random walk over every operation


CUSTOMERS = [f"c{n}" for n in range(7)]


def random_ref(rng: random.Random) -> EntityRef:
    key = rng.choice(CUSTOMERS)
    kind = rng.choice(["customer", "order", "return"])
    if kind == "customer":
        return customer(key)
    number = f"{key}-{rng.randrange(3)}"
    return order(number, key) if kind == "order" else a_return(number, key)


def random_step(state: State, rng: random.Random, now: str) -> State:
    open_ids = [s.id for s in state.sessions] + ["unknown"]
    sid = rng.choice(open_ids)
    tab_ids = ([t.id for t in state.session(sid).tabs] if sid != "unknown" else []) + ["ghost"]
    closed_ids = [c.session.id for c in state.recently_closed] + ["unknown"]
    choice = rng.randrange(10)
    if choice == 9:
        return rules.start_new_call(state)
    if choice <= 1:
        busy = frozenset(rng.sample(open_ids, k=min(1, len(open_ids))))
        confirm = rng.random() < 0.5
        return rules.open_from_new_call(
            state, random_ref(rng), now, new_ids(), in_progress=busy, replace_in_progress=confirm
        ).state
    if choice == 2:
        return rules.open_in_session(state, sid, random_ref(rng), new_ids()).state
    if choice == 3:
        return rules.activate_session(state, rng.choice([*open_ids, None]))
    if choice == 4:
        return rules.activate_tab(state, sid, rng.choice(tab_ids))
    if choice == 5:
        return rules.close_tab(state, sid, rng.choice(tab_ids)).state
    if choice == 6:
        return rules.close_session(state, sid, now).state
    if choice == 7:
        return rules.reopen_closed(state, rng.choice(closed_ids), now).state
    search = SearchState(q=rng.choice(["", "smith", "1001"]))
    return rules.set_search_state(state, rng.choice([sid, None]), search)


@pytest.mark.parametrize("seed", range(25))
def test_invariants_hold_along_a_random_walk(seed: int) -> None:
    rng = random.Random(seed)
    state = State()
    refused = 0
    for step in range(300):
        try:
            after = random_step(state, rng, now=f"t{step:04}")
        except ApiError:
            refused += 1
            continue
        assert check_invariants(after) == [], f"seed {seed} step {step}"
        unchanged = replace(after, version=state.version) == state
        expected = state.version if unchanged else state.version + 1
        assert after.version == expected, f"seed {seed} step {step}"
        state = after
    assert state.version > 50 and refused > 0
