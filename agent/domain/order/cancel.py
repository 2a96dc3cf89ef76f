"""Cancel the whole order, or some of its unshipped units (docs/kibo-reference.md §5.2).

A whole cancel voids open authorizations and credits captured money back (the system's own
flow once every shipment is cancelled); the cancelled order keeps its totals as the record of
what was ordered, owes nothing and has nothing left to ship. Cancelling items lowers the
order's total and settles the money (money.py); cancelling every unit of an order
that shipped nothing cancels the order.
"""

from __future__ import annotations

from agent.domain.common import changes_between, money, record, refuse, working_copy
from agent.domain.order.guards import (
    require_cancellable,
    require_editable,
    require_offered,
)
from agent.domain.order.items import cancel_units, check_lines
from agent.domain.order.money import (
    creditable,
    fulfillment_rollup,
    open_units,
    rebalance,
    retotal,
    settle_reduction,
    uncollected,
)
from agent.domain.outcome import ActionContext, ActionOutcome, Email, Lookup
from shared_schema.actions_orders import CancelItemsRequest, CancelOrderRequest
from shared_schema.entities import OrderDetail
from shared_schema.labels import label

CANCELLABLE = frozenset(
    {"Pending", "Submitted", "Validated", "PendingReview", "Accepted", "Processing"}
)


def _require_status(order: OrderDetail) -> None:
    if order.status not in CANCELLABLE:
        refuse(
            f"Order #{order.number} is {order.status}: only orders not yet completed, "
            "closed or cancelled can be cancelled",
            "order_not_cancellable",
        )


def _reason(code: str, note: str) -> str:
    return f"{label(code)}: {note}" if note else label(code)


def cancel_whole(order: OrderDetail, ctx: ActionContext, reason: str) -> str:
    """Cancel every open unit and give the money back; answers the money summary."""
    for item in order.items:
        item.quantity_cancelled = item.quantity - item.quantity_fulfilled
    for shipment in order.shipments:
        if shipment.fulfillment_status == "NotFulfilled":
            shipment.status = "CANCELED"
    voided = credited = 0
    for payment in order.payments:
        released = uncollected(payment)
        if released and payment.status not in {"Voided", "Declined"}:
            voided += released
            if payment.amount_collected_cents == 0:
                payment.status = "Voided"
            else:
                payment.amount_requested_cents = payment.amount_collected_cents
        back = creditable(payment)
        if back:
            payment.amount_credited_cents += back
            payment.status = "Credited"
            credited += back
    order.totals.refunded_cents += credited
    old_status = order.status
    order.status = "Cancelled"
    order.fulfillment.remaining = 0
    rebalance(order)
    record(
        order,
        ctx,
        "Order",
        "Cancelled",
        f"Order cancelled ({reason})",
        old=old_status,
        new="Cancelled",
    )
    if voided:
        record(order, ctx, "Payment", "Voided", "Authorization voided", amount_cents=voided)
    if credited:
        record(
            order,
            ctx,
            "Payment",
            "Credited",
            "Captured payment credited back",
            amount_cents=credited,
        )
    parts = [f"voided {money(voided, order.currency)}"] if voided else []
    if credited:
        parts.append(f"credited {money(credited, order.currency)}")
    return "; ".join(parts) or "no payment to void or credit"


def _cancel_email(order: OrderDetail) -> Email:
    return Email(
        template="OrderCancelled",
        to=order.email,
        subject=f"Your order #{order.number} was cancelled",
    )


def cancel_order(
    order: OrderDetail, request: CancelOrderRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_cancellable(order)
    _require_status(order)
    if any(item.quantity_fulfilled for item in order.items):
        refuse(
            f"Order #{order.number} has shipped units: cancel its remaining items instead",
            "order_partly_shipped",
        )
    require_offered(order, "cancel_order")
    after = working_copy(order)
    summary = cancel_whole(after, ctx, _reason(request.reason_code, request.note))
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Order #{order.number} cancelled ({label(request.reason_code)}); {summary}.",
        emails=[_cancel_email(after)],
    )


def cancel_items(
    order: OrderDetail, request: CancelItemsRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    _require_status(order)
    wanted = check_lines(order, [(line.line_id, line.quantity) for line in request.items])
    require_offered(order, "cancel_items")
    after = working_copy(order)
    reason = _reason(request.reason_code, request.note)
    units = sum(wanted.values())
    nothing_shipped = not any(item.quantity_fulfilled for item in order.items)
    everything = all(wanted.get(item.line_id, 0) == open_units(item) for item in order.items)
    if nothing_shipped and everything:
        # Kibo cancels an order once all of its shipments are cancelled.
        require_cancellable(order)
        summary = cancel_whole(after, ctx, reason)
        return ActionOutcome(
            document=after,
            changes=changes_between(order, after),
            message=f"All {units} unit(s) cancelled, so order #{order.number} is cancelled; "
            f"{summary}.",
            emails=[_cancel_email(after)],
        )
    cancel_units(after, wanted)
    credited = settle_reduction(after, retotal(after))
    after.fulfillment_status = fulfillment_rollup(after)
    if after.fulfillment_status == "Fulfilled" and after.totals.balance_cents == 0:
        after.status = "Completed"
        rebalance(after)
    record(
        after,
        ctx,
        "Item",
        "Cancelled",
        f"{units} unit(s) cancelled ({reason})",
        amount_cents=after.totals.total_cents - order.totals.total_cents,
    )
    if credited:
        record(
            after,
            ctx,
            "Payment",
            "Credited",
            "Captured payment credited back",
            amount_cents=credited,
        )
    message = (
        f"{units} unit(s) cancelled; total {money(order.totals.total_cents, order.currency)}"
        f" → {money(after.totals.total_cents, order.currency)}"
    )
    if credited:
        message += f"; credited {money(credited, order.currency)}"
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=message + ".",
        emails=[
            Email(
                template="ItemsCancelled",
                to=after.email,
                subject=f"Items of your order #{order.number} were cancelled",
            )
        ],
    )
