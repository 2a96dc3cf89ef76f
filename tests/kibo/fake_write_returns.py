"""The fake tenant's return writes: start a return, its status actions, receiving (a PUT of
the return, as Kibo's SDK tests receive), restock, refunds, the replacement order, notes and
the return email.

Kibo refuses a return action it does not list (``availableActions``); a manual refund credits
the payment named by ``referenceSourcePaymentId`` (Kibo's SDK tests refund to the order's
card that way; without it, a check number must say where the money goes).
"""

from __future__ import annotations

from typing import Any

from tests.kibo.fake_writes import (
    EMPTY,
    NOW,
    Json,
    conflict,
    created,
    find,
    invalid,
    money,
    new_id,
    not_found,
    touch,
)

RETURN_TARGETS = {"Authorize": "Authorized", "Reject": "Rejected", "Cancel": "Cancelled"}
ACTIONS_BY_STATUS = {
    "Created": ["Authorize", "Reject", "Cancel", "Resend"],
    "Authorized": ["Reject", "Cancel", "Close", "Resend"],
}


def set_return_status(ret: Json, status: str) -> None:
    ret["status"] = status
    ret["availableActions"] = list(ACTIONS_BY_STATUS.get(status, []))


def _units(item: Json) -> int:
    return sum(r.get("quantity", 0) for r in item.get("reasons", []))


def _unit_price(item: Json) -> float:
    price = (item.get("product") or {}).get("price") or {}
    return float(price.get("salePrice") or price.get("price") or 0)


def create_return(data: dict[str, Any], body: Json) -> Json:
    order = data["orders"].get(body.get("originalOrderId"))
    if order is None:
        raise not_found("original order")
    if body.get("returnType") not in ("Refund", "Replace"):
        raise invalid("returnType is Refund or Replace")
    lines = {i["id"]: i for i in order["items"]}
    items = []
    for sent in body.get("items") or []:
        line = lines.get(sent.get("orderItemId"))
        if line is None:
            raise invalid(f"The order has no item {sent.get('orderItemId')}")
        quantity = sum(r.get("quantity", 0) for r in sent.get("reasons") or [])
        if not 0 < quantity <= line["quantity"]:
            raise invalid(f"Item {line['id']} has {line['quantity']} units to return")
        price = line["unitPrice"].get("overrideAmount") or line["unitPrice"]["saleAmount"]
        items.append(
            {
                "id": f"ri{new_id()}",
                "orderItemId": line["id"],
                "orderLineId": line["lineId"],
                "product": line["product"] | {"price": {"price": price, "salePrice": price}},
                "reasons": sent["reasons"],
                "returnType": body["returnType"],
                "quantityReceived": 0,
                "quantityRestocked": 0,
                "quantityRefunded": 0,
                "quantityReplaced": 0,
                "quantityShipped": quantity,
            }
        )
    if not items:
        raise invalid("A return needs items")
    number = 7000 + len(data["returns"]) + 1
    rid = f"{number:032x}"
    ret: Json = {
        "id": rid,
        "returnNumber": number,
        "originalOrderId": order["id"],
        "originalOrderNumber": order["orderNumber"],
        "returnType": body["returnType"],
        "currencyCode": order.get("currencyCode", "USD"),
        "refundAmount": 0.0,
        "contact": order["billingInfo"]["billingContact"],
        "notes": [n | {"id": f"rn{new_id()}"} for n in body.get("notes", [])],
        "items": items,
        "auditInfo": created(),
    }
    set_return_status(ret, "Created")
    if "customerAccountId" in order:
        ret["customerAccountId"] = order["customerAccountId"]
    data["returns"][rid] = ret
    return ret


def _listed(ret: Json, name: str) -> None:
    if name not in ret.get("availableActions", []):
        raise conflict(f"Return action {name} is not available for a {ret['status']} return")


def return_action(data: dict[str, Any], body: Json) -> Json:
    name = str(body.get("actionName"))
    changed = []
    for rid in body.get("returnIds") or []:
        ret = data["returns"].get(rid)
        if ret is None:
            raise not_found(f"return {rid}")
        _listed(ret, name)
        if name == "Close":
            if ret["returnType"] == "Replace" and not ret.get("returnOrderId"):
                raise conflict("A replace return closes once its replacement has shipped")
            set_return_status(ret, "Closed")
        elif name in RETURN_TARGETS:
            set_return_status(ret, RETURN_TARGETS[name])
        else:
            raise invalid(f"Unknown return action {name}")
        touch(ret)
        changed.append(ret)
    return {
        "startIndex": 0,
        "pageSize": len(changed),
        "pageCount": 1,
        "totalCount": len(changed),
        "items": changed,
    }


def _open(ret: Json) -> None:
    if ret["status"] != "Authorized":
        raise conflict(f"A {ret['status']} return takes no items back")


def receive(ret: Json, body: Json) -> Json:
    """PUT /commerce/returns/{id}: of the whole return, only what was received changes."""
    _open(ret)
    sent = {i.get("id"): i for i in body.get("items") or []}
    for item in ret["items"]:
        new = sent.get(item["id"], {})
        received = new.get("quantityReceived", item["quantityReceived"])
        if not isinstance(received, int) or not item["quantityReceived"] <= received <= _units(
            item
        ):
            raise invalid(f"Item {item['id']}: received {received} of {_units(item)}")
        item["quantityReceived"] = received
        item["quantityRestockable"] = new.get("quantityRestockable", received)
    touch(ret)
    return ret


def restock(ret: Json, body: Any) -> Json:
    _open(ret)
    for line in body or []:
        item = find(ret["items"], "id", line.get("returnItemId"), "return item")
        quantity = line.get("quantity")
        left = item.get("quantityRestockable", item["quantityReceived"]) - item["quantityRestocked"]
        if not isinstance(quantity, int) or not 0 < quantity <= left:
            raise conflict(f"Item {item['id']} has {left} received units to restock")
        item["quantityRestocked"] += quantity
    touch(ret)
    return ret


def _credit(ret: Json, amount: float, source: Json | None, check: str | None) -> None:
    ret.setdefault("payments", []).append(
        {
            "id": f"rp{new_id()}",
            "paymentType": source["paymentType"] if source else "Check",
            "status": "Credited",
            "amountCredited": amount,
            "amountCollected": 0.0,
            "amountRequested": 0.0,
            "billingInfo": source.get("billingInfo", {}) if source else {},
            "interactions": [
                {
                    "id": f"pi{new_id()}",
                    "interactionType": "Credit",
                    "status": "Credited",
                    "amount": amount,
                    "checkNumber": check,
                    "interactionDate": NOW,
                }
            ],
        }
    )
    ret["refundAmount"] = round(ret.get("refundAmount", 0) + amount, 2)


def auto_refund(data: dict[str, Any], ret: Json, body: Any) -> Json:
    _open(ret)
    order = data["orders"][ret["originalOrderId"]]
    source = max(order["payments"], key=lambda p: p["amountCollected"])
    total = 0.0
    for line in body or []:
        item = find(ret["items"], "id", line.get("itemId"), "return item")
        quantity = line.get("quantity")
        if (
            not isinstance(quantity, int)
            or not 0 < quantity <= _units(item) - item["quantityRefunded"]
        ):
            raise conflict(f"Item {item['id']} has no {quantity} units left to refund")
        item["quantityRefunded"] += quantity
        total += quantity * _unit_price(item)
    if total:
        _credit(ret, round(total, 2), source, None)
    touch(ret)
    return ret


def payment_action(data: dict[str, Any], ret: Json, body: Json) -> Json:
    """POST /commerce/returns/{id}/payments/actions: a manual refund (CreditPayment)."""
    _open(ret)
    if body.get("actionName") != "CreditPayment":
        raise invalid(f"The fake does not carry out {body.get('actionName')} on a return")
    amount = money(body.get("amount"), "amount")
    order = data["orders"][ret["originalOrderId"]]
    source_id, check = body.get("referenceSourcePaymentId"), body.get("checkNumber")
    source = find(order["payments"], "id", source_id, "source payment") if source_id else None
    if source is None and not check:
        raise invalid("Name the payment to refund to (referenceSourcePaymentId) or a check")
    if source is not None and amount > source["amountCollected"] - source["amountCredited"]:
        raise conflict("The refund is more than the payment has left")
    _credit(ret, amount, source, check)
    touch(ret)
    return ret


def ship_replacement(data: dict[str, Any], ret: Json, body: Any) -> Json:
    """POST /commerce/returns/{id}/ship: the child order with the replaced items."""
    _open(ret)
    if ret["returnType"] != "Replace" or ret.get("returnOrderId"):
        raise conflict("Nothing to replace on this return")
    wanted = {line["returnItemId"]: line["quantity"] for line in body or []}
    parent = data["orders"][ret["originalOrderId"]]
    number = 6000 + len(data["orders"]) + 1
    child = {
        k: parent[k]
        for k in ("siteId", "tenantId", "currencyCode", "email", "billingInfo", "fulfillmentInfo")
        if k in parent
    } | {
        "id": f"{number:032x}",
        "orderNumber": number,
        "version": "1",
        "status": "Submitted",
        "availableActions": ["CancelOrder"],
        "type": "Offline",
        "submittedDate": NOW,
        "subtotal": 0.0,
        "total": 0.0,
        "items": [],
        "payments": [],
        "auditInfo": created(),
    }
    for item in ret["items"]:
        if wanted and item["id"] not in wanted:
            continue
        quantity = wanted.get(item["id"], _units(item))
        source = find(parent["items"], "id", item["orderItemId"], "order item")
        child["items"].append(source | {"id": f"item{new_id()}", "quantity": quantity})
        item["quantityReplaced"] += quantity
    if "customerAccountId" in parent:
        child["customerAccountId"] = parent["customerAccountId"]
    data["orders"][child["id"]] = child
    ret["returnOrderId"] = child["id"]
    touch(ret)
    return child


def add_note(ret: Json, body: Json) -> Json:
    note = {"id": f"rn{new_id()}", "text": body["text"], "auditInfo": created()}
    ret.setdefault("notes", []).append(note)
    touch(ret)
    return note


def edit_note(ret: Json, note_id: str, body: Json) -> Json:
    note = find(ret.get("notes", []), "id", note_id, "return note")
    note["text"] = body["text"]
    touch(ret)
    return note


def delete_note(ret: Json, note_id: str) -> Any:
    ret["notes"].remove(find(ret.get("notes", []), "id", note_id, "return note"))
    touch(ret)
    return EMPTY


def resend_email(data: dict[str, Any], body: Json) -> Any:
    for rid in body.get("returnIds") or []:
        ret = data["returns"].get(rid)
        if ret is None:
            raise not_found(f"return {rid}")
        _listed(ret, str(body.get("actionName")))
        data.setdefault("emails", []).append(("return", rid))
    return EMPTY
