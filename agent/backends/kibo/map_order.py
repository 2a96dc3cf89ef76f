"""Kibo Order (``CommerceRuntimeOrder``) and its returns as our OrderDetail."""

from __future__ import annotations

from collections import Counter
from typing import Any

from agent.backends.kibo.action_hooks import only_mapped
from agent.backends.kibo.available import PAYMENT_ACTIONS, gate, gate_order, kibo_actions
from agent.backends.kibo.convert import (
    EPOCH,
    Json,
    cents,
    contact_name,
    full_name,
    iso,
    items,
    number,
    obj,
    phone,
    text,
    version_of,
)
from agent.backends.kibo.map_common import history, notes, party
from agent.backends.kibo.map_return import return_summary, returned_units
from agent.backends.kibo.search_rows import order_party
from agent.backends.kibo.sections import offer
from agent.domain.order.offers import OrderState, PaymentState, order_actions, payment_actions
from shared_schema.entities import (
    FulfillmentSummary,
    OrderDetail,
    OrderItem,
    OrderTotals,
    Payment,
    Refund,
    Shipment,
    ShipmentItem,
    UnavailableSection,
)

PENDING_PAYMENTS = frozenset({"New", "Pending", "Authorized", "AuthorizePending", "CapturePending"})
DEAD_ORDERS = frozenset({"Cancelled", "Abandoned"})


def _payment(raw: Json, order_status: str) -> Payment:
    card = obj(raw, "billingInfo", "card")
    state = PaymentState(
        status=text(raw, "status"),
        amount_requested_cents=cents(raw, "amountRequested"),
        amount_collected_cents=cents(raw, "amountCollected"),
        amount_credited_cents=cents(raw, "amountCredited"),
    )
    ours = gate(payment_actions(state, order_status), kibo_actions(raw), PAYMENT_ACTIONS)
    last4 = text(card, "ccLastFour") or text(card, "cardNumberPartOrMask")[-4:]
    is_card = text(raw, "paymentType") == "CreditCard"
    return Payment(
        id=text(raw, "id"),
        type=text(raw, "paymentType"),
        status=state.status,
        card_brand=(text(card, "paymentOrCardType") or None) if is_card else None,
        card_last4=(last4 or None) if is_card else None,
        amount_requested_cents=state.amount_requested_cents,
        amount_collected_cents=state.amount_collected_cents,
        amount_credited_cents=state.amount_credited_cents,
        available_actions=ours,
    )


def _refund(raw: Json) -> Refund:
    """An appeasement refund (the order's ``refunds``; those of returns are on the return)."""
    audit = obj(raw, "auditInfo")
    method = text(raw, "refundMethod")
    return Refund(
        id=text(raw, "id"),
        amount_cents=cents(raw, "amount"),
        reason=text(raw, "reason") or text(raw, "reasonCode"),
        method=method if method in ("StoreCredit", "GiftCard") else "OriginalPayment",
        payment_id=text(obj(raw, "payment"), "id") or None,
        created_at=iso(audit.get("createDate")) or EPOCH,
        created_by=text(audit, "createBy") or "Kibo",
    )


def _tracking(shipment: Json) -> tuple[str, str | None]:
    for package in items(shipment, "packages"):
        numbers = [text(package, "trackingNumber")]
        numbers += [n for n in package.get("trackingNumbers") or [] if isinstance(n, str)]
        numbers += [text(t, "number") for t in items(package, "trackings")]
        found = next((n for n in numbers if n), None)
        if found or text(package, "carrier"):
            return text(package, "carrier"), found
    return "", None


def _shipment(raw: Json) -> Shipment:
    carrier, tracking = _tracking(raw)
    fulfilled = text(raw, "fulfillmentStatus") == "Fulfilled"
    return Shipment(
        number=number(raw, "number"),
        status=text(raw, "shipmentStatus") or "READY",
        fulfillment_status="Fulfilled" if fulfilled else "NotFulfilled",
        shipping_method=text(raw, "shippingMethodName") or text(raw, "shippingMethodCode"),
        carrier=carrier,
        tracking_number=tracking,
        items=[
            ShipmentItem(
                line_id=number(i, "lineId"),
                product_code=text(i, "productCode"),
                name=text(i, "name"),
                quantity=number(i, "quantity"),
            )
            for i in items(raw, "items")
        ],
        fulfilled_at=iso(raw.get("fulfillmentDate")) if fulfilled else None,
    )


def _line_units(shipments: list[Json], key: str, only_fulfilled: bool) -> Counter[int]:
    units: Counter[int] = Counter()
    for shipment in shipments:
        if only_fulfilled and text(shipment, "fulfillmentStatus") != "Fulfilled":
            continue
        for item in items(shipment, key):
            units[number(item, "lineId")] += number(item, "quantity")
    return units


def _unit_price(item: Json) -> int:
    price = obj(item, "unitPrice")
    for key in ("overrideAmount", "saleAmount", "listAmount"):
        if isinstance(price.get(key), int | float) and price[key]:
            return cents(price, key)
    quantity = number(item, "quantity")
    return cents(item, "subtotal") // quantity if quantity else 0


def order_detail(
    order: Json, returns: Any, missing: list[UnavailableSection] | None = None
) -> OrderDetail:
    """``missing`` names ``returns`` when the order's returns could not be loaded (None):
    returned and returnable quantities are then unknown, shown as 0 and not offered."""
    missing = missing or []
    returns_known = not any(m.section == "returns" for m in missing)
    status = text(order, "status")
    shipments = items(order, "shipments")
    fulfilled = _line_units(shipments, "items", only_fulfilled=True)
    cancelled = _line_units(shipments, "canceledItems", only_fulfilled=False)
    for item in items(order, "canceledItems"):
        cancelled[number(item, "lineId")] += number(item, "quantity")
    return_docs = items(returns, "items")
    returned = returned_units(return_docs)
    lines = []
    for item in items(order, "items"):
        line, quantity = number(item, "lineId"), number(item, "quantity")
        product = obj(item, "product")
        done = min(fulfilled[line], quantity)
        lines.append(
            OrderItem(
                line_id=line,
                product_code=text(product, "productCode"),
                name=text(product, "name"),
                quantity=quantity,
                unit_price_cents=_unit_price(item),
                subtotal_cents=cents(item, "subtotal"),
                tax_cents=cents(item, "itemTaxTotal"),
                total_cents=cents(item, "total"),
                quantity_fulfilled=done,
                quantity_returned=returned[line],
                quantity_cancelled=cancelled[line],
                quantity_returnable=max(0, done - returned[line]) if returns_known else 0,
            )
        )
    raw_payments = items(order, "payments")
    payments = [_payment(p, status) for p in raw_payments]
    collected = cents(order, "totalCollected")
    total = cents(order, "total")
    refunded = sum(p.amount_credited_cents for p in payments)
    dead = status in DEAD_ORDERS
    pending = (
        0
        if dead
        else sum(
            max(0, p.amount_requested_cents - p.amount_collected_cents)
            for p in payments
            if p.status in PENDING_PAYMENTS
        )
    )
    totals = OrderTotals(
        subtotal_cents=cents(order, "subtotal"),
        discount_cents=-abs(cents(order, "discountTotal")),
        shipping_cents=cents(order, "shippingTotal"),
        tax_cents=cents(order, "taxTotal"),
        total_cents=total,
        collected_cents=collected,
        pending_cents=pending,
        balance_cents=0 if dead else max(0, total - collected),
        refunded_cents=refunded,
        refundable_cents=max(0, collected - refunded),
    )
    units = sum(i.quantity for i in lines)
    units_done = sum(i.quantity_fulfilled for i in lines)
    units_open = sum(
        max(0, i.quantity - i.quantity_fulfilled - i.quantity_cancelled) for i in lines
    )
    mapped_shipments = [_shipment(s) for s in shipments]
    state = OrderState(
        note_count=len(items(order, "notes")),
        status=status,
        fulfillment_status=text(order, "fulfillmentStatus"),
        restrict_edit=bool(order.get("restrictEdit")),
        restrict_cancellation=bool(order.get("restrictCancellation")),
        units_fulfilled=units_done,
        units_open=units_open,
        units_returnable=sum(i.quantity_returnable for i in lines),
        refundable_cents=totals.refundable_cents,
        has_fulfilled_shipment=any(s.fulfillment_status == "Fulfilled" for s in mapped_shipments),
        payments=tuple(
            PaymentState(
                p.status,
                p.amount_requested_cents,
                p.amount_collected_cents,
                p.amount_credited_cents,
            )
            for p in payments
        ),
    )
    billing = order_party(order)
    first, last = contact_name(billing)
    email = text(order, "email")
    account = number(order, "customerAccountId")
    fulfillment_info = obj(order, "fulfillmentInfo")
    audit = obj(order, "auditInfo")
    return OrderDetail(
        id=text(order, "id"),
        number=number(order, "orderNumber"),
        version=version_of(order),
        status=status,
        payment_status=text(order, "paymentStatus"),
        fulfillment_status=text(order, "fulfillmentStatus"),
        return_status=text(order, "returnStatus") or "None",
        type=text(order, "type"),
        channel=text(order, "channelCode"),
        site=str(order["siteId"]) if isinstance(order.get("siteId"), int) else "",
        currency=text(order, "currencyCode") or "USD",
        customer_id=str(account) if account else None,
        customer_name=full_name(first, last, email),
        email=email,
        phone=phone(billing),
        submitted_at=iso(order.get("submittedDate")) or iso(audit.get("createDate")) or EPOCH,
        updated_at=iso(audit.get("updateDate")) or iso(audit.get("createDate")) or EPOCH,
        restrict_edit=state.restrict_edit,
        restrict_cancellation=state.restrict_cancellation,
        totals=totals,
        fulfillment=FulfillmentSummary(
            items=units, fulfilled=units_done, remaining=units - units_done
        ),
        billing_address=party(obj(order, "billingInfo", "billingContact"), email),
        shipping_address=party(obj(fulfillment_info, "fulfillmentContact"), email),
        shipping_method=(
            text(fulfillment_info, "shippingMethodName")
            or text(fulfillment_info, "shippingMethodCode")
        ),
        items=lines,
        payments=payments,
        shipments=mapped_shipments,
        returns=[return_summary(r) for r in return_docs],
        notes=notes(order, "text"),
        history=history(order),
        refunds=[_refund(r) for r in items(order, "refunds")],
        external_id=text(order, "externalId") or None,
        location=text(order, "locationCode") or None,
        available_actions=offer(
            gate_order(only_mapped("order", order_actions(state)), order, raw_payments), missing
        ),
        unavailable_sections=missing,
    )
