"""Which management actions an entity's state allows (docs/kibo-reference.md §4, §5).

Pure functions over small frozen dataclasses, so the demo store, the Kibo backend and the
action handlers (which must refuse what is not offered) all share one rule book. Action
names are the API's snake_case verbs; lists come back in the order the panel shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Order statuses, from docs/kibo-reference.md §4.1.
_ORDER_CLOSED = frozenset({"Completed", "Cancelled", "Closed", "Abandoned"})
_ORDER_CANCELLABLE = frozenset(
    {"Pending", "Submitted", "Validated", "PendingReview", "Accepted", "Processing"}
)
_ORDER_APPEASABLE = frozenset({"Accepted", "Processing", "Completed"})
_ORDER_NEVER_SUBMITTED = frozenset({"Pending", "Errored", "Abandoned"})
_ORDER_NO_CAPTURE = frozenset({"Cancelled", "Closed", "Abandoned"})

# Status moves a CSR makes on Kibo's Orders screen (docs/kibo-reference.md §4.1, §5.2): action ->
# (the statuses it starts from, the status it leads to). The system's own steps (validation,
# Submitted -> Validated -> Accepted, completion) are not the CSR's to make.
ORDER_STATUS_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "submit_order": (frozenset({"Pending"}), "Submitted"),
    "accept_order": (frozenset({"PendingReview"}), "Accepted"),
    "set_processing": (frozenset({"Accepted"}), "Processing"),
}

# Payment status -> our actions, reduced from Kibo's allowed-actions table.
# Collected money is given back by credit, never voided (docs/kibo-reference.md §4.2: void before
# capture); an Authorized payment may already hold a partial capture, which can be credited.
_PAYMENT_RULES: dict[str, tuple[str, ...]] = {
    "New": ("capture_payment", "void_payment"),
    "Pending": ("capture_payment", "void_payment"),
    "Authorized": ("capture_payment", "void_payment", "credit_payment"),
    "Declined": ("capture_payment", "void_payment"),
    "Collected": ("credit_payment",),
    "Credited": ("credit_payment",),
}


@dataclass(frozen=True)
class PaymentState:
    status: str
    amount_requested_cents: int
    amount_collected_cents: int
    amount_credited_cents: int


def payment_actions(payment: PaymentState, order_status: str) -> list[str]:
    """Actions on one payment of an order in ``order_status``."""
    uncollected = payment.amount_requested_cents - payment.amount_collected_cents
    creditable = payment.amount_collected_cents - payment.amount_credited_cents
    actions = []
    for action in _PAYMENT_RULES.get(payment.status, ()):
        if action == "capture_payment" and (uncollected <= 0 or order_status in _ORDER_NO_CAPTURE):
            continue
        if action == "credit_payment" and creditable <= 0:
            continue
        actions.append(action)
    return actions


@dataclass(frozen=True)
class OrderState:
    status: str
    fulfillment_status: str
    restrict_edit: bool
    restrict_cancellation: bool
    units_fulfilled: int
    units_open: int  # ordered, neither fulfilled nor cancelled
    units_returnable: int
    refundable_cents: int
    has_fulfilled_shipment: bool
    payments: tuple[PaymentState, ...] = ()
    note_count: int = 0


def can_change_addresses(order: OrderState) -> bool:
    return (
        not order.restrict_edit
        and order.status not in _ORDER_CLOSED
        and order.fulfillment_status != "Fulfilled"
    )


def can_cancel_order(order: OrderState) -> bool:
    """Cancellable before anything shipped; ``restrict_cancellation`` locks it."""
    return (
        not order.restrict_cancellation
        and order.status in _ORDER_CANCELLABLE
        and order.units_fulfilled == 0
    )


def order_actions(order: OrderState) -> list[str]:
    """``restrict_edit`` blocks edits (addresses, email, notes, items) but not returns, money
    or status moves (docs/kibo-reference.md §2 lists what it locks; status moves are not among
    them)."""
    actions: list[str] = []
    editable = not order.restrict_edit
    if can_change_addresses(order):
        actions += ["change_billing_address", "change_shipping_address"]
    if editable and order.status not in {"Closed", "Abandoned"}:
        actions.append("change_email")
    if editable:
        actions.append("add_note")
        if order.note_count:
            actions += ["edit_note", "delete_note"]
    actions += [
        action for action, (sources, _) in ORDER_STATUS_MOVES.items() if order.status in sources
    ]
    if can_cancel_order(order):
        actions.append("cancel_order")
    if editable and order.status in _ORDER_CANCELLABLE and order.units_open > 0:
        actions.append("cancel_items")
    payment_offers = {
        action for payment in order.payments for action in payment_actions(payment, order.status)
    }
    actions += [
        a for a in ("capture_payment", "void_payment", "credit_payment") if a in payment_offers
    ]
    if order.refundable_cents > 0:
        actions.append("refund")
    has_live_units = order.units_fulfilled + order.units_open > 0
    if editable and order.status in _ORDER_APPEASABLE and has_live_units:
        actions.append("appeasement")
    if order.status not in _ORDER_NEVER_SUBMITTED:
        actions.append("resend_confirmation")
    if order.has_fulfilled_shipment:
        actions.append("resend_shipment_email")
    if order.units_returnable > 0:
        actions.append("start_return")
    return actions


@dataclass(frozen=True)
class ReturnState:
    status: str
    return_type: str
    units: int
    units_received: int
    units_restocked: int
    refundable_cents: int
    refunded_cents: int
    replacement_shipped: bool
    note_count: int = 0


def return_actions(ret: ReturnState) -> list[str]:
    """Kibo's return state machine: Created -> Authorized -> Closed; Rejected/Cancelled end it.

    Once money went back or a replacement shipped, the return can only be closed: cancelling
    or rejecting it then would leave a refund or a shipment without its return.
    """
    actions: list[str] = []
    settled = ret.refunded_cents > 0 or ret.replacement_shipped
    if ret.status == "Created":
        actions += ["authorize", "reject", "cancel"]
    elif ret.status == "Authorized":
        if not settled:
            actions += ["cancel", "reject"]
        if ret.units_received < ret.units:
            actions.append("receive_items")
        if ret.units_restocked < ret.units_received:
            actions.append("restock")
        if ret.refundable_cents > 0:
            actions.append("refund")
        if ret.return_type == "Replace" and not ret.replacement_shipped:
            actions.append("ship_replacement")
        if ret.return_type != "Replace" or ret.replacement_shipped:
            actions.append("close")
    actions.append("add_note")
    if ret.note_count:
        actions += ["edit_note", "delete_note"]
    if ret.status != "Cancelled":
        actions.append("resend_email")
    return actions


@dataclass(frozen=True)
class CustomerState:
    account_status: str
    registered: bool
    contact_count: int
    note_count: int
    segment_count: int
    store_credit_count: int
    password_change_required: bool = False


def customer_actions(customer: CustomerState) -> list[str]:
    """Disable/enable/unlock/reset and forcing a password change apply to registered shoppers
    only (docs/kibo-reference.md §3.1); a guest account is offered a login instead."""
    actions = ["edit_general", "add_address"]
    if customer.contact_count:
        actions += ["edit_address", "delete_address", "set_primary_address"]
    if customer.registered:
        if customer.account_status == "Locked":
            actions.append("unlock_account")
        if customer.account_status == "Disabled":
            actions.append("enable_account")
        else:
            actions.append("disable_account")
        if customer.account_status != "Disabled":
            actions.append("send_password_reset")
        if not customer.password_change_required:
            actions.append("require_password_change")
    else:
        actions.append("add_login")
    actions.append("add_note")
    if customer.note_count:
        actions += ["edit_note", "delete_note"]
    actions += ["set_attribute", "add_segment"]
    if customer.segment_count:
        actions.append("remove_segment")
    actions.append("issue_store_credit")
    if customer.store_credit_count:
        actions += [
            "adjust_store_credit",
            "edit_store_credit_expiry",
            "delete_store_credit",
            "resend_store_credit_email",
        ]
    return actions
