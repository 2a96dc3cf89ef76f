"""Health (public), info (who we are, for pairing) and the served OpenAPI document."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from aiohttp import web

from agent import __version__
from agent.api.common import BACKEND, CONFIG, EVENTS, SESSIONS, ok
from agent.api.routes import RouteTable
from agent.domain.catalog import all_actions
from shared_schema.common import Health
from shared_schema.info import Info
from shared_schema.labels import Vocabulary, vocabulary
from shared_schema.limits import Limits

# Inside the package, so an installed wheel serves it too.
OPENAPI = resources.files("shared_schema") / "openapi.json"

routes = RouteTable()


@routes.get("/health", "Is the agent up (no token needed)", Health, public=True)
async def health(request: web.Request) -> web.Response:
    return ok(Health(status="ok", product="callcenter-agent", api_version=1, version=__version__))


@routes.get("/info", "Who answers: product, version, backend (checks the token)", Info)
async def info(request: web.Request) -> web.Response:
    app = request.app
    state = app[SESSIONS].state()
    return ok(
        Info(
            product="callcenter-agent",
            api_version=1,
            version=__version__,
            backend=app[BACKEND].name,
            csr_name=app[CONFIG].csr_name,
            sessions=len(state.sessions),
            live_clients=app[EVENTS].client_count,
            limits=Limits(),
            vocabulary=_vocabulary(),
        )
    )


@cache
def _vocabulary() -> Vocabulary:
    """The shared vocabulary, with each management action's name read as its label."""
    words = vocabulary()
    actions = {action.name: action.label for action in all_actions()}
    return words.model_copy(update={"labels": {**words.labels, **actions}})


@cache
def _openapi_text() -> str:
    return json.dumps(json.loads(OPENAPI.read_text(encoding="utf-8")))


@routes.get("/openapi.json", "This document", None)
async def openapi(request: web.Request) -> web.Response:
    return web.Response(text=_openapi_text(), content_type="application/json", charset="utf-8")
