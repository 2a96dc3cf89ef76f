"""The state the session rules (rules.py) work on, and the outcomes they answer with: plain
frozen dataclasses, no behaviour beyond looking a session or tab up by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from agent.errors import NotFound
from shared_schema.common import TabKind
from shared_schema.sessions import SearchState

CloseReason = Literal["closed", "evicted"]


@dataclass(frozen=True)
class TabState:
    id: str
    kind: TabKind
    entity_id: str | None
    title: str
    customer_key: str | None = None
    customer_name: str | None = None
    foreign: bool = False
    search: SearchState | None = None


@dataclass(frozen=True)
class SessionState:
    id: str
    title: str
    customer_id: str | None
    customer_key: str
    created_at: str
    tabs: tuple[TabState, ...]
    active_tab_id: str
    notes: str = ""
    held_seconds: int = 0  # holds ended so far (docs/wrap-up.md)
    hold_since: str | None = None  # when the running hold began; None when not on hold

    def tab(self, tab_id: str) -> TabState:
        for tab in self.tabs:
            if tab.id == tab_id:
                return tab
        raise NotFound(
            f"session {self.id} has no tab {tab_id}",
            details={"session_id": self.id, "tab_id": tab_id},
        )


@dataclass(frozen=True)
class ClosedSessionState:
    session: SessionState
    closed_at: str
    reason: CloseReason


@dataclass(frozen=True)
class State:
    version: int = 0
    sessions: tuple[SessionState, ...] = ()
    active_session_id: str | None = None
    landing: SearchState = field(default_factory=SearchState)
    recently_closed: tuple[ClosedSessionState, ...] = ()

    def session(self, session_id: str) -> SessionState:
        for session in self.sessions:
            if session.id == session_id:
                return session
        raise NotFound(f"no open session {session_id}", details={"session_id": session_id})


@dataclass(frozen=True)
class SessionOpened:
    state: State
    session_id: str
    tab_id: str
    created: bool
    evicted: ClosedSessionState | None = None
    replaced: TabState | None = None
    offered: tuple[TabState, ...] = ()  # a closed session's tabs, offered in the open one


@dataclass(frozen=True)
class TabOpened:
    state: State
    session_id: str
    tab_id: str
    replaced: TabState | None = None


@dataclass(frozen=True)
class SessionClosed:
    state: State
    closed: ClosedSessionState


@dataclass(frozen=True)
class TabClosed:
    state: State
    closed: TabState
