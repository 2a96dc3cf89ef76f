"""Health (public), info (who we are, for pairing) and the served OpenAPI document."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from aiohttp import web

from agent import __version__
from agent.api.common import ADMIN_URL, BACKEND, CONFIG, EVENTS, SESSIONS, TOKEN_SOURCE, ok
from agent.api.routes import RouteTable
from agent.domain.catalog import all_actions
from agent.handshake import NONCE_PATTERN, new_nonce, proof, token_id
from agent.query import Param
from shared_schema.common import Handshake, Health
from shared_schema.info import Info
from shared_schema.labels import Vocabulary, vocabulary
from shared_schema.limits import Limits

# Inside the package, so an installed wheel serves it too.
OPENAPI = resources.files("shared_schema") / "openapi.json"

routes = RouteTable()


@routes.get("/health", "Is the agent up (no token needed)", Health, public=True)
async def health(request: web.Request) -> web.Response:
    return ok(Health(status="ok", product="callcenter-agent", api_version=1, version=__version__))


HANDSHAKE_PARAMS = (
    Param(
        "client_nonce",
        "text",
        required=True,
        max_length=64,
        pattern=NONCE_PATTERN,
        description="Fresh random text chosen by the client (16-64 of A-Z a-z 0-9 - _)",
    ),
)


@routes.get(
    "/handshake",
    "Prove this agent knows the token before a client sends it (no token needed)",
    Handshake,
    query=HANDSHAKE_PARAMS,
    public=True,
    errors=(400,),
)
async def handshake(request: web.Request, query: dict[str, Any]) -> web.Response:
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    port = int(sockname[1]) if sockname else 0
    server_nonce = new_nonce()
    token = request.app[TOKEN_SOURCE].current()
    answer = proof(token, port, query["client_nonce"], server_nonce)
    return ok(
        Handshake(
            product="callcenter-agent",
            server_nonce=server_nonce,
            proof=answer,
            token_id=token_id(token),
        )
    )


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
            admin_console_url=app.get(ADMIN_URL),
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
