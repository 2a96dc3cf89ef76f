"""The fake tenant's order writes: notes, status moves, cancel, addresses, email, payments,
refunds, shipment cancels and adjustments, and the order's emails.

Kibo refuses an order action or payment action it does not list (``availableActions``) and an
edit sent with an old ``version`` (409); both are inferred from the documents (an order edit
takes ``version``; the actions are to be read from ``availableActions``).
"""

from __future__ import annotations

from typing import Any

from tests.kibo.fake_writes import (
    EMPTY,
    NOW,
    Json,
    change_message,
    conflict,
    created,
    find,
    invalid,
    money,
    new_id,
    not_found,
    touch,
)

# Kibo's order availableActions per status, as the fake answers them: SubmitOrder,
# AcceptOrder and CancelOrder are documented values of the order-action body,
# SetOrderAsProcessing comes from sample data (docs/kibo-reference.md §5.2).
ORDER_ACTIONS_BY_STATUS = {
    "Pending": ["SubmitOrder", "CancelOrder"],
    "Submitted": ["CancelOrder"],
    "Validated": ["AcceptOrder", "CancelOrder"],
    "PendingReview": ["AcceptOrder", "CancelOrder"],
    "Accepted": ["CancelOrder", "SetOrderAsProcessing"],
    "Processing": ["CancelOrder"],
}
ORDER_ACTION_TARGETS = {
    "SubmitOrder": "Submitted",
    "AcceptOrder": "Accepted",
    "SetOrderAsProcessing": "Processing",
    "CancelOrder": "Cancelled",
}
CONTACT_FIELDS = ("firstName", "lastNameOrSurname", "email", "phoneNumbers", "address")


def set_order_status(order: Json, status: str) -> None:
    """Put a canned order in ``status`` with the availableActions Kibo lists for it."""
    order["status"] = status
    order["availableActions"] = list(ORDER_ACTIONS_BY_STATUS.get(status, []))


def _listed(order: Json, name: str) -> None:
    if name not in order.get("availableActions", []):
        raise conflict(f"Order action {name} is not available for an order in {order['status']}")


def _versioned(order: Json, query: dict[str, str]) -> None:
    sent = query.get("version")
    if sent is not None and sent != order.get("version"):
        raise conflict(f"Order version {sent} is not the current version {order.get('version')}")


# -- notes ------------------------------------------------------------------------------------


def add_note(order: Json, body: Json) -> Json:
    if len(str(body.get("text") or "")) > 250:
        raise invalid("An order note holds at most 250 characters")
    note = {"id": f"n{new_id()}", "text": body["text"], "auditInfo": created()}
    order.setdefault("notes", []).append(note)
    touch(order)
    return note


def edit_note(order: Json, note_id: str, body: Json) -> Json:
    note = find(order.get("notes", []), "id", note_id, "order note")
    note["text"] = body["text"]
    touch(order)
    return note


def delete_note(order: Json, note_id: str) -> Any:
    order["notes"].remove(find(order.get("notes", []), "id", note_id, "order note"))
    touch(order)
    return EMPTY


# -- status ------------------------------------------------------------------------------------


def order_action(order: Json, body: Json) -> Json:
    """POST /commerce/orders/{id}/actions: the order in its next status."""
    name = str(body.get("actionName"))
    target = ORDER_ACTION_TARGETS.get(name)
    if target is None:
        raise invalid(f"Unknown order action {name}")
    _listed(order, name)
    old = order["status"]
    set_order_status(order, target)
    dates = {"SubmitOrder": "submittedDate", "AcceptOrder": "acceptedDate"}
    order[dates.get(name, "cancelledDate")] = NOW
    change_message(order, target, f"Order {target.lower()}", oldValue=old, newValue=target)
    touch(order)
    return order


def cancel_order(order: Json, body: Json) -> Json:
    _listed(order, "CancelOrder")
    if not body.get("reasonCode"):
        raise invalid("reasonCode is required to cancel an order")
    set_order_status(order, "Cancelled")
    order["cancelledDate"] = NOW
    for payment in order.get("payments", []):
        if payment["status"] == "Authorized":  # a full cancel voids authorizations
            payment.update(status="Voided", availableActions=[])
    change_message(order, "Cancelled", f"Cancelled: {body['reasonCode']}")
    touch(order)
    return order


# -- addresses and email -------------------------------------------------------------------------


def _contact(current: Json, sent: Any) -> Json:
    if not isinstance(sent, dict) or not sent.get("address"):
        raise invalid("The contact needs an address")
    return current | {k: sent[k] for k in CONTACT_FIELDS if k in sent}


def billing_info(order: Json, body: Json, query: dict[str, str]) -> Json:
    _versioned(order, query)
    info = order.setdefault("billingInfo", {})
    info["billingContact"] = _contact(info.get("billingContact", {}), body.get("billingContact"))
    touch(order)
    return info


def fulfillment_info(order: Json, body: Json, query: dict[str, str]) -> Json:
    _versioned(order, query)
    info = order.setdefault("fulfillmentInfo", {})
    sent = body.get("fulfillmentContact")
    info["fulfillmentContact"] = _contact(info.get("fulfillmentContact", {}), sent)
    touch(order)
    return info


def update_order(order: Json, body: Json, query: dict[str, str]) -> Json:
    """PUT /commerce/orders/{id}: what an admin may change on a placed order (its email)."""
    _versioned(order, query)
    if body.get("id") not in (None, order["id"]):
        raise invalid("The order in the body is another order")
    if body.get("email"):
        order["email"] = body["email"]
    touch(order)
    return order


# -- payments and refunds ------------------------------------------------------------------------


def _payment(order: Json, payment_id: str) -> Json:
    return find(order.get("payments", []), "id", payment_id, "payment")


def _interaction(payment: Json, kind: str, amount: float) -> None:
    payment.setdefault("interactions", []).append(
        {
            "id": f"pi{new_id()}",
            "interactionType": kind,
            "status": kind + "d" if kind.endswith("e") else kind + "ed",
            "amount": amount,
            "currencyCode": "USD",
            "interactionDate": NOW,
        }
    )


def payment_action(order: Json, payment_id: str, body: Json) -> Json:
    payment = _payment(order, payment_id)
    name = str(body.get("actionName"))
    if name not in payment.get("availableActions", []):
        raise conflict(f"Payment action {name} is not available for a {payment['status']} payment")
    if name == "CapturePayment":
        amount = money(body.get("amount", payment["amountRequested"]), "amount")
        if amount > payment["amountRequested"] - payment["amountCollected"]:
            raise conflict("Cannot capture more than was authorized")
        payment["amountCollected"] = round(payment["amountCollected"] + amount, 2)
        payment.update(status="Collected", availableActions=["CreditPayment"])
        _interaction(payment, "Capture", amount)
        order["totalCollected"] = sum(p["amountCollected"] for p in order["payments"])
        order["paymentStatus"] = "Paid"
    elif name == "VoidPayment":
        payment.update(status="Voided", availableActions=[])
        _interaction(payment, "Void", payment["amountRequested"] - payment["amountCollected"])
    elif name == "CreditPayment":
        amount = money(body.get("amount"), "amount")
        if amount > payment["amountCollected"] - payment["amountCredited"]:
            raise conflict("Cannot credit more than was collected")
        payment["amountCredited"] = round(payment["amountCredited"] + amount, 2)
        if payment["amountCredited"] >= payment["amountCollected"]:
            payment.update(status="Credited", availableActions=[])
        _interaction(payment, "Credit", amount)
    else:
        raise invalid(f"The fake does not carry out {name}")
    touch(order)
    return order


def refund(order: Json, body: Json) -> Json:
    """POST /commerce/orders/{id}/refunds: an appeasement refund to one of the payments."""
    payment = _payment(order, str((body.get("payment") or {}).get("id")))
    amount = money(body.get("amount"), "amount")
    given = sum(r["amount"] for r in order.get("refunds", []))
    if amount > payment["amountCollected"] - payment["amountCredited"] - given:
        raise conflict("The refund is more than the payment has left")
    entry = {
        "id": f"rf{new_id()}",
        "orderId": order["id"],
        "reason": body.get("reason"),
        "reasonCode": body.get("reasonCode"),
        "amount": amount,
        "refundMethod": "OriginalPayment",
        "payment": {"id": payment["id"]},
        "auditInfo": created(),
    }
    order.setdefault("refunds", []).append(entry)
    order["amountRefunded"] = round(given + amount, 2)
    touch(order)
    return entry


def resend_confirmation(data: dict[str, Any], order: Json, body: Json) -> Any:
    if (body or {}).get("actionName") != "SubmitOrder":
        raise invalid("The only supported actionName is SubmitOrder")
    data.setdefault("emails", []).append(("order-confirmation", order["id"]))
    return EMPTY


# -- shipments ---------------------------------------------------------------------------------


def shipment(data: dict[str, Any], number: str) -> tuple[Json, Json]:
    """(order, shipment) for a shipment number."""
    for order in data["orders"].values():
        for found in order.get("shipments", []):
            if str(found.get("number")) == number:
                return order, found
    raise not_found("shipment")


def _fulfillment_view(order: Json, found: Json) -> Json:
    """The shipment as the fulfillment API answers it (EntityModelOfShipment)."""
    keep = ("lineId", "originalOrderItemId", "productCode", "name", "quantity", "canceledReason")
    return {
        "shipmentNumber": found["number"],
        "orderId": order["id"],
        "orderNumber": order["orderNumber"],
        "shipmentStatus": found["shipmentStatus"],
        "fulfillmentStatus": found["fulfillmentStatus"],
        "items": [{k: i[k] for k in keep if k in i} for i in found.get("items", [])],
        "canceledItems": [
            {k: i[k] for k in keep if k in i} for i in found.get("canceledItems", [])
        ],
    }


def cancel_items(data: dict[str, Any], number: str, body: Json) -> Json:
    order, found = shipment(data, number)
    if found["shipmentStatus"] in ("FULFILLED", "CANCELED"):
        raise conflict(f"Shipment {number} is {found['shipmentStatus']}")
    for line in body.get("items") or []:
        item = find(found.get("items", []), "lineId", line.get("lineId"), "shipment item")
        quantity = line.get("quantity")
        if not isinstance(quantity, int) or not 0 < quantity <= item["quantity"]:
            raise invalid(f"Line {line.get('lineId')} has {item['quantity']} units to cancel")
        item["quantity"] -= quantity
        found.setdefault("canceledItems", []).append(
            {k: item[k] for k in ("lineId", "originalOrderItemId", "productCode", "name")}
            | {"quantity": quantity, "canceledReason": line.get("canceledReason")}
        )
    found["items"] = [i for i in found.get("items", []) if i["quantity"] > 0]
    if not found["items"]:
        found["shipmentStatus"] = "CANCELED"
    touch(order)
    return _fulfillment_view(order, found)


def adjust_item(data: dict[str, Any], order: Json, number: str, item_id: str, body: Json) -> Json:
    """The item's price override; Kibo reprices the order (inferred: the order item's
    ``unitPrice.overrideAmount`` follows the shipment item's ``overridePrice``)."""
    owner, found = shipment(data, number)
    if owner is not order:
        raise not_found("shipment on this order")
    item = find(found.get("items", []), "lineId", item_id, "shipment item")
    price = body.get("overridePrice")
    if isinstance(price, bool) or not isinstance(price, int | float) or price < 0:
        raise invalid("overridePrice must be an amount")
    item["overridePrice"] = price
    line = find(order["items"], "lineId", item["lineId"], "order item")
    line.setdefault("unitPrice", {})["overrideAmount"] = price
    change_message(order, "Adjusted", f"Line {item['lineId']} price set to {price}")
    touch(order)
    return found


def adjust_shipment(data: dict[str, Any], order: Json, number: str, body: Json) -> Json:
    owner, found = shipment(data, number)
    if owner is not order:
        raise not_found("shipment on this order")
    amount = body.get("shippingAdjustment")
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise invalid("shippingAdjustment must be an amount")
    if order["shippingTotal"] + amount < 0:
        raise conflict("The adjustment is more than the shipping charged")
    found["shippingAdjustment"] = round(found.get("shippingAdjustment", 0) + amount, 2)
    order["shippingTotal"] = round(order["shippingTotal"] + amount, 2)
    order["total"] = round(order["total"] + amount, 2)
    change_message(order, "Adjusted", f"Shipping adjusted by {amount}")
    touch(order)
    return found


def resend_shipment_email(data: dict[str, Any], number: str) -> Any:
    shipment(data, number)
    data.setdefault("emails", []).append(("shipment", int(number)))
    return EMPTY
