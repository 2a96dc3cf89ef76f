"""The session and tab rules of docs/design.md §3, as pure functions over immutable state.

No I/O, no clock, no randomness: the caller passes ``now`` and an iterator of fresh ids.
Every function returns a new ``State`` (or an outcome holding one); a call that changes
nothing returns the very same ``State`` object, so callers can skip writing it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from agent.backends.base import EntityRef
from agent.errors import Conflict, NotFound, Unprocessable
from agent.sessions.holds import with_hold
from agent.sessions.state import (
    ClosedSessionState,
    SessionClosed,
    SessionOpened,
    SessionState,
    State,
    TabClosed,
    TabOpened,
    TabState,
)
from shared_schema.limits import CALL_NOTES_MAX_LENGTH
from shared_schema.sessions import SearchState

MAX_SESSIONS = 4
MAX_TABS = 4
MAX_RECENTLY_CLOSED = 10
MAX_NOTES_CHARS = CALL_NOTES_MAX_LENGTH
SEARCH_TAB_TITLE = "Search"
GUEST_TITLE = "Guest"


def session_title(ref: EntityRef) -> str:
    """The customer's full name; else the guest's email; else "Guest"."""
    name = ref.customer_name.strip()
    if name:
        return name
    if "@" in ref.customer_key:
        return ref.customer_key
    return GUEST_TITLE


def open_from_new_call(
    state: State,
    ref: EntityRef,
    now: str,
    ids: Iterator[str],
    *,
    in_progress: frozenset[str] = frozenset(),
    replace_in_progress: bool = False,
) -> SessionOpened:
    """§3.2: open a result of Start New Call in its customer's session, creating it if needed.

    The landing page's search moves into the session (its search tab starts from it) and the
    landing page starts clean for the next caller. ``in_progress``: ids of sessions holding an
    unsaved draft; making room never closes a call in progress unless ``replace_in_progress``.
    """
    landing = clean_landing(state.landing)
    existing = _open_session_for(state, ref.customer_key)
    if existing is not None:
        focused = replace(state, active_session_id=existing.id, landing=landing)
        opened = open_in_session(focused, existing.id, ref, ids)
        new_state = _changed(state, focused) if opened.state is focused else opened.state
        return SessionOpened(
            new_state, existing.id, opened.tab_id, created=False, replaced=opened.replaced
        )

    search_tab = TabState(
        id=next(ids),
        kind="search",
        entity_id=None,
        title=SEARCH_TAB_TITLE,
        search=state.landing.model_copy(deep=True),
    )
    entity_tab = _entity_tab(next(ids), ref, ref.customer_key)
    session = SessionState(
        id=next(ids),
        title=session_title(ref),
        customer_id=ref.customer_id,
        customer_key=ref.customer_key,
        created_at=now,
        tabs=(search_tab, entity_tab),
        active_tab_id=entity_tab.id,
    )
    sessions, closed, evicted = _make_room(state, now, in_progress, replace_in_progress)
    new_state = _bump(
        replace(
            state,
            sessions=(*sessions, session),
            active_session_id=session.id,
            recently_closed=closed,
            landing=landing,
        )
    )
    return SessionOpened(new_state, session.id, entity_tab.id, created=True, evicted=evicted)


def clean_landing(landing: SearchState) -> SearchState:
    """The Start New Call page for the next caller: the same kind, nothing searched."""
    return SearchState(kind=landing.kind)


def start_new_call(state: State) -> State:
    """Start New Call: the landing page, clean (another caller's query is not theirs)."""
    started = replace(state, active_session_id=None, landing=clean_landing(state.landing))
    return _changed(state, started)


def open_in_session(
    state: State, session_id: str, ref: EntityRef, ids: Iterator[str], *, max_tabs: int = MAX_TABS
) -> TabOpened:
    """§3.4: one tab per kind, replaced in place; the same entity is just activated."""
    session = state.session(session_id)
    same_kind = next((tab for tab in session.tabs if tab.kind == ref.kind), None)
    if same_kind is not None and same_kind.entity_id == ref.id:
        activated = activate_tab(state, session_id, same_kind.id)
        return TabOpened(activated, session_id, same_kind.id)
    if same_kind is None and len(session.tabs) >= max_tabs:
        raise Conflict(
            f"session {session.title} already has {max_tabs} tabs; close one first",
            details={"session_id": session_id, "max_tabs": max_tabs},
        )

    new_tab = _entity_tab(next(ids), ref, session.customer_key)
    if same_kind is None:
        tabs = (*session.tabs, new_tab)
    else:
        tabs = tuple(new_tab if tab.id == same_kind.id else tab for tab in session.tabs)
    updated = replace(session, tabs=tabs, active_tab_id=new_tab.id)
    return TabOpened(
        _bump(_with_session(state, updated)), session_id, new_tab.id, replaced=same_kind
    )


def activate_session(state: State, session_id: str | None) -> State:
    """Focus a session; ``None`` shows the Start New Call landing page."""
    if session_id is not None:
        state.session(session_id)
    return _changed(state, replace(state, active_session_id=session_id))


def activate_tab(state: State, session_id: str, tab_id: str) -> State:
    session = state.session(session_id)
    session.tab(tab_id)
    updated = replace(state, active_session_id=session_id)
    if session.active_tab_id != tab_id:
        updated = _with_session(updated, replace(session, active_tab_id=tab_id))
    return _changed(state, updated)


def close_tab(state: State, session_id: str, tab_id: str) -> TabClosed:
    """§3.5: closing the active tab activates its right neighbour, else its left one."""
    session = state.session(session_id)
    tab = session.tab(tab_id)
    if tab.kind == "search":
        raise Conflict(
            "the search tab cannot be closed", details={"session_id": session_id, "tab_id": tab_id}
        )
    index = session.tabs.index(tab)
    tabs = session.tabs[:index] + session.tabs[index + 1 :]
    active = session.active_tab_id
    if active == tab_id:
        active = tabs[min(index, len(tabs) - 1)].id
    updated = replace(session, tabs=tabs, active_tab_id=active)
    return TabClosed(_bump(_with_session(state, updated)), tab)


def close_session(state: State, session_id: str, now: str) -> SessionClosed:
    """Moves the session to recently closed; the active one passes to its neighbour."""
    session = state.session(session_id)
    index = state.sessions.index(session)
    sessions = state.sessions[:index] + state.sessions[index + 1 :]
    active = state.active_session_id
    if active == session_id:
        active = sessions[min(index, len(sessions) - 1)].id if sessions else None
    closed = ClosedSessionState(session, closed_at=now, reason="closed")
    new_state = _bump(
        replace(
            state,
            sessions=sessions,
            active_session_id=active,
            recently_closed=_remember(state.recently_closed, closed),
        )
    )
    return SessionClosed(new_state, closed)


def reopen_closed(
    state: State,
    closed_id: str,
    now: str,
    *,
    in_progress: frozenset[str] = frozenset(),
    replace_in_progress: bool = False,
) -> SessionOpened:
    """Brings a recently closed session back with its tabs, as the newest session.

    When its customer has an open session again, that one is focused instead and the closed
    session's record tabs it does not show are offered there (``offered``); the closed session
    stays in the list. Making room follows ``open_from_new_call``.
    """
    entry = next((c for c in state.recently_closed if c.session.id == closed_id), None)
    if entry is None:
        raise NotFound(f"no recently closed session {closed_id}", details={"session_id": closed_id})
    open_one = _open_session_for(state, entry.session.customer_key)
    if open_one is not None:
        showing = {(t.kind, t.entity_id) for t in open_one.tabs}
        offered = tuple(
            t
            for t in entry.session.tabs
            if t.kind != "search" and (t.kind, t.entity_id) not in showing
        )
        focused = _changed(state, replace(state, active_session_id=open_one.id))
        return SessionOpened(
            focused, open_one.id, open_one.active_tab_id, created=False, offered=offered
        )
    remaining = tuple(c for c in state.recently_closed if c is not entry)
    sessions, closed, evicted = _make_room(
        replace(state, recently_closed=remaining), now, in_progress, replace_in_progress
    )
    session = replace(entry.session, created_at=now, held_seconds=0, hold_since=None)
    new_state = _bump(
        replace(
            state,
            sessions=(*sessions, session),
            active_session_id=session.id,
            recently_closed=closed,
        )
    )
    return SessionOpened(
        new_state, session.id, session.active_tab_id, created=True, evicted=evicted
    )


def set_search_state(state: State, session_id: str | None, search: SearchState) -> State:
    """Remember a search page: the landing page's (``None``) or a session's search tab."""
    search = search.model_copy(deep=True)
    if session_id is None:
        if search == state.landing:
            return state
        return _bump(replace(state, landing=search))
    session = state.session(session_id)
    search_tab = session.tabs[0]
    if search_tab.search == search:
        return state
    tabs = (replace(search_tab, search=search), *session.tabs[1:])
    return _bump(_with_session(state, replace(session, tabs=tabs)))


def set_notes(state: State, session_id: str, notes: str) -> State:
    """The CSR's call notes of an open session (kept when it is closed and reopened)."""
    session = state.session(session_id)
    if len(notes) > MAX_NOTES_CHARS:
        raise Unprocessable(
            f"call notes are {len(notes)} characters; the limit is {MAX_NOTES_CHARS}",
            details={"field": "notes"},
        )
    if session.notes == notes:
        return state
    return _bump(_with_session(state, replace(session, notes=notes)))


def set_hold(state: State, session_id: str, on_hold: bool, now: str) -> State:
    """Puts an open session's call on hold or resumes it (holds.py); asking for what already
    is changes nothing."""
    session = state.session(session_id)
    held = with_hold(session, on_hold, now)
    if held is session:
        return state
    return _bump(_with_session(state, held))


def adopt(state: State, session: SessionState) -> State:
    """A session handed over by a colleague's desk (docs/team.md), as the newest session.

    The same session id again changes nothing, so a redelivered transfer is harmless. A desk at
    the limit refuses rather than evicting: the caller is waiting on the line.
    """
    known = {s.id for s in state.sessions} | {c.session.id for c in state.recently_closed}
    if session.id in known:
        return state
    if len(state.sessions) >= MAX_SESSIONS:
        raise Conflict(
            f"this desk already has {MAX_SESSIONS} sessions: close one to take the call",
            code="sessions_full",
            details={"max_sessions": MAX_SESSIONS},
        )
    existing = _open_session_for(state, session.customer_key)
    if existing is not None:
        raise Conflict(
            f"{existing.title}'s session is already open here: close it to take the call",
            code="customer_open",
            details={"session_id": existing.id},
        )
    return _bump(replace(state, sessions=(*state.sessions, session), active_session_id=session.id))


def check_invariants(state: State) -> list[str]:
    """Every broken §3 invariant, described; an empty list means the state is sound."""
    problems: list[str] = []
    if len(state.sessions) > MAX_SESSIONS:
        problems.append(f"{len(state.sessions)} sessions open, limit {MAX_SESSIONS}")
    if len(state.recently_closed) > MAX_RECENTLY_CLOSED:
        problems.append(
            f"{len(state.recently_closed)} recently closed, limit {MAX_RECENTLY_CLOSED}"
        )
    keys = [s.customer_key for s in state.sessions]
    if len(set(keys)) != len(keys):
        problems.append(f"two open sessions share a customer: {keys}")
    open_ids = [s.id for s in state.sessions]
    all_sessions = [*state.sessions, *(c.session for c in state.recently_closed)]
    session_ids = [s.id for s in all_sessions]
    if len(set(session_ids)) != len(session_ids):
        problems.append(f"duplicate session ids: {session_ids}")
    tab_ids = [t.id for s in all_sessions for t in s.tabs]
    if len(set(tab_ids)) != len(tab_ids):
        problems.append(f"duplicate tab ids: {tab_ids}")
    if state.active_session_id is not None and state.active_session_id not in open_ids:
        problems.append(f"active session {state.active_session_id} is not open")
    for session in all_sessions:
        problems.extend(_session_problems(session))
    return problems


def _session_problems(session: SessionState) -> list[str]:
    problems: list[str] = []
    where = f"session {session.id}"
    if len(session.tabs) > MAX_TABS:
        problems.append(f"{where} has {len(session.tabs)} tabs, limit {MAX_TABS}")
    if not session.tabs or session.tabs[0].kind != "search":
        problems.append(f"{where} does not start with its search tab")
    kinds = [t.kind for t in session.tabs]
    if len(set(kinds)) != len(kinds):
        problems.append(f"{where} has two tabs of one kind: {kinds}")
    if session.active_tab_id not in {t.id for t in session.tabs}:
        problems.append(f"{where} has active tab {session.active_tab_id} it does not hold")
    for tab in session.tabs:
        if tab.foreign != (tab.kind != "search" and tab.customer_key != session.customer_key):
            problems.append(f"{where} tab {tab.id} is wrongly marked foreign={tab.foreign}")
        if (tab.kind == "search") != (tab.search is not None):
            problems.append(f"{where} tab {tab.id} search state does not match its kind")
    return problems


def _entity_tab(tab_id: str, ref: EntityRef, session_customer_key: str) -> TabState:
    return TabState(
        id=tab_id,
        kind=ref.kind,
        entity_id=ref.id,
        title=ref.title,
        customer_key=ref.customer_key,
        customer_name=ref.customer_name,
        foreign=ref.customer_key != session_customer_key,
    )


def _open_session_for(state: State, customer_key: str) -> SessionState | None:
    return next((s for s in state.sessions if s.customer_key == customer_key), None)


def _make_room(
    state: State, now: str, in_progress: frozenset[str], replace_in_progress: bool
) -> tuple[tuple[SessionState, ...], tuple[ClosedSessionState, ...], ClosedSessionState | None]:
    """§3.3: at the limit, the session created earliest (first in the list) is evicted — but a
    call in progress (call notes, or an unsaved draft in ``in_progress``) only when the CSR
    said to replace it anyway: eviction never silently closes a call."""
    if len(state.sessions) < MAX_SESSIONS:
        return state.sessions, state.recently_closed, None
    oldest = state.sessions[0]
    notes, draft = bool(oldest.notes.strip()), oldest.id in in_progress
    if (notes or draft) and not replace_in_progress:
        held = [what for what, has in (("call notes", notes), ("an unsaved draft", draft)) if has]
        raise Conflict(
            f"{oldest.title}'s call is in progress ({' and '.join(held)}): wrap it up first, "
            "or replace it anyway",
            code="session_in_progress",
            details={
                "session_id": oldest.id,
                "title": oldest.title,
                "call_notes": notes,
                "draft": draft,
            },
        )
    evicted = ClosedSessionState(oldest, closed_at=now, reason="evicted")
    return state.sessions[1:], _remember(state.recently_closed, evicted), evicted


def _remember(
    closed: tuple[ClosedSessionState, ...], entry: ClosedSessionState
) -> tuple[ClosedSessionState, ...]:
    return (entry, *closed)[:MAX_RECENTLY_CLOSED]


def _with_session(state: State, session: SessionState) -> State:
    sessions = tuple(session if s.id == session.id else s for s in state.sessions)
    return replace(state, sessions=sessions)


def _changed(before: State, after: State) -> State:
    return before if after == before else _bump(after)


def _bump(state: State) -> State:
    return replace(state, version=state.version + 1)
