"""Customer actions as Kibo calls (docs/kibo-reference.md §5.1).

Disable / enable account are not mapped: Kibo's published documents have no endpoint for them
(the ``.../accounts/{id}/action`` call is only named in prose, docs/kibo-reference.md §7), and the
account PUT ignores ``isActive``: they are ``NOT_ON_KIBO``, so the Kibo backend never offers
them.

The checks of our own rules that need no other entity (a user name's characters, an email's
form, a store credit's expiry date, a spent credit never deleted, an empty or expired credit's
email, a blank note: on orders and returns too) run here too, with the demo store's codes,
before anything is sent; what only Kibo knows (a user name or email another account holds)
Kibo refuses.

Adding a login (``Create-Login``) sends a random password nobody sees, then Kibo's password
reset email, so the shopper sets the real one (docs/kibo.md). Kibo answers ``Create-Login``
with the shopper's auth ticket; it is dropped, never kept or logged.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.backends.kibo.action_plan import (
    ActionPlan,
    KiboCall,
    checked,
    money,
    refuse,
    segment,
)
from agent.backends.kibo.convert import Json, items, number, obj, text
from agent.domain.customer.credit import (
    check_mailable,
    expiry_for,
    refuse_deleting_spent,
)
from agent.domain.customer.profile import check_email, check_username
from agent.domain.notes import note_text
from agent.errors import Unprocessable
from shared_schema.entities import CustomerDetail, StoreCredit

NOT_ON_KIBO = frozenset({"disable_account", "enable_account"})
ACCOUNTS = "/commerce/customer/accounts"
CREDITS = "/commerce/customer/credits"


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


@dataclass(frozen=True)
class CustomerCall:
    """What a customer action's calls are built from."""

    request: Any  # the validated request
    account: Json  # Kibo's account as read
    detail: CustomerDetail
    segment_ids: dict[str, int]  # segment code -> Kibo id, for segment actions
    # What the backend read for a store credit action: the credit for an expiry change, its
    # transactions for a deletion.
    credit: Any = None
    now: str = ""  # ISO-8601 UTC, for expiry checks

    @property
    def base(self) -> str:
        return f"{ACCOUNTS}/{segment(self.detail.id)}"

    @property
    def user(self) -> dict[str, str | int]:
        """The shopper's login, which Kibo's login calls name."""
        user_id = text(self.account, "userId")
        return {"userId": user_id} if user_id else {}


CustomerBuilder = Callable[[CustomerCall], ActionPlan]


def _one(call: KiboCall, message: str) -> ActionPlan:
    return ActionPlan((call,), message)


def _edit_general(c: CustomerCall) -> ActionPlan:
    return _one(
        KiboCall("PUT", c.base, _general(c.account, c.request), what="customer"),
        "Customer details saved",
    )


def _add_address(c: CustomerCall) -> ActionPlan:
    body = _contact_fields(c.request, {"accountId": number(c.account, "id")})
    return _one(KiboCall("POST", f"{c.base}/contacts", body, what="customer"), "Address added")


def _put_contact(c: CustomerCall, body: Json) -> ActionPlan:
    path = f"{c.base}/contacts/{c.request.contact_id}"
    return _one(KiboCall("PUT", path, body, c.user, "customer"), "Address saved")


def _edit_address(c: CustomerCall) -> ActionPlan:
    current = _contact(c.account, c.request.contact_id)
    return _put_contact(c, _contact_fields(c.request, current))


def _set_primary_address(c: CustomerCall) -> ActionPlan:
    current = _contact(c.account, c.request.contact_id)
    return _put_contact(c, _primary(current, c.request.type))


def _delete_address(c: CustomerCall) -> ActionPlan:
    _contact(c.account, c.request.contact_id)
    return _one(
        KiboCall("DELETE", f"{c.base}/contacts/{c.request.contact_id}", what="customer"),
        "Address deleted",
    )


def _unlock_account(c: CustomerCall) -> ActionPlan:
    return _one(
        KiboCall("POST", f"{c.base}/Set-Login-Locked", False, c.user, "customer"),
        "Account unlocked",
    )


def _lock_account(c: CustomerCall) -> ActionPlan:
    return _one(
        KiboCall("POST", f"{c.base}/Set-Login-Locked", True, c.user, "customer"),
        "Account locked",
    )


def _send_password_reset(c: CustomerCall) -> ActionPlan:
    body = {
        "emailAddress": c.detail.email,
        "userName": c.detail.username,
        "customerSetCode": c.detail.customer_set,
    }
    return _one(
        KiboCall("POST", f"{ACCOUNTS}/Reset-Password", body, what="customer"),
        f"Password reset email sent to {c.detail.email}",
    )


def _require_password_change(c: CustomerCall) -> ActionPlan:
    return _one(
        KiboCall("POST", f"{c.base}/Set-Password-Change-Required", True, c.user, "customer"),
        "The shopper must choose a new password at the next sign-in",
    )


def _add_login(c: CustomerCall) -> ActionPlan:
    username = checked(check_username, c.request.username.strip())
    email = checked(check_email, c.request.email or c.detail.email)
    login = {"emailAddress": email, "username": username, "password": throwaway_password()}
    reset = {"emailAddress": email, "userName": username, "customerSetCode": c.detail.customer_set}
    return ActionPlan(
        (
            KiboCall("POST", f"{c.base}/Create-Login", login, what="customer"),
            KiboCall("POST", f"{ACCOUNTS}/Reset-Password", reset, what="customer"),
        ),
        f"Login '{username}' added; {email} got a link to set the password",
    )


def _add_note(c: CustomerCall) -> ActionPlan:
    return _one(
        KiboCall(
            "POST",
            f"{c.base}/notes",
            {"content": checked(note_text, c.request.text)},
            what="customer",
        ),
        "Note added",
    )


def _edit_note(c: CustomerCall) -> ActionPlan:
    path = f"{c.base}/notes/{segment(c.request.note_id)}"
    return _one(
        KiboCall("PUT", path, {"content": checked(note_text, c.request.text)}, what="note"),
        "Note changed",
    )


def _delete_note(c: CustomerCall) -> ActionPlan:
    return _one(
        KiboCall("DELETE", f"{c.base}/notes/{segment(c.request.note_id)}", what="note"),
        "Note deleted",
    )


def _set_attribute(c: CustomerCall) -> ActionPlan:
    request = c.request
    fqn = segment(request.fqn)
    exists = any(
        text(a, "fullyQualifiedName") == request.fqn for a in items(c.account, "attributes")
    )
    body = {"fullyQualifiedName": request.fqn, "values": request.values}
    if not request.values:
        call = KiboCall("DELETE", f"{c.base}/attributes/{fqn}", None, c.user, "attribute")
    elif exists:
        call = KiboCall("PUT", f"{c.base}/attributes/{fqn}", body, c.user, "attribute")
    else:
        call = KiboCall("POST", f"{c.base}/attributes", body, c.user, "attribute")
    return _one(call, f"Attribute {request.fqn} saved")


def _segment_path(c: CustomerCall) -> str:
    segment_id = c.segment_ids.get(c.request.segment)
    if segment_id is None:
        raise refuse(f"The tenant has no segment '{c.request.segment}'", "segment")
    return f"/commerce/customer/segments/{segment_id}/accounts"


def _add_segment(c: CustomerCall) -> ActionPlan:
    call = KiboCall("POST", _segment_path(c), [int(c.detail.id)], what="segment")
    return _one(call, f"Segment {c.request.segment} updated")


def _remove_segment(c: CustomerCall) -> ActionPlan:
    call = KiboCall("DELETE", f"{_segment_path(c)}/{segment(c.detail.id)}", what="segment")
    return _one(call, f"Segment {c.request.segment} updated")


def _issue_store_credit(c: CustomerCall) -> ActionPlan:
    request = c.request
    body = {
        "creditType": request.credit_type,
        "currencyCode": request.currency or c.detail.currency,
        "initialBalance": money(request.amount_cents),
        "customerId": int(c.detail.id),
    }
    return _one(KiboCall("POST", CREDITS, body, what="credit"), "Store credit issued")


def _adjust_store_credit(c: CustomerCall) -> ActionPlan:
    request = c.request
    credit = _credit(c.detail, request.code)
    body = {
        "transactionType": "Credit" if request.amount_cents > 0 else "Debit",
        "impactAmount": money(request.amount_cents),
        "comments": request.comments,
    }
    path = f"{CREDITS}/{segment(credit.code)}/transactions"
    return _one(KiboCall("POST", path, body, what="credit"), "Store credit adjusted")


def _edit_store_credit_expiry(c: CustomerCall) -> ActionPlan:
    credit = _credit(c.detail, c.request.code)
    expires_at = checked(expiry_for, credit, c.request.expires_on, c.now)
    if not isinstance(c.credit, dict) or not c.credit:
        raise refuse(f"Kibo did not answer the store credit '{credit.code}'", "code")
    body = copy.deepcopy(c.credit) | {"expirationDate": expires_at}
    return _one(
        KiboCall("PUT", f"{CREDITS}/{segment(credit.code)}", body, what="credit"),
        f"{credit.code} now expires at the end of {c.request.expires_on}",
    )


def _delete_store_credit(c: CustomerCall) -> ActionPlan:
    credit = _credit(c.detail, c.request.code)
    checked(refuse_deleting_spent, credit.code, _debits(c.credit))
    return _one(
        KiboCall("DELETE", f"{CREDITS}/{segment(credit.code)}", what="credit"),
        f"Store credit {credit.code} deleted",
    )


def _resend_store_credit_email(c: CustomerCall) -> ActionPlan:
    credit = _credit(c.detail, c.request.code)
    checked(check_mailable, credit, c.now)
    # No userId: the credit names its shopper (customerId), Kibo mails them (inferred).
    return _one(
        KiboCall("PUT", f"{CREDITS}/{segment(credit.code)}/Resend-Email", what="credit"),
        f"Store credit email of {credit.code} resent to {c.detail.email}",
    )


# The Kibo hook of each customer action (agent/backends/kibo/action_hooks.py checks that every
# declared customer action has one, or is in NOT_ON_KIBO).
CUSTOMER_PLANS: dict[str, CustomerBuilder] = {
    "edit_general": _edit_general,
    "add_address": _add_address,
    "edit_address": _edit_address,
    "delete_address": _delete_address,
    "set_primary_address": _set_primary_address,
    "unlock_account": _unlock_account,
    "lock_account": _lock_account,
    "send_password_reset": _send_password_reset,
    "require_password_change": _require_password_change,
    "add_login": _add_login,
    "add_note": _add_note,
    "edit_note": _edit_note,
    "delete_note": _delete_note,
    "set_attribute": _set_attribute,
    "add_segment": _add_segment,
    "remove_segment": _remove_segment,
    "issue_store_credit": _issue_store_credit,
    "adjust_store_credit": _adjust_store_credit,
    "edit_store_credit_expiry": _edit_store_credit_expiry,
    "delete_store_credit": _delete_store_credit,
    "resend_store_credit_email": _resend_store_credit_email,
}


def customer_plan(action: str, call: CustomerCall) -> ActionPlan:
    build = CUSTOMER_PLANS.get(action)
    if build is None:
        raise Unprocessable(
            f"The Kibo backend has no mapping for customer action '{action}'",
            code="action_not_supported",
        )
    return build(call)
