"""Customer actions as Kibo calls (reference/kibo.md §4.1).

Disable / enable account are not mapped: Kibo's published documents have no endpoint for them
(the ``.../accounts/{id}/action`` call is only named in prose, kibo.md §7.5), and the account
PUT ignores ``isActive``. The Kibo backend therefore never offers them.
"""

from __future__ import annotations

import copy
from typing import Any

from agent.backends.kibo.action_plan import ActionPlan, KiboCall, money, refuse, segment
from agent.backends.kibo.convert import Json, items, number, obj, text
from agent.errors import Unprocessable
from shared_schema.entities import CustomerDetail

UNMAPPED = frozenset({"disable_account", "enable_account"})
ACCOUNTS = "/commerce/customer/accounts"


def _address(address: Any) -> Json:
    return {"address1": address.address1, "address2": address.address2,
            "cityOrTown": address.city, "stateOrProvince": address.state,
            "postalOrZipCode": address.postal_code, "countryCode": address.country}


def _contact_fields(request: Any, current: Json) -> Json:
    out = copy.deepcopy(current)
    simple = {"label": "label", "first_name": "firstName", "last_name": "lastNameOrSurname",
              "email": "email", "company": "companyOrOrganization"}
    for ours, theirs in simple.items():
        value = getattr(request, ours, None)
        if value is not None:
            out[theirs] = value
    if getattr(request, "phone", None) is not None:
        out["phoneNumbers"] = obj(current, "phoneNumbers") | {"home": request.phone}
    if getattr(request, "address", None) is not None:
        out["address"] = obj(current, "address") | _address(request.address)
    if getattr(request, "types", None) is not None:
        out["types"] = [{"name": t.name, "isPrimary": t.is_primary} for t in request.types]
    return out


def _contact(account: Json, contact_id: int) -> Json:
    found = next((c for c in items(account, "contacts") if number(c, "id") == contact_id), None)
    if found is None:
        raise refuse(f"The customer has no address {contact_id}", "contact_id")
    return found


def _general(account: Json, request: Any) -> Json:
    out = copy.deepcopy(account)
    fields = {"first_name": "firstName", "last_name": "lastName", "email": "emailAddress",
              "username": "userName", "accepts_marketing": "acceptsMarketing",
              "tax_exempt": "taxExempt", "tax_id": "taxId"}
    for ours, theirs in fields.items():
        value = getattr(request, ours)
        if value is not None:
            out[theirs] = value
    return out


def _primary(contact: Json, kind: str) -> Json:
    types = [t for t in items(contact, "types") if text(t, "name") != kind]
    return contact | {"types": [*types, {"name": kind, "isPrimary": True}]}


def customer_plan(action: str, request: Any, account: Json, detail: CustomerDetail,
                  segment_ids: dict[str, int]) -> ActionPlan:
    base = f"{ACCOUNTS}/{segment(detail.id)}"
    user: dict[str, str | int] = (
        {"userId": text(account, "userId")} if text(account, "userId") else {})
    one = lambda call, message: ActionPlan((call,), message)  # noqa: E731
    match action:
        case "edit_general":
            return one(KiboCall("PUT", base, _general(account, request), what="customer"),
                       "Customer details saved")
        case "add_address":
            body = _contact_fields(request, {"accountId": number(account, "id")})
            return one(KiboCall("POST", f"{base}/contacts", body, what="customer"),
                       "Address added")
        case "edit_address" | "set_primary_address":
            current = _contact(account, request.contact_id)
            body = (_contact_fields(request, current) if action == "edit_address"
                    else _primary(current, request.type))
            return one(KiboCall("PUT", f"{base}/contacts/{request.contact_id}", body, user,
                                "customer"), "Address saved")
        case "delete_address":
            _contact(account, request.contact_id)
            return one(KiboCall("DELETE", f"{base}/contacts/{request.contact_id}",
                                what="customer"), "Address deleted")
        case "unlock_account":
            return one(KiboCall("POST", f"{base}/Set-Login-Locked", False, user, "customer"),
                       "Account unlocked")
        case "send_password_reset":
            body = {"emailAddress": detail.email, "userName": detail.username,
                    "customerSetCode": detail.customer_set}
            return one(KiboCall("POST", f"{ACCOUNTS}/Reset-Password", body, what="customer"),
                       f"Password reset email sent to {detail.email}")
        case "add_note":
            return one(KiboCall("POST", f"{base}/notes", {"content": request.text},
                                what="customer"), "Note added")
        case "edit_note":
            return one(KiboCall("PUT", f"{base}/notes/{segment(request.note_id)}",
                                {"content": request.text}, what="note"), "Note changed")
        case "delete_note":
            return one(KiboCall("DELETE", f"{base}/notes/{segment(request.note_id)}",
                                what="note"), "Note deleted")
        case "set_attribute":
            fqn = segment(request.fqn)
            exists = any(text(a, "fullyQualifiedName") == request.fqn
                         for a in items(account, "attributes"))
            body = {"fullyQualifiedName": request.fqn, "values": request.values}
            if not request.values:
                call = KiboCall("DELETE", f"{base}/attributes/{fqn}", None, user, "attribute")
            elif exists:
                call = KiboCall("PUT", f"{base}/attributes/{fqn}", body, user, "attribute")
            else:
                call = KiboCall("POST", f"{base}/attributes", body, user, "attribute")
            return one(call, f"Attribute {request.fqn} saved")
        case "add_segment" | "remove_segment":
            segment_id = segment_ids.get(request.segment)
            if segment_id is None:
                raise refuse(f"The tenant has no segment '{request.segment}'", "segment")
            path = f"/commerce/customer/segments/{segment_id}/accounts"
            call = (KiboCall("POST", path, [int(detail.id)], what="segment")
                    if action == "add_segment"
                    else KiboCall("DELETE", f"{path}/{segment(detail.id)}", what="segment"))
            return one(call, f"Segment {request.segment} updated")
        case "issue_store_credit":
            body = {"creditType": request.credit_type,
                    "currencyCode": request.currency or detail.currency,
                    "initialBalance": money(request.amount_cents),
                    "customerId": int(detail.id)}
            return one(KiboCall("POST", "/commerce/customer/credits", body, what="credit"),
                       "Store credit issued")
        case "adjust_store_credit":
            if request.code not in {c.code for c in detail.store_credits}:
                raise refuse(f"The customer has no store credit '{request.code}'", "code")
            body = {"transactionType": "Credit" if request.amount_cents > 0 else "Debit",
                    "impactAmount": money(request.amount_cents), "comments": request.comments}
            return one(KiboCall("POST", f"/commerce/customer/credits/{segment(request.code)}"
                                "/transactions", body, what="credit"), "Store credit adjusted")
    raise Unprocessable(f"The Kibo backend has no mapping for customer action '{action}'",
                        code="action_not_supported")
