"""Withdrawing a transfer offer (docs/team.md): the sender takes back an offer nobody answered,
the receiver stops showing it and refuses to take it, and the call can be offered elsewhere —
while an answer the receiver sent before it read the withdrawal wins. Exactly once across a
restart of either desk and of Redis, all against a real redis-server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis

from agent.team import keys
from agent.team.wire import dumps
from tests.support.redis_server import RedisServer
from tests.team.conftest import MakeDesk
from tests.team.desk import DeskApp
from tests.team.proxy import Proxy
from tests.team.test_transfer import _call_in_progress, _offer


@pytest.fixture
async def client(redis: RedisServer) -> AsyncIterator[aioredis.Redis]:
    raw = aioredis.Redis.from_url(redis.url, decode_responses=True)
    yield raw
    await raw.aclose()


async def _sent_to(client: aioredis.Redis, desk: str) -> int:
    """How many entries were ever added to a desk's inbox (acknowledged ones are deleted)."""
    info = await client.xinfo_stream(keys.inbox(desk))
    return int(info["entries-added"])


async def _settled(desk: DeskApp, oid: str, status: str) -> dict[str, Any]:
    team = await desk.wait_team(
        lambda s: [o["status"] for o in s["outgoing"] if o["id"] == oid] == [status]
    )
    return team


async def _empty(client: aioredis.Redis, *desks: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while [await client.xlen(keys.inbox(d)) for d in desks] != [0] * len(desks):
        assert loop.time() < deadline, "an inbox kept an entry"
        await asyncio.sleep(0.05)


async def _open_ids(desk: DeskApp) -> list[str]:
    _, state = await desk.call("GET", "/sessions")
    return [s["id"] for s in state["sessions"]]


async def test_a_withdrawn_offer_goes_from_the_receiver_and_cannot_be_taken(
    make_desk: MakeDesk, client: aioredis.Redis
) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    oid = await _offer(dana, lee, session["id"])
    status, withdrawn = await dana.call("POST", f"/team/offers/{oid}/withdraw")
    assert status == 200, withdrawn
    assert withdrawn["status"] in ("withdrawing", "withdrawn")
    await _settled(dana, oid, "withdrawn")
    at_lee = await lee.team()
    assert at_lee["incoming"] == []
    assert [(o["id"], o["from_desk"], o["title"]) for o in at_lee["withdrawn"]] == [
        (oid, "Dana", session["title"])
    ]
    for answer in ("accept", "decline"):
        status, refused = await lee.call("POST", f"/team/offers/{oid}/{answer}")
        assert (status, refused["error"]["code"]) == (409, "offer_withdrawn"), refused
    assert await _open_ids(lee) == []  # nothing was created at Lee
    assert await _open_ids(dana) == [session["id"]]  # the call stays, never closed
    _, report = await dana.call("GET", "/report")
    assert [w for w in report["wrap_ups"] if w["session_id"] == session["id"]] == []
    await _empty(client, "Dana", "Lee")


async def test_a_withdrawn_call_can_be_offered_to_another_desk(make_desk: MakeDesk) -> None:
    dana, lee, sam = await make_desk("Dana"), await make_desk("Lee"), await make_desk("Sam")
    session = await _call_in_progress(dana)
    await dana.wait_team(lambda s: sorted(d["name"] for d in s["desks"]) == ["Lee", "Sam"])
    path = f"/sessions/{session['id']}/transfer"
    status, offer = await dana.call("POST", path, {"to_desk": "Lee"})
    assert status == 200, offer
    status, withdrawn = await dana.call("POST", f"/team/offers/{offer['id']}/withdraw")
    assert status == 200, withdrawn
    await _settled(dana, offer["id"], "withdrawn")
    status, again = await dana.call("POST", path, {"to_desk": "Sam"})
    assert status == 200, again
    await sam.wait_team(lambda s: [o["id"] for o in s["incoming"]] == [again["id"]])
    status, accepted = await sam.call("POST", f"/team/offers/{again['id']}/accept")
    assert status == 200, accepted
    await _settled(dana, again["id"], "accepted")
    assert await _open_ids(dana) == []
    assert await _open_ids(sam) == [f"t{again['id']}"]
    assert await _open_ids(lee) == []


async def test_while_withdrawing_the_call_cannot_be_offered_again(
    make_desk: MakeDesk, redis: RedisServer
) -> None:
    """Lee's desk is down: the withdrawal waits for it, and until Lee's word the call stays
    here and is not offered elsewhere (Lee may have accepted it just before)."""
    proxy = await Proxy(redis.port).start()
    try:
        dana, lee = await make_desk("Dana"), await make_desk("Lee", url=proxy.url)
        session = await _call_in_progress(dana)
        oid = await _offer(dana, lee, session["id"])
        proxy.cut()
        await lee.wait_team(lambda s: not s["connected"])
        status, withdrawn = await dana.call("POST", f"/team/offers/{oid}/withdraw")
        assert (status, withdrawn["status"]) == (200, "withdrawing")
        status, refused = await dana.call(
            "POST", f"/sessions/{session['id']}/transfer", {"to_desk": "Lee"}
        )
        assert (status, refused["error"]["code"]) == (409, "transfer_pending")
        proxy.heal()
        await _settled(dana, oid, "withdrawn")
        assert (await lee.wait_team(lambda s: s["connected"]))["incoming"] == []
        assert await _open_ids(dana) == [session["id"]]
    finally:
        await proxy.stop()


async def test_an_accept_that_crossed_the_withdrawal_wins(
    make_desk: MakeDesk, redis: RedisServer, client: aioredis.Redis
) -> None:
    """Lee accepts before reading Dana's withdrawal: the call is Lee's, and Dana's session
    closes as transferred, once."""
    proxy = await Proxy(redis.port).start()
    try:
        dana, lee = await make_desk("Dana", url=proxy.url), await make_desk("Lee")
        session = await _call_in_progress(dana)
        oid = await _offer(dana, lee, session["id"])
        proxy.cut()  # Dana cannot read Lee's answer, nor send her withdrawal yet
        await dana.wait_team(lambda s: not s["connected"])
        status, accepted = await lee.call("POST", f"/team/offers/{oid}/accept")
        assert status == 200, accepted
        status, withdrawn = await dana.call("POST", f"/team/offers/{oid}/withdraw")
        assert (status, withdrawn["status"]) == (200, "withdrawing")
        proxy.heal()  # Dana sends the withdrawal and reads the acceptance, in either order
        await _settled(dana, oid, "accepted")
        assert await _open_ids(dana) == []
        assert await _open_ids(lee) == [f"t{oid}"]
        _, closed = await dana.call("GET", "/sessions")
        assert [c["id"] for c in closed["recently_closed"]].count(session["id"]) == 1
        _, report = await dana.call("GET", "/report")
        wrapped = [w for w in report["wrap_ups"] if w["session_id"] == session["id"]]
        assert [w["disposition"] for w in wrapped] == ["Transferred to Lee"]
        assert (await lee.team())["withdrawn"] == []  # the answer won: not withdrawn there
        await _empty(client, "Dana", "Lee")
        status, late = await dana.call("POST", f"/team/offers/{oid}/withdraw")
        assert (status, late["error"]["code"]) == (409, "offer_answered")
        assert late["error"]["details"] == {"status": "accepted"}
    finally:
        await proxy.stop()


async def test_a_receiver_that_was_down_never_shows_a_withdrawn_offer(
    make_desk: MakeDesk, redis: RedisServer, client: aioredis.Redis
) -> None:
    """Lee's agent is stopped (its heartbeat not yet expired) when Dana offers and withdraws;
    Redis and Dana restart before Lee comes back. Lee reads both entries in one pass."""
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    await dana.wait_team(lambda s: [d["name"] for d in s["desks"]] == ["Lee"])
    await lee.stop()
    await client.set(keys.desk("Lee"), dumps({"sessions": 0}), ex=30)  # as if it had crashed
    status, offer = await dana.call(
        "POST", f"/sessions/{session['id']}/transfer", {"to_desk": "Lee"}
    )
    assert status == 200, offer
    oid = offer["id"]
    status, withdrawn = await dana.call("POST", f"/team/offers/{oid}/withdraw")
    assert (status, withdrawn["status"]) == (200, "withdrawing")
    redis.kill()
    redis.start()
    await dana.restart()
    await lee.restart()
    await _settled(dana, oid, "withdrawn")
    at_lee = await lee.wait_team(lambda s: s["connected"])
    assert at_lee["incoming"] == []
    shown = [e for e in lee.events if e.get("type") == "team" and e["data"]["incoming"]]
    assert shown == []  # no live update ever carried the offer
    status, refused = await lee.call("POST", f"/team/offers/{oid}/accept")
    assert (status, refused["error"]["code"]) == (409, "offer_withdrawn")
    assert await _open_ids(lee) == []
    assert await _open_ids(dana) == [session["id"]]
    await _empty(client, "Dana", "Lee")


async def test_closing_the_call_withdraws_its_offer(
    make_desk: MakeDesk, client: aioredis.Redis
) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    oid = await _offer(dana, lee, session["id"])
    status, closed = await dana.call("DELETE", f"/sessions/{session['id']}")
    assert status == 200, closed
    await _settled(dana, oid, "withdrawn")
    await lee.wait_team(lambda s: s["incoming"] == [])
    status, refused = await lee.call("POST", f"/team/offers/{oid}/accept")
    assert (status, refused["error"]["code"]) == (409, "offer_withdrawn")
    assert await _open_ids(lee) == []  # no dead call recreated at Lee
    await _empty(client, "Dana", "Lee")


async def test_bad_withdrawals_change_nothing(make_desk: MakeDesk, client: aioredis.Redis) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    oid = await _offer(dana, lee, session["id"])
    status, unknown = await dana.call("POST", "/team/offers/0123456789abcdef/withdraw")
    assert (status, unknown["error"]["code"]) == (404, "offer_not_found")
    status, not_his = await lee.call("POST", f"/team/offers/{oid}/withdraw")
    assert (status, not_his["error"]["code"]) == (404, "offer_not_found")
    assert [o["id"] for o in (await lee.team())["incoming"]] == [oid]  # still offered
    assert [o["status"] for o in (await dana.team())["outgoing"]] == ["pending"]
    sent = await _sent_to(client, "Lee")
    status, first = await dana.call("POST", f"/team/offers/{oid}/withdraw")
    assert status == 200, first
    await _settled(dana, oid, "withdrawn")
    assert await _sent_to(client, "Lee") == sent + 1
    status, second = await dana.call("POST", f"/team/offers/{oid}/withdraw")
    assert (status, second["status"]) == (200, "withdrawn")
    assert await _sent_to(client, "Lee") == sent + 1  # nothing sent again
