"""Presence: a record open at two desks shows at each, live; it goes when the tab closes, when
a desk leaves, and (by TTL) when a desk is cut off from Redis; money and cancelling actions
on a record open elsewhere ask for confirmation naming the colleague."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.support.api import WRITE_HEADERS
from tests.team.conftest import MakeDesk
from tests.team.desk import DeskApp
from tests.team.proxy import Proxy
from tests.team.test_team_link import first_customer


def others_on(status: dict[str, Any], kind: str, entity_id: str) -> list[str]:
    for record in status["presence"]:
        if (record["kind"], record["id"]) == (kind, entity_id):
            return [o["desk"] for o in record["others"]]
    return []


async def test_two_desks_see_each_other_on_a_record_live(make_desk: MakeDesk) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    customer = await first_customer(dana)
    await dana.open_customer(customer)
    assert others_on(await dana.team(), "customer", customer) == []
    opened = await lee.open_customer(customer)
    await dana.wait_team(lambda s: others_on(s, "customer", customer) == ["Lee"])
    await lee.wait_team(lambda s: others_on(s, "customer", customer) == ["Dana"])
    pushed = [e for e in dana.events if e["type"] == "team"]
    assert others_on(pushed[-1]["data"], "customer", customer) == ["Lee"]
    since = (await dana.team())["presence"][0]["others"][0]["since"]
    assert since.endswith("Z")

    await lee.call("DELETE", f"/sessions/{opened['session_id']}")
    await dana.wait_team(lambda s: others_on(s, "customer", customer) == [])


async def test_ten_desks_each_see_the_other_nine(make_desk: MakeDesk) -> None:
    desks = [await make_desk(f"Desk{i}") for i in range(10)]
    customer = await first_customer(desks[0])
    await asyncio.gather(*(d.open_customer(customer) for d in desks))
    for desk in desks:
        expected = sorted(d.name for d in desks if d is not desk)
        # The record's colleagues come live; the desks list at the next refresh.
        await desk.wait_team(
            lambda s, e=expected: (  # type: ignore[misc]
                others_on(s, "customer", customer) == e
                and sorted(d["name"] for d in s["desks"]) == e
            )
        )
    await desks[3].stop()
    await desks[0].wait_team(lambda s: "Desk3" not in others_on(s, "customer", customer))


async def test_a_partitioned_desk_expires_at_the_others(make_desk: MakeDesk, redis: Any) -> None:
    proxy = await Proxy(redis.port).start()
    try:
        dana = await make_desk("Dana")
        lee = await make_desk("Lee", url=proxy.url)
        customer = await first_customer(dana)
        await dana.open_customer(customer)
        await lee.open_customer(customer)
        await dana.wait_team(lambda s: others_on(s, "customer", customer) == ["Lee"])
        proxy.cut()  # Lee cannot reach Redis; Lee's agent keeps running
        await lee.wait_team(lambda s: not s["connected"])
        # Within the TTL (2 s here, 30 s by default) plus a refresh, Lee is gone at Dana's.
        await dana.wait_team(lambda s: others_on(s, "customer", customer) == [], timeout=10)
        assert [d["name"] for d in (await dana.team())["desks"]] == []
        proxy.heal()
        await lee.wait_team(lambda s: s["connected"])
        await dana.wait_team(lambda s: others_on(s, "customer", customer) == ["Lee"])
    finally:
        await proxy.stop()


async def _cancellable_order(desk: DeskApp) -> dict[str, Any]:
    status, found = await desk.call("GET", "/search/orders?page_size=50")
    assert status == 200, found
    for row in found["results"]:
        _, order = await desk.call("GET", f"/orders/{row['id']}")
        if "cancel_order" in order.get("available_actions", []):
            return order  # type: ignore[no-any-return]
    raise AssertionError("no cancellable order in the demo store's first page")


async def test_cancelling_an_order_open_elsewhere_asks_naming_the_colleague(
    make_desk: MakeDesk,
) -> None:
    dana, lee = await make_desk("Dana"), await make_desk("Lee")
    order = await _cancellable_order(dana)
    for desk in (dana, lee):
        status, _ = await desk.call("POST", "/sessions", {"kind": "order", "id": order["id"]})
        assert status in (200, 201)
    await dana.wait_team(lambda s: others_on(s, "order", order["id"]) == ["Lee"])
    body = {"expected_version": order["version"], "reason_code": "CustomerRequest"}
    path = f"{dana.base}/orders/{order['id']}/actions/cancel_order"
    headers = {**WRITE_HEADERS, "Idempotency-Key": "team-cancel-1"}
    assert dana.http is not None
    async with dana.http.post(path, json=body, headers=headers) as resp:
        refused = (resp.status, await resp.json())
    assert refused[0] == 409, refused
    assert refused[1]["error"]["code"] == "open_elsewhere"
    assert "Lee" in refused[1]["error"]["message"]
    _, unchanged = await dana.call("GET", f"/orders/{order['id']}")
    assert unchanged["status"] == order["status"]
    confirmed = {**headers, "X-Callcenter-Colleagues-Confirmed": "1"}
    async with dana.http.post(path, json=body, headers=confirmed) as resp:
        done = (resp.status, await resp.json())
    assert done[0] == 200, done
    assert done[1]["entity"]["status"] == "Cancelled"
