"""Return actions end to end: a return started from an order walks Kibo's state machine
over HTTP; the order, the customer and the replacement order follow in the store."""

from __future__ import annotations

from typing import Any

from agent.config import Config
from tests.support.actions import act
from tests.support.api import Api
from tests.support.find_orders import find_order


async def start(api: Api, config: Config, return_type: str) -> tuple[dict[str, Any], str]:
    """A paid order of a registered customer and the id of a new return of one of its units."""
    order = await find_order(
        api,
        config,
        lambda o: (
            "start_return" in o["available_actions"]
            and o["customer_id"] is not None
            and o["totals"]["refundable_cents"] > 0
        ),
    )
    line = next(i for i in order["items"] if i["quantity_returnable"] > 0)
    status, result = await act(
        api,
        "order",
        order["id"],
        "start_return",
        {
            "expected_version": order["version"],
            "return_type": return_type,
            "items": [{"line_id": line["line_id"], "quantity": 1, "reason": "Damaged"}],
        },
    )
    assert status == 200, result
    return order, result["created"]["id"]


async def step(
    api: Api,
    return_id: str,
    action: str,
    body: dict[str, Any] | None = None,
    key: str | None = None,
) -> dict[str, Any]:
    _, current = await api.get(f"/returns/{return_id}")
    status, result = await act(
        api,
        "return",
        return_id,
        action,
        {"expected_version": current["version"], **(body or {})},
        key=key,
    )
    assert status == 200, result
    entity: dict[str, Any] = result["entity"]
    return entity


async def test_refund_walk_to_store_credit_then_close(api: Api, agent_config: Config) -> None:
    order, return_id = await start(api, agent_config, "Refund")
    _, customer = await api.get(f"/customers/{order['customer_id']}")
    ret = await step(api, return_id, "authorize")
    item = ret["items"][0]["id"]
    ret = await step(api, return_id, "receive_items", {"items": [{"item_id": item, "quantity": 1}]})
    assert ret["receive_status"] == "Received"
    ret = await step(api, return_id, "restock", {"items": [{"item_id": item, "quantity": 1}]})
    refundable = ret["refundable_cents"]
    ret = await step(
        api, return_id, "refund", {"mode": "auto", "method": "StoreCredit"}, key="return-refund-1"
    )
    assert (ret["refund_status"], ret["refunded_cents"]) == ("FullyRefunded", refundable)
    _, credited = await api.get(f"/customers/{order['customer_id']}")
    balances = sum(c["current_balance_cents"] for c in credited["store_credits"])
    assert (
        balances == sum(c["current_balance_cents"] for c in customer["store_credits"]) + refundable
    )
    _, after_refund = await api.get(f"/orders/{order['id']}")
    assert (
        after_refund["totals"]["refundable_cents"]
        == order["totals"]["refundable_cents"] - refundable
    )
    ret = await step(api, return_id, "close")
    assert ret["status"] == "Closed"
    _, closed = await api.get(f"/orders/{order['id']}")
    assert [r["status"] for r in closed["returns"] if r["id"] == return_id] == ["Closed"]


async def test_replace_walk_ships_a_child_order_before_closing(
    api: Api, agent_config: Config
) -> None:
    order, return_id = await start(api, agent_config, "Replace")
    ret = await step(api, return_id, "authorize")
    status, early = await act(
        api, "return", return_id, "close", {"expected_version": ret["version"]}
    )
    assert status == 409, early
    status, shipped = await act(
        api,
        "return",
        return_id,
        "ship_replacement",
        {"expected_version": ret["version"]},
        key="ship-repl-1",
    )
    assert status == 200, shipped
    child_id = shipped["created"]["id"]
    assert shipped["entity"]["replacement_order_id"] == child_id
    _, child = await api.get(f"/orders/{child_id}")
    assert child["totals"]["total_cents"] == 0 and child["fulfillment_status"] == "Fulfilled"
    assert child["email"] == order["email"]
    ret = await step(api, return_id, "close")
    assert ret["status"] == "Closed"


async def test_over_refund_and_cancelled_email_are_refused(api: Api, agent_config: Config) -> None:
    _, return_id = await start(api, agent_config, "Refund")
    ret = await step(api, return_id, "authorize")
    status, body = await act(
        api,
        "return",
        return_id,
        "refund",
        {
            "expected_version": ret["version"],
            "mode": "manual",
            "amount_cents": ret["refundable_cents"] + 1,
        },
        key="over-refund-1",
    )
    assert status == 422, body
    assert body["error"]["details"]["field"] == "amount_cents"
    ret = await step(api, return_id, "cancel", key="cancel-return-1")
    status, body = await act(
        api, "return", return_id, "resend_email", {"expected_version": ret["version"]}
    )
    assert status == 409, body


async def test_a_return_started_here_takes_its_orders_location_and_no_external_id(
    api: Api, agent_config: Config
) -> None:
    order, return_id = await start(api, agent_config, "Refund")
    assert order["location"]
    _, ret = await api.get(f"/returns/{return_id}")
    assert (ret["external_id"], ret["location"]) == (None, order["location"])
    _, found = await api.get(
        "/search/returns", location=order["location"], order_number=str(order["number"])
    )
    assert return_id in [r["id"] for r in found["results"]]
