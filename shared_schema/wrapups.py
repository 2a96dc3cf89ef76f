"""A call's structured wrap-up (disposition, handle time, records, actions), the day's report
and the recent callers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .common import JsonInt, Model, Timestamp

DISPOSITION_MAX_LENGTH = 60
Disposition = Annotated[str, Field(min_length=1, max_length=DISPOSITION_MAX_LENGTH)]


class WrapUpIn(Model):
    """The body of POST /sessions/{sid}/wrap-up. The time on hold is the agent's own record
    of the session's holds (PUT /sessions/{sid}/hold)."""

    disposition: Disposition = Field(description="One of GET /dispositions")


class WrapUp(Model):
    session_id: str
    customer_id: str | None
    title: str
    disposition: str
    opened_at: Timestamp
    wrapped_at: Timestamp
    handle_seconds: JsonInt = Field(description="First open to wrap-up, holds excluded")
    held_seconds: JsonInt
    records: list[str] = Field(description="Records opened or acted on: kind/id")
    actions: list[str] = Field(description="Actions taken, in order: kind/id action")
    money_moved: JsonInt = Field(description="Sum of the money actions' amounts, minor units")


class DispositionCount(Model):
    disposition: str
    calls: JsonInt


class DayReport(Model):
    day: str = Field(description="YYYY-MM-DD, UTC")
    calls: JsonInt
    average_handle_seconds: JsonInt
    dispositions: list[DispositionCount]
    money_moved: JsonInt = Field(description="Minor units, each record in its own currency")
    wrap_ups: list[WrapUp]


class Dispositions(Model):
    dispositions: list[Disposition] = Field(min_length=1, max_length=40)


class RecentCaller(Model):
    customer_id: str
    title: str
    closed_at: Timestamp
    session_id: str | None = Field(
        description="The closed session, while it can be reopened; else null (open anew)"
    )


class RecentCallers(Model):
    callers: list[RecentCaller] = Field(description="Newest first, at most 10")
