"""The writes the fake tenant carries out (others are still checked against the documents,
then answered 501 "not in the fake"). Each mutates the canned documents as Kibo would,
bumps the order ``version`` and ``auditInfo.updateDate``, and answers the documented shape."""

from __future__ import annotations

import itertools
from typing import Any

Json = dict[str, Any]
NOW = "2026-11-26T12:00:00Z"
_ids = itertools.count(100)


def touch(doc: Json) -> None:
    doc.setdefault("auditInfo", {})["updateDate"] = NOW
    if isinstance(doc.get("version"), str) and doc["version"].isdigit():
        doc["version"] = str(int(doc["version"]) + 1)


def order_note(order: Json, body: Json) -> Json:
    note = {
        "id": f"n{next(_ids)}",
        "text": body["text"],
        "auditInfo": {"createDate": NOW, "createBy": "app"},
    }
    order.setdefault("notes", []).append(note)
    touch(order)
    return note


# Kibo's order availableActions per status, as the fake answers them: SubmitOrder,
# AcceptOrder and CancelOrder are documented values of the order-action body,
# SetOrderAsProcessing comes from sample data (docs/kibo-reference.md §5.2); the statuses from §4.1.
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


def set_order_status(order: Json, status: str) -> None:
    """Put a canned order in ``status`` with the availableActions Kibo lists for it."""
    order["status"] = status
    order["availableActions"] = list(ORDER_ACTIONS_BY_STATUS.get(status, []))


def order_action(order: Json, body: Json) -> Json | str:
    """POST /commerce/orders/{id}/actions: the order in its next status, or why not (409)."""
    name = body.get("actionName")
    target = ORDER_ACTION_TARGETS.get(str(name))
    if target is None or name not in order.get("availableActions", []):
        return f"Order action {name} is not available for an order in status {order['status']}"
    old = order["status"]
    set_order_status(order, target)
    if name == "SubmitOrder":
        order["submittedDate"] = NOW
    elif name == "AcceptOrder":
        order["acceptedDate"] = NOW
    elif name == "CancelOrder":
        order["cancelledDate"] = NOW
    order.setdefault("changeMessages", []).append(
        {
            "id": f"c{next(_ids)}",
            "subjectType": "Order",
            "verb": target,
            "message": f"Order {target.lower()}",
            "oldValue": old,
            "newValue": target,
            "createDate": NOW,
        }
    )
    touch(order)
    return order


def cancel_order(order: Json, body: Json) -> Json:
    order["status"] = "Cancelled"
    order["availableActions"] = []
    order.setdefault("changeMessages", []).append(
        {
            "id": f"c{next(_ids)}",
            "subjectType": "Order",
            "verb": "Cancelled",
            "message": f"Cancelled: {body.get('reasonCode')}",
            "createDate": NOW,
        }
    )
    touch(order)
    return order


def payment_action(order: Json, payment_id: str, body: Json) -> Json | None:
    payment = next((p for p in order.get("payments", []) if p["id"] == payment_id), None)
    if payment is None:
        return None
    if body["actionName"] == "CapturePayment":
        payment["amountCollected"] = payment["amountCollected"] + body.get("amount", 0)
        payment["status"] = "Collected"
        payment["availableActions"] = ["CreditPayment"]
        order["totalCollected"] = sum(p["amountCollected"] for p in order["payments"])
        order["paymentStatus"] = "Paid"
    touch(order)
    return order


def return_action(returns: dict[str, Json], body: Json) -> Json:
    changed = []
    target = {
        "Authorize": "Authorized",
        "Reject": "Rejected",
        "Cancel": "Cancelled",
        "Close": "Closed",
    }.get(body["actionName"])
    for rid in body.get("returnIds", []):
        ret = returns.get(rid)
        if ret is not None and target:
            ret["status"] = target
            ret["availableActions"] = (
                ["Reject", "Cancel", "Close"] if target == "Authorized" else []
            )
            touch(ret)
            changed.append(ret)
    return {
        "startIndex": 0,
        "pageSize": len(changed),
        "pageCount": 1,
        "totalCount": len(changed),
        "items": changed,
    }


def customer_note(account: Json, body: Json) -> Json:
    note = {
        "id": next(_ids),
        "content": body["content"],
        "auditInfo": {"createDate": NOW, "createBy": "app"},
    }
    account.setdefault("notes", []).append(note)
    touch(account)
    return note


def create_return(data: dict[str, Any], body: Json) -> Json | None:
    order = data["orders"].get(body.get("originalOrderId"))
    if order is None:
        return None
    number = 7000 + len(data["returns"]) + 1
    rid = f"{number:032x}"
    ret: Json = {
        "id": rid,
        "returnNumber": number,
        "originalOrderId": order["id"],
        "originalOrderNumber": order["orderNumber"],
        "status": "Created",
        "returnType": body["returnType"],
        "currencyCode": "USD",
        "availableActions": ["Authorize", "Reject", "Cancel"],
        "contact": order["billingInfo"]["billingContact"],
        "notes": body.get("notes", []),
        "items": [
            item | {"id": f"ri{next(_ids)}", "quantityReceived": 0} for item in body["items"]
        ],
        "auditInfo": {"createDate": NOW, "updateDate": NOW},
    }
    if "customerAccountId" in order:
        ret["customerAccountId"] = order["customerAccountId"]
    data["returns"][rid] = ret
    return ret


# -- customer login and store credits ---------------------------------------------------------

EMPTY = object()  # a documented "200 Success" without a body


def login_state(data: dict[str, Any], account: Json) -> Json | None:
    """The account's LoginState (None for a guest: no login, nothing to answer)."""
    if account.get("isAnonymous"):
        return None
    states = data.setdefault("login_states", {})
    return states.setdefault(
        account["id"],
        {
            "isPasswordChangeRequired": False,
            "isLocked": bool(account.get("isLocked")),
            "failedLoginAttemptCount": 0,
            "remainingLoginAttempts": 5,
            "createdOn": account.get("auditInfo", {}).get("createDate"),
        },
    )


def set_password_change_required(data: dict[str, Any], account: Json, body: Any) -> Any:
    state = login_state(data, account)
    if state is None or not isinstance(body, bool):
        return None
    state["isPasswordChangeRequired"] = body
    state["updatedOn"] = NOW
    return EMPTY


def make_guest(account: Json) -> Json:
    """Turn a canned account into a guest account (no login), as guest checkout leaves one."""
    account.pop("userName", None)
    account.pop("userId", None)
    account["isAnonymous"] = True
    return account


def create_login(data: dict[str, Any], account: Json, body: Json) -> Json | str:
    """POST .../Create-Login: the guest gets a login, or why not (409)."""
    if not account.get("isAnonymous"):
        return f"Account {account['id']} already has a login"
    username, email = str(body.get("username") or ""), str(body.get("emailAddress") or "")
    for other in data["accounts"].values():
        if other is account or other.get("isAnonymous"):
            continue
        if str(other.get("userName", "")).lower() == username.lower():
            return f"The user name {username} is already in use"
        if str(other.get("emailAddress", "")).lower() == email.lower():
            return f"The email {email} is already in use"
    if not body.get("password"):
        return "A password is required"
    account.update(
        userName=username, emailAddress=email, userId=f"u{account['id']}", isAnonymous=False
    )
    touch(account)
    return {
        "customerAccount": account,
        "accessToken": f"shopper-{next(_ids)}",
        "accessTokenExpiration": NOW,
        "refreshToken": f"shopper-refresh-{next(_ids)}",
        "refreshTokenExpiration": NOW,
        "userId": account["userId"],
    }


def reset_password(data: dict[str, Any], body: Json) -> Any:
    data.setdefault("emails", []).append(("Reset-Password", body.get("emailAddress")))
    return EMPTY


def credit(data: dict[str, Any], code: str) -> Json | None:
    return next((c for c in data["credits"] if c["code"] == code), None)


def credit_transactions(data: dict[str, Any], code: str) -> Json:
    found = data.setdefault("credit_transactions", {}).get(code, [])
    return {
        "startIndex": 0,
        "pageSize": 200,
        "pageCount": 1,
        "totalCount": len(found),
        "items": found,
    }


def update_credit(data: dict[str, Any], code: str, body: Json) -> Json | None:
    """PUT /credits/{code}: what may change after creation (the expiration date)."""
    found = credit(data, code)
    if found is None:
        return None
    found["expirationDate"] = body.get("expirationDate")
    found["auditInfo"] = found.get("auditInfo", {}) | {"updateDate": NOW}
    return found


def delete_credit(data: dict[str, Any], code: str) -> Any:
    found = credit(data, code)
    if found is None:
        return None
    data["credits"].remove(found)
    return EMPTY


def resend_credit_email(data: dict[str, Any], code: str) -> Any:
    found = credit(data, code)
    if found is None:
        return None
    data.setdefault("emails", []).append(("Resend-Email", code))
    return EMPTY
