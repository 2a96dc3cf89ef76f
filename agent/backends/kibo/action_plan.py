"""An action as the Kibo calls that carry it out: what each builder returns.

Builders are pure: they read the request, Kibo's current document and our mapped detail and
answer the calls to send, in order. Nothing is sent here (agent/backends/kibo/action_runner.py
does that), so each mapping is testable against Kibo's published documents on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

from agent.domain.outcome import ActionRefused
from agent.errors import ApiError, Unprocessable
from shared_schema.common import EntityKind


@dataclass(frozen=True)
class KiboCall:
    method: str
    path: str
    body: Any = None
    params: dict[str, str | int] = field(default_factory=dict)
    what: str = "resource"


@dataclass(frozen=True)
class ActionPlan:
    calls: tuple[KiboCall, ...]
    message: str
    related: tuple[tuple[EntityKind, str], ...] = ()
    creates: EntityKind | None = None  # the last call's answer ``id`` is a new entity


T = TypeVar("T")


def checked(check: Callable[..., T], *args: Any) -> T:
    """Run one of our rule checks; its refusal answers as the demo store's would."""
    try:
        return check(*args)
    except ActionRefused as refused:
        raise ApiError(
            refused.message,
            code=refused.code,
            status=refused.status,
            details={"field": refused.field} if refused.field else {},
        ) from None


def segment(value: str | int) -> str:
    """One URL path segment, whatever the CSR typed."""
    return quote(str(value), safe="")


def money(cents: int) -> float:
    return round(cents / 100, 2)


def refuse(message: str, field_name: str) -> Unprocessable:
    return Unprocessable(message, details={"field": field_name}, code="invalid_reference")
