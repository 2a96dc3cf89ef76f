"""The fake tenant's store credits: issue, adjust (a transaction), change the expiry, delete,
and resend the credit's email. A change moves the credit's ``auditInfo.updateDate`` (inferred:
Kibo keeps an audit of each credit)."""

from __future__ import annotations

from typing import Any

from tests.kibo.fake_writes import (
    EMPTY,
    NOW,
    Json,
    conflict,
    created,
    invalid,
    money,
    new_id,
    not_found,
    stamp,
)

CREDIT_TYPES = ("StoreCredit", "GiftCard")
NEXT_YEAR = "2027-11-26T12:00:00Z"  # a year after the fake's NOW: Kibo's default expiry


def credit(data: dict[str, Any], code: str) -> Json | None:
    return next((c for c in data["credits"] if c["code"] == code), None)


def _credit(data: dict[str, Any], code: str) -> Json:
    found = credit(data, code)
    if found is None:
        raise not_found(f"credit {code}")
    return found


def _changed(found: Json) -> None:
    found["auditInfo"] = found.get("auditInfo", {}) | {"updateDate": stamp()}


def transactions(data: dict[str, Any], code: str) -> Json:
    _credit(data, code)
    found = data.setdefault("credit_transactions", {}).get(code, [])
    return {
        "startIndex": 0,
        "pageSize": 200,
        "pageCount": 1,
        "totalCount": len(found),
        "items": found,
    }


def issue(data: dict[str, Any], body: Json) -> Json:
    if body.get("creditType") not in CREDIT_TYPES:
        raise invalid(f"creditType is one of {', '.join(CREDIT_TYPES)}")
    amount = money(body.get("initialBalance"), "initialBalance")
    customer = body.get("customerId")
    if customer is not None and customer not in data["accounts"]:
        raise not_found(f"customer {customer}")
    code = body.get("code") or f"SC-{new_id()}"
    if credit(data, code) is not None:
        raise conflict(f"A credit with code {code} exists")
    new = {
        "code": code,
        "creditType": body["creditType"],
        "currencyCode": body.get("currencyCode") or "USD",
        "initialBalance": amount,
        "currentBalance": amount,
        "activationDate": body.get("activationDate") or NOW,
        "expirationDate": body.get("expirationDate") or NEXT_YEAR,
        "auditInfo": created(),
    } | ({"customerId": customer} if customer is not None else {})
    data["credits"].append(new)
    return new


def add_transaction(data: dict[str, Any], code: str, body: Json) -> Json:
    found = _credit(data, code)
    impact = body.get("impactAmount")
    if isinstance(impact, bool) or not isinstance(impact, int | float) or not impact:
        raise invalid("impactAmount must be a non-zero amount")
    kind = body.get("transactionType")
    if (kind == "Credit") != (impact > 0):
        raise invalid(f"A {kind} transaction cannot have impactAmount {impact}")
    if found["currentBalance"] + impact < 0:
        raise conflict(f"The credit holds only {found['currentBalance']}")
    found["currentBalance"] = round(found["currentBalance"] + impact, 2)
    _changed(found)
    entry = {
        "id": new_id(),
        "transactionType": kind,
        "impactAmount": impact,
        "comments": body.get("comments"),
        "auditInfo": created(),
    }
    data.setdefault("credit_transactions", {}).setdefault(code, []).append(entry)
    return entry


def update(data: dict[str, Any], code: str, body: Json) -> Json:
    """PUT /credits/{code}: what may change after creation (the expiration date)."""
    found = _credit(data, code)
    if body.get("code") not in (None, code):
        raise invalid("A credit's code cannot change")
    found["expirationDate"] = body.get("expirationDate")
    _changed(found)
    return found


def delete(data: dict[str, Any], code: str) -> Any:
    data["credits"].remove(_credit(data, code))
    return EMPTY


def resend_email(data: dict[str, Any], code: str) -> Any:
    _credit(data, code)
    data.setdefault("emails", []).append(("Resend-Email", code))
    return EMPTY
