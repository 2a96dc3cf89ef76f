"""The team of desks (docs/team.md): the link's state, who has a record open, transfers."""

from __future__ import annotations

from aiohttp import web

from agent.api.common import TEAM, ok
from agent.api.routes import RouteTable
from shared_schema.team import TeamStatus

routes = RouteTable()

SINGLE_DESK = TeamStatus(enabled=False, connected=False, desk=None)


@routes.get(
    "/team",
    "The team link: connected or why not, desks online, colleagues on this desk's records, "
    "transfer offers",
    TeamStatus,
)
async def team_status(request: web.Request) -> web.Response:
    link = request.app.get(TEAM)
    return ok(SINGLE_DESK if link is None else link.status())
