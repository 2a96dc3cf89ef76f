"""Order details of the demo store: the ``doc`` column, or a document derived from the row.

A derived order agrees with its row: items and per-line fulfilled/returned quantities come
from ``orders.items``, totals add up to ``total_cents``, the payment holds ``collected_cents``
in the status the ``payment_status`` rollup implies, and shipments carry exactly the
fulfilled, open and cancelled quantities.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from agent.backends.demo.documents_common import (
    CARD_BRANDS,
    STAFF,
    Picker,
    display_name,
    fetch_row,
    iso,
    not_found,
    split_name,
)
from agent.backends.demo.documents_money import order_charges
from agent.backends.demo.documents_order_parts import history, shipments
from agent.backends.demo.documents_return import return_lines, return_summary, returns_of_order
from agent.backends.demo.ids import order_id
from agent.backends.demo.products import PRODUCTS
from agent.backends.demo.search_refs import refs_of
from agent.domain.order.offers import refresh_order_actions
from shared_schema.entities import (
    Address,
    FulfillmentSummary,
    OrderDetail,
    OrderItem,
    OrderTotals,
    PartyAddress,
    Payment,
)

ORDER_COLUMNS = (
    "number, customer_id, customer_name, email, status, payment_status, fulfillment_status, "
    "return_status, type, channel, site, currency, submitted_at, updated_at, total_cents, "
    "collected_cents, item_count, items, address, restrict_edit, restrict_cancel, version, doc"
)
PAYMENT_STATUS_BY_ROLLUP = {
    "Unpaid": "New",
    "Pending": "Pending",
    "Authorized": "Authorized",
    "Paid": "Collected",
    "Refunded": "Collected",  # then credited back: see _payment
    "Voided": "Voided",
    "Errored": "Declined",
}
AWAITING_COLLECTION = frozenset(
    {"New", "Pending", "Authorized", "AuthorizePending", "CapturePending"}
)
NOTHING_OWED = frozenset({"Cancelled", "Abandoned"})
SHIPPING_METHODS = ("Standard Ground", "Standard Ground", "2-Day Express", "Overnight")


def order_row(conn: sqlite3.Connection, number: int) -> dict[str, Any]:
    row = fetch_row(conn, f"SELECT {ORDER_COLUMNS} FROM orders WHERE number = ?", (number,))
    if row is None:
        raise not_found("order", number)
    return row


def order_detail(conn: sqlite3.Connection, number: int) -> OrderDetail:
    row = order_row(conn, number)
    if row["doc"] is not None:
        detail = OrderDetail.model_validate_json(row["doc"])
    else:
        detail = derive_order(conn, row)
    return refresh_order_actions(detail.model_copy(update=refs_of(conn, "orders", number)))


def derive_order(conn: sqlite3.Connection, row: dict[str, Any]) -> OrderDetail:
    picker = Picker("order", row["number"])
    return_rows = returns_of_order(conn, row["number"])
    lines = json.loads(row["items"])
    subtotal = sum(int(line[1]) * int(line[2]) for line in lines)
    shipping, tax = order_charges(row["total_cents"], subtotal, row["site"])
    items = _items(row, lines, tax, return_rows)
    refunded = sum(r["refund_cents"] for r in return_rows)
    payment = _payment(row, picker, refunded)
    party = _party(conn, row)
    method = picker.pick("shipping-method", SHIPPING_METHODS)
    units = sum(item.quantity for item in items)
    fulfilled = sum(item.quantity_fulfilled for item in items)
    order_shipments = shipments(row, picker, items, method, party.address.country)
    returns = [return_summary(r) for r in return_rows]
    return OrderDetail(
        id=order_id(row["number"]),
        number=row["number"],
        version=row["version"],
        status=row["status"],
        payment_status=row["payment_status"],
        fulfillment_status=row["fulfillment_status"],
        return_status=row["return_status"],
        type=row["type"],
        channel=row["channel"],
        site=row["site"],
        currency=row["currency"],
        customer_id=str(row["customer_id"]) if row["customer_id"] is not None else None,
        customer_name=display_name(row["customer_name"], row["email"]),
        email=row["email"],
        phone=party.phone,
        submitted_at=iso(row["submitted_at"]),
        updated_at=iso(row["updated_at"]),
        restrict_edit=bool(row["restrict_edit"]),
        restrict_cancellation=bool(row["restrict_cancel"]),
        totals=_totals(row, items, shipping, tax, payment, refunded),
        fulfillment=FulfillmentSummary(
            items=units, fulfilled=fulfilled, remaining=units - fulfilled
        ),
        billing_address=party,
        shipping_address=party,
        shipping_method=method,
        items=items,
        payments=[payment],
        shipments=order_shipments,
        returns=returns,
        notes=[],
        history=history(
            row, picker, payment, order_shipments, returns, picker.pick("staff", STAFF)
        ),
        unavailable_sections=[],  # one store: the returns load with the order
    )


def _items(
    row: dict[str, Any], lines: list[list[Any]], tax: int, return_rows: list[dict[str, Any]]
) -> list[OrderItem]:
    """Lines with their tax share; returnable = fulfilled minus what any live return holds."""
    in_returns: dict[int, int] = {}
    for ret in return_rows:
        if ret["status"] != "Cancelled":
            for line_id, _sku, quantity, _price in return_lines(ret):
                in_returns[line_id] = in_returns.get(line_id, 0) + quantity
    subtotals = [int(qty) * int(price) for _sku, qty, price, _f, _r in lines]
    taxes = _split(tax, subtotals)
    cancelled_order = row["status"] == "Cancelled"
    items = []
    for index, (sku, qty, price, fulfilled, returned) in enumerate(lines):
        line_id = index + 1
        held = max(returned, in_returns.get(line_id, 0))
        items.append(
            OrderItem(
                line_id=line_id,
                product_code=sku,
                name=PRODUCTS.get(sku, (sku, price))[0],
                quantity=qty,
                unit_price_cents=price,
                subtotal_cents=subtotals[index],
                tax_cents=taxes[index],
                total_cents=subtotals[index] + taxes[index],
                quantity_fulfilled=fulfilled,
                quantity_returned=returned,
                quantity_cancelled=qty - fulfilled if cancelled_order else 0,
                quantity_returnable=max(0, fulfilled - held),
            )
        )
    return items


def _split(amount: int, weights: list[int]) -> list[int]:
    """Split ``amount`` in proportion to ``weights``; the last share takes the rounding."""
    if not weights:
        return []
    total_weight = sum(weights)
    shares = [amount * w // total_weight if total_weight else 0 for w in weights[:-1]]
    return [*shares, amount - sum(shares)]


def _totals(
    row: dict[str, Any],
    items: list[OrderItem],
    shipping: int,
    tax: int,
    payment: Payment,
    refunded: int,
) -> OrderTotals:
    subtotal = sum(item.subtotal_cents for item in items)
    total, collected = row["total_cents"], row["collected_cents"]
    pending = 0
    if payment.status in AWAITING_COLLECTION and row["status"] not in NOTHING_OWED:
        pending = max(0, payment.amount_requested_cents - payment.amount_collected_cents)
    return OrderTotals(
        subtotal_cents=subtotal,
        discount_cents=total - subtotal - shipping - tax,
        shipping_cents=shipping,
        tax_cents=tax,
        total_cents=total,
        collected_cents=collected,
        pending_cents=pending,
        balance_cents=0 if row["status"] in NOTHING_OWED else total - collected,
        refunded_cents=refunded,
        refundable_cents=max(0, collected - refunded),
    )


def payment_kind(picker: Picker, order_type: str) -> str:
    kinds = (
        ("CreditCard", "CreditCard", "Check", "PurchaseOrder")
        if order_type == "Offline"
        else ("CreditCard",) * 6 + ("GiftCard", "StoreCredit")
    )
    return picker.pick("payment-type", kinds)


def payment_card_last4(picker: Picker, order_type: str) -> str | None:
    """The last four digits of the order's card, when it was paid by card (search_cards.py)."""
    if payment_kind(picker, order_type) != "CreditCard":
        return None
    return picker.digits("card-last4", 4)


def _payment(row: dict[str, Any], picker: Picker, refunded: int) -> Payment:
    collected = row["collected_cents"]
    status = PAYMENT_STATUS_BY_ROLLUP.get(row["payment_status"], "Pending")
    credited = min(refunded, collected)
    if status == "Collected" and collected > 0 and credited >= collected:
        status = "Credited"
    kind = payment_kind(picker, row["type"])
    card = kind == "CreditCard"
    return Payment(
        id=hashlib.sha256(f"payment:{row['number']}:1".encode()).hexdigest()[:32],
        type=kind,
        status=status,
        card_brand=picker.pick("card-brand", CARD_BRANDS) if card else None,
        card_last4=payment_card_last4(picker, row["type"]),
        amount_requested_cents=row["total_cents"],
        amount_collected_cents=collected,
        amount_credited_cents=credited,
    )


def _party(conn: sqlite3.Connection, row: dict[str, Any]) -> PartyAddress:
    """The order's contact: the guest address it carries, else its account's address."""
    first, last = split_name(row["customer_name"])
    account = None
    if row["customer_id"] is not None:
        account = fetch_row(
            conn,
            "SELECT first_name, last_name, phone, address1, city, state, postal_code, "
            "country FROM customers WHERE id = ?",
            (row["customer_id"],),
        )
    if row["address"] is not None:
        place = json.loads(row["address"])
        phone = place.get("phone") or (account["phone"] if account else "")
    elif account is not None:
        place, phone = account, account["phone"]
        first, last = account["first_name"], account["last_name"]
    else:
        place, phone = {}, ""
    address = Address(
        address1=place.get("address1", ""),
        city=place.get("city", ""),
        state=place.get("state", ""),
        postal_code=place.get("postal_code", ""),
        country=place.get("country", ""),
    )
    return PartyAddress(
        first_name=first, last_name=last, email=row["email"], phone=phone, address=address
    )
