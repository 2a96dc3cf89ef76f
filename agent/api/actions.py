"""Management actions: ``POST /{customers|orders|returns}/{id}/actions/{action}``, the action
catalog and the demo outbox.

Money-moving and cancelling actions need an ``Idempotency-Key`` header; the backend answers a
repeated key with the first result. After a change every entity it touched is announced on
the live-updates socket, so every panel showing one of them reloads it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from agent.api.common import BACKEND, CONFIG, EVENTS, SESSIONS, TEAM, read_model
from agent.api.common import ok as answer
from agent.api.routes import Op, RouteTable
from agent.domain import catalog
from agent.domain.outcome import ActionContext
from agent.errors import BadRequest, Conflict, NotFound
from agent.query import Param
from shared_schema.actions import ACTION_GROUPS, ActionCatalog, ActionResult, Outbox
from shared_schema.common import COLLECTIONS, KIND_OF

routes = RouteTable()

IDEMPOTENCY_HEADER = "Idempotency-Key"
SESSION_HEADER = "X-Callcenter-Session"
COLLEAGUES_HEADER = "X-Callcenter-Colleagues-Confirmed"
IDEMPOTENCY_PATTERN = "^[A-Za-z0-9_-]{8,100}$"
IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_PATTERN)
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
OUTBOX_LIMIT = Param("limit", "int", default=100, low=1, high=500)


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


async def _confirm_colleagues(request: web.Request, kind: str, entity_id: str, label: str) -> None:
    """docs/team.md: a money or cancelling action on a record a colleague has open needs the
    CSR's confirmation naming them (409 ``open_elsewhere``, then the same request with
    ``X-Callcenter-Colleagues-Confirmed: 1``)."""
    link = request.app.get(TEAM)
    if link is None or request.headers.get(COLLEAGUES_HEADER) == "1":
        return
    others = await link.presence.fresh_colleagues_on(kind, entity_id)
    if not others:
        return
    names = " and ".join(o.desk for o in others)
    raise Conflict(
        f"{names} also {'has' if len(others) == 1 else 'have'} this {kind} open: {label} anyway?",
        code="open_elsewhere",
        details={"colleagues": [o.model_dump() for o in others], "header": COLLEAGUES_HEADER},
    )


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _per_action(op: Op) -> list[Op]:
    """One path per management action, with its request model and headers."""
    return [
        replace(
            op,
            path=f"/{COLLECTIONS[action.kind]}/{{id}}/actions/{action.name}",
            summary=f"{action.label} ({action.kind})",
            body=action.request,
            params=[
                _key_header(action.money_or_cancel),
                SESSION_PARAM,
                *([COLLEAGUES_PARAM] if action.money_or_cancel else []),
            ],
        )
        for action in sorted(catalog.all_actions(), key=lambda a: a.key)
    ]


def _key_header(required: bool) -> dict[str, Any]:
    return {
        "name": IDEMPOTENCY_HEADER,
        "in": "header",
        "required": required,
        "schema": {"type": "string", "pattern": IDEMPOTENCY_PATTERN},
        "description": "The same key on a retry answers the first result; required for "
        "actions that move money or cancel",
    }


SESSION_PARAM = {
    "name": SESSION_HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
    "description": "The panel session, recorded in the audit log",
}


COLLEAGUES_PARAM = {
    "name": COLLEAGUES_HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "enum": ["1"]},
    "description": "The CSR confirmed the action although a colleague has the record open "
    "(after a 409 open_elsewhere)",
}


@routes.post(
    r"/{collection:customers|orders|returns}/{id}/actions/{action}",
    "Apply a management action (its request model: GET /actions)",
    ActionResult,
    errors=(400, 404, 409, 422),
    expand=_per_action,
)
async def perform(request: web.Request) -> web.Response:
    kind = KIND_OF[request.match_info["collection"]]  # type: ignore[index]
    name = request.match_info["action"]
    action = catalog.find(kind, name)
    if action is None:
        raise NotFound(
            f"There is no {kind} action '{name}'",
            details={"kind": kind, "action": name},
            code="action_not_found",
        )
    key = _idempotency_key(request, action.money_or_cancel, action.label)
    if action.money_or_cancel:
        await _confirm_colleagues(request, kind, request.match_info["id"], action.label)
    session_id = _session_id(request)
    body = await read_model(request, action.request)
    ctx = ActionContext(who=request.app[CONFIG].csr_name, session_id=session_id, now=now_iso())
    result = await request.app[BACKEND].perform(
        kind, request.match_info["id"], name, body, ctx, key
    )
    if not result.replayed:
        announce(request.app, result)
        if (
            session_id is not None
        ):  # the call's actions, for its wrap-up (agent/sessions/wrapups.py)
            amount = getattr(body, "amount_cents", None)
            request.app[SESSIONS].record_action(
                session_id, (kind, result.id), name, amount if isinstance(amount, int) else 0
            )
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


@routes.get(
    "/actions",
    "Every management action: request model, idempotency, confirm",
    ActionCatalog,
)
async def action_catalog(request: web.Request) -> web.Response:
    actions = [a.info() for a in catalog.all_actions()]
    return answer(ActionCatalog(actions=actions, groups=list(ACTION_GROUPS)))


@routes.get(
    "/outbox",
    "Emails the store sent or would send (the demo records them)",
    Outbox,
    query=(OUTBOX_LIMIT,),
    errors=(400,),
)
async def outbox(request: web.Request, query: dict[str, Any]) -> web.Response:
    return answer(await request.app[BACKEND].outbox(query["limit"]))
