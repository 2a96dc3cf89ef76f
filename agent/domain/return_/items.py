"""Receive a return's package (quantities arrived) and restock what arrived (docs/kibo-reference.md
§5.3)."""

from __future__ import annotations

from collections.abc import Callable

from agent.domain.common import changes_between, record, reject_input, working_copy
from agent.domain.outcome import ActionContext, ActionOutcome, Lookup
from agent.domain.return_.common import receive_status
from agent.domain.return_.status import require_return_offered, require_status
from shared_schema.actions_returns import ReceiveItemsRequest, RestockRequest, ReturnItemQuantity
from shared_schema.entities import ReturnDetail, ReturnItem


def _check(
    ret: ReturnDetail,
    lines: list[ReturnItemQuantity],
    room: Callable[[ReturnItem], int],
    what: str,
) -> dict[str, int]:
    items = {item.id: item for item in ret.items}
    wanted: dict[str, int] = {}
    for index, line in enumerate(lines):
        item = items.get(line.item_id)
        if item is None:
            reject_input(
                f"Return #{ret.number} has no item {line.item_id}",
                "unknown_item",
                f"items.{index}.item_id",
            )
        if line.item_id in wanted:
            reject_input(
                f"Item {line.item_id} is listed twice", "duplicate_item", f"items.{index}.item_id"
            )
        if line.quantity > room(item):
            reject_input(
                f"{item.name}: {room(item)} unit(s) {what}; {line.quantity} given",
                "quantity_too_high",
                f"items.{index}.quantity",
            )
        wanted[line.item_id] = line.quantity
    return wanted


def receive_items(
    ret: ReturnDetail, request: ReceiveItemsRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_status(ret, {"Authorized"}, "received")
    wanted = _check(
        ret, request.items, lambda i: i.quantity - i.quantity_received, "still expected"
    )
    require_return_offered(ret, "receive_items")
    after = working_copy(ret)
    for item in after.items:
        item.quantity_received += wanted.get(item.id, 0)
    after.receive_status = receive_status(after)
    units = sum(wanted.values())
    record(
        after,
        ctx,
        "Item",
        "Received",
        f"{units} unit(s) received",
        old=ret.receive_status,
        new=after.receive_status,
    )
    return ActionOutcome(
        document=after,
        changes=changes_between(ret, after),
        message=f"{units} unit(s) received; the return is {after.receive_status}.",
    )


def restock(
    ret: ReturnDetail, request: RestockRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_status(ret, {"Authorized"}, "restocked")
    wanted = _check(
        ret,
        request.items,
        lambda i: i.quantity_received - i.quantity_restocked,
        "received and not yet restocked",
    )
    require_return_offered(ret, "restock")
    after = working_copy(ret)
    for item in after.items:
        item.quantity_restocked += wanted.get(item.id, 0)
    units = sum(wanted.values())
    record(after, ctx, "Item", "Restocked", f"{units} unit(s) restocked")
    return ActionOutcome(
        document=after,
        changes=changes_between(ret, after),
        message=f"{units} unit(s) back in stock.",
    )
