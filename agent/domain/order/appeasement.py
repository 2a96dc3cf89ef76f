"""Appeasements (docs/kibo-reference.md §5.2): lower an item's unit price, or take an amount off
shipping, with a reason. The total goes down and money already captured beyond it is credited
back."""

from __future__ import annotations

from agent.domain.common import (
    changes_between,
    money,
    record,
    refuse,
    reject_input,
    working_copy,
)
from agent.domain.order.guards import require_editable, require_offered
from agent.domain.order.money import charged_units, reprice_line, retotal, settle_reduction
from agent.domain.outcome import ActionContext, ActionOutcome, Lookup
from shared_schema.actions_orders import AppeasementRequest, ItemPriceOverride
from shared_schema.entities import OrderDetail
from shared_schema.labels import label

APPEASABLE = frozenset({"Accepted", "Processing", "Completed"})


def _override_price(order: OrderDetail, adjustment: ItemPriceOverride) -> str:
    item = next((i for i in order.items if i.line_id == adjustment.line_id), None)
    if item is None:
        reject_input(
            f"Order #{order.number} has no line {adjustment.line_id}",
            "unknown_line",
            "adjustment.line_id",
        )
    if charged_units(item) == 0:
        reject_input(
            f"Line {item.line_id} is cancelled: nothing to appease",
            "line_cancelled",
            "adjustment.line_id",
        )
    if adjustment.unit_price_cents >= item.unit_price_cents:
        reject_input(
            f"An appeasement lowers the price: {item.name} costs "
            f"{money(item.unit_price_cents, order.currency)} now",
            "price_not_lower",
            "adjustment.unit_price_cents",
        )
    old_price = item.unit_price_cents
    reprice_line(item, adjustment.unit_price_cents)
    return (
        f"{item.name}: unit price {money(old_price, order.currency)} → "
        f"{money(adjustment.unit_price_cents, order.currency)}"
    )


def _adjust_shipping(order: OrderDetail, amount: int) -> str:
    if amount > order.totals.shipping_cents:
        reject_input(
            f"Shipping is {money(order.totals.shipping_cents, order.currency)}: an adjustment "
            "can't take more off it",
            "amount_too_high",
            "adjustment.amount_cents",
        )
    order.totals.shipping_cents -= amount
    return f"shipping reduced by {money(amount, order.currency)}"


def appeasement(
    order: OrderDetail, request: AppeasementRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    if order.status not in APPEASABLE:
        refuse(
            f"Order #{order.number} is {order.status}: appeasements apply to accepted, "
            "processing or completed orders",
            "order_not_appeasable",
        )
    require_offered(order, "appeasement")
    after = working_copy(order)
    adjustment = request.adjustment
    if isinstance(adjustment, ItemPriceOverride):
        what = _override_price(after, adjustment)
    else:
        what = _adjust_shipping(after, adjustment.amount_cents)
    credited = settle_reduction(after, retotal(after))
    code = label(request.reason_code)
    reason = f"{code}: {request.note}" if request.note else code
    record(
        after,
        ctx,
        "Order",
        "Appeased",
        f"Appeasement ({reason}): {what}",
        amount_cents=after.totals.total_cents - order.totals.total_cents,
    )
    message = (
        f"Appeasement applied: {what}; total now {money(after.totals.total_cents, order.currency)}"
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
        message += f"; credited {money(credited, order.currency)} back"
    return ActionOutcome(
        document=after, changes=changes_between(order, after), message=message + "."
    )
