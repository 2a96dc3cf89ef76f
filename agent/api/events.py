"""The live-updates WebSocket. The gate has checked Host, Origin and the token already."""

from __future__ import annotations

from aiohttp import web

from agent.api.common import EVENTS, SESSIONS
from agent.api.routes import RouteTable
from agent.errors import BadRequest

routes = RouteTable()

PROTOCOL = "callcenter.v1"


@routes.get(
    "/events",
    "Live updates: a WebSocket (subprotocol callcenter.v1) sending "
    "JSON messages {seq, type: hello|sessions|preferences|drafts|entity, data}",
    None,
    errors=(400,),
    status=101,
)
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
