"""What return rules share with each other and with start_return: the refund value of lines,
status rollups, and keeping the return's order in step (its returns list, returnable and
returned quantities, return status)."""

from __future__ import annotations

from agent.domain.common import refuse
from agent.domain.order.money import with_tax
from agent.domain.outcome import Lookup
from shared_schema.entities import OrderDetail, ReceiveStatus, ReturnDetail, ReturnSummary

OPEN_RETURN = frozenset({"Created", "Authorized"})


def refund_value(order: OrderDetail, amount_cents: int) -> int:
    """What returning items worth ``amount_cents`` gives back: the price and its share of the
    order's tax, as the demo documents compute it."""
    return with_tax(amount_cents, order.totals.tax_cents, order.totals.subtotal_cents)


def refund_status(refunded: int, value: int) -> str:
    if refunded <= 0:
        return "NotRefunded"
    return "FullyRefunded" if refunded >= value else "PartiallyRefunded"


def receive_status(ret: ReturnDetail) -> ReceiveStatus:
    received = sum(item.quantity_received for item in ret.items)
    units = sum(item.quantity for item in ret.items)
    if received == 0:
        return "NotRequested" if ret.status in {"Cancelled", "Rejected"} else "Waiting"
    return "Received" if received >= units else "PartiallyReceived"


def summary_of(ret: ReturnDetail) -> ReturnSummary:
    return ReturnSummary(
        id=ret.id,
        number=ret.number,
        status=ret.status,
        return_type=ret.return_type,
        refund_status=ret.refund_status,
        reason=ret.reason,
        item_count=sum(item.quantity for item in ret.items),
        refunded_cents=ret.refunded_cents,
        created_at=ret.created_at,
        updated_at=ret.updated_at,
    )


def order_of(ret: ReturnDetail, lookup: Lookup) -> OrderDetail:
    order = lookup.order(ret.order_number)
    if not isinstance(order, OrderDetail):
        refuse(f"Order #{ret.order_number} of this return can't be read", "order_unreadable")
    return order


def sync_order(order: OrderDetail, ret: ReturnDetail, now: str) -> None:
    """Put the return's current summary on its order and roll up the order's return status."""
    summary = summary_of(ret)
    order.returns = [summary if s.number == ret.number else s for s in order.returns]
    if all(s.number != ret.number for s in order.returns):
        order.returns.append(summary)
    order.return_status = order_return_status(order)
    order.updated_at = now


def order_return_status(order: OrderDetail) -> str:
    """vocab.ORDER_RETURN_STATUSES from returned units and open returns."""
    returned = sum(item.quantity_returned for item in order.items)
    units = sum(item.quantity - item.quantity_cancelled for item in order.items)
    if returned and returned >= units:
        return "FullyReturned"
    if returned:
        return "PartiallyReturned"
    if any(s.status in OPEN_RETURN for s in order.returns):
        return "ReturnRequested"
    return "None"


def give_back_returnable(order: OrderDetail, ret: ReturnDetail) -> None:
    """A cancelled return frees its units to be returned again."""
    for line in ret.items:
        for item in order.items:
            if item.line_id == line.order_line_id:
                room = item.quantity_fulfilled - item.quantity_returned
                item.quantity_returnable = min(room, item.quantity_returnable + line.quantity)


def count_returned(order: OrderDetail, ret: ReturnDetail) -> None:
    """A closed return's units count as returned on the order."""
    for line in ret.items:
        for item in order.items:
            if item.line_id == line.order_line_id:
                item.quantity_returned = min(
                    item.quantity_fulfilled, item.quantity_returned + line.quantity
                )
