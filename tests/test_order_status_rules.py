"""Order status moves, pure: submit (Pending), accept (Pending Review), set as processing
(Accepted) — each allowed source status and every refused one."""

from __future__ import annotations

from typing import Any

import pytest

from agent.domain import catalog
from agent.domain.outcome import ActionRefused
from shared_schema import vocab
from shared_schema.entities import Address, OrderDetail
from tests.support.action_docs import CTX, order_doc, party, run

# action -> (the one status it starts from, the status it leads to)
MOVES = {
    "submit_order": ("Pending", "Submitted"),
    "accept_order": ("PendingReview", "Accepted"),
    "set_processing": ("Accepted", "Processing"),
}
NOWHERE = Address(address1="", city="", state="", postal_code="", country="")


def refused(action: str, order: OrderDetail, body: dict[str, Any] | None = None) -> ActionRefused:
    with pytest.raises(ActionRefused) as caught:
        run("order", action, order, body or {})
    return caught.value


def status_changes(outcome: Any) -> list[tuple[str, Any, Any]]:
    return [(c.field, c.old, c.new) for c in outcome.changes if c.field == "status"]


@pytest.mark.parametrize("action", sorted(MOVES))
def test_each_move_goes_from_its_status_to_the_next(action: str) -> None:
    source, target = MOVES[action]
    order = order_doc(status=source, payment_status="Pending")
    assert action in order.available_actions
    outcome = run("order", action, order, {"note": "Checked with the shopper"})
    after = outcome.document
    assert isinstance(after, OrderDetail)
    assert after.status == target
    assert status_changes(outcome) == [("status", source, target)]
    entry = after.history[-1]
    assert (entry.subject, entry.verb, entry.old_value, entry.new_value) == (
        "Order",
        target,
        source,
        target,
    )
    assert "Checked with the shopper" in entry.message and entry.who == CTX.who
    assert after.payments == order.payments  # no money moves
    assert order.status == source  # the input is never changed


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (action, status)
        for action, (source, _) in sorted(MOVES.items())
        for status in vocab.ORDER_STATUSES
        if status != source
    ],
)
def test_every_other_status_is_refused_naming_the_rule(action: str, status: str) -> None:
    order = order_doc(status=status)
    assert action not in order.available_actions
    refusal = refused(action, order)
    assert (refusal.status, refusal.code) == (409, "order_status")
    label = "Pending Review" if status == "PendingReview" else status
    assert f": it is {label}; only orders in " in refusal.message
    assert "order #10001" in refusal.message


def test_refusal_messages_read_as_the_rule() -> None:
    done = order_doc(status="Completed", payment_status="Paid", fulfilled=(2, 1))
    assert refused("accept_order", done).message == (
        "Cannot accept order #10001: it is Completed; only orders in Pending Review can be accepted"
    )
    assert refused("submit_order", order_doc(status="PendingReview")).message == (
        "Cannot submit order #10001: it is Pending Review; only orders in Pending can be submitted"
    )
    assert refused("set_processing", order_doc(status="Submitted")).message == (
        "Cannot set order #10001 as processing: it is Submitted; only orders in Accepted can "
        "be set as processing"
    )


def test_submit_stamps_the_submission_and_sends_the_confirmation() -> None:
    order = order_doc(status="Pending", payment_status="Unpaid")
    outcome = run("order", "submit_order", order, {})
    after = outcome.document
    assert isinstance(after, OrderDetail)
    assert after.submitted_at == CTX.now
    assert {c.field for c in outcome.changes} == {"status", "submitted_at"}
    assert [(e.template, e.to) for e in outcome.emails] == [
        ("OrderConfirmation", "zoe@example.com")
    ]
    assert after.payment_status == "Unpaid"  # payment is not authorized by us
    assert "confirmation" in outcome.message


@pytest.mark.parametrize("action", ["accept_order", "set_processing"])
def test_accept_and_processing_change_only_the_status(action: str) -> None:
    order = order_doc(status=MOVES[action][0])
    outcome = run("order", action, order, {})
    assert [c.field for c in outcome.changes] == ["status"]
    assert outcome.emails == []


@pytest.mark.parametrize("action", sorted(MOVES))
def test_restrict_edit_does_not_lock_status_moves(action: str) -> None:
    order = order_doc(status=MOVES[action][0], restrict_edit=True, restrict_cancellation=True)
    assert action in order.available_actions
    after = run("order", action, order, {}).document
    assert isinstance(after, OrderDetail) and after.status == MOVES[action][1]


def test_submit_needs_items_billing_shipping_and_a_payment() -> None:
    no_billing = order_doc(status="Pending")
    no_billing.billing_address = party(NOWHERE)
    assert refused("submit_order", no_billing).code == "billing_address_missing"
    no_shipping = order_doc(status="Pending")
    no_shipping.shipping_address = party(NOWHERE)
    refusal = refused("submit_order", no_shipping)
    assert (refusal.status, refusal.code) == (409, "shipping_address_missing")
    assert refusal.message == "Cannot submit order #10001: it has no shipping address"
    emptied = order_doc(status="Pending")
    for item in emptied.items:
        item.quantity_cancelled = item.quantity
    assert refused("submit_order", emptied).code == "order_has_no_items"
    unpaid = order_doc(status="Pending")
    unpaid.payments[0].status = "Voided"
    assert refused("submit_order", unpaid).code == "payment_missing"


def test_catalog_confirms_status_moves_without_requiring_a_key() -> None:
    labels = {
        "submit_order": "Submit order",
        "accept_order": "Accept order",
        "set_processing": "Set as processing",
    }
    for name, label in labels.items():
        action = catalog.find("order", name)
        assert action is not None
        info = action.info()
        assert (info.label, info.confirm, info.needs_idempotency_key) == (label, True, False)
