"""Return action rules, pure: Kibo's return state machine on hand-built documents, with the
order and customer kept in step through Updates."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from agent.backends.demo import documents
from agent.backends.demo.writer import WriterLookup
from agent.domain.outcome import ActionRefused
from shared_schema.entities import CustomerDetail, OrderDetail, ReturnDetail
from tests.support.action_docs import (
    CTX,
    SUBTOTAL,
    TAX,
    TOTAL,
    MemoryLookup,
    customer_doc,
    return_doc,
    run,
    settle,
    shipped_paid_order,
)

TEE_REFUND = 2500 + 2500 * TAX // SUBTOTAL  # one tee and its share of tax


def store(**return_args: Any) -> tuple[MemoryLookup, ReturnDetail]:
    order = shipped_paid_order()
    ret = return_doc(order, **return_args)
    return MemoryLookup(order, ret, customer_doc()), ret


def step(
    lookup: MemoryLookup, ret: ReturnDetail, action: str, body: dict[str, Any] | None = None
) -> ReturnDetail:
    after = settle(run("return", action, ret, body or {}, lookup), lookup)
    assert isinstance(after, ReturnDetail)
    return after


def order_in(lookup: MemoryLookup) -> OrderDetail:
    order = lookup.order(10001)
    assert isinstance(order, OrderDetail)
    return order


def refused(
    lookup: MemoryLookup, ret: ReturnDetail, action: str, body: dict[str, Any] | None = None
) -> ActionRefused:
    with pytest.raises(ActionRefused) as caught:
        run("return", action, ret, body or {}, lookup)
    return caught.value


def items(*pairs: tuple[str, int]) -> dict[str, Any]:
    return {"items": [{"item_id": item_id, "quantity": q} for item_id, q in pairs]}


def test_refund_return_walk_from_order_to_closed() -> None:
    order = shipped_paid_order()
    lookup = MemoryLookup(order, customer_doc())
    settle(
        run(
            "order",
            "start_return",
            order,
            {
                "return_type": "Refund",
                "items": [{"line_id": 1, "quantity": 2, "reason": "Damaged"}],
            },
        ),
        lookup,
    )
    ret = lookup.return_(7001)
    assert isinstance(ret, ReturnDetail)
    ret = step(lookup, ret, "authorize")
    assert ret.status == "Authorized" and order_in(lookup).returns[0].status == "Authorized"
    ret = step(lookup, ret, "receive_items", items(("7001-1", 1)))
    assert ret.receive_status == "PartiallyReceived"
    ret = step(lookup, ret, "receive_items", items(("7001-1", 1)))
    assert ret.receive_status == "Received" and "receive_items" not in ret.available_actions
    ret = step(lookup, ret, "restock", items(("7001-1", 2)))
    assert ret.items[0].quantity_restocked == 2
    ret = step(lookup, ret, "refund", {"mode": "auto"})
    assert (ret.refunded_cents, ret.refundable_cents) == (2 * TEE_REFUND, 0)
    assert ret.refund_status == "FullyRefunded" and ret.items[0].quantity_refunded == 2
    assert ret.refunds[0].method == "OriginalPayment" and ret.refunds[0].payment_id == "pay-1"
    paid = order_in(lookup)
    assert paid.payments[0].amount_credited_cents == 2 * TEE_REFUND
    assert paid.totals.refundable_cents == TOTAL - 2 * TEE_REFUND
    assert paid.returns[0].refunded_cents == 2 * TEE_REFUND
    assert ret.available_actions == ["close", "add_note", "resend_email"]
    ret = step(lookup, ret, "close")
    assert ret.status == "Closed"
    closed = order_in(lookup)
    assert closed.items[0].quantity_returned == 2 and closed.items[0].quantity_returnable == 0
    assert closed.return_status == "PartiallyReturned"
    assert closed.returns[0].status == "Closed"


def test_replace_return_closes_only_after_its_replacement_shipped() -> None:
    lookup, ret = store(return_type="Replace", quantities=(0, 1))
    premature = refused(lookup, ret, "close")
    assert (premature.status, premature.code) == (409, "replacement_not_shipped")
    no_refund = refused(lookup, ret, "refund", {"mode": "auto"})
    assert no_refund.code == "replace_return"
    outcome = run("return", "ship_replacement", ret, {}, lookup)
    shipped = settle(outcome, lookup, new_number=10500)
    assert isinstance(shipped, ReturnDetail)
    ret = shipped
    child = lookup.order(10500)
    assert isinstance(child, OrderDetail)
    assert ret.replace_status == "Replaced" and ret.replacement_order_id == child.id
    assert ret.items[0].quantity_replaced == 1
    assert (child.status, child.fulfillment_status, child.totals.total_cents) == (
        "Completed",
        "Fulfilled",
        0,
    )
    assert [(i.product_code, i.quantity, i.unit_price_cents) for i in child.items] == [
        ("HOM-MUG-001", 1, 0)
    ]
    assert child.shipping_address == order_in(lookup).shipping_address
    again = refused(lookup, ret, "ship_replacement")
    assert again.code == "already_replaced"
    settled = refused(lookup, ret, "cancel")
    assert settled.code == "return_settled"
    ret = step(lookup, ret, "close")
    assert ret.status == "Closed"


def test_reject_keeps_the_units_out_of_returns() -> None:
    lookup, ret = store(status="Created")
    ret = step(lookup, ret, "reject", {"note": "Outside the return window"})
    assert ret.status == "Rejected" and ret.receive_status == "NotRequested"
    order = order_in(lookup)
    assert order.items[0].quantity_returnable == 0
    assert order.return_status == "None" and order.returns[0].status == "Rejected"
    assert ret.available_actions == ["add_note", "resend_email"]
    assert refused(lookup, ret, "authorize").code == "return_status"


def test_cancel_frees_the_units_again() -> None:
    lookup, ret = store()
    ret = step(lookup, ret, "cancel")
    assert ret.status == "Cancelled" and ret.refundable_cents == 0
    assert order_in(lookup).items[0].quantity_returnable == 2
    cancelled_email = refused(lookup, ret, "resend_email")
    assert (cancelled_email.status, cancelled_email.code) == (409, "return_cancelled")


def test_state_refusals() -> None:
    lookup, created = store(status="Created")
    assert refused(lookup, created, "receive_items", items(("5001-1", 1))).code == "return_status"
    assert refused(lookup, created, "refund", {"mode": "auto"}).code == "return_status"
    assert refused(lookup, created, "close").code == "return_status"
    lookup, ret = store()
    ret = step(lookup, ret, "refund", {"mode": "manual", "amount_cents": 100})
    assert refused(lookup, ret, "reject").code == "return_settled"
    assert refused(lookup, ret, "authorize").code == "return_status"


def test_receive_and_restock_quantities() -> None:
    lookup, ret = store()
    over = refused(lookup, ret, "receive_items", items(("5001-1", 3)))
    assert (over.status, over.code, over.field) == (422, "quantity_too_high", "items.0.quantity")
    unknown = refused(lookup, ret, "receive_items", items(("5001-9", 1)))
    assert (unknown.status, unknown.field) == (422, "items.0.item_id")
    twice = refused(lookup, ret, "receive_items", items(("5001-1", 1), ("5001-1", 1)))
    assert twice.code == "duplicate_item"
    nothing_received = refused(lookup, ret, "restock", items(("5001-1", 1)))
    assert nothing_received.code == "quantity_too_high"
    ret = step(lookup, ret, "receive_items", items(("5001-1", 1)))
    over_restock = refused(lookup, ret, "restock", items(("5001-1", 2)))
    assert over_restock.field == "items.0.quantity"
    with pytest.raises(ValidationError):
        run("return", "receive_items", ret, items(("5001-1", 0)), lookup)


def test_manual_refund_partial_then_over_refund() -> None:
    lookup, ret = store()
    ret = step(lookup, ret, "refund", {"mode": "manual", "amount_cents": TEE_REFUND + 10})
    assert ret.refund_status == "PartiallyRefunded"
    assert ret.items[0].quantity_refunded == 1
    assert ret.refundable_cents == TEE_REFUND - 10
    over = refused(lookup, ret, "refund", {"mode": "manual", "amount_cents": TEE_REFUND})
    assert (over.status, over.code, over.field) == (422, "over_refund", "amount_cents")
    ret = step(lookup, ret, "refund", {"mode": "auto"})
    assert ret.refund_status == "FullyRefunded" and ret.refunded_cents == 2 * TEE_REFUND
    assert len(ret.refunds) == 2 and ret.refunds[1].id == "5001-refund-2"
    assert "refund" not in ret.available_actions


def test_refund_request_shapes() -> None:
    lookup, ret = store()
    with pytest.raises(ValidationError):
        run("return", "refund", ret, {"mode": "manual"}, lookup)
    with pytest.raises(ValidationError):
        run("return", "refund", ret, {"mode": "auto", "amount_cents": 5}, lookup)
    with pytest.raises(ValidationError):
        run("return", "refund", ret, {"mode": "manual", "amount_cents": 1.5}, lookup)
    with pytest.raises(ValidationError):
        run("return", "refund", ret, {"mode": "auto", "method": "Cash"}, lookup)


def test_refund_never_exceeds_what_the_order_still_holds() -> None:
    lookup, ret = store()
    order = order_in(lookup)
    order.payments[0].amount_credited_cents = TOTAL - 100
    order.totals.refunded_cents = TOTAL - 100
    order.totals.refundable_cents = 100
    over = refused(lookup, ret, "refund", {"mode": "auto"})
    assert (over.status, over.code) == (422, "over_refund")
    assert "Order #10001" in over.message


def test_refund_to_store_credit_issues_then_grows_the_credit() -> None:
    lookup, ret = store()
    ret = step(
        lookup, ret, "refund", {"mode": "manual", "amount_cents": 1000, "method": "StoreCredit"}
    )
    customer = lookup.customer(42)
    assert isinstance(customer, CustomerDetail)
    [credit] = customer.store_credits
    assert (credit.credit_type, credit.current_balance_cents) == ("StoreCredit", 1000)
    assert credit.transactions[0].order_number == 10001
    assert ret.refunds[0].method == "StoreCredit" and ret.refunds[0].payment_id is None
    order = order_in(lookup)
    assert order.payments[0].amount_credited_cents == 0
    assert order.totals.refundable_cents == TOTAL - 1000
    step(lookup, ret, "refund", {"mode": "manual", "amount_cents": 500, "method": "StoreCredit"})
    customer = lookup.customer(42)
    assert isinstance(customer, CustomerDetail)
    assert [c.current_balance_cents for c in customer.store_credits] == [1500]
    assert customer.store_credits[0].transactions[-1].transaction_type == "Credit"


def test_guest_returns_cannot_go_to_store_credit() -> None:
    order = shipped_paid_order(customer_id=None)
    ret = return_doc(order)
    lookup = MemoryLookup(order, ret)
    guest = refused(lookup, ret, "refund", {"mode": "auto", "method": "StoreCredit"})
    assert (guest.status, guest.code) == (409, "guest_store_credit")


def test_notes_and_email() -> None:
    lookup, ret = store()
    assert "edit_note" not in ret.available_actions
    ret = step(lookup, ret, "add_note", {"text": "Label emailed"})
    assert [n.id for n in ret.notes] == ["5001-note-1"]
    assert {"edit_note", "delete_note"} <= set(ret.available_actions)
    ret = step(lookup, ret, "edit_note", {"note_id": "5001-note-1", "text": "Label resent"})
    assert [(n.text, n.updated_at) for n in ret.notes] == [("Label resent", CTX.now)]
    unknown = refused(lookup, ret, "delete_note", {"note_id": "5001-note-2"})
    assert (unknown.status, unknown.field) == (422, "note_id")
    ret = step(lookup, ret, "delete_note", {"note_id": "5001-note-1"})
    assert ret.notes == [] and "delete_note" not in ret.available_actions
    outcome = run("return", "resend_email", ret, {}, lookup)
    assert [(e.template, e.to) for e in outcome.emails] == [("ReturnAuthorized", "zoe@example.com")]
    with pytest.raises(ValidationError):
        run("return", "add_note", ret, {"text": "x" * 251}, lookup)


# Rules agree with what the seeded store offers


def plausible_request(ret: ReturnDetail, action: str) -> dict[str, Any]:
    if action == "receive_items":
        item = next(i for i in ret.items if i.quantity_received < i.quantity)
        return items((item.id, 1))
    if action == "restock":
        item = next(i for i in ret.items if i.quantity_restocked < i.quantity_received)
        return items((item.id, 1))
    if action == "refund":
        return {"mode": "auto"}
    if action == "add_note":
        return {"text": "Checked the package"}
    return {}


def test_every_action_a_seeded_return_offers_is_accepted(seeded_store: Path) -> None:
    conn = sqlite3.connect(seeded_store)
    try:
        lookup = WriterLookup(conn)
        tried: set[str] = set()
        for (number,) in conn.execute("SELECT number FROM returns ORDER BY number").fetchall():
            ret = documents.return_detail(conn, number)
            for action in ret.available_actions:
                try:
                    run("return", action, ret, plausible_request(ret, action), lookup)
                except ActionRefused as refusal:
                    pytest.fail(
                        f"return #{number} offers {action} but refuses it: {refusal.message}"
                    )
                tried.add(action)
    finally:
        conn.close()
    assert tried == {
        "authorize",
        "reject",
        "cancel",
        "receive_items",
        "restock",
        "refund",
        "ship_replacement",
        "close",
        "add_note",
        "resend_email",
    }
