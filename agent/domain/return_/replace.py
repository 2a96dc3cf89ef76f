"""Ship a Replace return's replacement (docs/kibo-reference.md §5.3, "Ship Replacement"): the system
creates a child order with the returned items at no charge; the CSR never creates orders.

The demo store has no warehouse to wait for, so the child order ships at once (Completed,
one fulfilled shipment) and the return may then be closed.
"""

from __future__ import annotations

from agent.domain.common import changes_between, record, refuse, working_copy
from agent.domain.order.offers import refresh_order_actions
from agent.domain.outcome import ActionContext, ActionOutcome, Change, Create, Email, Lookup
from agent.domain.return_.common import order_of
from agent.domain.return_.status import require_return_offered, require_status
from shared_schema.actions_returns import ShipReplacementRequest
from shared_schema.entities import (
    ChangeMessage,
    FulfillmentSummary,
    OrderDetail,
    OrderItem,
    OrderTotals,
    ReturnDetail,
    Shipment,
    ShipmentItem,
)


def replacement_order(
    ret: ReturnDetail, parent: OrderDetail, number: int, oid: str, ctx: ActionContext
) -> OrderDetail:
    items = [
        OrderItem(
            line_id=index + 1,
            product_code=line.product_code,
            name=line.name,
            quantity=line.quantity,
            unit_price_cents=0,
            subtotal_cents=0,
            tax_cents=0,
            total_cents=0,
            quantity_fulfilled=line.quantity,
            quantity_returned=0,
            quantity_cancelled=0,
            quantity_returnable=line.quantity,
        )
        for index, line in enumerate(ret.items)
    ]
    units = sum(item.quantity for item in items)
    carrier = next((s.carrier for s in parent.shipments if s.status == "FULFILLED"), "")
    shipment = Shipment(
        number=number * 10 + 1,
        status="FULFILLED",
        fulfillment_status="Fulfilled",
        shipping_method=parent.shipping_method,
        carrier=carrier,
        tracking_number=None,
        items=[
            ShipmentItem(
                line_id=i.line_id, product_code=i.product_code, name=i.name, quantity=i.quantity
            )
            for i in items
        ],
        fulfilled_at=ctx.now,
    )
    origin = f"Replacement for return #{ret.number} of order #{parent.number}"
    order = OrderDetail(
        id=oid,
        number=number,
        version=1,
        status="Completed",
        payment_status="Paid",
        fulfillment_status="Fulfilled",
        return_status="None",
        type=parent.type,
        channel=parent.channel,
        site=parent.site,
        currency=parent.currency,
        customer_id=parent.customer_id,
        customer_name=parent.customer_name,
        email=parent.email,
        phone=parent.phone,
        submitted_at=ctx.now,
        updated_at=ctx.now,
        restrict_edit=False,
        restrict_cancellation=False,
        totals=OrderTotals(
            subtotal_cents=0,
            discount_cents=0,
            shipping_cents=0,
            tax_cents=0,
            total_cents=0,
            collected_cents=0,
            pending_cents=0,
            balance_cents=0,
            refunded_cents=0,
            refundable_cents=0,
        ),
        fulfillment=FulfillmentSummary(items=units, fulfilled=units, remaining=0),
        billing_address=parent.billing_address,
        shipping_address=parent.shipping_address,
        shipping_method=parent.shipping_method,
        items=items,
        payments=[],
        shipments=[shipment],
        returns=[],
        notes=[],
        history=[
            ChangeMessage(
                at=ctx.now,
                who=ctx.who,
                subject="Order",
                verb="Submitted",
                message=origin,
                new_value="Submitted",
                amount_cents=0,
            ),
            ChangeMessage(
                at=ctx.now,
                who="system",
                subject="Shipment",
                verb="Fulfilled",
                message=f"Shipment {shipment.number} shipped",
            ),
        ],
    )
    return refresh_order_actions(order)


def ship_replacement(
    ret: ReturnDetail, request: ShipReplacementRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_status(ret, {"Authorized"}, "replaced")
    if ret.return_type != "Replace":
        refuse(
            f"Return #{ret.number} is a Refund return: refund it instead of shipping a replacement",
            "not_replace_return",
        )
    if ret.replace_status == "Replaced":
        refuse(f"Return #{ret.number} already shipped its replacement", "already_replaced")
    require_return_offered(ret, "ship_replacement")
    parent = order_of(ret, lookup)
    after = working_copy(ret)
    after.replace_status = "Replaced"
    for item in after.items:
        item.quantity_replaced = item.quantity
    units = sum(item.quantity for item in ret.items)
    record(
        after,
        ctx,
        "Return",
        "Replaced",
        f"Replacement of {units} unit(s) shipped",
        old=ret.replace_status,
        new="Replaced",
    )

    def build(number: int) -> OrderDetail:
        # The writer assigns the number (before it writes the return): the return links the
        # order it now has.
        after.replacement_order_id = lookup.entity_id("order", number)
        changes.append(Change("replacement_order_id", None, after.replacement_order_id))
        return replacement_order(ret, parent, number, after.replacement_order_id, ctx)

    changes = changes_between(ret, after)
    return ActionOutcome(
        document=after,
        changes=changes,
        message=f"Replacement order for {units} unit(s) created and shipped; the return can "
        "now be closed.",
        creates=[Create(kind="order", build=build)],
        emails=[
            Email(
                template="ReplacementShipped",
                to=ret.email,
                subject=f"Your replacement for return #{ret.number} has shipped",
            )
        ],
    )
