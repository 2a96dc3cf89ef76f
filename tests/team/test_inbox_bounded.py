"""The desks' transfer inboxes stay bounded (docs/team.md): an entry leaves its stream when it
is acknowledged, so after many transfers an inbox holds only what is not answered yet, and an
offer still waiting for an answer survives every other transfer and a restart."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from agent.team import keys
from tests.support.redis_server import RedisServer
from tests.team.conftest import MakeDesk
from tests.team.desk import DeskApp
from tests.team.test_team_link import first_customer

ROUNDS = 25


async def _offer(sender: DeskApp, receiver: DeskApp, session_id: str) -> str:
    body = {"to_desk": receiver.name}
    status, offer = await sender.call("POST", f"/sessions/{session_id}/transfer", body)
    assert status == 200, offer
    await receiver.wait_team(lambda s: offer["id"] in [o["id"] for o in s["incoming"]])
    return str(offer["id"])


async def _lengths(client: aioredis.Redis, want: dict[str, int]) -> dict[str, int]:
    """The inboxes' lengths once they are ``want`` (an answer is deleted just after it is
    applied), or as they are after a few seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while True:
        now = {desk: await client.xlen(keys.inbox(desk)) for desk in want}
        if now == want or loop.time() > deadline:
            return now
        await asyncio.sleep(0.05)


async def test_inboxes_hold_only_unanswered_entries(
    make_desk: MakeDesk, redis: RedisServer
) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    await dana.wait_team(lambda s: [d["name"] for d in s["desks"]] == ["Lee"])
    await lee.wait_team(lambda s: [d["name"] for d in s["desks"]] == ["Dana"])
    waiting = (await dana.open_customer(await first_customer(dana)))["session_id"]
    oid = await _offer(dana, lee, waiting)  # Lee leaves this one unanswered throughout

    busy = (await lee.open_customer(await first_customer(lee, 1)))["session_id"]
    for _ in range(ROUNDS):
        back = await _offer(lee, dana, busy)
        status, body = await dana.call("POST", f"/team/offers/{back}/decline")
        assert status == 200, body
        await lee.wait_team(
            lambda s, back=back: any(
                o["id"] == back and o["status"] == "declined" for o in s["outgoing"]
            )
        )

    client = aioredis.Redis.from_url(redis.url, decode_responses=True)
    try:
        want = {"Dana": 0, "Lee": 1}
        assert await _lengths(client, want) == want
        [(_, fields)] = await client.xrange(keys.inbox("Lee"))
        assert (fields["type"], fields["id"]) == ("offer", oid)

        await lee.restart()  # the unanswered offer is read again from the pending list
        await lee.wait_team(lambda s: s["connected"] and oid in [o["id"] for o in s["incoming"]])
        status, accepted = await lee.call("POST", f"/team/offers/{oid}/accept")
        assert status == 200, accepted
        await dana.wait_team(
            lambda s: any(o["id"] == oid and o["status"] == "accepted" for o in s["outgoing"])
        )
        want = {"Dana": 0, "Lee": 0}
        assert await _lengths(client, want) == want
        assert waiting not in [
            s["id"] for s in (await dana.call("GET", "/sessions"))[1]["sessions"]
        ]
    finally:
        await client.aclose()
