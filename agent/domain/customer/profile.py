"""Pure rules of the customer actions: general info, account state, notes, attributes, segments.

Addresses are in addresses.py, store credit in credit.py, the login (forced password change,
a login for a guest) in login.py. Each
rule gets a private copy of the current document, changes it and says what changed; state the
``available_actions`` already exclude (e.g. unlocking an unlocked account) is refused here too,
so a rule is safe on its own.
"""

from __future__ import annotations

import re

from agent.domain.outcome import (
    ActionContext,
    ActionOutcome,
    ActionRefused,
    Change,
    Email,
    Lookup,
)
from shared_schema.actions_customers import (
    CUSTOMER_ATTRIBUTES,
    AccountRequest,
    AddCustomerNoteRequest,
    DeleteCustomerNoteRequest,
    EditCustomerNoteRequest,
    EditGeneralRequest,
    SegmentRequest,
    SetAttributeRequest,
)
from shared_schema.entities import Attribute, CustomerDetail, Note
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


def invalid(message: str, field: str, code: str = "invalid_value") -> ActionRefused:
    return ActionRefused(message, status=422, code=code, field=field)


def check_email(email: str, field: str = "email") -> str:
    email = email.strip()
    if not EMAIL.match(email):
        raise invalid(f"'{email}' is not an email address", field, "invalid_email")
    return email


def check_username(username: str) -> str:
    if not USERNAME.match(username):
        raise invalid(
            "A user name uses letters, digits and . _ @ + - only", "username", "invalid_username"
        )
    return username


def refuse_taken_login(doc: CustomerDetail, login: str, value: str, lookup: Lookup) -> None:
    """409 ``email_taken`` / ``username_taken`` when another account signs in with ``value``."""
    holder = lookup.customer_holding(login, value, int(doc.id))
    if holder is not None:
        raise ActionRefused(
            f"Customer {holder} already signs in with the {login} "
            f"'{value}'; each account needs its own",
            code=f"{login}_taken",
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
            raise invalid("The first name cannot be blank", "first_name", "blank_name")
    if "last_name" in wanted:
        wanted["last_name"] = wanted["last_name"].strip()
    if "username" in wanted:
        if not doc.registered:
            raise ActionRefused(
                "A guest account has no login, so it has no user name",
                code="guest_account",
                field="username",
            )
        check_username(wanted["username"])
    changes = [
        Change(name, getattr(doc, name), value)
        for name, value in wanted.items()
        if getattr(doc, name) != value
    ]
    if not changes:
        raise invalid(
            "Nothing to change: every field sent has its current value", "(body)", "no_change"
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
        raise ActionRefused(
            f"Cannot {what}: customer {doc.id} is a guest account without a login",
            code="guest_account",
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
        raise ActionRefused(
            f"Customer {doc.id}'s account is already disabled", code="already_disabled"
        )
    return _set_status(doc, "Disabled", "Disabled the account: the shopper cannot sign in")


def enable_account(
    doc: CustomerDetail, request: AccountRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_registered(doc, "enable the account")
    if doc.account_status != "Disabled":
        raise ActionRefused(
            f"Customer {doc.id}'s account is {doc.account_status}, not disabled",
            code="not_disabled",
        )
    return _set_status(doc, "Active", "Enabled the account")


def unlock_account(
    doc: CustomerDetail, request: AccountRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_registered(doc, "unlock the account")
    if doc.account_status != "Locked":
        raise ActionRefused(
            f"Customer {doc.id}'s account is {doc.account_status}, not locked", code="not_locked"
        )
    return _set_status(doc, "Active", "Unlocked the account")


def send_password_reset(
    doc: CustomerDetail, request: AccountRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_registered(doc, "send a password reset")
    if doc.account_status == "Disabled":
        raise ActionRefused(
            "Cannot send a password reset: the account is disabled", code="account_disabled"
        )
    email = Email("password_reset", doc.email, "Reset your password (link valid for 72 hours)")
    return ActionOutcome(doc, [], f"Sent a password reset link to {doc.email}", emails=[email])


def _next_note_id(doc: CustomerDetail) -> str:
    taken = {note.id for note in doc.notes}
    number = len(doc.notes) + 1
    while f"{doc.id}-note-{number}" in taken:
        number += 1
    return f"{doc.id}-note-{number}"


def _note(doc: CustomerDetail, note_id: str) -> Note:
    for note in doc.notes:
        if note.id == note_id:
            return note
    raise invalid(f"Customer {doc.id} has no note '{note_id}'", "note_id", "note_not_found")


def add_note(
    doc: CustomerDetail, request: AddCustomerNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    text = request.text.strip()
    if not text:
        raise invalid("A note cannot be blank", "text", "blank_note")
    note = Note(id=_next_note_id(doc), text=text, created_at=ctx.now, created_by=ctx.who)
    doc.notes.append(note)
    return ActionOutcome(doc, [Change(f"notes[{note.id}]", None, text)], "Added a note")


def edit_note(
    doc: CustomerDetail, request: EditCustomerNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    note = _note(doc, request.note_id)
    text = request.text.strip()
    if not text:
        raise invalid("A note cannot be blank", "text", "blank_note")
    if text == note.text:
        raise invalid("The note already says that", "text", "no_change")
    change = Change(f"notes[{note.id}]", note.text, text)
    note.text, note.updated_at = text, ctx.now
    return ActionOutcome(doc, [change], "Edited the note")


def delete_note(
    doc: CustomerDetail, request: DeleteCustomerNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    note = _note(doc, request.note_id)
    doc.notes = [n for n in doc.notes if n.id != note.id]
    return ActionOutcome(doc, [Change(f"notes[{note.id}]", note.text, None)], "Deleted the note")


def set_attribute(
    doc: CustomerDetail, request: SetAttributeRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    definition = CUSTOMER_ATTRIBUTES.get(request.fqn)
    if definition is None:
        raise invalid(
            f"Unknown customer attribute '{request.fqn}'; known: {', '.join(CUSTOMER_ATTRIBUTES)}",
            "fqn",
            "unknown_attribute",
        )
    label, allowed = definition
    values = list(dict.fromkeys(request.values))
    for value in values:
        if value not in allowed:
            raise invalid(
                f"'{value}' is not a value of {label}; choose from {', '.join(allowed)}",
                "values",
                "invalid_attribute_value",
            )
    current = next((a for a in doc.attributes if a.fqn == request.fqn), None)
    old = current.values if current else None
    new = values or None
    if old == new:
        raise invalid(f"{label} already has that value", "values", "no_change")
    doc.attributes = [a for a in doc.attributes if a.fqn != request.fqn]
    if values:
        doc.attributes.append(Attribute(fqn=request.fqn, label=label, values=values))
    verb = f"Set {label} to {', '.join(values)}" if values else f"Removed {label}"
    return ActionOutcome(doc, [Change(f"attributes[{request.fqn}]", old, new)], verb)


def _known_segment(code: str) -> str:
    if code not in SEGMENTS:
        raise invalid(
            f"Unknown segment '{code}'; known: {', '.join(SEGMENTS)}", "segment", "unknown_segment"
        )
    return code


def add_segment(
    doc: CustomerDetail, request: SegmentRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    code = _known_segment(request.segment)
    if code in doc.segments:
        raise ActionRefused(
            f"Customer {doc.id} is already in {code}", code="already_in_segment", field="segment"
        )
    old = list(doc.segments)
    doc.segments = [s for s in SEGMENTS if s in {*old, code}]
    return ActionOutcome(doc, [Change("segments", old, doc.segments)], f"Added to {code}")


def remove_segment(
    doc: CustomerDetail, request: SegmentRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    code = _known_segment(request.segment)
    if code not in doc.segments:
        raise ActionRefused(
            f"Customer {doc.id} is not in {code}", code="not_in_segment", field="segment"
        )
    old = list(doc.segments)
    doc.segments = [s for s in old if s != code]
    return ActionOutcome(doc, [Change("segments", old, doc.segments)], f"Removed from {code}")
