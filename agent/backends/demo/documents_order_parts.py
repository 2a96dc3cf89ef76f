"""Shipments and history timeline of a derived demo order."""

from __future__ import annotations

from typing import Any

from agent.backends.demo.documents_common import Picker, display_name, iso
from shared_schema.entities import (
    ChangeMessage,
    OrderItem,
    Payment,
    ReturnSummary,
    Shipment,
    ShipmentItem,
)
from shared_schema.labels import label

# Orders in these statuses have released their shipments to fulfillment.
SHIPPING_STATUSES = frozenset({"Accepted", "Processing", "Completed", "Closed"})
ACCEPTED_STATUSES = frozenset({"Accepted", "Processing", "Completed", "Closed"})
CARRIERS = {
    "US": ("UPS", "FedEx", "USPS"),
    "CA": ("Canada Post", "Purolator"),
    "GB": ("Royal Mail", "DPD"),
}
OPEN_SHIPMENT_STATUSES = ("READY",) * 8 + ("BACKORDER", "CUSTOMER_CARE")


def _tracking_number(carrier: str, picker: Picker) -> str:
    if carrier == "UPS":
        return f"1Z{picker.digits('tracking', 16)}"
    if carrier == "USPS":
        return f"9400{picker.digits('tracking', 18)}"
    if carrier == "Royal Mail":
        return f"RM{picker.digits('tracking', 9)}GB"
    return picker.digits("tracking", 12 if carrier == "FedEx" else 16)


def _shipment_items(items: list[OrderItem], quantity_of: Any) -> list[ShipmentItem]:
    return [
        ShipmentItem(
            line_id=item.line_id,
            product_code=item.product_code,
            name=item.name,
            quantity=quantity_of(item),
        )
        for item in items
        if quantity_of(item) > 0
    ]


def shipments(
    row: dict[str, Any], picker: Picker, items: list[OrderItem], method: str, country: str
) -> list[Shipment]:
    """One shipment per state: fulfilled units, units still to ship, cancelled units."""
    carrier = picker.pick("carrier", CARRIERS.get(country, CARRIERS["US"]))
    result: list[Shipment] = []

    def add(status: str, shipment_items: list[ShipmentItem], shipped_at: int | None) -> None:
        if shipment_items:
            result.append(
                Shipment(
                    number=row["number"] * 10 + len(result) + 1,
                    status=status,
                    fulfillment_status="Fulfilled" if status == "FULFILLED" else "NotFulfilled",
                    shipping_method=method,
                    carrier=carrier,
                    tracking_number=_tracking_number(carrier, picker) if shipped_at else None,
                    items=shipment_items,
                    fulfilled_at=iso(shipped_at) if shipped_at else None,
                )
            )

    add(
        "FULFILLED",
        _shipment_items(items, lambda i: i.quantity_fulfilled),
        picker.between("fulfilled-at", row["submitted_at"], row["updated_at"]),
    )
    if row["status"] in SHIPPING_STATUSES:
        add(
            picker.pick("open-shipment", OPEN_SHIPMENT_STATUSES),
            _shipment_items(
                items, lambda i: i.quantity - i.quantity_fulfilled - i.quantity_cancelled
            ),
            None,
        )
    add("CANCELED", _shipment_items(items, lambda i: i.quantity_cancelled), None)
    return result


def history(
    row: dict[str, Any],
    picker: Picker,
    payment: Payment,
    order_shipments: list[Shipment],
    returns: list[ReturnSummary],
    staff: str,
) -> list[ChangeMessage]:
    """A plausible timeline, oldest first, ending at the order's last update."""
    submitted, updated = row["submitted_at"], row["updated_at"]
    shopper = display_name(row["customer_name"], row["email"])
    entries = [
        ChangeMessage(
            at=iso(submitted),
            who=shopper if row["type"] == "Online" else staff,
            subject="Order",
            verb="Submitted",
            message=f"Order submitted ({row['type']}, {row['channel']})",
            new_value="Submitted",
            amount_cents=row["total_cents"],
        )
    ]
    if row["status"] in ACCEPTED_STATUSES:
        entries.append(
            ChangeMessage(
                at=iso(min(submitted + picker.between("accepted-after", 60, 3600), updated)),
                who="system",
                subject="Order",
                verb="Accepted",
                message="Order accepted",
                old_value="Submitted",
                new_value="Accepted",
            )
        )
    if payment.amount_collected_cents > 0:
        entries.append(
            ChangeMessage(
                at=iso(picker.between("captured-at", submitted, updated)),
                who="system",
                subject="Payment",
                verb="Captured",
                message=f"{label(payment.type)} payment captured",
                amount_cents=payment.amount_collected_cents,
            )
        )
    for shipment in order_shipments:
        if shipment.status == "FULFILLED" and shipment.fulfilled_at:
            entries.append(
                ChangeMessage(
                    at=shipment.fulfilled_at,
                    who="system",
                    subject="Shipment",
                    verb="Fulfilled",
                    message=f"Shipment {shipment.number} shipped via {shipment.carrier}",
                )
            )
    entries += [
        ChangeMessage(
            at=ret.created_at,
            who=shopper,
            subject="Return",
            verb="Created",
            message=f"Return #{ret.number} opened: {ret.reason}",
        )
        for ret in returns
    ]
    if row["status"] in {"Completed", "Cancelled", "Closed", "Abandoned", "Errored"}:
        entries.append(
            ChangeMessage(
                at=iso(updated),
                who=staff if row["status"] == "Cancelled" else "system",
                subject="Order",
                verb=row["status"],
                message=f"Order {row['status'].lower()}",
                new_value=row["status"],
            )
        )
    return sorted(entries, key=lambda entry: entry.at)
