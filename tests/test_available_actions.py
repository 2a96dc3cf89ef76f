"""The action rule book: which actions each state of an order, payment, return, customer offers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agent.domain.customer.offers import CustomerState, customer_actions
from agent.domain.order.offers import OrderState, PaymentState, order_actions, payment_actions
from agent.domain.return_.offers import ReturnState, return_actions

OPEN_ORDER = OrderState(
    status="Accepted",
    fulfillment_status="NotFulfilled",
    restrict_edit=False,
    restrict_cancellation=False,
    units_fulfilled=0,
    units_open=3,
    units_returnable=0,
    refundable_cents=0,
    has_fulfilled_shipment=False,
    payments=(PaymentState("Authorized", 10_000, 0, 0),),
)
SHIPPED_ORDER = replace(
    OPEN_ORDER,
    status="Completed",
    fulfillment_status="Fulfilled",
    units_fulfilled=3,
    units_open=0,
    units_returnable=3,
    refundable_cents=10_000,
    has_fulfilled_shipment=True,
    payments=(PaymentState("Collected", 10_000, 10_000, 0),),
)
ADDRESS_ACTIONS = {"change_billing_address", "change_shipping_address"}


def test_open_order_offers_edits_cancel_and_capture() -> None:
    actions = order_actions(OPEN_ORDER)
    assert set(actions) >= ADDRESS_ACTIONS
    assert {
        "change_email",
        "add_note",
        "cancel_order",
        "cancel_items",
        "capture_payment",
        "void_payment",
        "appeasement",
        "resend_confirmation",
    } <= set(actions)
    assert not {"refund", "start_return", "credit_payment", "resend_shipment_email"} & set(actions)


def test_completed_order_is_not_address_editable_but_returnable() -> None:
    actions = order_actions(SHIPPED_ORDER)
    assert not ADDRESS_ACTIONS & set(actions)
    assert "cancel_order" not in actions and "cancel_items" not in actions
    assert {"refund", "credit_payment", "start_return", "resend_shipment_email"} <= set(actions)
    assert "capture_payment" not in actions and "void_payment" not in actions


@pytest.mark.parametrize("status", ["Cancelled", "Closed"])
def test_closed_orders_keep_addresses(status: str) -> None:
    actions = order_actions(replace(OPEN_ORDER, status=status))
    assert not ADDRESS_ACTIONS & set(actions)
    assert "cancel_order" not in actions and "capture_payment" not in actions


def test_fully_shipped_processing_order_keeps_addresses() -> None:
    shipped = replace(SHIPPED_ORDER, status="Processing")
    assert not ADDRESS_ACTIONS & set(order_actions(shipped))


@pytest.mark.parametrize(
    ("status", "cancellable"),
    [
        ("Pending", True),
        ("Submitted", True),
        ("Validated", True),
        ("PendingReview", True),
        ("Accepted", True),
        ("Processing", True),
        ("Completed", False),
        ("Cancelled", False),
        ("Errored", False),
        ("Abandoned", False),
        ("Closed", False),
    ],
)
def test_cancel_order_by_status(status: str, cancellable: bool) -> None:
    assert ("cancel_order" in order_actions(replace(OPEN_ORDER, status=status))) is cancellable


def test_processing_order_with_shipped_units_cannot_be_cancelled() -> None:
    partly = replace(
        OPEN_ORDER,
        status="Processing",
        fulfillment_status="PartiallyFulfilled",
        units_fulfilled=1,
        units_open=2,
        has_fulfilled_shipment=True,
    )
    actions = order_actions(partly)
    assert "cancel_order" not in actions
    assert "cancel_items" in actions and set(actions) >= ADDRESS_ACTIONS


def test_restrict_cancellation_blocks_only_cancelling_the_order() -> None:
    actions = order_actions(replace(OPEN_ORDER, restrict_cancellation=True))
    assert "cancel_order" not in actions
    assert set(order_actions(OPEN_ORDER)) - set(actions) == {"cancel_order"}


def test_restrict_edit_blocks_edits_not_returns_or_money() -> None:
    actions = order_actions(replace(SHIPPED_ORDER, restrict_edit=True))
    assert not {"change_email", "add_note", "appeasement"} & set(actions)
    assert {"start_return", "refund", "credit_payment"} <= set(actions)
    open_actions = order_actions(replace(OPEN_ORDER, restrict_edit=True))
    assert not (ADDRESS_ACTIONS | {"cancel_items"}) & set(open_actions)
    assert "cancel_order" in open_actions


STATUS_MOVES = {
    "submit_order": "Pending",
    "accept_order": "PendingReview",
    "set_processing": "Accepted",
}


@pytest.mark.parametrize(
    "status",
    [
        "Pending",
        "Submitted",
        "Validated",
        "PendingReview",
        "Accepted",
        "Processing",
        "Completed",
        "Cancelled",
        "Errored",
        "Abandoned",
        "Closed",
    ],
)
def test_status_moves_are_offered_exactly_in_their_source_status(status: str) -> None:
    for locked in (False, True):  # restrictEdit / restrictCancellation do not lock them
        state = replace(
            OPEN_ORDER, status=status, restrict_edit=locked, restrict_cancellation=locked
        )
        offered = {a for a in order_actions(state) if a in STATUS_MOVES}
        assert offered == {a for a, source in STATUS_MOVES.items() if source == status}


def test_never_submitted_order_has_no_confirmation_to_resend() -> None:
    assert "resend_confirmation" not in order_actions(replace(OPEN_ORDER, status="Pending"))


@pytest.mark.parametrize(
    ("status", "requested", "collected", "credited", "expected"),
    [
        ("New", 100, 0, 0, ["capture_payment", "void_payment"]),
        ("Authorized", 100, 0, 0, ["capture_payment", "void_payment"]),
        ("Authorized", 100, 40, 0, ["capture_payment", "void_payment", "credit_payment"]),
        ("Collected", 100, 100, 0, ["credit_payment"]),
        ("Collected", 100, 100, 100, []),
        ("Credited", 100, 100, 30, ["credit_payment"]),
        ("Voided", 100, 0, 0, []),
        ("Declined", 100, 0, 0, ["capture_payment", "void_payment"]),
        ("CapturePending", 100, 0, 0, []),
        ("CreditPending", 100, 100, 0, []),
    ],
)
def test_payment_actions_follow_the_status_table(
    status: str, requested: int, collected: int, credited: int, expected: list[str]
) -> None:
    payment = PaymentState(status, requested, collected, credited)
    assert payment_actions(payment, "Processing") == expected


def test_no_capture_on_a_cancelled_order() -> None:
    payment = PaymentState("Authorized", 100, 0, 0)
    assert payment_actions(payment, "Cancelled") == ["void_payment"]


CREATED = ReturnState(
    status="Created",
    return_type="Refund",
    units=2,
    units_received=0,
    units_restocked=0,
    refundable_cents=5000,
    refunded_cents=0,
    replacement_shipped=False,
)
AUTHORIZED = replace(CREATED, status="Authorized")


def test_created_return_is_authorized_rejected_or_cancelled() -> None:
    assert return_actions(CREATED) == ["authorize", "reject", "cancel", "add_note", "resend_email"]


def test_authorized_return_is_processed_then_closed() -> None:
    assert return_actions(AUTHORIZED) == [
        "reject",
        "cancel",
        "receive_items",
        "refund",
        "close",
        "add_note",
        "resend_email",
    ]
    received = replace(AUTHORIZED, units_received=2)
    assert "receive_items" not in return_actions(received)
    assert "restock" in return_actions(received)
    assert "restock" not in return_actions(replace(received, units_restocked=2))


def test_refunded_return_can_no_longer_be_cancelled() -> None:
    refunded = replace(AUTHORIZED, refundable_cents=0, refunded_cents=5000)
    actions = return_actions(refunded)
    assert not {"cancel", "reject", "refund"} & set(actions)
    assert "close" in actions


def test_replace_return_closes_only_after_the_replacement_shipped() -> None:
    replace_return = replace(AUTHORIZED, return_type="Replace", refundable_cents=0)
    actions = return_actions(replace_return)
    assert "ship_replacement" in actions and "close" not in actions
    shipped = return_actions(replace(replace_return, replacement_shipped=True))
    assert "close" in shipped and "ship_replacement" not in shipped


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Closed", ["add_note", "resend_email"]),
        ("Rejected", ["add_note", "resend_email"]),
        ("Cancelled", ["add_note"]),
    ],
)
def test_finished_returns_only_take_notes(status: str, expected: list[str]) -> None:
    assert return_actions(replace(AUTHORIZED, status=status)) == expected


CUSTOMER = CustomerState(
    account_status="Active",
    registered=True,
    contact_count=1,
    note_count=0,
    segment_count=0,
    store_credit_count=0,
)


@pytest.mark.parametrize(
    ("status", "present", "absent"),
    [
        (
            "Active",
            {"disable_account", "send_password_reset", "lock_account"},
            {"enable_account", "unlock_account"},
        ),
        (
            "Disabled",
            {"enable_account"},
            {"disable_account", "unlock_account", "send_password_reset", "lock_account"},
        ),
        (
            "Locked",
            {"unlock_account", "disable_account", "send_password_reset"},
            {"enable_account", "lock_account"},
        ),
    ],
)
def test_account_actions_by_status(status: str, present: set[str], absent: set[str]) -> None:
    actions = set(customer_actions(replace(CUSTOMER, account_status=status)))
    assert present <= actions and not absent & actions


def test_guest_account_has_no_login_actions() -> None:
    actions = set(customer_actions(replace(CUSTOMER, registered=False)))
    assert (
        not {
            "disable_account",
            "enable_account",
            "unlock_account",
            "lock_account",
            "send_password_reset",
        }
        & actions
    )
    assert {"edit_general", "add_note", "issue_store_credit"} <= actions


def test_customer_list_actions_need_something_to_act_on() -> None:
    empty = set(customer_actions(replace(CUSTOMER, contact_count=0)))
    assert (
        not {
            "edit_address",
            "delete_address",
            "set_primary_address",
            "edit_note",
            "delete_note",
            "remove_segment",
            "adjust_store_credit",
        }
        & empty
    )
    full = set(
        customer_actions(replace(CUSTOMER, note_count=1, segment_count=2, store_credit_count=1))
    )
    assert {
        "edit_address",
        "delete_address",
        "set_primary_address",
        "edit_note",
        "delete_note",
        "remove_segment",
        "adjust_store_credit",
        "add_address",
        "set_attribute",
        "add_segment",
    } <= full


def test_a_guest_is_offered_a_login_and_a_registered_account_a_forced_change() -> None:
    guest = customer_actions(replace(CUSTOMER, registered=False))
    assert "add_login" in guest and "require_password_change" not in guest
    registered = customer_actions(CUSTOMER)
    assert "require_password_change" in registered and "add_login" not in registered
    # Offered while not required yet, in any account status of a registered shopper.
    for status in ("Active", "Locked", "Disabled"):
        assert "require_password_change" in customer_actions(
            replace(CUSTOMER, account_status=status)
        )
    already = customer_actions(replace(CUSTOMER, password_change_required=True))
    assert "require_password_change" not in already
    assert "send_password_reset" in already


def test_store_credit_actions_need_a_credit() -> None:
    credit_actions = {
        "adjust_store_credit",
        "edit_store_credit_expiry",
        "delete_store_credit",
        "resend_store_credit_email",
    }
    assert not credit_actions & set(customer_actions(CUSTOMER))
    with_credit = customer_actions(replace(CUSTOMER, store_credit_count=1))
    assert credit_actions <= set(with_credit)
    assert with_credit[-5:] == [
        "issue_store_credit",
        "adjust_store_credit",
        "edit_store_credit_expiry",
        "delete_store_credit",
        "resend_store_credit_email",
    ]
    guest = set(customer_actions(replace(CUSTOMER, registered=False, store_credit_count=1)))
    assert credit_actions <= guest
