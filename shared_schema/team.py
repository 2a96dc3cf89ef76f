"""A team of desks (docs/team.md): who else has a record open, and call transfers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import EntityKind, JsonInt, JsonStr, Model, Timestamp
from .sessions import SessionsState

DeskName = Annotated[JsonStr, Field(min_length=1, max_length=60)]


class Desk(Model):
    name: str
    sessions: JsonInt = Field(description="Open sessions at that desk (a desk takes four)")


class Colleague(Model):
    desk: str = Field(description="The colleague's desk name")
    since: Timestamp = Field(description="When they opened the record")


class RecordPresence(Model):
    kind: EntityKind
    id: str
    others: list[Colleague] = Field(description="Other desks with this record open")


class TransferOffer(Model):
    id: str
    from_desk: str
    to_desk: str
    title: str = Field(description="The customer's name (the session title)")
    offered_at: Timestamp
    status: Literal["pending", "accepted", "declined", "withdrawing", "withdrawn"] = Field(
        description="withdrawing: the sender took it back and waits for the receiver's word "
        "(an answer sent before the withdrawal arrived still wins)"
    )
    session_id: str | None = Field(
        None, description="The sender's session (outgoing) or the new one (accepted incoming)"
    )


class TeamStatus(Model):
    enabled: bool = Field(description="false: no [team] section, a single desk")
    connected: bool = Field(description="Whether the team's Redis answers now")
    desk: str | None = Field(description="This desk's name in the team")
    detail: str = Field("", description="Why the link is down, when it is")
    desks: list[Desk] = Field(default_factory=list, description="Other desks online")
    presence: list[RecordPresence] = Field(
        default_factory=list, description="This desk's open records that others have open too"
    )
    incoming: list[TransferOffer] = Field(default_factory=list, description="Offers to accept")
    outgoing: list[TransferOffer] = Field(
        default_factory=list, description="This desk's offers, pending or answered"
    )
    withdrawn: list[TransferOffer] = Field(
        default_factory=list,
        description="Offers to this desk that their sender took back, the latest first",
    )


class TransferRequest(Model):
    """The body of POST /sessions/{sid}/transfer. The session's holds, as this desk keeps them,
    go with the call so the receiver's wrap-up leaves them out of the handle time."""

    to_desk: DeskName


class TransferAccepted(Model):
    session_id: str = Field(description="The session recreated at this desk")
    state: SessionsState
    held_seconds: JsonInt = Field(
        description="Time the call was on hold before it came here (a hold running while the "
        "offer waited included)"
    )
    on_hold: bool = Field(description="Whether the call is still on hold: the clock stays paused")
