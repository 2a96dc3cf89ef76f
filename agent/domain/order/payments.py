"""Payment actions (docs/kibo-reference.md §4.2, §5.2): capture, void, credit, and the
appeasement refund. Void only releases what is not captured; captured money goes back by
credit or refund, never above what the payment and the order still hold."""

from __future__ import annotations

from agent.domain.common import (
    changes_between,
    money,
    next_id,
    record,
    reject_input,
    working_copy,
)
from agent.domain.order.guards import find_payment, require_offered, require_payment_action
from agent.domain.order.money import (
    credit_payments,
    creditable,
    rebalance,
    settle_payment_status,
    uncollected,
)
from agent.domain.outcome import ActionContext, ActionOutcome, Email, Lookup
from shared_schema.actions_orders import (
    CapturePaymentRequest,
    CreditPaymentRequest,
    RefundOrderRequest,
    VoidPaymentRequest,
)
from shared_schema.entities import OrderDetail, Refund
from shared_schema.labels import label


def _too_much(order: OrderDetail, asked: int, allowed: int, what: str) -> None:
    if asked > allowed:
        reject_input(
            f"{money(asked, order.currency)} is more than the {money(allowed, order.currency)} "
            f"{what}",
            "amount_too_high",
            "amount_cents",
        )


def capture_payment(
    order: OrderDetail, request: CapturePaymentRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    payment = find_payment(order, request.payment_id)
    require_payment_action(order, payment, "capture_payment")
    _too_much(
        order,
        request.amount_cents,
        uncollected(payment),
        "authorized and not yet captured on this payment",
    )
    require_offered(order, "capture_payment")
    after = working_copy(order)
    target = find_payment(after, payment.id)
    target.amount_collected_cents += request.amount_cents
    after.totals.collected_cents += request.amount_cents
    target.status = "Authorized"
    settle_payment_status(target)
    rebalance(after)
    record(
        after,
        ctx,
        "Payment",
        "Captured",
        f"{label(payment.type)} payment captured",
        old=payment.status,
        new=target.status,
        amount_cents=request.amount_cents,
    )
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Captured {money(request.amount_cents, order.currency)}; the order owes "
        f"{money(after.totals.balance_cents, order.currency)}.",
    )


def void_payment(
    order: OrderDetail, request: VoidPaymentRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    payment = find_payment(order, request.payment_id)
    require_payment_action(order, payment, "void_payment")
    require_offered(order, "void_payment")
    after = working_copy(order)
    target = find_payment(after, payment.id)
    released = uncollected(target)
    if target.amount_collected_cents == 0:
        target.status = "Voided"
    else:
        target.amount_requested_cents = target.amount_collected_cents
        settle_payment_status(target)
    rebalance(after)
    record(
        after,
        ctx,
        "Payment",
        "Voided",
        f"{label(payment.type)} authorization voided",
        old=payment.status,
        new=target.status,
        amount_cents=released,
    )
    message = f"Voided {money(released, order.currency)} of authorization"
    if after.totals.balance_cents:
        message += (
            f"; the order still owes {money(after.totals.balance_cents, order.currency)}"
            " and needs another payment"
        )
    return ActionOutcome(
        document=after, changes=changes_between(order, after), message=message + "."
    )


def credit_payment(
    order: OrderDetail, request: CreditPaymentRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    payment = find_payment(order, request.payment_id)
    require_payment_action(order, payment, "credit_payment")
    _too_much(
        order,
        request.amount_cents,
        creditable(payment),
        "captured and not yet credited on this payment",
    )
    require_offered(order, "credit_payment")
    after = working_copy(order)
    target = find_payment(after, payment.id)
    credit_payments(after, request.amount_cents, target)
    rebalance(after)
    note = f": {request.note}" if request.note else ""
    record(
        after,
        ctx,
        "Payment",
        "Credited",
        f"{label(payment.type)} payment credited{note}",
        old=payment.status,
        new=target.status,
        amount_cents=request.amount_cents,
    )
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Credited {money(request.amount_cents, order.currency)} back to the "
        f"{label(payment.type)} payment.",
    )


def refund_order(
    order: OrderDetail, request: RefundOrderRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    """An appeasement: money back to the shopper, recorded as a Refund; the order's total and
    balance stay as they are."""
    require_offered(order, "refund")
    _too_much(
        order,
        request.amount_cents,
        order.totals.refundable_cents,
        "refundable on this order (captured minus already given back)",
    )
    first = None
    if request.payment_id is not None:
        first = find_payment(order, request.payment_id)
        _too_much(order, request.amount_cents, creditable(first), "refundable on this payment")
    _too_much(
        order,
        request.amount_cents,
        sum(creditable(p) for p in order.payments),
        "the order's payments can still give back",
    )
    after = working_copy(order)
    target = find_payment(after, first.id) if first else None
    before = {p.id: p.amount_credited_cents for p in order.payments}
    credit_payments(after, request.amount_cents, target)
    rebalance(after)
    used = max(after.payments, key=lambda p: p.amount_credited_cents - before[p.id])
    after.refunds.append(
        Refund(
            id=next_id(f"{order.number}-refund", [r.id for r in after.refunds]),
            amount_cents=request.amount_cents,
            reason=f"{label(request.reason_code)}: {request.note}"
            if request.note
            else label(request.reason_code),
            method="OriginalPayment",
            payment_id=used.id,
            created_at=ctx.now,
            created_by=ctx.who,
        )
    )
    record(
        after,
        ctx,
        "Payment",
        "Refunded",
        f"Appeasement refund ({label(request.reason_code)})",
        amount_cents=request.amount_cents,
    )
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Refunded {money(request.amount_cents, order.currency)} "
        f"({label(request.reason_code)}); the order's total is unchanged.",
        emails=[
            Email(
                template="RefundIssued",
                to=order.email,
                subject=f"A refund for your order #{order.number}",
            )
        ],
    )
