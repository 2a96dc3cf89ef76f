"""After every order and return action on the demo store, each summary still follows the parts
it sums up: the order's payment status its payments, its fulfilment status its items, the search
row its document, the return's refund status its refunds, and the customer's lifetime value and
order count the customer's orders. A summary left behind is what a CSR reads as wrong data
("Payment: Paid" on a cancelled, fully credited order).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from agent.domain.catalog import all_actions
from tests.support.actions import act
from tests.support.api import Api

Doc = dict[str, Any]
ADDRESS = {
    "first_name": "Zoe",
    "last_name": "Park",
    "address": {"address1": "1 Main St", "city": "Austin", "postal_code": "78701", "country": "US"},
}


def _payment_with(order: Doc, action: str) -> Doc:
    return next(p for p in order["payments"] if action in p["available_actions"])


def _open_lines(order: Doc) -> list[Doc]:
    return [
        i
        for i in order["items"]
        if i["quantity"] - i["quantity_fulfilled"] - i["quantity_cancelled"] > 0
    ]


ORDER_BODIES: dict[str, Callable[[Doc], Doc]] = {
    "change_billing_address": lambda o: {"address": ADDRESS},
    "change_shipping_address": lambda o: {"address": ADDRESS},
    "change_email": lambda o: {"email": "zoe.park@example.com"},
    "add_note": lambda o: {"text": "Caller asked about delivery"},
    "edit_note": lambda o: {"note_id": o["notes"][0]["id"], "text": "Edited"},
    "delete_note": lambda o: {"note_id": o["notes"][0]["id"]},
    "submit_order": lambda o: {},
    "accept_order": lambda o: {},
    "set_processing": lambda o: {},
    "cancel_order": lambda o: {"reason_code": "CustomerRequest"},
    "cancel_items": lambda o: {
        "reason_code": "OutOfStock",
        "items": [{"line_id": _open_lines(o)[0]["line_id"], "quantity": 1}],
    },
    "capture_payment": lambda o: {
        "payment_id": (p := _payment_with(o, "capture_payment"))["id"],
        "amount_cents": p["amount_requested_cents"] - p["amount_collected_cents"],
    },
    "void_payment": lambda o: {"payment_id": _payment_with(o, "void_payment")["id"]},
    "credit_payment": lambda o: {
        "payment_id": _payment_with(o, "credit_payment")["id"],
        "amount_cents": o["totals"]["refundable_cents"],
    },
    "refund": lambda o: {
        "amount_cents": o["totals"]["refundable_cents"],
        "reason_code": "Goodwill",
    },
    "appeasement": lambda o: {
        "adjustment": {
            "type": "item_price",
            "line_id": o["items"][0]["line_id"],
            "unit_price_cents": 0,
        },
        "reason_code": "PriceMatch",
    },
    "resend_confirmation": lambda o: {},
    "resend_shipment_email": lambda o: {},
    "start_return": lambda o: {
        "return_type": "Refund",
        "items": [
            {
                "line_id": next(i for i in o["items"] if i["quantity_returnable"])["line_id"],
                "quantity": 1,
                "reason": "Damaged",
            }
        ],
    },
}

RETURN_BODIES: dict[str, Callable[[Doc], Doc]] = {
    "authorize": lambda r: {},
    "reject": lambda r: {},
    "cancel": lambda r: {},
    "receive_items": lambda r: {
        "items": [
            {"item_id": i["id"], "quantity": i["quantity"] - i["quantity_received"]}
            for i in r["items"]
            if i["quantity"] > i["quantity_received"]
        ]
    },
    "restock": lambda r: {
        "items": [
            {"item_id": i["id"], "quantity": i["quantity_received"] - i["quantity_restocked"]}
            for i in r["items"]
            if i["quantity_received"] > i["quantity_restocked"]
        ]
    },
    "refund": lambda r: {"mode": "auto"},
    "ship_replacement": lambda r: {},
    "close": lambda r: {},
    "add_note": lambda r: {"text": "Label sent"},
    "edit_note": lambda r: {"note_id": r["notes"][0]["id"], "text": "Edited"},
    "delete_note": lambda r: {"note_id": r["notes"][0]["id"]},
    "resend_email": lambda r: {},
}

NEEDS = {
    "edit_note": lambda e: bool(e["notes"]),
    "delete_note": lambda e: bool(e["notes"]),
    "credit_payment": lambda e: e["totals"]["refundable_cents"] > 0,
    "refund": lambda e: e.get("totals", {"refundable_cents": 1})["refundable_cents"] > 0,
    "cancel_items": lambda e: bool(_open_lines(e)),
}


def test_every_order_and_return_action_has_a_body_here() -> None:
    """A new action must join this test (and be checked) rather than slip past it."""
    names = {(a.kind, a.name) for a in all_actions() if a.kind != "customer"}
    covered = {("order", n) for n in ORDER_BODIES} | {("return", n) for n in RETURN_BODIES}
    assert names == covered


async def _candidates(api: Api, kind: str) -> list[Doc]:
    """Seeded orders (or returns) of every status, registered customers' first."""
    collection = f"{kind}s"
    statuses = await api.read(f"/search/{collection}/filters")
    status_filter = next(f for f in statuses["filters"] if f["key"] == "status")
    docs: list[Doc] = []
    for option in status_filter["options"]:
        found = await api.read(f"/search/{collection}", status=option["value"], page_size="12")
        for row in found["results"]:
            docs.append(await api.read(f"/{collection}/{row['id']}"))
    return sorted(docs, key=lambda d: d["customer_id"] is None)


async def _offering(api: Api, kind: str, action: str, pool: list[Doc]) -> Doc | None:
    """A fresh copy of an entity of the pool that offers the action (and what it needs).
    The seed writes no notes: a note action gets one added first."""
    if action in ("edit_note", "delete_note"):
        noted = await _offering(api, kind, "add_note", pool)
        assert noted is not None
        body = {"expected_version": noted["version"], "text": "First note"}
        status, result = await act(api, kind, noted["id"], "add_note", body)
        assert status == 200, result
        pool = [result["entity"]]
    need = NEEDS.get(action, lambda e: True)
    for doc in pool:
        fresh = await api.read(f"/{kind}s/{doc['id']}")
        if action in fresh["available_actions"] and need(fresh):
            return fresh
    return None


async def _check_order(api: Api, order: Doc) -> None:
    where = f"order #{order['number']} ({order['status']})"
    totals, payments = order["totals"], order["payments"]
    collected = totals["collected_cents"]
    status = order["payment_status"]
    if collected > 0 and totals["refunded_cents"] >= collected:
        assert status == "Refunded", f"{where}: all {collected} collected went back, yet {status}"
    if status == "Paid":
        assert totals["balance_cents"] == 0, where
        # Money kept, or nothing to pay at all (a free replacement order).
        assert collected > totals["refunded_cents"] or totals["total_cents"] == 0, where
    if status in ("Voided", "Unpaid"):
        assert collected == 0, f"{where}: {status} with {collected} collected"
    if status == "Authorized":
        assert any(p["amount_requested_cents"] > p["amount_collected_cents"] for p in payments), (
            f"{where}: Authorized with nothing left to capture"
        )
    units = sum(i["quantity"] - i["quantity_cancelled"] for i in order["items"])
    shipped = sum(i["quantity_fulfilled"] for i in order["items"])
    expected = "NotFulfilled" if shipped == 0 else "Fulfilled" if shipped >= units else None
    if expected:
        assert order["fulfillment_status"] == expected, f"{where}: {shipped}/{units} shipped"
    else:
        assert order["fulfillment_status"] == "PartiallyFulfilled", where
    # The search row (what lists and filters read) says what the document says.
    found = await api.read("/search/orders", number=str(order["number"]), payment_status=status)
    rows = [r for r in found["results"] if r["id"] == order["id"]]
    assert rows, f"{where}: Payment Status = {status} does not find it"
    row = rows[0]
    assert (row["status"], row["fulfillment_status"], row["total"]) == (
        order["status"],
        order["fulfillment_status"],
        totals["total_cents"],
    ), where
    if order["customer_id"]:
        await _check_customer(api, order["customer_id"])


async def _check_customer(api: Api, customer_id: str) -> None:
    customer = await api.read(f"/customers/{customer_id}")
    orders = await api.read("/search/orders", customer_id=customer_id, page_size="100")
    assert orders["total_exact"] and orders["total"] <= 100
    counted = [r for r in orders["results"] if r["status"] != "Cancelled"]
    assert customer["order_count"] == orders["total"], f"customer {customer_id}"
    assert customer["lifetime_value_cents"] == sum(r["total"] for r in counted), (
        f"customer {customer_id}: lifetime value {customer['lifetime_value_cents']} is not "
        f"the sum of their orders that count"
    )


async def _check_return(api: Api, ret: Doc) -> None:
    where = f"return #{ret['number']}"
    refunded = ret["refunded_cents"]
    if refunded == 0:
        assert ret["refund_status"] == "NotRefunded", where
    elif ret["refundable_cents"] == 0 and ret["status"] == "Closed":
        assert ret["refund_status"] in ("FullyRefunded", "PartiallyRefunded"), where
    else:
        assert ret["refund_status"] != "NotRefunded", where
    found = await api.read("/search/returns", number=str(ret["number"]))
    row = next(r for r in found["results"] if r["id"] == ret["id"])
    assert (row["status"], row["refund_status"], row["refund_total"]) == (
        ret["status"],
        ret["refund_status"],
        refunded,
    ), where
    await _check_order(api, await api.read(f"/orders/{ret['order_id']}"))


@pytest.mark.parametrize("action", sorted(ORDER_BODIES))
async def test_order_summaries_follow_after(api: Api, action: str) -> None:
    pool = await _candidates(api, "order")
    order = await _offering(api, "order", action, pool)
    if order is None:
        pytest.fail(f"no seeded order offers {action}")
    body = {"expected_version": order["version"], **ORDER_BODIES[action](order)}
    status, result = await act(api, "order", order["id"], action, body, key=f"sum-{action}")
    assert status == 200, result
    await _check_order(api, result["entity"])
    for related in result["related"] + ([result["created"]] if result["created"] else []):
        if related["kind"] == "return":
            await _check_return(api, await api.read(f"/returns/{related['id']}"))


@pytest.mark.parametrize("action", sorted(RETURN_BODIES))
async def test_return_summaries_follow_after(api: Api, action: str) -> None:
    pool = await _candidates(api, "return")
    ret = await _offering(api, "return", action, pool)
    if ret is None:
        pytest.fail(f"no seeded return offers {action}")
    body = {"expected_version": ret["version"], **RETURN_BODIES[action](ret)}
    status, result = await act(api, "return", ret["id"], action, body, key=f"sum-r-{action}")
    assert status == 200, result
    await _check_return(api, result["entity"])
    for related in result["related"] + ([result["created"]] if result["created"] else []):
        if related["kind"] == "order":
            await _check_order(api, await api.read(f"/orders/{related['id']}"))


async def test_seeded_orders_fully_refunded_by_returns_say_refunded(api: Api) -> None:
    """The seed's own orders agree too: those whose returns gave back all that was collected
    are Refunded, in the document and in the Payment Status filter."""
    found = await api.read("/search/orders", payment_status="Refunded", page_size="100")
    assert found["results"], "the demo store seeds orders whose returns refunded everything"
    for row in found["results"][:10]:
        await _check_order(api, await api.read(f"/orders/{row['id']}"))
    paid = await api.read("/search/orders", payment_status="Paid", page_size="100")
    for row in paid["results"]:
        order = await api.read(f"/orders/{row['id']}")
        assert order["totals"]["refunded_cents"] < order["totals"]["collected_cents"], row
