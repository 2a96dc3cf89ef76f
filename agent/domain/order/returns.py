"""Start a return from an order's returnable units (docs/kibo-reference.md §5.3, start a return): a
new return in status Created; the order's units it claims are no longer returnable."""

from __future__ import annotations

from collections import Counter

from agent.domain.common import changes_between, money, record, working_copy
from agent.domain.order.guards import require_offered
from agent.domain.order.items import check_lines
from agent.domain.outcome import ActionContext, ActionOutcome, Change, Create, Lookup
from agent.domain.return_.common import order_return_status, refund_value, summary_of
from agent.domain.return_.offers import refresh_return_actions
from shared_schema.actions_orders import StartReturnRequest
from shared_schema.entities import (
    ChangeMessage,
    Note,
    OrderDetail,
    ReturnDetail,
    ReturnItem,
    ReturnReason,
)
from shared_schema.labels import label


def _new_return(
    order: OrderDetail, request: StartReturnRequest, ctx: ActionContext, number: int, rid: str
) -> ReturnDetail:
    items_by_line = {item.line_id: item for item in order.items}
    lines = []
    for index, line in enumerate(request.items):
        item = items_by_line[line.line_id]
        lines.append(
            ReturnItem(
                id=f"{number}-{index + 1}",
                order_line_id=line.line_id,
                product_code=item.product_code,
                name=item.name,
                quantity=line.quantity,
                quantity_received=0,
                quantity_restocked=0,
                quantity_refunded=0,
                quantity_replaced=0,
                reasons=[ReturnReason(reason=line.reason, quantity=line.quantity)],
                unit_price_cents=item.unit_price_cents,
            )
        )
    value = refund_value(order, sum(i.quantity * i.unit_price_cents for i in lines))
    reason = Counter(line.reason for line in request.items).most_common(1)[0][0]
    replace = request.return_type == "Replace"
    notes = (
        [Note(id=f"{number}-note-1", text=request.note, created_at=ctx.now, created_by=ctx.who)]
        if request.note
        else []
    )
    ret = ReturnDetail(
        id=rid,
        number=number,
        version=1,
        status="Created",
        return_type=request.return_type,
        refund_status="NotRefunded",
        receive_status="Waiting",
        replace_status="NotReplaced" if replace else "NotRequested",
        reason=reason,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        customer_name=order.customer_name,
        email=order.email,
        created_at=ctx.now,
        updated_at=ctx.now,
        currency=order.currency,
        items=lines,
        refundable_cents=0 if replace else value,
        refunded_cents=0,
        refunds=[],
        notes=notes,
        history=[
            ChangeMessage(
                at=ctx.now,
                who=ctx.who,
                subject="Return",
                verb="Created",
                message=f"Return started from order #{order.number}: {label(reason)}",
                new_value="Created",
            )
        ],
    )
    return refresh_return_actions(ret)


def start_return(
    order: OrderDetail, request: StartReturnRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    wanted = check_lines(
        order,
        [(line.line_id, line.quantity) for line in request.items],
        limit=lambda item: item.quantity_returnable,
        what="returnable (shipped, not yet in a return)",
    )
    require_offered(order, "start_return")
    after = working_copy(order)
    for item in after.items:
        item.quantity_returnable -= wanted.get(item.line_id, 0)
    units = sum(wanted.values())
    value = refund_value(
        order,
        sum(
            quantity * next(i.unit_price_cents for i in order.items if i.line_id == line_id)
            for line_id, quantity in wanted.items()
        ),
    )

    def build(number: int) -> ReturnDetail:
        # The writer assigns the number (before it writes the order): the order lists the
        # return it now has.
        ret = _new_return(order, request, ctx, number, lookup.entity_id("return", number))
        summary = summary_of(ret)
        after.returns.append(summary)
        after.return_status = order_return_status(after)
        changes.append(
            Change(f"returns.{len(after.returns) - 1}", None, summary.model_dump(mode="json"))
        )
        return ret

    after.return_status = (
        "ReturnRequested" if after.return_status == "None" else after.return_status
    )
    record(
        after, ctx, "Return", "Created", f"{request.return_type} return started for {units} unit(s)"
    )
    worth = "" if request.return_type == "Replace" else f" worth {money(value, order.currency)}"
    changes = changes_between(order, after)
    return ActionOutcome(
        document=after,
        changes=changes,
        message=f"{request.return_type} return of {units} unit(s){worth} created; "
        "authorize it once the shopper's package is expected.",
        creates=[Create(kind="return", build=build)],
    )
