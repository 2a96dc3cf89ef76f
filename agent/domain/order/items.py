"""Order lines in a request: validate line ids and quantities; move cancelled units out of the
open shipments."""

from __future__ import annotations

from collections.abc import Callable

from agent.domain.common import reject_input
from agent.domain.order.money import open_units, reprice_line
from shared_schema.entities import OrderDetail, OrderItem, Shipment, ShipmentItem


def check_lines(
    order: OrderDetail,
    lines: list[tuple[int, int]],
    limit: Callable[[OrderItem], int] = open_units,
    what: str = "still open (ordered, not shipped or cancelled)",
) -> dict[int, int]:
    """{line_id: quantity}; each line once, each quantity within ``limit`` of its item."""
    items = {item.line_id: item for item in order.items}
    wanted: dict[int, int] = {}
    for index, (line_id, quantity) in enumerate(lines):
        item = items.get(line_id)
        if item is None:
            reject_input(
                f"Order #{order.number} has no line {line_id}",
                "unknown_line",
                f"items.{index}.line_id",
            )
        if line_id in wanted:
            reject_input(
                f"Line {line_id} is listed twice", "duplicate_line", f"items.{index}.line_id"
            )
        allowed = limit(item)
        if quantity > allowed:
            reject_input(
                f"Line {line_id} ({item.name}) has {allowed} unit(s) {what}; {quantity} asked",
                "quantity_too_high",
                f"items.{index}.quantity",
            )
        wanted[line_id] = quantity
    return wanted


def cancel_units(order: OrderDetail, wanted: dict[int, int]) -> None:
    for item in order.items:
        quantity = wanted.get(item.line_id, 0)
        if quantity:
            item.quantity_cancelled += quantity
            reprice_line(item)
            _take_from_open_shipments(order, item, quantity)
            _add_to_cancelled_shipment(order, item, quantity)


def _take_from_open_shipments(order: OrderDetail, item: OrderItem, quantity: int) -> None:
    for shipment in reversed(order.shipments):
        if shipment.fulfillment_status != "NotFulfilled" or shipment.status == "CANCELED":
            continue
        for entry in shipment.items:
            if entry.line_id == item.line_id and quantity:
                taken = min(entry.quantity, quantity)
                entry.quantity -= taken
                quantity -= taken
        shipment.items = [entry for entry in shipment.items if entry.quantity > 0]
    order.shipments = [s for s in order.shipments if s.items]


def _add_to_cancelled_shipment(order: OrderDetail, item: OrderItem, quantity: int) -> None:
    cancelled = next((s for s in order.shipments if s.status == "CANCELED"), None)
    if cancelled is None:
        cancelled = Shipment(
            number=max((s.number for s in order.shipments), default=order.number * 10) + 1,
            status="CANCELED",
            fulfillment_status="NotFulfilled",
            shipping_method=order.shipping_method,
            carrier="",
            tracking_number=None,
            items=[],
            fulfilled_at=None,
        )
        order.shipments.append(cancelled)
    for entry in cancelled.items:
        if entry.line_id == item.line_id:
            entry.quantity += quantity
            return
    cancelled.items.append(
        ShipmentItem(
            line_id=item.line_id, product_code=item.product_code, name=item.name, quantity=quantity
        )
    )
