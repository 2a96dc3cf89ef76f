"""Pure rules of the customer actions: general info, account state, attributes, segments.

Addresses are in addresses.py, store credit in credit.py, the login (forced password change,
a login for a guest) in login.py; notes follow the rules every entity shares
(agent/domain/notes.py). Each rule gets a private copy of the current document, changes it and
says what changed; state the ``available_actions`` already exclude (e.g. unlocking an unlocked
account) is refused here too, so a rule is safe on its own.
"""

from __future__ import annotations

import re

from agent.domain.common import refuse, reject_input
from agent.domain.outcome import (
    ActionContext,
    ActionOutcome,
    Change,
    Email,
    Lookup,
)
from shared_schema.actions_customers import (
    CUSTOMER_ATTRIBUTES,
    AccountRequest,
    EditGeneralRequest,
    SegmentRequest,
    SetAttributeRequest,
)
from shared_schema.entities import Attribute, CustomerDetail
from shared_schema.vocab import SEGMENTS

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
USERNAME = re.compile(r"^[A-Za-z0-9._@+-]+$")
GENERAL_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "username",
    "accepts_marketing",
    "tax_exempt",
    "tax_id",
)


def check_email(email: str, field: str = "email") -> str:
    email = email.strip()
    if not EMAIL.match(email):
        reject_input(f"'{email}' is not an email address", "invalid_email", field)
    return email


def check_username(username: str) -> str:
    if not USERNAME.match(username):
        reject_input(
            "A user name uses letters, digits and . _ @ + - only", "invalid_username", "username"
        )
    return username


def refuse_taken_login(doc: CustomerDetail, login: str, value: str, lookup: Lookup) -> None:
    """409 ``email_taken`` / ``username_taken`` when another account signs in with ``value``."""
    holder = lookup.customer_holding(login, value, int(doc.id))
    if holder is not None:
        refuse(
            f"Customer {holder} already signs in with the {login} "
            f"'{value}'; each account needs its own",
            f"{login}_taken",
            field=login,
        )


def edit_general(
    doc: CustomerDetail, request: EditGeneralRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    wanted = {
        name: getattr(request, name)
        for name in GENERAL_FIELDS
        if getattr(request, name) is not None
    }
    if "email" in wanted:
        wanted["email"] = check_email(wanted["email"])
    if "first_name" in wanted:
        wanted["first_name"] = wanted["first_name"].strip()
        if not wanted["first_name"]:
            reject_input("The first name cannot be blank", "blank_name", "first_name")
    if "last_name" in wanted:
        wanted["last_name"] = wanted["last_name"].strip()
    if "username" in wanted:
        if not doc.registered:
            refuse(
                "A guest account has no login, so it has no user name",
                "guest_account",
                field="username",
            )
        check_username(wanted["username"])
    changes = [
        Change(name, getattr(doc, name), value)
        for name, value in wanted.items()
        if getattr(doc, name) != value
    ]
    if not changes:
        reject_input(
            "Nothing to change: every field sent has its current value", "no_change", "(body)"
        )
    for login in ("email", "username"):
        value = wanted.get(login)
        if value and value.lower() != str(getattr(doc, login)).lower():
            refuse_taken_login(doc, login, value, lookup)
    for change in changes:
        setattr(doc, change.field, change.new)
    doc.full_name = f"{doc.first_name} {doc.last_name}".strip()
    doc.initials = (doc.first_name[:1] + doc.last_name[:1]).upper() or doc.email[:1].upper()
    names = ", ".join(c.field.replace("_", " ") for c in changes)
    return ActionOutcome(doc, changes, f"Updated {names}")


def require_registered(doc: CustomerDetail, what: str) -> None:
    if not doc.registered:
        refuse(
            f"Cannot {what}: customer {doc.id} is a guest account without a login", "guest_account"
        )


def _set_status(doc: CustomerDetail, status: str, message: str) -> ActionOutcome:
    change = Change("account_status", doc.account_status, status)
    doc.account_status = status
    return ActionOutcome(doc, [change], message)


def disable_account(
    doc: CustomerDetail, request: AccountRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_registered(doc, "disable the account")
    if doc.account_status == "Disabled":
        refuse(f"Customer {doc.id}'s account is already disabled", "already_disabled")
    return _set_status(doc, "Disabled", "Disabled the account: the shopper cannot sign in")


def enable_account(
    doc: CustomerDetail, request: AccountRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_registered(doc, "enable the account")
    if doc.account_status != "Disabled":
        refuse(f"Customer {doc.id}'s account is {doc.account_status}, not disabled", "not_disabled")
    return _set_status(doc, "Active", "Enabled the account")


def unlock_account(
    doc: CustomerDetail, request: AccountRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_registered(doc, "unlock the account")
    if doc.account_status != "Locked":
        refuse(f"Customer {doc.id}'s account is {doc.account_status}, not locked", "not_locked")
    return _set_status(doc, "Active", "Unlocked the account")


def lock_account(
    doc: CustomerDetail, request: AccountRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    """Stop sign-ins at once, e.g. when a caller says someone else is using the account; the
    same lock failed sign-ins set, lifted by unlock_account."""
    require_registered(doc, "lock the account")
    if doc.account_status == "Locked":
        refuse(f"Customer {doc.id}'s account is already locked", "already_locked")
    if doc.account_status == "Disabled":
        refuse(f"Customer {doc.id}'s account is disabled: nobody can sign in", "account_disabled")
    return _set_status(doc, "Locked", "Locked the account: no sign-in until it is unlocked")


def send_password_reset(
    doc: CustomerDetail, request: AccountRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_registered(doc, "send a password reset")
    if doc.account_status == "Disabled":
        refuse("Cannot send a password reset: the account is disabled", "account_disabled")
    email = Email("password_reset", doc.email, "Reset your password (link valid for 72 hours)")
    return ActionOutcome(doc, [], f"Sent a password reset link to {doc.email}", emails=[email])


def set_attribute(
    doc: CustomerDetail, request: SetAttributeRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    definition = CUSTOMER_ATTRIBUTES.get(request.fqn)
    if definition is None:
        reject_input(
            f"Unknown customer attribute '{request.fqn}'; known: {', '.join(CUSTOMER_ATTRIBUTES)}",
            "unknown_attribute",
            "fqn",
        )
    label, allowed = definition
    values = list(dict.fromkeys(request.values))
    for value in values:
        if value not in allowed:
            reject_input(
                f"'{value}' is not a value of {label}; choose from {', '.join(allowed)}",
                "invalid_attribute_value",
                "values",
            )
    current = next((a for a in doc.attributes if a.fqn == request.fqn), None)
    old = current.values if current else None
    new = values or None
    if old == new:
        reject_input(f"{label} already has that value", "no_change", "values")
    doc.attributes = [a for a in doc.attributes if a.fqn != request.fqn]
    if values:
        doc.attributes.append(Attribute(fqn=request.fqn, label=label, values=values))
    verb = f"Set {label} to {', '.join(values)}" if values else f"Removed {label}"
    return ActionOutcome(doc, [Change(f"attributes[{request.fqn}]", old, new)], verb)


def _known_segment(code: str) -> str:
    if code not in SEGMENTS:
        reject_input(
            f"Unknown segment '{code}'; known: {', '.join(SEGMENTS)}", "unknown_segment", "segment"
        )
    return code


def add_segment(
    doc: CustomerDetail, request: SegmentRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    code = _known_segment(request.segment)
    if code in doc.segments:
        refuse(f"Customer {doc.id} is already in {code}", "already_in_segment", field="segment")
    old = list(doc.segments)
    doc.segments = [s for s in SEGMENTS if s in {*old, code}]
    return ActionOutcome(doc, [Change("segments", old, doc.segments)], f"Added to {code}")


def remove_segment(
    doc: CustomerDetail, request: SegmentRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    code = _known_segment(request.segment)
    if code not in doc.segments:
        refuse(f"Customer {doc.id} is not in {code}", "not_in_segment", field="segment")
    old = list(doc.segments)
    doc.segments = [s for s in old if s != code]
    return ActionOutcome(doc, [Change("segments", old, doc.segments)], f"Removed from {code}")
