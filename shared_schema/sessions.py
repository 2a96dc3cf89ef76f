"""Sessions, tabs, drafts and remembered search state (docs/design.md §2–3)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .common import (
    EntityId,
    EntityKind,
    JsonBool,
    JsonInt,
    JsonStr,
    Model,
    SearchKind,
    TabKind,
    Timestamp,
)
from .limits import CALL_NOTES_MAX_LENGTH, SEARCH_MAX_PAGE, SEARCH_QUERY_MAX_LENGTH

SessionId = Annotated[JsonStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
FilterValue = str | list[str]


class SearchState(Model):
    """What the search page shows: restored after a reload or restart."""

    kind: SearchKind = "customers"
    q: Annotated[JsonStr, Field(max_length=SEARCH_QUERY_MAX_LENGTH)] = ""
    filters: Annotated[
        dict[Annotated[str, Field(max_length=40)], FilterValue],
        Field(max_length=40, description="Query parameter name to value(s)"),
    ] = Field(default_factory=dict)
    sort: Annotated[JsonStr, Field(max_length=40)] | None = None
    order: Literal["asc", "desc"] | None = None
    page: Annotated[JsonInt, Field(ge=1, le=SEARCH_MAX_PAGE)] = 1


class Tab(Model):
    id: str
    kind: TabKind
    entity_id: str | None = Field(description="null for the search tab")
    title: str
    customer_key: str | None = Field(
        None, description="Whose record this is (account id or guest email)"
    )
    customer_name: str | None = None
    foreign: bool = Field(False, description="true when the record belongs to another customer")
    search_state: SearchState | None = Field(None, description="Only on the search tab")


class Session(Model):
    id: str
    title: str
    customer_id: str | None = Field(description="Account id; null for a guest")
    customer_key: str = Field(description="Account id, or the guest's email")
    created_at: Timestamp
    tabs: list[Tab]
    active_tab_id: str
    notes: str = Field("", description="The CSR's call notes, saved as they type")
    held_seconds: JsonInt = Field(
        0, description="Seconds the call spent in holds that ended (docs/wrap-up.md)"
    )
    hold_since: Timestamp | None = Field(
        None, description="When the running hold began; null when the call is not on hold"
    )


class SessionNotes(Model):
    """The body of PUT /sessions/{sid}/notes."""

    notes: Annotated[JsonStr, Field(max_length=CALL_NOTES_MAX_LENGTH)]


class SessionHold(Model):
    """The body of PUT /sessions/{sid}/hold."""

    on_hold: JsonBool = Field(
        description="true puts the call on hold (its clock pauses), false resumes it; asking "
        "for what already is changes nothing"
    )


class ClosedSession(Model):
    id: str
    title: str
    customer_id: str | None
    customer_key: str
    created_at: Timestamp
    closed_at: Timestamp
    reason: Literal["closed", "evicted"]
    tabs: list[Tab]


class SessionsState(Model):
    version: JsonInt = Field(description="Grows by one with every change")
    sessions: list[Session]
    active_session_id: str | None
    max_sessions: Literal[4] = 4
    max_tabs: Literal[4] = 4
    landing: SearchState = Field(description="The Start New Call search page")
    recently_closed: list[ClosedSession]


class OpenEntity(Model):
    kind: EntityKind
    id: EntityId


class OpenSession(OpenEntity):
    """The body of POST /sessions."""

    replace_in_progress: JsonBool = Field(
        False,
        description="When making room would close a call in progress (409 session_in_progress): "
        "close it anyway",
    )


class ReopenSession(Model):
    """The body of POST /recently-closed/{cid}/reopen (may be empty)."""

    replace_in_progress: JsonBool = Field(False, description="As in POST /sessions")


class OpenSessionResult(Model):
    state: SessionsState
    session_id: str
    tab_id: str
    created: bool = Field(description="false when the customer's session was already open")
    evicted: ClosedSession | None = Field(None, description="The session closed to make room")
    offered_tabs: list[Tab] = Field(
        default_factory=list,
        description="Reopening a closed session whose customer has an open one focuses that one; "
        "these are the closed session's record tabs it does not show, to offer there",
    )


class OpenTabResult(Model):
    state: SessionsState
    session_id: str
    tab_id: str
    replaced: Tab | None = Field(None, description="The tab of the same kind this one replaced")


class ActivateTab(Model):
    tab_id: SessionId


class ActivateSession(Model):
    session_id: SessionId | None
    new_call: JsonBool = Field(
        False,
        description="With session_id null: the CSR starts a new call, so the landing search "
        "starts clean",
    )


class Draft(Model):
    form: str
    data: dict[str, Any]
    entity_version: JsonInt | None = None
    updated_at: Timestamp


class DraftIn(Model):
    data: Annotated[dict[Annotated[str, Field(max_length=64)], Any], Field(max_length=64)]
    entity_version: Annotated[JsonInt, Field(ge=0)] | None = None


class Drafts(Model):
    tab_id: str
    drafts: list[Draft]


class Preferences(Model):
    """Per-kind results table choices, remembered by the agent."""

    columns: list[Annotated[JsonStr, Field(max_length=40)]] | None = Field(None, max_length=40)
    sort: Annotated[JsonStr, Field(max_length=40)] | None = None
    order: Literal["asc", "desc"] | None = None


class AllPreferences(Model):
    customers: Preferences
    orders: Preferences
    returns: Preferences
