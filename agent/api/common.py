"""What every handler shares: typed app keys, body parsing and JSON answers."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from agent.backends.base import Backend
from agent.config import Config
from agent.errors import BadRequest, Unprocessable
from agent.events import EventHub
from agent.json_limits import check_json_limits
from agent.redact import Redactor
from agent.sessions.store import SessionStore
from agent.team.link import TeamLink
from agent.token_watch import TokenSource

M = TypeVar("M", bound=BaseModel)

CONFIG = web.AppKey("config", Config)
BACKEND = web.AppKey("backend", Backend)
SESSIONS = web.AppKey("sessions", SessionStore)
EVENTS = web.AppKey("events", EventHub)
TOKEN = web.AppKey("token", str)
TEAM = web.AppKey("team", TeamLink)  # only with a [team] section
TOKEN_SOURCE = web.AppKey("token_source", TokenSource)
REDACTOR = web.AppKey("redactor", Redactor)
ADMIN_URL = web.AppKey("admin_url", str)


def ok(model: BaseModel | dict[str, Any], status: int = 200) -> web.Response:
    text = model.model_dump_json() if isinstance(model, BaseModel) else json.dumps(model)
    return web.Response(text=text, status=status, content_type="application/json", charset="utf-8")


def validation_details(exc: ValidationError) -> dict[str, Any]:
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(body)"
        problems.append({"field": loc, "problem": err["msg"]})
    return {"field": problems[0]["field"] if problems else None, "problems": problems}


def parse_model(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = validation_details(exc)
        first = details["problems"][0] if details["problems"] else {"field": "?", "problem": "?"}
        raise Unprocessable(
            f"Field '{first['field']}': {first['problem']}",
            details=details,
            code="validation_failed",
        ) from None


async def read_model(request: web.Request, model: type[M]) -> M:
    raw = await request.read()
    if not raw:
        raise BadRequest("The request needs a JSON body", code="missing_body")
    check_json_limits(raw)
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest(f"The body is not valid JSON: {exc}", code="invalid_json") from None
    return parse_model(model, data)
