"""Order action rules, pure: hand-built documents in, outcome or refusal out."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from agent.backends.demo import documents
from agent.backends.demo.writer import WriterLookup
from agent.domain.outcome import ActionRefused
from shared_schema.entities import Address, OrderDetail, ReturnDetail
from tests.support.action_docs import (
    AUSTIN,
    CTX,
    PORTLAND,
    SUBTOTAL,
    TAX,
    TOTAL,
    MemoryLookup,
    order_doc,
    party,
    run,
    settle,
    shipped_paid_order,
)

SEATTLE = Address(
    address1="5 Pike St", city="Seattle", state="WA", postal_code="98101", country="US"
)
NOWHERE = Address(
    address1="1 Main St", city="Smallville", state="KS", postal_code="66002", country="US"
)


def refused(kind: str, action: str, doc: Any, body: dict[str, Any]) -> ActionRefused:
    with pytest.raises(ActionRefused) as caught:
        run(kind, action, doc, body)
    return caught.value


def address_body(address: Address) -> dict[str, Any]:
    return {"address": party(address).model_dump()}


def changed_fields(outcome: Any) -> set[str]:
    return {change.field for change in outcome.changes}


# Addresses and email


def test_shipping_address_moves_and_reprices_unshipped_tax() -> None:
    order = order_doc()
    outcome = run("order", "change_shipping_address", order, address_body(PORTLAND))
    after = outcome.document
    assert isinstance(after, OrderDetail)
    assert after.shipping_address.address == PORTLAND
    assert [item.tax_cents for item in after.items] == [0, 0]  # Portland has no sales tax
    assert after.totals.tax_cents == 0 and after.totals.total_cents == SUBTOTAL
    assert after.payments[0].amount_requested_cents == SUBTOTAL  # authorization follows
    assert after.totals.pending_cents == SUBTOTAL
    assert "re-priced" in outcome.message
    assert {"shipping_address.address.city", "totals.tax_cents"} <= changed_fields(outcome)
    assert order.shipping_address.address == AUSTIN  # the input is never changed


def test_shipping_address_reprices_only_what_has_not_shipped() -> None:
    order = order_doc(fulfilled=(2, 0))  # the tees shipped, the mug has not
    after = run("order", "change_shipping_address", order, address_body(SEATTLE)).document
    assert isinstance(after, OrderDetail)
    assert after.items[0].tax_cents == order.items[0].tax_cents
    assert after.items[1].tax_cents == 4000 * 1025 // 10_000


def test_higher_tax_on_a_paid_order_leaves_a_balance_to_collect() -> None:
    order = order_doc(status="Accepted", payment_status="Paid", collected=TOTAL)
    outcome = run("order", "change_shipping_address", order, address_body(SEATTLE))
    after = outcome.document
    assert isinstance(after, OrderDetail)
    seattle_tax = 5000 * 1025 // 10_000 + 4000 * 1025 // 10_000
    assert after.totals.total_cents == SUBTOTAL + seattle_tax
    assert after.totals.balance_cents == seattle_tax - TAX
    assert after.payments[0].amount_credited_cents == 0
    assert "now owes" in outcome.message


def test_shipping_address_with_unknown_rate_keeps_tax_and_says_so() -> None:
    outcome = run("order", "change_shipping_address", order_doc(), address_body(NOWHERE))
    assert isinstance(outcome.document, OrderDetail)
    assert outcome.document.totals.tax_cents == TAX
    assert "not re-priced" in outcome.message and "Smallville" in outcome.message


def test_tax_exempt_order_stays_untaxed() -> None:
    order = order_doc()
    for item in order.items:
        item.tax_cents = 0
    order.totals.tax_cents = 0
    outcome = run("order", "change_shipping_address", order, address_body(SEATTLE))
    assert isinstance(outcome.document, OrderDetail)
    assert outcome.document.totals.tax_cents == 0
    assert "tax exempt" in outcome.message


def test_billing_address_changes_without_repricing() -> None:
    outcome = run("order", "change_billing_address", order_doc(), address_body(PORTLAND))
    assert isinstance(outcome.document, OrderDetail)
    assert outcome.document.billing_address.address == PORTLAND
    assert outcome.document.shipping_address.address == AUSTIN
    assert outcome.document.totals.tax_cents == TAX
    assert "not re-priced" in outcome.message


@pytest.mark.parametrize("action", ["change_billing_address", "change_shipping_address"])
def test_address_refusals(action: str) -> None:
    locked = refused("order", action, order_doc(restrict_edit=True), address_body(PORTLAND))
    assert (locked.status, locked.code) == (409, "restrict_edit")
    assert "restrictEdit" in locked.message
    done = refused("order", action, shipped_paid_order(), address_body(PORTLAND))
    assert (done.status, done.code) == (409, "order_closed")
    shipped = refused("order", action, order_doc(fulfilled=(2, 1)), address_body(PORTLAND))
    assert (shipped.status, shipped.code) == (409, "order_shipped")


def test_change_email() -> None:
    outcome = run("order", "change_email", order_doc(), {"email": "new@example.org"})
    assert isinstance(outcome.document, OrderDetail)
    assert outcome.document.email == "new@example.org"
    assert changed_fields(outcome) == {"email"}
    same = refused("order", "change_email", order_doc(), {"email": "ZOE@example.com"})
    assert (same.status, same.field) == (422, "email")
    with pytest.raises(ValidationError):
        run("order", "change_email", order_doc(), {"email": "not an email"})
    locked = refused(
        "order", "change_email", order_doc(restrict_edit=True), {"email": "new@example.org"}
    )
    assert locked.code == "restrict_edit"


# Notes


def test_note_add_edit_delete() -> None:
    lookup = MemoryLookup(order_doc())
    order = settle(run("order", "add_note", order_doc(), {"text": "Called about delivery"}), lookup)
    assert isinstance(order, OrderDetail)
    assert [(n.id, n.text, n.created_by) for n in order.notes] == [
        ("10001-note-1", "Called about delivery", CTX.who)
    ]
    assert {"edit_note", "delete_note"} <= set(order.available_actions)
    order = settle(
        run("order", "edit_note", order, {"note_id": "10001-note-1", "text": "Delivery moved"}),
        lookup,
    )
    assert isinstance(order, OrderDetail)
    assert order.notes[0].text == "Delivery moved" and order.notes[0].updated_at == CTX.now
    unknown = refused("order", "delete_note", order, {"note_id": "10001-note-9"})
    assert (unknown.status, unknown.field) == (422, "note_id")
    order = settle(run("order", "delete_note", order, {"note_id": "10001-note-1"}), lookup)
    assert isinstance(order, OrderDetail)
    assert order.notes == [] and "edit_note" not in order.available_actions


def test_note_refusals() -> None:
    with pytest.raises(ValidationError):
        run("order", "add_note", order_doc(), {"text": "x" * 251})
    with pytest.raises(ValidationError):
        run("order", "add_note", order_doc(), {"text": ""})
    locked = refused("order", "add_note", order_doc(restrict_edit=True), {"text": "hi"})
    assert locked.code == "restrict_edit"


# Cancel the order


def test_cancel_authorized_order_voids_the_authorization() -> None:
    outcome = run(
        "order",
        "cancel_order",
        order_doc(),
        {"reason_code": "CustomerRequest", "note": "Ordered twice"},
    )
    after = outcome.document
    assert isinstance(after, OrderDetail)
    assert after.status == "Cancelled" and after.payment_status == "Voided"
    assert after.payments[0].status == "Voided"
    assert [i.quantity_cancelled for i in after.items] == [2, 1]
    assert {s.status for s in after.shipments} == {"CANCELED"}
    assert (after.totals.balance_cents, after.totals.pending_cents) == (0, 0)
    assert after.fulfillment.remaining == 0
    assert [e.template for e in outcome.emails] == ["OrderCancelled"]
    assert "Ordered twice" in after.history[0].message


def test_cancel_paid_order_credits_the_capture() -> None:
    order = order_doc(status="Accepted", payment_status="Paid", collected=TOTAL)
    after = run("order", "cancel_order", order, {"reason_code": "OutOfStock"}).document
    assert isinstance(after, OrderDetail)
    assert after.payments[0].status == "Credited"
    assert after.payments[0].amount_credited_cents == TOTAL
    assert after.totals.refunded_cents == TOTAL and after.totals.refundable_cents == 0
    # The rollup follows the payments: nothing of what was paid is kept.
    assert after.payment_status == "Refunded"


def test_cancel_order_refusals() -> None:
    body = {"reason_code": "Fraud"}
    locked = refused("order", "cancel_order", order_doc(restrict_cancellation=True), body)
    assert (locked.status, locked.code) == (409, "restrict_cancellation")
    assert "restrictCancellation" in locked.message
    done = refused("order", "cancel_order", shipped_paid_order(), body)
    assert (done.status, done.code) == (409, "order_not_cancellable")
    partly = refused("order", "cancel_order", order_doc(fulfilled=(1, 0)), body)
    assert partly.code == "order_partly_shipped"
    with pytest.raises(ValidationError):
        run("order", "cancel_order", order_doc(), {"reason_code": "BecauseISaidSo"})


# Cancel items


def test_cancel_items_lowers_totals_and_the_authorization() -> None:
    outcome = run(
        "order",
        "cancel_items",
        order_doc(),
        {"items": [{"line_id": 1, "quantity": 1}], "reason_code": "OutOfStock"},
    )
    after = outcome.document
    assert isinstance(after, OrderDetail)
    tee = after.items[0]
    assert (tee.quantity_cancelled, tee.subtotal_cents, tee.tax_cents) == (1, 2500, 206)
    assert after.totals.subtotal_cents == 6500
    assert after.totals.total_cents == 6500 + 206 + (TAX - 412)
    assert after.payments[0].amount_requested_cents == after.totals.total_cents
    assert after.totals.pending_cents == after.totals.total_cents
    assert after.status == "Processing" and after.fulfillment.items == 2
    cancelled = [s for s in after.shipments if s.status == "CANCELED"]
    assert [(i.line_id, i.quantity) for i in cancelled[0].items] == [(1, 1)]
    open_ = [s for s in after.shipments if s.status == "READY"]
    assert sum(i.quantity for i in open_[0].items) == 2


def test_cancel_items_of_a_paid_order_credits_the_difference() -> None:
    order = order_doc(status="Accepted", payment_status="Paid", collected=TOTAL)
    outcome = run(
        "order",
        "cancel_items",
        order,
        {"items": [{"line_id": 2, "quantity": 1}], "reason_code": "CustomerRequest"},
    )
    after = outcome.document
    assert isinstance(after, OrderDetail)
    mug_value = 4000 + TAX - 412
    assert after.totals.total_cents == TOTAL - mug_value
    assert after.payments[0].amount_credited_cents == mug_value
    assert after.totals.refundable_cents == TOTAL - mug_value
    assert after.totals.balance_cents == 0
    assert "credited" in outcome.message


def test_restrict_cancellation_locks_the_order_cancel_not_item_cancels() -> None:
    order = order_doc(restrict_cancellation=True)
    assert "cancel_items" in order.available_actions
    outcome = run(
        "order",
        "cancel_items",
        order,
        {"items": [{"line_id": 1, "quantity": 1}], "reason_code": "OutOfStock"},
    )
    assert isinstance(outcome.document, OrderDetail)
    assert outcome.document.items[0].quantity_cancelled == 1


def test_cancelling_every_open_unit_cancels_the_order() -> None:
    body = {
        "items": [{"line_id": 1, "quantity": 2}, {"line_id": 2, "quantity": 1}],
        "reason_code": "Duplicate",
    }
    outcome = run("order", "cancel_items", order_doc(), body)
    assert isinstance(outcome.document, OrderDetail)
    assert outcome.document.status == "Cancelled"
    assert outcome.document.payments[0].status == "Voided"
    locked = refused("order", "cancel_items", order_doc(restrict_cancellation=True), body)
    assert (locked.status, locked.code) == (409, "restrict_cancellation")


def test_cancelling_the_rest_of_a_shipped_paid_order_completes_it() -> None:
    order = order_doc(payment_status="Paid", collected=TOTAL, fulfilled=(2, 0))
    after = run(
        "order",
        "cancel_items",
        order,
        {"items": [{"line_id": 2, "quantity": 1}], "reason_code": "OutOfStock"},
    ).document
    assert isinstance(after, OrderDetail)
    assert (after.status, after.fulfillment_status) == ("Completed", "Fulfilled")
    assert after.totals.balance_cents == 0


def test_cancel_items_refusals() -> None:
    def body(*lines: tuple[int, int]) -> dict[str, Any]:
        return {
            "items": [{"line_id": li, "quantity": q} for li, q in lines],
            "reason_code": "Other",
        }

    over = refused("order", "cancel_items", order_doc(fulfilled=(1, 0)), body((1, 2)))
    assert (over.status, over.code, over.field) == (422, "quantity_too_high", "items.0.quantity")
    unknown = refused("order", "cancel_items", order_doc(), body((9, 1)))
    assert (unknown.status, unknown.field) == (422, "items.0.line_id")
    twice = refused("order", "cancel_items", order_doc(), body((1, 1), (1, 1)))
    assert twice.code == "duplicate_line"
    edit_locked = refused("order", "cancel_items", order_doc(restrict_edit=True), body((1, 1)))
    assert edit_locked.code == "restrict_edit"
    done = refused("order", "cancel_items", shipped_paid_order(), body((1, 1)))
    assert done.code == "order_not_cancellable"
    with pytest.raises(ValidationError):
        run("order", "cancel_items", order_doc(), body((1, 0)))


# Payments


def test_capture_partly_then_fully() -> None:
    lookup = MemoryLookup(order_doc())
    order = settle(
        run("order", "capture_payment", order_doc(), {"payment_id": "pay-1", "amount_cents": 5000}),
        lookup,
    )
    assert isinstance(order, OrderDetail)
    payment = order.payments[0]
    assert (payment.status, payment.amount_collected_cents) == ("Authorized", 5000)
    assert order.totals.balance_cents == TOTAL - 5000
    assert order.totals.refundable_cents == 5000
    assert "credit_payment" in payment.available_actions
    order = settle(
        run(
            "order", "capture_payment", order, {"payment_id": "pay-1", "amount_cents": TOTAL - 5000}
        ),
        lookup,
    )
    assert isinstance(order, OrderDetail)
    assert order.payments[0].status == "Collected"
    assert (order.payment_status, order.totals.balance_cents) == ("Paid", 0)


def test_capture_refusals() -> None:
    over = refused(
        "order", "capture_payment", order_doc(), {"payment_id": "pay-1", "amount_cents": TOTAL + 1}
    )
    assert (over.status, over.code, over.field) == (422, "amount_too_high", "amount_cents")
    unknown = refused(
        "order", "capture_payment", order_doc(), {"payment_id": "nope", "amount_cents": 1}
    )
    assert (unknown.status, unknown.field) == (422, "payment_id")
    collected = refused(
        "order", "capture_payment", shipped_paid_order(), {"payment_id": "pay-1", "amount_cents": 1}
    )
    assert (collected.status, collected.code) == (409, "payment_action_not_allowed")
    with pytest.raises(ValidationError):
        run("order", "capture_payment", order_doc(), {"payment_id": "pay-1", "amount_cents": 0})
    with pytest.raises(ValidationError):
        run("order", "capture_payment", order_doc(), {"payment_id": "pay-1", "amount_cents": "100"})


def test_void_releases_the_authorization() -> None:
    after = run("order", "void_payment", order_doc(), {"payment_id": "pay-1"}).document
    assert isinstance(after, OrderDetail)
    assert after.payments[0].status == "Voided"
    assert after.totals.pending_cents == 0 and after.totals.balance_cents == TOTAL
    assert after.payment_status == "Voided"
    captured = refused("order", "void_payment", shipped_paid_order(), {"payment_id": "pay-1"})
    assert captured.code == "payment_action_not_allowed"


def test_credit_gives_captured_money_back() -> None:
    outcome = run(
        "order",
        "credit_payment",
        shipped_paid_order(),
        {"payment_id": "pay-1", "amount_cents": 1000, "note": "Price error"},
    )
    after = outcome.document
    assert isinstance(after, OrderDetail)
    assert after.payments[0].amount_credited_cents == 1000
    assert after.payments[0].status == "Collected"
    assert after.totals.refunded_cents == 1000
    assert after.totals.refundable_cents == TOTAL - 1000
    over = refused(
        "order",
        "credit_payment",
        shipped_paid_order(),
        {"payment_id": "pay-1", "amount_cents": TOTAL + 1},
    )
    assert (over.status, over.code) == (422, "amount_too_high")
    nothing = refused(
        "order", "credit_payment", order_doc(), {"payment_id": "pay-1", "amount_cents": 1}
    )
    assert nothing.code == "payment_action_not_allowed"


def test_appeasement_refund_records_a_refund_and_keeps_the_total() -> None:
    outcome = run(
        "order",
        "refund",
        shipped_paid_order(),
        {"amount_cents": 1500, "reason_code": "LateDelivery"},
    )
    after = outcome.document
    assert isinstance(after, OrderDetail)
    assert [(r.amount_cents, r.reason, r.method, r.payment_id) for r in after.refunds] == [
        (1500, "Late Delivery", "OriginalPayment", "pay-1")  # the reason in words
    ]
    assert after.totals.total_cents == TOTAL and after.totals.balance_cents == 0
    assert after.totals.refundable_cents == TOTAL - 1500
    assert after.payments[0].amount_credited_cents == 1500
    assert [e.template for e in outcome.emails] == ["RefundIssued"]


def test_refund_refusals() -> None:
    over = refused(
        "order",
        "refund",
        shipped_paid_order(),
        {"amount_cents": TOTAL + 1, "reason_code": "Goodwill"},
    )
    assert (over.status, over.code, over.field) == (422, "amount_too_high", "amount_cents")
    unpaid = refused("order", "refund", order_doc(), {"amount_cents": 1, "reason_code": "Other"})
    assert (unpaid.status, unpaid.code) == (409, "action_not_available")
    with pytest.raises(ValidationError):
        run("order", "refund", shipped_paid_order(), {"amount_cents": -5, "reason_code": "Other"})
    with pytest.raises(ValidationError):
        run("order", "refund", shipped_paid_order(), {"amount_cents": 5, "reason_code": "Meh"})


# Appeasements


def test_item_price_override_lowers_the_total_and_credits_it_back() -> None:
    outcome = run(
        "order",
        "appeasement",
        shipped_paid_order(),
        {
            "adjustment": {"type": "item_price", "line_id": 1, "unit_price_cents": 2000},
            "reason_code": "PriceMatch",
        },
    )
    after = outcome.document
    assert isinstance(after, OrderDetail)
    tee = after.items[0]
    assert (tee.unit_price_cents, tee.subtotal_cents) == (2000, 4000)
    assert tee.tax_cents == 412 * 4000 // 5000
    reduction = TOTAL - after.totals.total_cents
    assert reduction == 1000 + 412 - tee.tax_cents
    assert after.payments[0].amount_credited_cents == reduction


def test_shipping_adjustment() -> None:
    order = order_doc(status="Accepted")
    order.totals.shipping_cents = 795
    order.totals.total_cents += 795
    order.payments[0].amount_requested_cents += 795
    after = run(
        "order",
        "appeasement",
        order,
        {"adjustment": {"type": "shipping", "amount_cents": 500}, "reason_code": "LateDelivery"},
    ).document
    assert isinstance(after, OrderDetail)
    assert after.totals.shipping_cents == 295
    assert after.totals.total_cents == TOTAL + 295
    too_much = refused(
        "order",
        "appeasement",
        order,
        {"adjustment": {"type": "shipping", "amount_cents": 796}, "reason_code": "Other"},
    )
    assert (too_much.status, too_much.field) == (422, "adjustment.amount_cents")


def test_appeasement_refusals() -> None:
    higher = refused(
        "order",
        "appeasement",
        shipped_paid_order(),
        {
            "adjustment": {"type": "item_price", "line_id": 1, "unit_price_cents": 2500},
            "reason_code": "Other",
        },
    )
    assert (higher.code, higher.field) == ("price_not_lower", "adjustment.unit_price_cents")
    pending = refused(
        "order",
        "appeasement",
        order_doc(status="Submitted"),
        {"adjustment": {"type": "shipping", "amount_cents": 1}, "reason_code": "Other"},
    )
    assert pending.code == "order_not_appeasable"
    locked = refused(
        "order",
        "appeasement",
        shipped_paid_order(restrict_edit=True),
        {"adjustment": {"type": "shipping", "amount_cents": 1}, "reason_code": "Other"},
    )
    assert locked.code == "restrict_edit"
    with pytest.raises(ValidationError):
        run(
            "order",
            "appeasement",
            shipped_paid_order(),
            {"adjustment": {"type": "tax", "amount_cents": 1}, "reason_code": "Other"},
        )


# Emails


def test_resend_emails_go_to_the_order_email() -> None:
    order = shipped_paid_order()
    confirmation = run("order", "resend_confirmation", order, {})
    assert [(e.template, e.to) for e in confirmation.emails] == [
        ("OrderConfirmation", "zoe@example.com")
    ]
    shipment = run("order", "resend_shipment_email", order, {})
    assert [(e.template, e.to) for e in shipment.emails] == [
        ("ShipmentFulfilled", "zoe@example.com")
    ]
    assert "100011" in shipment.emails[0].subject
    unknown = refused("order", "resend_shipment_email", order, {"shipment_number": 100012})
    assert (unknown.status, unknown.field) == (422, "shipment_number")
    nothing_shipped = refused("order", "resend_shipment_email", order_doc(), {})
    assert nothing_shipped.code == "action_not_available"
    never_submitted = refused("order", "resend_confirmation", order_doc(status="Pending"), {})
    assert never_submitted.code == "action_not_available"


# Start a return


def test_start_return_creates_a_created_return() -> None:
    order = shipped_paid_order()
    lookup = MemoryLookup(order)
    outcome = run(
        "order",
        "start_return",
        order,
        {
            "return_type": "Refund",
            "note": "Box was crushed",
            "items": [{"line_id": 1, "quantity": 1, "reason": "Damaged"}],
        },
    )
    after = settle(outcome, lookup)
    assert isinstance(after, OrderDetail)
    ret = lookup.return_(7001)
    assert isinstance(ret, ReturnDetail)
    assert (ret.status, ret.return_type, ret.reason) == ("Created", "Refund", "Damaged")
    assert ret.refundable_cents == 2500 + 2500 * TAX // SUBTOTAL
    assert [(i.order_line_id, i.quantity) for i in ret.items] == [(1, 1)]
    assert ret.notes[0].text == "Box was crushed"
    assert ret.available_actions[:3] == ["authorize", "reject", "cancel"]
    assert after.items[0].quantity_returnable == 1
    assert after.return_status == "ReturnRequested"
    assert [r.number for r in after.returns] == [7001]


def test_start_replace_return_has_nothing_to_refund() -> None:
    outcome = run(
        "order",
        "start_return",
        shipped_paid_order(),
        {"return_type": "Replace", "items": [{"line_id": 2, "quantity": 1, "reason": "Defective"}]},
    )
    ret = outcome.creates[0].build(7001)
    assert (ret.refundable_cents, ret.replace_status) == (0, "NotReplaced")


def test_start_return_refusals() -> None:
    def body(line_id: int, quantity: int, reason: str = "Late") -> dict[str, Any]:
        return {
            "return_type": "Refund",
            "items": [{"line_id": line_id, "quantity": quantity, "reason": reason}],
        }

    over = refused("order", "start_return", shipped_paid_order(), body(2, 2))
    assert (over.status, over.code, over.field) == (422, "quantity_too_high", "items.0.quantity")
    nothing = refused("order", "start_return", order_doc(), body(1, 1))
    assert nothing.status == 422  # no shipped unit is returnable
    with pytest.raises(ValidationError):
        run("order", "start_return", shipped_paid_order(), body(1, 1, "Boredom"))
    with pytest.raises(ValidationError):
        run("order", "start_return", shipped_paid_order(), {"return_type": "Refund", "items": []})


# Rules agree with what the seeded store offers


def plausible_request(order: OrderDetail, action: str) -> dict[str, Any] | None:
    """A valid request for an offered action, or None when the order gives it nothing."""

    def open_line() -> int | None:
        return next(
            (
                i.line_id
                for i in order.items
                if i.quantity - i.quantity_fulfilled - i.quantity_cancelled > 0
            ),
            None,
        )

    def payment_for(name: str) -> str | None:
        return next((p.id for p in order.payments if name in p.available_actions), None)

    if action in {"change_billing_address", "change_shipping_address"}:
        return {"address": order.shipping_address.model_dump()}
    if action == "change_email":
        return {"email": f"changed.{order.number}@example.net"}
    if action == "add_note":
        return {"text": "Called the shopper"}
    if action == "cancel_order":
        return {"reason_code": "CustomerRequest"}
    if action == "cancel_items":
        return {"items": [{"line_id": open_line(), "quantity": 1}], "reason_code": "OutOfStock"}
    if action in {"capture_payment", "credit_payment"}:
        return {"payment_id": payment_for(action), "amount_cents": 1}
    if action == "void_payment":
        return {"payment_id": payment_for(action)}
    if action == "refund":
        return {"amount_cents": 1, "reason_code": "Goodwill"}
    if action == "appeasement":
        if order.totals.shipping_cents:
            return {
                "adjustment": {"type": "shipping", "amount_cents": 1},
                "reason_code": "LateDelivery",
            }
        line = next(
            (
                i
                for i in order.items
                if i.quantity > i.quantity_cancelled and i.unit_price_cents > 0
            ),
            None,
        )
        return (
            None
            if line is None
            else {
                "adjustment": {
                    "type": "item_price",
                    "line_id": line.line_id,
                    "unit_price_cents": line.unit_price_cents - 1,
                },
                "reason_code": "PriceMatch",
            }
        )
    if action == "start_return":
        line_id = next(i.line_id for i in order.items if i.quantity_returnable > 0)
        return {
            "return_type": "Refund",
            "items": [{"line_id": line_id, "quantity": 1, "reason": "Other"}],
        }
    return {}


def test_every_action_a_seeded_order_offers_is_accepted(seeded_store: Path) -> None:
    conn = sqlite3.connect(seeded_store)
    try:
        lookup = WriterLookup(conn)
        numbers = [row[0] for row in conn.execute("SELECT number FROM orders ORDER BY number")]
        tried: set[str] = set()
        for number in numbers[::5] + numbers[-20:]:
            order = documents.order_detail(conn, number)
            for action in order.available_actions:
                body = plausible_request(order, action)
                if body is None:
                    continue
                try:
                    outcome = run("order", action, order, body, lookup)
                except ActionRefused as refusal:
                    pytest.fail(
                        f"order #{number} offers {action} but refuses it: {refusal.message}"
                    )
                assert outcome.document is not order
                tried.add(action)
    finally:
        conn.close()
    assert tried >= {
        "cancel_order",
        "cancel_items",
        "capture_payment",
        "void_payment",
        "credit_payment",
        "refund",
        "appeasement",
        "start_return",
        "change_shipping_address",
        "resend_shipment_email",
        "submit_order",
        "accept_order",
        "set_processing",
    }


def test_a_list_that_grows_or_shrinks_is_audited_by_its_changed_elements() -> None:
    """Not the whole list before and after: two redundant copies per audit row."""
    from pydantic import BaseModel

    from agent.domain.common import changes_between

    class Doc(BaseModel):
        payments: list[dict[str, int]]

    before = Doc(payments=[{"id": 1, "cents": 100}, {"id": 2, "cents": 200}])
    added = Doc(payments=[*before.payments, {"id": 3, "cents": 300}])
    removed = Doc(payments=[before.payments[1]])
    edited = Doc(payments=[{"id": 1, "cents": 100}, {"id": 2, "cents": 250}, {"id": 4, "cents": 1}])
    grown = changes_between(before, added)
    assert [(c.field, c.old, c.new) for c in grown] == [
        ("payments.2", None, {"id": 3, "cents": 300})
    ]
    shrunk = changes_between(before, removed)
    assert [(c.field, c.old, c.new) for c in shrunk] == [
        ("payments.0", {"id": 1, "cents": 100}, None)
    ]
    both = changes_between(before, edited)
    assert [(c.field, c.old, c.new) for c in both] == [
        ("payments.1.cents", 200, 250),
        ("payments.2", None, {"id": 4, "cents": 1}),
    ]
