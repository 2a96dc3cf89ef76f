"""Bridge from entity documents to the action rules: read a document's state, refresh its
``available_actions`` after any change (the demo store does it on every read)."""

from __future__ import annotations

from shared_schema.entities import CustomerDetail, OrderDetail, Payment, ReturnDetail

from .available_actions import (
    CustomerState,
    OrderState,
    PaymentState,
    ReturnState,
    customer_actions,
    order_actions,
    payment_actions,
    return_actions,
)


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


def return_state(ret: ReturnDetail) -> ReturnState:
    return ReturnState(
        status=ret.status,
        return_type=ret.return_type,
        units=sum(item.quantity for item in ret.items),
        units_received=sum(item.quantity_received for item in ret.items),
        units_restocked=sum(item.quantity_restocked for item in ret.items),
        refundable_cents=ret.refundable_cents,
        refunded_cents=ret.refunded_cents,
        replacement_shipped=ret.replace_status == "Replaced",
        note_count=len(ret.notes),
    )


def customer_state(customer: CustomerDetail) -> CustomerState:
    return CustomerState(
        account_status=customer.account_status,
        registered=customer.registered,
        contact_count=len(customer.contacts),
        note_count=len(customer.notes),
        segment_count=len(customer.segments),
        store_credit_count=len(customer.store_credits),
        password_change_required=customer.password_change_required,
    )


def refresh_order_actions(order: OrderDetail) -> OrderDetail:
    """Set the order's and each payment's ``available_actions`` from its current state."""
    for payment in order.payments:
        payment.available_actions = payment_actions(payment_state(payment), order.status)
    order.available_actions = order_actions(order_state(order))
    return order


def refresh_return_actions(ret: ReturnDetail) -> ReturnDetail:
    ret.available_actions = return_actions(return_state(ret))
    return ret


def refresh_customer_actions(customer: CustomerDetail) -> CustomerDetail:
    customer.available_actions = customer_actions(customer_state(customer))
    return customer
