"""Customer actions as Kibo calls (docs/kibo-reference.md §5.1).

Disable / enable account are not mapped: Kibo's published documents have no endpoint for them
(the ``.../accounts/{id}/action`` call is only named in prose, docs/kibo-reference.md §7), and the
account PUT ignores ``isActive``. The Kibo backend therefore never offers them.

The checks of our own rules that need no other entity (a user name's characters, an email's
form, a store credit's expiry date, a spent credit never deleted, an empty or expired credit's
email) run here too, with the demo store's codes, before anything is sent; what only Kibo
knows (a user name or email another account holds) Kibo refuses.

Adding a login (``Create-Login``) sends a random password nobody sees, then Kibo's password
reset email, so the shopper sets the real one (docs/kibo.md). Kibo answers ``Create-Login``
with the shopper's auth ticket; it is dropped, never kept or logged.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from agent.backends.kibo.action_plan import ActionPlan, KiboCall, money, refuse, segment
from agent.backends.kibo.convert import Json, items, number, obj, text
from agent.domain.customer.credit import (
    check_mailable,
    expiry_for,
    refuse_deleting_spent,
)
from agent.domain.customer.profile import check_email, check_username
from agent.domain.outcome import ActionRefused
from agent.errors import ApiError, Unprocessable
from shared_schema.entities import CustomerDetail, StoreCredit

UNMAPPED = frozenset({"disable_account", "enable_account"})
ACCOUNTS = "/commerce/customer/accounts"
CREDITS = "/commerce/customer/credits"
T = TypeVar("T")


def _checked(check: Callable[..., T], *args: Any) -> T:
    """Run one of our rule checks; its refusal answers as the demo store's would."""
    try:
        return check(*args)
    except ActionRefused as refused:
        raise ApiError(
            refused.message,
            code=refused.code,
            status=refused.status,
            details={"field": refused.field} if refused.field else {},
        ) from None


def throwaway_password() -> str:
    """A password nobody knows, for the moment between Create-Login and the shopper's reset:
    32 random URL-safe characters plus a letter and a digit (Kibo wants both)."""
    return f"{secrets.token_urlsafe(24)}a7"


def _credit(detail: CustomerDetail, code: str) -> StoreCredit:
    found = next((c for c in detail.store_credits if c.code == code), None)
    if found is None:
        raise refuse(f"The customer has no store credit '{code}'", "code")
    return found


def _debits(transactions: Any) -> int:
    """Transactions that spent the credit: Debit ones, and any naming an order."""
    return sum(
        1
        for t in items(transactions, "items")
        if text(t, "transactionType").lower() == "debit" or text(t, "orderId")
    )


def _address(address: Any) -> Json:
    return {
        "address1": address.address1,
        "address2": address.address2,
        "cityOrTown": address.city,
        "stateOrProvince": address.state,
        "postalOrZipCode": address.postal_code,
        "countryCode": address.country,
    }


def _contact_fields(request: Any, current: Json) -> Json:
    out = copy.deepcopy(current)
    simple = {
        "label": "label",
        "first_name": "firstName",
        "last_name": "lastNameOrSurname",
        "email": "email",
        "company": "companyOrOrganization",
    }
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
    fields = {
        "first_name": "firstName",
        "last_name": "lastName",
        "email": "emailAddress",
        "username": "userName",
        "accepts_marketing": "acceptsMarketing",
        "tax_exempt": "taxExempt",
        "tax_id": "taxId",
    }
    for ours, theirs in fields.items():
        value = getattr(request, ours)
        if value is not None:
            out[theirs] = value
    return out


def _primary(contact: Json, kind: str) -> Json:
    types = [t for t in items(contact, "types") if text(t, "name") != kind]
    return contact | {"types": [*types, {"name": kind, "isPrimary": True}]}


def customer_plan(
    action: str,
    request: Any,
    account: Json,
    detail: CustomerDetail,
    segment_ids: dict[str, int],
    *,
    credit: Any = None,
    now: str = "",
) -> ActionPlan:
    """``credit``: what the backend read for a store credit action (the credit for an expiry
    change, its transactions for a deletion); ``now``: ISO-8601 UTC, for expiry checks."""
    if action in _CREDIT_ACTIONS:
        return _credit_plan(action, request, detail, credit, now)
    base = f"{ACCOUNTS}/{segment(detail.id)}"
    user: dict[str, str | int] = (
        {"userId": text(account, "userId")} if text(account, "userId") else {}
    )
    one = lambda call, message: ActionPlan((call,), message)  # noqa: E731
    match action:
        case "edit_general":
            return one(
                KiboCall("PUT", base, _general(account, request), what="customer"),
                "Customer details saved",
            )
        case "add_address":
            body = _contact_fields(request, {"accountId": number(account, "id")})
            return one(KiboCall("POST", f"{base}/contacts", body, what="customer"), "Address added")
        case "edit_address" | "set_primary_address":
            current = _contact(account, request.contact_id)
            body = (
                _contact_fields(request, current)
                if action == "edit_address"
                else _primary(current, request.type)
            )
            return one(
                KiboCall("PUT", f"{base}/contacts/{request.contact_id}", body, user, "customer"),
                "Address saved",
            )
        case "delete_address":
            _contact(account, request.contact_id)
            return one(
                KiboCall("DELETE", f"{base}/contacts/{request.contact_id}", what="customer"),
                "Address deleted",
            )
        case "unlock_account":
            return one(
                KiboCall("POST", f"{base}/Set-Login-Locked", False, user, "customer"),
                "Account unlocked",
            )
        case "send_password_reset":
            body = {
                "emailAddress": detail.email,
                "userName": detail.username,
                "customerSetCode": detail.customer_set,
            }
            return one(
                KiboCall("POST", f"{ACCOUNTS}/Reset-Password", body, what="customer"),
                f"Password reset email sent to {detail.email}",
            )
        case "require_password_change":
            return one(
                KiboCall("POST", f"{base}/Set-Password-Change-Required", True, user, "customer"),
                "The shopper must choose a new password at the next sign-in",
            )
        case "add_login":
            username = _checked(check_username, request.username.strip())
            email = _checked(check_email, request.email or detail.email)
            login = {"emailAddress": email, "username": username, "password": throwaway_password()}
            reset = {
                "emailAddress": email,
                "userName": username,
                "customerSetCode": detail.customer_set,
            }
            return ActionPlan(
                (
                    KiboCall("POST", f"{base}/Create-Login", login, what="customer"),
                    KiboCall("POST", f"{ACCOUNTS}/Reset-Password", reset, what="customer"),
                ),
                f"Login '{username}' added; {email} got a link to set the password",
            )
        case "add_note":
            return one(
                KiboCall("POST", f"{base}/notes", {"content": request.text}, what="customer"),
                "Note added",
            )
        case "edit_note":
            return one(
                KiboCall(
                    "PUT",
                    f"{base}/notes/{segment(request.note_id)}",
                    {"content": request.text},
                    what="note",
                ),
                "Note changed",
            )
        case "delete_note":
            return one(
                KiboCall("DELETE", f"{base}/notes/{segment(request.note_id)}", what="note"),
                "Note deleted",
            )
        case "set_attribute":
            fqn = segment(request.fqn)
            exists = any(
                text(a, "fullyQualifiedName") == request.fqn for a in items(account, "attributes")
            )
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
            call = (
                KiboCall("POST", path, [int(detail.id)], what="segment")
                if action == "add_segment"
                else KiboCall("DELETE", f"{path}/{segment(detail.id)}", what="segment")
            )
            return one(call, f"Segment {request.segment} updated")
        case "issue_store_credit":
            body = {
                "creditType": request.credit_type,
                "currencyCode": request.currency or detail.currency,
                "initialBalance": money(request.amount_cents),
                "customerId": int(detail.id),
            }
            return one(
                KiboCall("POST", "/commerce/customer/credits", body, what="credit"),
                "Store credit issued",
            )
        case "adjust_store_credit":
            if request.code not in {c.code for c in detail.store_credits}:
                raise refuse(f"The customer has no store credit '{request.code}'", "code")
            body = {
                "transactionType": "Credit" if request.amount_cents > 0 else "Debit",
                "impactAmount": money(request.amount_cents),
                "comments": request.comments,
            }
            return one(
                KiboCall(
                    "POST",
                    f"/commerce/customer/credits/{segment(request.code)}/transactions",
                    body,
                    what="credit",
                ),
                "Store credit adjusted",
            )
    raise Unprocessable(
        f"The Kibo backend has no mapping for customer action '{action}'",
        code="action_not_supported",
    )


_CREDIT_ACTIONS = frozenset(
    {"edit_store_credit_expiry", "delete_store_credit", "resend_store_credit_email"}
)


def _credit_plan(
    action: str, request: Any, detail: CustomerDetail, read: Any, now: str
) -> ActionPlan:
    credit = _credit(detail, request.code)
    path = f"{CREDITS}/{segment(credit.code)}"
    if action == "edit_store_credit_expiry":
        expires_at = _checked(expiry_for, credit, request.expires_on, now)
        if not isinstance(read, dict) or not read:
            raise refuse(f"Kibo did not answer the store credit '{credit.code}'", "code")
        body = copy.deepcopy(read) | {"expirationDate": expires_at}
        return ActionPlan(
            (KiboCall("PUT", path, body, what="credit"),),
            f"{credit.code} now expires at the end of {request.expires_on}",
        )
    if action == "delete_store_credit":
        _checked(refuse_deleting_spent, credit.code, _debits(read))
        return ActionPlan(
            (KiboCall("DELETE", path, what="credit"),), f"Store credit {credit.code} deleted"
        )
    _checked(check_mailable, credit, now)
    # No userId: the credit names its shopper (customerId), Kibo mails them (inferred).
    return ActionPlan(
        (KiboCall("PUT", f"{path}/Resend-Email", what="credit"),),
        f"Store credit email of {credit.code} resent to {detail.email}",
    )
