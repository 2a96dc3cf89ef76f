"""Refusals every order rule shares: the restrict flags, closed orders, and a last check that
the action is one ``available_actions`` offers, so rules and offers never disagree."""

from __future__ import annotations

from agent.domain.common import refuse, reject_input
from agent.domain.order.offers import order_actions, order_state, payment_actions, payment_state
from shared_schema.entities import OrderDetail, Payment


def require_editable(order: OrderDetail) -> None:
    if order.restrict_edit:
        refuse(f"Order #{order.number} is locked for edits (restrictEdit is set)", "restrict_edit")


def require_cancellable(order: OrderDetail) -> None:
    if order.restrict_cancellation:
        refuse(
            f"Order #{order.number} is locked against cancellation (restrictCancellation is set)",
            "restrict_cancellation",
        )


def require_offered(order: OrderDetail, action: str) -> None:
    if action not in order_actions(order_state(order)):
        refuse(
            f"{action} is not available on order #{order.number} in status {order.status}",
            "action_not_available",
        )


def find_payment(order: OrderDetail, payment_id: str) -> Payment:
    for payment in order.payments:
        if payment.id == payment_id:
            return payment
    reject_input(
        f"No payment {payment_id} on order #{order.number}", "unknown_payment", "payment_id"
    )


def require_payment_action(order: OrderDetail, payment: Payment, action: str) -> None:
    if action not in payment_actions(payment_state(payment), order.status):
        refuse(
            f"{action} is not allowed on a {payment.status} payment of a {order.status} order "
            f"(collected {payment.amount_collected_cents}, credited "
            f"{payment.amount_credited_cents} of {payment.amount_requested_cents} cents)",
            "payment_action_not_allowed",
            field="payment_id",
        )
