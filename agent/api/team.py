"""The team of desks (docs/team.md): the link's state, who has a record open, transfers."""

from __future__ import annotations

from aiohttp import web

from agent.api.common import TEAM, ok
from agent.api.routes import RouteTable
from agent.errors import NotFound
from agent.team.link import TeamLink
from shared_schema.team import TeamStatus, TransferAccepted, TransferOffer, TransferRequest

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


def _link(request: web.Request) -> TeamLink:
    link = request.app.get(TEAM)
    if link is None or link.transfers is None:
        raise NotFound("This desk is not in a team (no [team] section)", code="no_team")
    return link


@routes.post(
    "/sessions/{sid}/transfer",
    "Offer the call to a colleague's desk (it stays here until they accept)",
    TransferOffer,
    body=TransferRequest,
    errors=(400, 404, 409, 422, 503),
)
async def transfer(request: web.Request, body: TransferRequest) -> web.Response:
    link = _link(request)
    assert link.transfers is not None
    return ok(await link.transfers.offer(request.match_info["sid"], body))


@routes.post(
    "/team/offers/{oid}/accept",
    "Take a transferred call: its session opens here and closes at the sender",
    TransferAccepted,
    errors=(404, 409, 503),
)
async def accept(request: web.Request) -> web.Response:
    link = _link(request)
    assert link.transfers is not None
    taken = await link.transfers.answer(request.match_info["oid"], accept=True)
    assert taken is not None
    return ok(taken)


@routes.post(
    "/team/offers/{oid}/decline",
    "Decline a transferred call: it stays at the sender",
    TeamStatus,
    errors=(404, 409, 503),
)
async def decline(request: web.Request) -> web.Response:
    link = _link(request)
    assert link.transfers is not None
    await link.transfers.answer(request.match_info["oid"], accept=False)
    return ok(link.status())


@routes.post(
    "/team/offers/{oid}/withdraw",
    "Take back this desk's pending offer (an answer the receiver sent first still wins)",
    TransferOffer,
    errors=(404, 409),
)
async def withdraw(request: web.Request) -> web.Response:
    link = _link(request)
    assert link.transfers is not None
    return ok(await link.transfers.withdraw(request.match_info["oid"]))
