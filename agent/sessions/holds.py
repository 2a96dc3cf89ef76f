"""A call's holds (docs/wrap-up.md), kept by the agent per session: the seconds held in holds
that ended, and when the running hold began. Pure functions; the caller passes ``now``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from agent.sessions.state import SessionState

MAX_HELD_SECONDS = 86_400  # a day: more is a clock gone wrong, not a caller waiting


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def held_seconds(session: SessionState, now: str) -> int:
    """Whole seconds the call was on hold by ``now``, a running hold included."""
    running = 0.0
    if session.hold_since is not None:
        running = max(0.0, (moment(now) - moment(session.hold_since)).total_seconds())
    return min(MAX_HELD_SECONDS, session.held_seconds + round(running))


def with_hold(session: SessionState, on_hold: bool, now: str) -> SessionState:
    """The session put on hold or resumed at ``now``; the very same session when it already
    is (a second panel pressing Hold, or a retried request, changes nothing)."""
    if on_hold == (session.hold_since is not None):
        return session
    if on_hold:
        return replace(session, hold_since=now)
    return replace(session, held_seconds=held_seconds(session, now), hold_since=None)
