"""Management actions: ``POST /{customers|orders|returns}/{id}/actions/{action}``, the action
catalog and the demo outbox.

Money-moving and cancelling actions need an ``Idempotency-Key`` header; the backend answers a
repeated key with the first result. After a change every entity it touched is announced on
the live-updates socket, so every panel showing one of them reloads it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from aiohttp import web

from agent.api.common import BACKEND, CONFIG, EVENTS, read_model
from agent.api.common import ok as answer
from agent.domain import catalog
from agent.domain.outcome import ActionContext
from agent.errors import BadRequest, NotFound
from shared_schema.actions import ACTION_GROUPS, ActionCatalog, ActionResult
from shared_schema.common import EntityKind

routes = web.RouteTableDef()

KINDS: dict[str, EntityKind] = {"customers": "customer", "orders": "order", "returns": "return"}
IDEMPOTENCY_HEADER = "Idempotency-Key"
SESSION_HEADER = "X-Callcenter-Session"
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{8,100}$")
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
OUTBOX_LIMIT_MAX = 500


def _idempotency_key(request: web.Request, required: bool, label: str) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        if required:
            raise BadRequest(
                f"{label} moves money or cancels: send an {IDEMPOTENCY_HEADER} header "
                "(8-100 letters, digits, '-' or '_'), the same one when you retry",
                details={"header": IDEMPOTENCY_HEADER},
                code="idempotency_key_required",
            )
        return None
    if not IDEMPOTENCY_KEY.match(key):
        raise BadRequest(
            f"The {IDEMPOTENCY_HEADER} header must be 8-100 letters, digits, '-' or '_'",
            details={"header": IDEMPOTENCY_HEADER},
            code="invalid_idempotency_key",
        )
    return key


def _session_id(request: web.Request) -> str | None:
    session = request.headers.get(SESSION_HEADER)
    if session is not None and not SESSION_ID.match(session):
        raise BadRequest(
            f"The {SESSION_HEADER} header must be a session id",
            details={"header": SESSION_HEADER},
            code="invalid_session_header",
        )
    return session


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@routes.post(r"/api/v1/{collection:customers|orders|returns}/{id}/actions/{action}")
async def perform(request: web.Request) -> web.Response:
    kind = KINDS[request.match_info["collection"]]
    name = request.match_info["action"]
    action = catalog.find(kind, name)
    if action is None:
        raise NotFound(
            f"There is no {kind} action '{name}'",
            details={"kind": kind, "action": name},
            code="action_not_found",
        )
    key = _idempotency_key(request, action.money_or_cancel, action.label)
    session_id = _session_id(request)
    body = await read_model(request, action.request)
    ctx = ActionContext(who=request.app[CONFIG].csr_name, session_id=session_id, now=now_iso())
    result = await request.app[BACKEND].perform(
        kind, request.match_info["id"], name, body, ctx, key
    )
    if not result.replayed:
        announce(request.app, result)
    return answer(result)


def announce(app: web.Application, result: ActionResult) -> None:
    """One "entity" event per entity the action changed or created."""
    events = app[EVENTS]
    events.publish(
        "entity",
        {"kind": result.kind, "id": result.id, "version": result.version, "action": result.action},
    )
    others = [*result.related, *([result.created] if result.created else [])]
    for key in others:
        events.publish(
            "entity", {"kind": key.kind, "id": key.id, "version": None, "action": result.action}
        )


@routes.get("/api/v1/actions")
async def action_catalog(request: web.Request) -> web.Response:
    _only_params(request, set())
    return answer(
        ActionCatalog(actions=[a.info() for a in catalog.all_actions()], groups=list(ACTION_GROUPS))
    )


@routes.get("/api/v1/outbox")
async def outbox(request: web.Request) -> web.Response:
    _only_params(request, {"limit"})
    raw = request.rel_url.query.get("limit", "100")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= OUTBOX_LIMIT_MAX:
        raise BadRequest(
            f"Parameter 'limit': must be a whole number from 1 to {OUTBOX_LIMIT_MAX}",
            details={"param": "limit"},
            code="invalid_parameter",
        )
    return answer(await request.app[BACKEND].outbox(int(raw)))


def _only_params(request: web.Request, allowed: set[str]) -> None:
    unknown = sorted(set(request.rel_url.query) - allowed)
    if unknown:
        raise BadRequest(
            f"Unknown parameter '{unknown[0]}'",
            details={"param": unknown[0]},
            code="unknown_parameter",
        )
