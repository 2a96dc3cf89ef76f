"""Kibo's answers that are not 2xx, turned into the agent's error model.

Kibo error bodies (docs/kibo-reference.md §6.5, shape inferred from Mozu-era behaviour) carry
``message``, ``errorCode``, ``correlationId`` and child ``items``. We keep Kibo's message and
correlation id so a CSR's ticket can be traced on Kibo's side.
"""

from __future__ import annotations

import json
from typing import Any

from agent.errors import (
    ApiError,
    BackendUnavailable,
    Conflict,
    NotFound,
    Unprocessable,
    UpstreamError,
)

MAX_MESSAGE = 300


def _body(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw) if raw else {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _message(body: dict[str, Any], status: int) -> str:
    message = body.get("message") or body.get("Message") or ""
    items = body.get("items") or []
    if not message and isinstance(items, list):
        message = "; ".join(str(i.get("message", "")) for i in items if isinstance(i, dict))
    text = str(message).strip() or f"HTTP {status}"
    return text[:MAX_MESSAGE]


def kibo_error(status: int, raw: bytes, headers: dict[str, str], what: str) -> ApiError:
    """The ApiError for a Kibo answer with ``status``; ``what`` names the call, e.g. 'order'."""
    body = _body(raw)
    message = _message(body, status)
    correlation = body.get("correlationId") or headers.get("x-vol-correlation") or None
    details: dict[str, Any] = {"kibo_status": status}
    if body.get("errorCode"):
        details["kibo_error_code"] = str(body["errorCode"])
    if correlation:
        details["correlation_id"] = str(correlation)
    if status == 404:
        return NotFound(
            f"Kibo has no such {what}: {message}", details=details, code=f"{what}_not_found"
        )
    if status == 409:
        return Conflict(
            f"Kibo refused the change: {message}", details=details, code="kibo_conflict"
        )
    if status in (400, 422):
        return Unprocessable(
            f"Kibo refused the request: {message}", details=details, code="kibo_rejected"
        )
    if status in (401, 403):
        return BackendUnavailable(
            f"Kibo did not accept the agent's credentials ({message}); check [kibo] "
            f"client_id, the secret and that the application is enabled on the tenant",
            details=details,
            code="kibo_auth_failed",
        )
    if status == 429:
        return BackendUnavailable(
            f"Kibo is rate-limiting the agent: {message}", details=details, code="kibo_rate_limited"
        )
    if status == 503:
        return BackendUnavailable(
            f"Kibo is unavailable: {message}", details=details, code="kibo_unavailable"
        )
    return UpstreamError(f"Kibo answered {status}: {message}", details=details, code="kibo_error")


def unreachable(host: str, problem: str) -> BackendUnavailable:
    return BackendUnavailable(
        f"Cannot reach Kibo at {host}: {problem}", details={"host": host}, code="kibo_unreachable"
    )


def timed_out(what: str, seconds: float) -> BackendUnavailable:
    return BackendUnavailable(
        f"Kibo did not answer the {what} request within {seconds:g} s",
        details={"deadline_s": seconds},
        code="kibo_timeout",
    )
