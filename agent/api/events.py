"""The live-updates WebSocket. The gate has checked Host, Origin and the token already."""

from __future__ import annotations

from aiohttp import web

from agent.api.common import EVENTS, SESSIONS
from agent.errors import BadRequest

routes = web.RouteTableDef()

PROTOCOL = "callcenter.v1"


@routes.get("/api/v1/events")
async def events(request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse(protocols=(PROTOCOL,), heartbeat=20, max_msg_size=4096)
    if not ws.can_prepare(request).ok:
        raise BadRequest(
            "This route is a WebSocket: connect with the callcenter.v1 subprotocol",
            code="websocket_expected",
        )
    await ws.prepare(request)
    state = request.app[SESSIONS].state()
    await request.app[EVENTS].serve(ws, {"version": state.version})
    return ws
