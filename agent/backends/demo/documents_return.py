"""Return details of the demo store: the ``doc`` column, or a document derived from the row.

A derived return is consistent with its status: nothing is processed while Created; an
Authorized return may have received part of its items; a Closed return has received all of
them, and a Replace return that is Closed has shipped its replacement. Refunded quantities
follow ``refund_cents``.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from agent.backends.demo.documents_common import (
    STAFF,
    Picker,
    display_name,
    fetch_row,
    fetch_rows,
    iso,
    not_found,
)
from agent.backends.demo.documents_money import order_charges
from agent.backends.demo.ids import order_id, return_id
from agent.backends.demo.products import PRODUCTS
from agent.backends.demo.search_refs import refs_of
from agent.domain.order.money import with_tax
from agent.domain.return_.offers import refresh_return_actions
from shared_schema.entities import (
    ChangeMessage,
    ReceiveStatus,
    Refund,
    ReturnDetail,
    ReturnItem,
    ReturnReason,
    ReturnSummary,
)
from shared_schema.labels import label

RETURN_COLUMNS = (
    "number, order_number, customer_id, customer_name, email, status, return_type, "
    "refund_status, reason, currency, created_at, updated_at, refund_cents, item_count, items, "
    "version, doc"
)
NOT_RESTOCKABLE_REASONS = frozenset({"Damaged", "Defective", "MissingParts"})


def return_row(conn: sqlite3.Connection, number: int) -> dict[str, Any]:
    row = fetch_row(conn, f"SELECT {RETURN_COLUMNS} FROM returns WHERE number = ?", (number,))
    if row is None:
        raise not_found("return", number)
    return row


def returns_of_order(conn: sqlite3.Connection, order_number: int) -> list[dict[str, Any]]:
    return fetch_rows(
        conn,
        f"SELECT {RETURN_COLUMNS} FROM returns WHERE order_number = ? ORDER BY number",
        (order_number,),
    )


def return_lines(row: dict[str, Any]) -> list[tuple[int, str, int, int]]:
    """``returns.items`` as (order_line_id, sku, quantity, unit_price_cents) tuples."""
    return [
        (int(line), str(sku), int(qty), int(price))
        for line, sku, qty, price in json.loads(row["items"])
    ]


def return_summary(row: dict[str, Any]) -> ReturnSummary:
    return ReturnSummary(
        id=return_id(row["number"]),
        number=row["number"],
        status=row["status"],
        return_type=row["return_type"],
        refund_status=row["refund_status"],
        reason=row["reason"],
        item_count=row["item_count"],
        refunded_cents=row["refund_cents"],
        created_at=iso(row["created_at"]),
        updated_at=iso(row["updated_at"]),
    )


def return_detail(conn: sqlite3.Connection, number: int) -> ReturnDetail:
    row = return_row(conn, number)
    if row["doc"] is not None:
        detail = ReturnDetail.model_validate_json(row["doc"])
    else:
        detail = derive_return(conn, row)
    return refresh_return_actions(detail.model_copy(update=refs_of(conn, "returns", number)))


def _order_tax(conn: sqlite3.Connection, order_number: int) -> tuple[int, int]:
    """(tax, subtotal) of the return's order: a refund gives back the items' tax too."""
    order = fetch_row(
        conn, "SELECT total_cents, items, site FROM orders WHERE number = ?", (order_number,)
    )
    if order is None:
        return 0, 0
    subtotal = sum(int(line[1]) * int(line[2]) for line in json.loads(order["items"]))
    return order_charges(order["total_cents"], subtotal, order["site"])[1], subtotal


def derive_return(conn: sqlite3.Connection, row: dict[str, Any]) -> ReturnDetail:
    picker = Picker("return", row["number"])
    status, replace = row["status"], row["return_type"] == "Replace"
    tax, order_subtotal = _order_tax(conn, row["order_number"])
    items = _items(row, picker, tax, order_subtotal)
    value = with_tax(
        sum(item.quantity * item.unit_price_cents for item in items), tax, order_subtotal
    )
    refunded = row["refund_cents"]
    open_for_refund = status in {"Created", "Authorized"} and not replace
    replaced = replace and status == "Closed"
    received = sum(item.quantity_received for item in items)
    units = sum(item.quantity for item in items)
    receive_status: ReceiveStatus
    if status in {"Cancelled", "Rejected"} and received == 0:
        receive_status = "NotRequested"
    else:
        receive_status = (
            "Waiting" if received == 0 else "Received" if received >= units else "PartiallyReceived"
        )
    return ReturnDetail(
        id=return_id(row["number"]),
        number=row["number"],
        version=row["version"],
        status=status,
        return_type=row["return_type"],
        refund_status=row["refund_status"],
        receive_status=receive_status,
        replace_status=("Replaced" if replaced else "NotReplaced") if replace else "NotRequested",
        reason=row["reason"],
        order_id=order_id(row["order_number"]),
        order_number=row["order_number"],
        customer_id=str(row["customer_id"]) if row["customer_id"] is not None else None,
        customer_name=display_name(row["customer_name"], row["email"]),
        email=row["email"],
        created_at=iso(row["created_at"]),
        updated_at=iso(row["updated_at"]),
        currency=row["currency"],
        items=items,
        refundable_cents=max(0, value - refunded) if open_for_refund else 0,
        refunded_cents=refunded,
        refunds=_refunds(row, picker),
        replacement_order_id=None,
        notes=[],
        history=_history(row, picker, replaced),
    )


def _items(row: dict[str, Any], picker: Picker, tax: int, order_subtotal: int) -> list[ReturnItem]:
    status, replace = row["status"], row["return_type"] == "Replace"
    fully_refunded = row["refund_status"] == "FullyRefunded"
    refund_left = row["refund_cents"]
    items = []
    for index, (line_id, sku, quantity, unit_price) in enumerate(return_lines(row)):
        arrived = status == "Closed" or (
            status == "Authorized" and picker.chance(f"received-{index}", 50)
        )
        received = quantity if arrived else 0
        restocked = received if row["reason"] not in NOT_RESTOCKABLE_REASONS else 0
        if status == "Authorized" and not picker.chance(f"restocked-{index}", 50):
            restocked = 0
        unit_refund = with_tax(unit_price, tax, order_subtotal)
        refunded_units = (
            quantity
            if fully_refunded
            else (min(quantity, refund_left // unit_refund) if unit_refund > 0 else 0)
        )
        refund_left -= refunded_units * unit_refund
        items.append(
            ReturnItem(
                id=f"{row['number']}-{index + 1}",
                order_line_id=line_id,
                product_code=sku,
                name=PRODUCTS.get(sku, (sku, unit_price))[0],
                quantity=quantity,
                quantity_received=received,
                quantity_restocked=restocked,
                quantity_refunded=refunded_units,
                quantity_replaced=quantity if replace and status == "Closed" else 0,
                reasons=[ReturnReason(reason=row["reason"], quantity=quantity)],
                unit_price_cents=unit_price,
            )
        )
    return items


def _refunds(row: dict[str, Any], picker: Picker) -> list[Refund]:
    if row["refund_cents"] <= 0:
        return []
    return [
        Refund(
            id=f"{row['number']}-refund-1",
            amount_cents=row["refund_cents"],
            reason=row["reason"],
            method=picker.pick(
                "refund-method", ("OriginalPayment", "OriginalPayment", "StoreCredit")
            ),
            payment_id=None,
            created_at=iso(row["updated_at"]),
            created_by=picker.pick("refund-by", STAFF),
        )
    ]


def _history(row: dict[str, Any], picker: Picker, replaced: bool) -> list[ChangeMessage]:
    created, updated = row["created_at"], row["updated_at"]
    staff = picker.pick("staff", STAFF)
    history = [
        ChangeMessage(
            at=iso(created),
            who=display_name(row["customer_name"], row["email"]),
            subject="Return",
            verb="Created",
            message=f"Return requested: {label(row['reason'])}",
            new_value="Created",
        )
    ]
    status = row["status"]
    if status in {"Authorized", "Closed"}:
        history.append(
            ChangeMessage(
                at=iso(picker.between("authorized-at", created, updated)),
                who=staff,
                subject="Return",
                verb="Authorized",
                message="Return authorized",
                old_value="Created",
                new_value="Authorized",
            )
        )
    if row["refund_cents"] > 0:
        history.append(
            ChangeMessage(
                at=iso(updated),
                who=staff,
                subject="Payment",
                verb="Refunded",
                message="Refund issued",
                amount_cents=row["refund_cents"],
            )
        )
    if replaced:
        history.append(
            ChangeMessage(
                at=iso(updated),
                who=staff,
                subject="Return",
                verb="Replaced",
                message="Replacement shipped",
            )
        )
    if status in {"Closed", "Rejected", "Cancelled"}:
        previous = "Authorized" if status == "Closed" else "Created"
        history.append(
            ChangeMessage(
                at=iso(updated),
                who=staff,
                subject="Return",
                verb=status,
                message=f"Return {status.lower()}",
                old_value=previous,
                new_value=status,
            )
        )
    return history
