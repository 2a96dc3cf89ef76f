"""The transferred session as it travels through Redis: customer, tabs, call notes, drafts, the
call's start (its timer) and its time on hold. Nothing else about the desk goes with it
(docs/team.md)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from agent.sessions.holds import held_seconds
from agent.sessions.state import SessionState, TabState
from shared_schema.common import TabKind
from shared_schema.sessions import Draft, SearchState


class HandedTab(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: TabKind
    entity_id: str | None
    title: str
    customer_key: str | None = None
    customer_name: str | None = None
    foreign: bool = False
    search: SearchState | None = None
    drafts: list[Draft] = []


class HandedSession(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    customer_id: str | None
    customer_key: str
    created_at: str
    notes: str
    active_tab: int
    tabs: list[HandedTab]
    held_seconds: int = 0
    on_hold: bool = False


def hand_over(
    session: SessionState, drafts: dict[str, list[Draft]], offered_at: str
) -> HandedSession:
    """The session as offered at ``offered_at``: its holds counted up to then."""
    ids = [tab.id for tab in session.tabs]
    return HandedSession(
        held_seconds=held_seconds(session, offered_at),
        on_hold=session.hold_since is not None,
        title=session.title,
        customer_id=session.customer_id,
        customer_key=session.customer_key,
        created_at=session.created_at,
        notes=session.notes,
        active_tab=ids.index(session.active_tab_id),
        tabs=[
            HandedTab(
                kind=tab.kind,
                entity_id=tab.entity_id,
                title=tab.title,
                customer_key=tab.customer_key,
                customer_name=tab.customer_name,
                foreign=tab.foreign,
                search=tab.search,
                drafts=drafts.get(tab.id, []),
            )
            for tab in session.tabs
        ],
    )


def take_over(
    handed: HandedSession, session_id: str, offered_at: str
) -> tuple[SessionState, dict[str, list[Draft]]]:
    """The session to add at this desk, its ids derived from ``session_id`` (the offer's) so
    taking the same offer twice names the same session. A call on hold when offered stays on
    hold from then: its holds count up to the offer, the running one on from it."""
    tabs = tuple(
        TabState(
            id=f"{session_id}x{i}",
            kind=tab.kind,
            entity_id=tab.entity_id,
            title=tab.title,
            customer_key=tab.customer_key,
            customer_name=tab.customer_name,
            foreign=tab.foreign,
            search=tab.search,
        )
        for i, tab in enumerate(handed.tabs)
    )
    session = SessionState(
        id=session_id,
        title=handed.title,
        customer_id=handed.customer_id,
        customer_key=handed.customer_key,
        created_at=handed.created_at,
        tabs=tabs,
        active_tab_id=tabs[min(handed.active_tab, len(tabs) - 1)].id,
        notes=handed.notes,
        held_seconds=handed.held_seconds,
        hold_since=offered_at if handed.on_hold else None,
    )
    drafts = {tabs[i].id: tab.drafts for i, tab in enumerate(handed.tabs) if tab.drafts}
    return session, drafts
