"""The rules' state as the shared_schema payloads the API answers with."""

from __future__ import annotations

from agent.sessions.rules import (
    ClosedSessionState,
    SessionOpened,
    SessionState,
    State,
    TabOpened,
    TabState,
)
from shared_schema.sessions import (
    ClosedSession,
    OpenSessionResult,
    OpenTabResult,
    Session,
    SessionsState,
    Tab,
)


def sessions_state(state: State) -> SessionsState:
    return SessionsState(
        version=state.version,
        sessions=[session(s) for s in state.sessions],
        active_session_id=state.active_session_id,
        landing=state.landing.model_copy(deep=True),
        recently_closed=[closed_session(c) for c in state.recently_closed],
    )


def session(value: SessionState) -> Session:
    return Session(
        id=value.id,
        title=value.title,
        customer_id=value.customer_id,
        customer_key=value.customer_key,
        created_at=value.created_at,
        tabs=[tab(t) for t in value.tabs],
        active_tab_id=value.active_tab_id,
        notes=value.notes,
        held_seconds=value.held_seconds,
        hold_since=value.hold_since,
    )


def closed_session(value: ClosedSessionState) -> ClosedSession:
    s = value.session
    return ClosedSession(
        id=s.id,
        title=s.title,
        customer_id=s.customer_id,
        customer_key=s.customer_key,
        created_at=s.created_at,
        closed_at=value.closed_at,
        reason=value.reason,
        tabs=[tab(t) for t in s.tabs],
    )


def tab(value: TabState) -> Tab:
    search = None if value.search is None else value.search.model_copy(deep=True)
    return Tab(
        id=value.id,
        kind=value.kind,
        entity_id=value.entity_id,
        title=value.title,
        customer_key=value.customer_key,
        customer_name=value.customer_name,
        foreign=value.foreign,
        search_state=search,
    )


def open_session_result(outcome: SessionOpened) -> OpenSessionResult:
    evicted = None if outcome.evicted is None else closed_session(outcome.evicted)
    return OpenSessionResult(
        state=sessions_state(outcome.state),
        session_id=outcome.session_id,
        tab_id=outcome.tab_id,
        created=outcome.created,
        evicted=evicted,
        offered_tabs=[tab(t) for t in outcome.offered],
    )


def open_tab_result(outcome: TabOpened) -> OpenTabResult:
    replaced = None if outcome.replaced is None else tab(outcome.replaced)
    return OpenTabResult(
        state=sessions_state(outcome.state),
        session_id=outcome.session_id,
        tab_id=outcome.tab_id,
        replaced=replaced,
    )
