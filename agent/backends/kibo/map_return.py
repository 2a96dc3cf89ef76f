"""Kibo Return as our ReturnDetail (and the short form an order lists)."""

from __future__ import annotations

from collections import Counter

from agent.backends.kibo.action_hooks import only_mapped
from agent.backends.kibo.available import RETURN_ACTIONS, gate, kibo_actions
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
    text,
    version_of,
)
from agent.backends.kibo.map_common import history, notes
from agent.backends.kibo.search_rows import return_reason, return_units
from agent.domain.return_.offers import ReturnState, return_actions
from shared_schema.entities import (
    ReceiveStatus,
    Refund,
    ReplaceStatus,
    ReturnDetail,
    ReturnItem,
    ReturnReason,
    ReturnSummary,
)

VOID_RETURNS = frozenset({"Cancelled", "Rejected"})
REFUND_METHODS = {"StoreCredit": "StoreCredit", "GiftCard": "GiftCard"}


def return_type(ret: Json) -> str:
    """Kibo writes ``Refund`` / ``Replace``; some callers post ``REFUND`` (docs/kibo-reference.md
    §3.3)."""
    raw = text(ret, "returnType")
    return raw.capitalize() if raw.upper() in ("REFUND", "REPLACE") else raw


def _item_units(item: Json) -> int:
    return sum(number(r, "quantity") for r in items(item, "reasons"))


def returned_units(returns: list[Json]) -> Counter[int]:
    """Units per order line that live (not cancelled/rejected) returns take back."""
    units: Counter[int] = Counter()
    for ret in returns:
        if text(ret, "status") in VOID_RETURNS:
            continue
        for item in items(ret, "items"):
            units[number(item, "orderLineId")] += _item_units(item)
    return units


def _unit_price(item: Json) -> int:
    price = obj(item, "product", "price")
    for key in ("salePrice", "price"):
        if isinstance(price.get(key), int | float) and price[key]:
            return cents(price, key)
    return 0


def _refunded(ret: Json) -> int:
    credited = sum(cents(p, "amountCredited") for p in items(ret, "payments"))
    return credited or cents(ret, "refundAmount")


def _refund_status(ret: Json, refunded: int, refundable: int) -> str:
    given = text(ret, "refundStatus")
    if given in ("NotRefunded", "PartiallyRefunded", "FullyRefunded"):
        return given
    if refunded <= 0:
        return "NotRefunded"
    return "PartiallyRefunded" if refundable > 0 else "FullyRefunded"


def return_summary(ret: Json) -> ReturnSummary:
    audit = obj(ret, "auditInfo")
    refunded = _refunded(ret)
    created = iso(audit.get("createDate")) or EPOCH
    return ReturnSummary(
        id=text(ret, "id"),
        number=number(ret, "returnNumber"),
        status=text(ret, "status"),
        return_type=return_type(ret),
        refund_status=_refund_status(ret, refunded, 1),
        reason=return_reason(ret),
        item_count=return_units(ret),
        refunded_cents=refunded,
        created_at=created,
        updated_at=iso(audit.get("updateDate")) or created,
    )


def _item(raw: Json) -> ReturnItem:
    product = obj(raw, "product")
    return ReturnItem(
        id=text(raw, "id"),
        order_line_id=number(raw, "orderLineId"),
        product_code=text(product, "productCode"),
        name=text(product, "name"),
        quantity=_item_units(raw),
        quantity_received=number(raw, "quantityReceived"),
        quantity_restocked=number(raw, "quantityRestocked"),
        quantity_refunded=number(raw, "quantityRefunded"),
        quantity_replaced=number(raw, "quantityReplaced"),
        reasons=[
            ReturnReason(reason=text(r, "reason"), quantity=number(r, "quantity"))
            for r in items(raw, "reasons")
        ],
        unit_price_cents=_unit_price(raw),
    )


def _refunds(ret: Json) -> list[Refund]:
    out = []
    for payment in items(ret, "payments"):
        amount = cents(payment, "amountCredited")
        if amount <= 0:
            continue
        audit = obj(payment, "auditInfo")
        method = REFUND_METHODS.get(text(payment, "paymentType"), "OriginalPayment")
        out.append(
            Refund(
                id=text(payment, "id"),
                amount_cents=amount,
                reason="",
                method=method,
                payment_id=text(payment, "id") or None,
                created_at=iso(audit.get("createDate")) or EPOCH,
                created_by=text(audit, "createBy"),
            )
        )
    return out


def _receive_status(status: str, units: int, received: int) -> ReceiveStatus:
    if units and received >= units:
        return "Received"
    if received:
        return "PartiallyReceived"
    return "Waiting" if status == "Authorized" else "NotRequested"


def return_detail(ret: Json) -> ReturnDetail:
    status, kind = text(ret, "status"), return_type(ret)
    lines = [_item(i) for i in items(ret, "items")]
    units = sum(i.quantity for i in lines)
    received = sum(i.quantity_received for i in lines)
    refunded = _refunded(ret)
    open_for_money = kind == "Refund" and status not in VOID_RETURNS | {"Closed"}
    refundable = (
        sum(max(0, i.quantity - i.quantity_refunded) * i.unit_price_cents for i in lines)
        if open_for_money
        else 0
    )
    replacement = text(ret, "returnOrderId") or None
    replaced = bool(replacement) or (units > 0 and sum(i.quantity_replaced for i in lines) >= units)
    replace_status: ReplaceStatus = (
        "NotRequested" if kind != "Replace" else "Replaced" if replaced else "NotReplaced"
    )
    contact = obj(ret, "contact")
    first, last = contact_name(contact)
    account = number(ret, "customerAccountId")
    audit = obj(ret, "auditInfo")
    created = iso(audit.get("createDate")) or EPOCH
    state = ReturnState(
        note_count=len(items(ret, "notes")),
        status=status,
        return_type=kind,
        units=units,
        units_received=received,
        units_restocked=sum(i.quantity_restocked for i in lines),
        refundable_cents=refundable,
        refunded_cents=refunded,
        replacement_shipped=replaced,
    )
    return ReturnDetail(
        id=text(ret, "id"),
        number=number(ret, "returnNumber"),
        version=version_of(ret),
        status=status,
        return_type=kind,
        refund_status=_refund_status(ret, refunded, refundable),
        receive_status=_receive_status(status, units, received),
        replace_status=replace_status,
        reason=return_reason(ret),
        order_id=text(ret, "originalOrderId"),
        order_number=number(ret, "originalOrderNumber"),
        customer_id=str(account) if account else None,
        customer_name=full_name(first, last, text(contact, "email")),
        email=text(contact, "email"),
        created_at=created,
        updated_at=iso(audit.get("updateDate")) or created,
        currency=text(ret, "currencyCode") or "USD",
        items=lines,
        refundable_cents=refundable,
        refunded_cents=refunded,
        refunds=_refunds(ret),
        replacement_order_id=replacement,
        external_id=text(ret, "externalId") or None,
        location=text(ret, "locationCode") or None,
        notes=notes(ret, "text"),
        history=history(ret),
        available_actions=gate(
            only_mapped("return", return_actions(state)), kibo_actions(ret), RETURN_ACTIONS
        ),
    )
