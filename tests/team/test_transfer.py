"""Transferring a call: the receiver's desk gets the offer, accepting recreates the session
there (customer, tabs, notes, drafts, timer) and closes it at the sender, once — across a
restart of either desk and of Redis; a desk with four sessions refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from agent.api.common import SESSIONS
from tests.support.redis_server import RedisServer
from tests.team.conftest import MakeDesk
from tests.team.desk import DeskApp
from tests.team.test_team_link import first_customer


async def _call_in_progress(desk: DeskApp) -> dict[str, Any]:
    opened = await desk.open_customer(await first_customer(desk))
    sid, tid = opened["session_id"], opened["tab_id"]
    status, _ = await desk.call("PUT", f"/sessions/{sid}/notes", {"notes": "Wants a refund"})
    assert status == 200
    status, _ = await desk.call(
        "PUT", f"/sessions/{sid}/tabs/{tid}/drafts/note", {"data": {"text": "half typed"}}
    )
    assert status == 200
    return next(s for s in (await desk.call("GET", "/sessions"))[1]["sessions"] if s["id"] == sid)


async def _offer(dana: DeskApp, lee: DeskApp, session_id: str) -> str:
    await dana.wait_team(lambda s: [d["name"] for d in s["desks"]] == ["Lee"])
    status, offer = await dana.call("POST", f"/sessions/{session_id}/transfer", {"to_desk": "Lee"})
    assert status == 200, offer
    await lee.wait_team(lambda s: [o["id"] for o in s["incoming"]] == [offer["id"]])
    return str(offer["id"])


async def _check_moved(dana: DeskApp, lee: DeskApp, session: dict[str, Any], oid: str) -> None:
    await dana.wait_team(lambda s: s["outgoing"][0]["status"] == "accepted")
    _, at_dana = await dana.call("GET", "/sessions")
    assert session["id"] not in [s["id"] for s in at_dana["sessions"]]
    _, at_lee = await lee.call("GET", "/sessions")
    [moved] = [s for s in at_lee["sessions"] if s["id"] == f"t{oid}"]
    assert moved["customer_key"] == session["customer_key"]
    assert moved["created_at"] == session["created_at"]  # the call's timer goes on
    assert moved["notes"] == "Wants a refund"
    assert [t["entity_id"] for t in moved["tabs"]] == [t["entity_id"] for t in session["tabs"]]
    entity_tab = moved["tabs"][1]["id"]
    _, drafts = await lee.call("GET", f"/sessions/{moved['id']}/tabs/{entity_tab}/drafts")
    assert drafts["drafts"][0]["data"] == {"text": "half typed"}
    assert (await lee.team())["incoming"] == []
    _, report = await dana.call("GET", "/report")
    wrapped = [w for w in report["wrap_ups"] if w["session_id"] == session["id"]]
    assert [w["disposition"] for w in wrapped] == ["Transferred to Lee"]


async def test_accepting_moves_the_call_and_closes_it_at_the_sender(make_desk: MakeDesk) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    oid = await _offer(dana, lee, session["id"])
    status, again = await dana.call(
        "POST", f"/sessions/{session['id']}/transfer", {"to_desk": "Lee"}
    )
    assert (status, again["error"]["code"]) == (409, "transfer_pending")
    status, accepted = await lee.call("POST", f"/team/offers/{oid}/accept")
    assert status == 200, accepted
    assert accepted["state"]["active_session_id"] == f"t{oid}"
    await _check_moved(dana, lee, session, oid)
    _, closed = await dana.call("GET", "/sessions")
    assert closed["recently_closed"][0]["id"] == session["id"]
    status, twice = await lee.call("POST", f"/team/offers/{oid}/accept")
    assert (status, twice["error"]["code"]) == (404, "offer_not_found")


def _ago(seconds: int) -> str:
    moment = datetime.now(UTC) - timedelta(seconds=seconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _hold(desk: DeskApp, session_id: str, on_hold: bool, at: str) -> None:
    """A hold as the route records it, at a moment in the past (no test waits 95 s)."""
    assert desk.runner is not None
    desk.runner.app[SESSIONS].set_hold(session_id, on_hold, now=at)


async def test_time_on_hold_moves_with_the_call(make_desk: MakeDesk) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    await dana.wait_team(lambda s: [d["name"] for d in s["desks"]] == ["Lee"])
    path = f"/sessions/{session['id']}/transfer"
    # The holds are the agent's: a panel cannot send its own any more.
    status, bad = await dana.call("POST", path, {"to_desk": "Lee", "held_seconds": 95})
    assert (status, bad["error"]["code"]) == (422, "validation_failed")
    assert (await dana.team())["outgoing"] == []  # refused, nothing offered
    _hold(dana, session["id"], True, _ago(95))  # on hold for 95 s, still on hold
    status, offer = await dana.call("POST", path, {"to_desk": "Lee"})
    assert status == 200, offer
    await lee.wait_team(lambda s: [o["id"] for o in s["incoming"]] == [offer["id"]])
    status, accepted = await lee.call("POST", f"/team/offers/{offer['id']}/accept")
    assert status == 200, accepted
    # Still on hold at Lee's desk, with the 95 s and the wait for Lee to accept counted (the
    # offer's time is in whole seconds: a second may be lost).
    assert accepted["on_hold"] is True
    assert 94 <= accepted["held_seconds"] <= 95 + _seconds_since(offer["offered_at"])
    [taken] = [s for s in accepted["state"]["sessions"] if s["id"] == accepted["session_id"]]
    assert taken["hold_since"] == offer["offered_at"]  # the running hold goes on from the offer
    assert 94 <= taken["held_seconds"] <= 96  # the holds up to the offer
    # Lee resumes: the session Lee's panels show is off hold, the held time kept.
    status, resumed = await lee.call("PUT", f"/sessions/{taken['id']}/hold", {"on_hold": False})
    assert status == 200, resumed
    [taken] = [s for s in resumed["sessions"] if s["id"] == taken["id"]]
    assert taken["hold_since"] is None and taken["held_seconds"] >= accepted["held_seconds"]
    # Dana's "Transferred to Lee" leaves her own record of the holds out of her handle time
    # (all of this short call was on hold).
    await dana.wait_team(lambda s: s["outgoing"][0]["status"] == "accepted")
    _, report = await dana.call("GET", "/report")
    [wrapped] = [w for w in report["wrap_ups"] if w["session_id"] == session["id"]]
    assert wrapped["handle_seconds"] == 0


def _seconds_since(moment: str) -> int:
    start = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return int((datetime.now(UTC) - start).total_seconds()) + 1


async def test_a_call_off_hold_keeps_its_held_time(make_desk: MakeDesk) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    await dana.wait_team(lambda s: [d["name"] for d in s["desks"]] == ["Lee"])
    _hold(dana, session["id"], True, _ago(100))
    _hold(dana, session["id"], False, _ago(60))  # 40 s on hold, resumed a minute ago
    status, offer = await dana.call(
        "POST", f"/sessions/{session['id']}/transfer", {"to_desk": "Lee"}
    )
    assert status == 200, offer
    await lee.wait_team(lambda s: [o["id"] for o in s["incoming"]] == [offer["id"]])
    status, accepted = await lee.call("POST", f"/team/offers/{offer['id']}/accept")
    assert status == 200, accepted
    assert (accepted["held_seconds"], accepted["on_hold"]) == (40, False)
    _, at_lee = await lee.call("GET", "/sessions")
    [taken] = [s for s in at_lee["sessions"] if s["id"] == accepted["session_id"]]
    assert (taken["held_seconds"], taken["hold_since"]) == (40, None)


async def test_declining_leaves_the_call_at_the_sender(make_desk: MakeDesk) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    oid = await _offer(dana, lee, session["id"])
    status, after = await lee.call("POST", f"/team/offers/{oid}/decline")
    assert status == 200, after
    assert after["incoming"] == []
    await dana.wait_team(lambda s: s["outgoing"][0]["status"] == "declined")
    _, at_dana = await dana.call("GET", "/sessions")
    assert [s["id"] for s in at_dana["sessions"]] == [session["id"]]
    _, at_lee = await lee.call("GET", "/sessions")
    assert at_lee["sessions"] == []
    status, again = await dana.call(
        "POST", f"/sessions/{session['id']}/transfer", {"to_desk": "Lee"}
    )
    assert status == 200, again  # declined, so it can be offered again


async def test_an_offer_survives_both_desks_restarting(make_desk: MakeDesk) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    oid = await _offer(dana, lee, session["id"])
    await lee.restart()
    await dana.restart()
    await lee.wait_team(lambda s: [o["id"] for o in s["incoming"]] == [oid])
    await lee.wait_team(lambda s: s["connected"])
    status, accepted = await lee.call("POST", f"/team/offers/{oid}/accept")
    assert status == 200, accepted
    await _check_moved(dana, lee, session, oid)
    _, at_lee = await lee.call("GET", "/sessions")
    assert [s["id"] for s in at_lee["sessions"]].count(f"t{oid}") == 1


async def test_redis_killed_and_restarted_mid_transfer(
    make_desk: MakeDesk, redis: RedisServer
) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    oid = await _offer(dana, lee, session["id"])
    redis.kill()
    await lee.wait_team(lambda s: not s["connected"])
    status, refused = await lee.call("POST", f"/team/offers/{oid}/accept")
    assert (status, refused["error"]["code"]) == (503, "team_unavailable")
    redis.start()
    await lee.wait_team(lambda s: s["connected"])
    status, accepted = await lee.call("POST", f"/team/offers/{oid}/accept")
    assert status == 200, accepted
    await _check_moved(dana, lee, session, oid)


async def test_accepted_while_the_sender_is_down_and_redis_restarts_before_it_returns(
    make_desk: MakeDesk, redis: RedisServer
) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    oid = await _offer(dana, lee, session["id"])
    await dana.stop()
    status, accepted = await lee.call("POST", f"/team/offers/{oid}/accept")
    assert status == 200, accepted
    redis.kill()  # the answer waits in Dana's inbox, on Redis's append-only file
    redis.start()
    await dana.start()
    await _check_moved(dana, lee, session, oid)
    _, at_dana = await dana.call("GET", "/sessions")
    assert [c["id"] for c in at_dana["recently_closed"]].count(session["id"]) == 1


async def test_a_desk_with_four_sessions_is_refused(make_desk: MakeDesk) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    session = await _call_in_progress(dana)
    _, found = await lee.call("GET", "/search/customers?page_size=5")
    for row in found["results"][1:5]:
        await lee.open_customer(row["id"])
    await dana.wait_team(lambda s: s["desks"] == [{"name": "Lee", "sessions": 4}])
    status, refused = await dana.call(
        "POST", f"/sessions/{session['id']}/transfer", {"to_desk": "Lee"}
    )
    assert (status, refused["error"]["code"]) == (409, "receiver_full")
    _, at_dana = await dana.call("GET", "/sessions")
    assert [s["id"] for s in at_dana["sessions"]] == [session["id"]]
    status, offline = await dana.call(
        "POST", f"/sessions/{session['id']}/transfer", {"to_desk": "Nobody"}
    )
    assert (status, offline["error"]["code"]) == (404, "desk_offline")
