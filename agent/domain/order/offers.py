"""What an order's state offers (docs/kibo-reference.md §4, §5).

An order document is reduced to a small frozen ``OrderState``; each order action's
declaration (order/actions.py) names the predicate below that says whether the state allows
it, so the demo store, the Kibo backend and the rules themselves share one rule book.
Payments have their own table: Kibo offers capture, void and credit per payment.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.domain import catalog
from shared_schema.entities import OrderDetail, Payment

ORDER_CLOSED = frozenset({"Completed", "Cancelled", "Closed", "Abandoned"})
_ORDER_CANCELLABLE = frozenset(
    {"Pending", "Submitted", "Validated", "PendingReview", "Accepted", "Processing"}
)
_ORDER_APPEASABLE = frozenset({"Accepted", "Processing", "Completed"})
_ORDER_NEVER_SUBMITTED = frozenset({"Pending", "Errored", "Abandoned"})
_ORDER_NO_CAPTURE = frozenset({"Cancelled", "Closed", "Abandoned"})

# Status moves a CSR makes on Kibo's Orders screen (docs/kibo-reference.md §4.1, §5.2):
# action -> (the statuses it starts from, the status it leads to). The system's own steps
# (validation, Submitted -> Validated -> Accepted, completion) are not the CSR's to make.
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


# ``restrict_edit`` blocks edits (addresses, email, notes, items) but not returns, money or
# status moves (docs/kibo-reference.md §2 lists what it locks; status moves are not among them).


def editable(order: OrderState) -> bool:
    return not order.restrict_edit


def can_change_addresses(order: OrderState) -> bool:
    return (
        editable(order)
        and order.status not in ORDER_CLOSED
        and order.fulfillment_status != "Fulfilled"
    )


def can_change_email(order: OrderState) -> bool:
    return editable(order) and order.status not in {"Closed", "Abandoned"}


def can_edit_notes(order: OrderState) -> bool:
    return editable(order) and order.note_count > 0


def moves_status(action: str) -> catalog.Offered[OrderState]:
    """The status move ``action`` is offered in the statuses it starts from."""
    sources = ORDER_STATUS_MOVES[action][0]
    return lambda order: order.status in sources


def can_cancel_order(order: OrderState) -> bool:
    """Cancellable before anything shipped; ``restrict_cancellation`` locks it."""
    return (
        not order.restrict_cancellation
        and order.status in _ORDER_CANCELLABLE
        and order.units_fulfilled == 0
    )


def can_cancel_items(order: OrderState) -> bool:
    return editable(order) and order.status in _ORDER_CANCELLABLE and order.units_open > 0


def a_payment_offers(action: str) -> catalog.Offered[OrderState]:
    """A payment action is offered on the order when one of its payments offers it."""
    return lambda order: any(action in payment_actions(p, order.status) for p in order.payments)


def can_appease(order: OrderState) -> bool:
    has_live_units = order.units_fulfilled + order.units_open > 0
    return editable(order) and order.status in _ORDER_APPEASABLE and has_live_units


def was_submitted(order: OrderState) -> bool:
    return order.status not in _ORDER_NEVER_SUBMITTED


def order_actions(order: OrderState) -> list[str]:
    """The order actions ``order`` offers, in the order the panel lists them."""
    return catalog.offered("order", order)


def payment_state(payment: Payment) -> PaymentState:
    return PaymentState(
        status=payment.status,
        amount_requested_cents=payment.amount_requested_cents,
        amount_collected_cents=payment.amount_collected_cents,
        amount_credited_cents=payment.amount_credited_cents,
    )


def order_state(order: OrderDetail) -> OrderState:
    return OrderState(
        status=order.status,
        fulfillment_status=order.fulfillment_status,
        restrict_edit=order.restrict_edit,
        restrict_cancellation=order.restrict_cancellation,
        units_fulfilled=sum(item.quantity_fulfilled for item in order.items),
        units_open=sum(
            max(0, item.quantity - item.quantity_fulfilled - item.quantity_cancelled)
            for item in order.items
        ),
        units_returnable=sum(item.quantity_returnable for item in order.items),
        refundable_cents=order.totals.refundable_cents,
        has_fulfilled_shipment=any(s.status == "FULFILLED" for s in order.shipments),
        payments=tuple(payment_state(p) for p in order.payments),
        note_count=len(order.notes),
    )


def refresh_order_actions(order: OrderDetail) -> OrderDetail:
    """Set the order's and each payment's ``available_actions`` from its current state."""
    for payment in order.payments:
        payment.available_actions = payment_actions(payment_state(payment), order.status)
    order.available_actions = order_actions(order_state(order))
    return order
