"""Refund a return (docs/kibo-reference.md §5.3): ``auto`` gives back everything still refundable,
``manual`` an amount up to it; to the original payment (the order's payments are credited) or to
store credit (the customer's). Never more than the return's refundable, nor than the order's."""

from __future__ import annotations

from agent.domain.common import (
    changes_between,
    money,
    next_id,
    record,
    refuse,
    reject_input,
    working_copy,
)
from agent.domain.order.money import credit_payments, creditable, rebalance
from agent.domain.outcome import ActionContext, ActionOutcome, Email, Lookup, Update
from agent.domain.return_.common import order_of, refund_status, refund_value, sync_order
from agent.domain.return_.status import order_update, require_return_offered, require_status
from agent.domain.return_.store_credit import credit_customer
from shared_schema.actions_returns import RefundReturnRequest
from shared_schema.entities import OrderDetail, Refund, ReturnDetail
from shared_schema.labels import label


def _amount(ret: ReturnDetail, order: OrderDetail, request: RefundReturnRequest) -> int:
    if ret.return_type == "Replace":
        refuse(
            f"Return #{ret.number} is a Replace return: it is settled by shipping a "
            "replacement, not by a refund",
            "replace_return",
        )
    if ret.refundable_cents <= 0:
        refuse(f"Return #{ret.number} has nothing left to refund", "nothing_to_refund")
    amount = ret.refundable_cents if request.amount_cents is None else request.amount_cents
    if amount > ret.refundable_cents:
        reject_input(
            f"{money(amount, ret.currency)} is more than the "
            f"{money(ret.refundable_cents, ret.currency)} this return can still refund",
            "over_refund",
            "amount_cents",
        )
    if amount > order.totals.refundable_cents:
        reject_input(
            f"Order #{order.number} holds only "
            f"{money(order.totals.refundable_cents, ret.currency)} that can still be "
            "refunded",
            "over_refund",
            "amount_cents",
        )
    if request.method == "OriginalPayment":
        held = sum(creditable(p) for p in order.payments)
        if amount > held:
            reject_input(
                f"The order's payments can give back only {money(held, ret.currency)}",
                "over_refund",
                "amount_cents",
            )
    return amount


def _refunded_units(ret: ReturnDetail, order: OrderDetail) -> None:
    """Units counted as refunded, as the demo documents count them: whole units the refunded
    amount covers, line by line."""
    left = ret.refunded_cents
    full = ret.refund_status == "FullyRefunded"
    for item in ret.items:
        unit = refund_value(order, item.unit_price_cents)
        units = item.quantity if full else (min(item.quantity, left // unit) if unit else 0)
        item.quantity_refunded = units
        left -= units * unit


def refund(
    ret: ReturnDetail, request: RefundReturnRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_status(ret, {"Authorized"}, "refunded")
    order = order_of(ret, lookup)
    amount = _amount(ret, order, request)
    require_return_offered(ret, "refund")
    order_after = working_copy(order)
    updates: list[Update] = []
    payment_id = None
    if request.method == "StoreCredit":
        customer_update, where = credit_customer(ret, amount, ctx, lookup)
        updates.append(customer_update)
        order_after.totals.refunded_cents += amount
    else:
        before = {p.id: p.amount_credited_cents for p in order.payments}
        credit_payments(order_after, amount)
        payment_id = max(
            order_after.payments, key=lambda p: p.amount_credited_cents - before[p.id]
        ).id
        where = "the original payment"
    rebalance(order_after)
    after = working_copy(ret)
    value = ret.refunded_cents + ret.refundable_cents
    after.refunded_cents += amount
    after.refundable_cents -= amount
    after.refund_status = refund_status(after.refunded_cents, value)
    _refunded_units(after, order)
    after.refunds.append(
        Refund(
            id=next_id(f"{ret.number}-refund", [r.id for r in ret.refunds]),
            amount_cents=amount,
            reason=f"{label(ret.reason)}: {request.note}" if request.note else label(ret.reason),
            method=request.method,
            payment_id=payment_id,
            created_at=ctx.now,
            created_by=ctx.who,
        )
    )
    record(
        after,
        ctx,
        "Payment",
        "Refunded",
        f"Refund to {where}",
        old=ret.refund_status,
        new=after.refund_status,
        amount_cents=amount,
    )
    sync_order(order_after, after, ctx.now)
    record(
        order_after,
        ctx,
        "Payment",
        "Refunded",
        f"Return #{ret.number} refunded to {where}",
        amount_cents=amount,
    )
    updates.insert(0, order_update(order, order_after))
    return ActionOutcome(
        document=after,
        changes=changes_between(ret, after),
        message=f"Refunded {money(amount, ret.currency)} to {where}; the return is "
        f"{after.refund_status}.",
        updates=updates,
        emails=[
            Email(
                template="ReturnRefunded",
                to=ret.email,
                subject=f"Your refund for return #{ret.number}",
            )
        ],
    )
