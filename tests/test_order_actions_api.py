"""Order actions end to end: HTTP in, the real SQLite demo store, details and outbox out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.config import Config
from tests.support.actions import act, count, snapshot
from tests.support.api import Api
from tests.support.find_orders import find_order


def offers(*actions: str) -> Callable[[dict[str, Any]], bool]:
    return lambda order: set(actions) <= set(order["available_actions"])


async def test_shipping_address_change_is_stored_and_stale_edits_refused(
    api: Api, agent_config: Config
) -> None:
    order = await find_order(api, agent_config, offers("change_shipping_address"))
    address = {
        **order["shipping_address"],
        "address": {
            "address1": "9 Burnside St",
            "city": "Portland",
            "state": "OR",
            "postal_code": "97201",
            "country": "US",
        },
    }
    body = {"expected_version": order["version"], "address": address}
    status, result = await act(api, "order", order["id"], "change_shipping_address", body)
    assert status == 200, result
    assert result["version"] == order["version"] + 1
    assert "shipping_address.address.city" in {c["field"] for c in result["changes"]}
    _, detail = await api.get(f"/orders/{order['id']}")
    assert detail["shipping_address"]["address"]["city"] == "Portland"
    status, stale = await act(api, "order", order["id"], "change_shipping_address", body)
    assert (status, stale["error"]["code"]) == (409, "stale_version")


async def test_cancel_needs_a_key_and_a_retry_cancels_once(api: Api, agent_config: Config) -> None:
    order = await find_order(api, agent_config, offers("cancel_order"))
    body = {"expected_version": order["version"], "reason_code": "CustomerRequest"}
    status, missing = await act(api, "order", order["id"], "cancel_order", body)
    assert (status, missing["error"]["code"]) == (400, "idempotency_key_required")
    status, first = await act(api, "order", order["id"], "cancel_order", body, key="cancel-1-key")
    assert status == 200, first
    assert first["entity"]["status"] == "Cancelled"
    assert first["entity"]["totals"]["balance_cents"] == 0
    status, again = await act(api, "order", order["id"], "cancel_order", body, key="cancel-1-key")
    assert status == 200 and again["replayed"] is True
    assert again["version"] == first["version"]
    _, outbox = await api.get("/outbox")
    sent = [m for m in outbox["messages"] if m["entity_id"] == order["id"]]
    assert [m["template"] for m in sent] == ["OrderCancelled"]


async def test_over_refund_is_422_naming_the_field(api: Api, agent_config: Config) -> None:
    order = await find_order(api, agent_config, offers("refund"))
    too_much = order["totals"]["refundable_cents"] + 1
    status, body = await act(
        api,
        "order",
        order["id"],
        "refund",
        {"expected_version": order["version"], "amount_cents": too_much, "reason_code": "Goodwill"},
        key="refund-too-much",
    )
    assert status == 422, body
    assert (body["error"]["code"], body["error"]["details"]["field"]) == (
        "amount_too_high",
        "amount_cents",
    )
    _, detail = await api.get(f"/orders/{order['id']}")
    assert detail["version"] == order["version"]


async def test_locked_order_refuses_edits(api: Api, agent_config: Config) -> None:
    order = await find_order(
        api,
        agent_config,
        lambda o: o["restrict_edit"] and o["status"] not in {"Completed", "Cancelled", "Closed"},
    )
    status, body = await act(
        api,
        "order",
        order["id"],
        "add_note",
        {"expected_version": order["version"], "text": "hello"},
    )
    assert status == 409, body
    assert body["error"]["code"] == "action_not_available"
    assert "restrictEdit" in body["error"]["message"]


async def test_start_return_creates_it_and_lists_it_on_the_order(
    api: Api, agent_config: Config
) -> None:
    order = await find_order(api, agent_config, offers("start_return"))
    line = next(i for i in order["items"] if i["quantity_returnable"] > 0)
    status, result = await act(
        api,
        "order",
        order["id"],
        "start_return",
        {
            "expected_version": order["version"],
            "return_type": "Refund",
            "items": [{"line_id": line["line_id"], "quantity": 1, "reason": "Defective"}],
        },
    )
    assert status == 200, result
    created = result["created"]
    assert created["kind"] == "return"
    _, ret = await api.get(f"/returns/{created['id']}")
    assert ret["status"] == "Created" and ret["order_id"] == order["id"]
    assert ret["available_actions"][:3] == ["authorize", "reject", "cancel"]
    _, detail = await api.get(f"/orders/{order['id']}")
    assert created["id"] in [r["id"] for r in detail["returns"]]
    returnable = {i["line_id"]: i["quantity_returnable"] for i in detail["items"]}
    assert returnable[line["line_id"]] == line["quantity_returnable"] - 1


async def test_an_address_without_street_or_with_a_country_name_is_refused(
    api: Api, agent_config: Config
) -> None:
    order = await find_order(api, agent_config, offers("change_shipping_address"))
    good = {
        "address1": "9 Burnside St",
        "city": "Portland",
        "state": "OR",
        "postal_code": "97201",
        "country": "US",
    }
    unknown = ("country", "ZZ"), ("country", "XX"), ("country", "us")  # not ISO 3166 countries
    for field, bad in (("address1", ""), ("country", "USA"), ("postal_code", ""), *unknown):
        address = {**order["shipping_address"], "address": {**good, field: bad}}
        status, body = await act(
            api,
            "order",
            order["id"],
            "change_shipping_address",
            {"expected_version": order["version"], "address": address},
        )
        assert status == 422, body
        assert body["error"]["details"]["field"] == f"address.address.{field}"
        if bad == "ZZ":
            assert "'ZZ' is not a country" in body["error"]["message"], body
    _, detail = await api.get(f"/orders/{order['id']}")
    assert detail["version"] == order["version"]


# Status moves: Pending Review -> Accepted -> Processing, Pending -> Submitted


def in_status(status: str) -> Callable[[dict[str, Any]], bool]:
    return lambda order: order["status"] == status


async def test_accept_then_set_processing_moves_the_order_and_audits_each_step(
    api: Api, agent_config: Config
) -> None:
    order = await find_order(api, agent_config, in_status("PendingReview"))
    assert "accept_order" in order["available_actions"]
    assert "set_processing" not in order["available_actions"]
    status, accepted = await act(
        api,
        "order",
        order["id"],
        "accept_order",
        {"expected_version": order["version"], "note": "Address verified by phone"},
        session="sess-77",
    )
    assert status == 200, accepted
    assert accepted["version"] == order["version"] + 1
    assert accepted["changes"] == [{"field": "status", "old": "PendingReview", "new": "Accepted"}]
    entity = accepted["entity"]
    assert entity["status"] == "Accepted"
    assert "accept_order" not in entity["available_actions"]
    assert "set_processing" in entity["available_actions"]
    assert entity["history"][-1]["message"] == "Order accepted: Address verified by phone"
    _, log = await api.get(f"/orders/{order['id']}/audit-log")
    mine = [e for e in log["entries"] if e["action"] == "accept_order"]
    assert [(e["field"], e["old_value"], e["new_value"], e["session_id"]) for e in mine] == [
        ("status", "PendingReview", "Accepted", "sess-77")
    ]
    # Search reads the row: it follows at once.
    number = order["number"]
    assert (
        count(
            agent_config.demo_db_path,
            "SELECT count(*) FROM orders WHERE number = ? AND status = 'Accepted'",
            number,
        )
        == 1
    )

    status, processing = await act(
        api, "order", order["id"], "set_processing", {"expected_version": accepted["version"]}
    )
    assert status == 200, processing
    assert processing["entity"]["status"] == "Processing"
    assert processing["version"] == accepted["version"] + 1
    _, detail = await api.get(f"/orders/{order['id']}")
    assert detail["status"] == "Processing"
    assert not {"accept_order", "set_processing", "submit_order"} & set(detail["available_actions"])


async def test_a_status_move_from_the_wrong_status_is_409_and_writes_nothing(
    api: Api, agent_config: Config
) -> None:
    order = await find_order(api, agent_config, in_status("Accepted"))
    db = agent_config.demo_db_path
    before = snapshot(db, "orders", "number", order["number"])
    for action in ("accept_order", "submit_order"):
        status, body = await act(
            api,
            "order",
            order["id"],
            action,
            {"expected_version": order["version"]},
            key=f"{action}-wrong",
        )
        assert status == 409, body
        assert body["error"]["code"] == "action_not_available"
        assert f"order #{order['number']} is Accepted" in body["error"]["message"]
    assert snapshot(db, "orders", "number", order["number"]) == before
    assert (await api.get(f"/orders/{order['id']}"))[1] == order


async def test_submit_sends_the_confirmation_once_and_a_retried_key_replays(
    api: Api, agent_config: Config
) -> None:
    order = await find_order(api, agent_config, in_status("Pending"))
    assert "resend_confirmation" not in order["available_actions"]
    body = {"expected_version": order["version"]}
    status, first = await act(api, "order", order["id"], "submit_order", body, key="submit-order-1")
    assert status == 200, first
    assert first["entity"]["status"] == "Submitted" and first["replayed"] is False
    assert first["entity"]["submitted_at"] == first["at"]
    assert {c["field"] for c in first["changes"]} == {"status", "submitted_at"}
    assert "resend_confirmation" in first["entity"]["available_actions"]
    db = agent_config.demo_db_path
    after_first = snapshot(db, "orders", "number", order["number"])
    status, again = await act(api, "order", order["id"], "submit_order", body, key="submit-order-1")
    assert status == 200 and again["replayed"] is True
    assert again["version"] == first["version"]
    assert snapshot(db, "orders", "number", order["number"]) == after_first
    _, outbox = await api.get("/outbox")
    sent = [m for m in outbox["messages"] if m["entity_id"] == order["id"]]
    assert [m["template"] for m in sent] == ["OrderConfirmation"]
    # Without a key (none is required) a second submit is refused: it is Submitted now.
    status, twice = await act(
        api, "order", order["id"], "submit_order", {"expected_version": first["version"]}
    )
    assert (status, twice["error"]["code"]) == (409, "action_not_available")
