"""Pure rules of the login: force a password change, give a guest account a login.

A CSR never sets or learns a shopper's password: a forced change makes the shopper choose a
new one at the next sign-in, and a new login comes with an email whose link sets the first
one (the same 72-hour link as a password reset).
"""

from __future__ import annotations

from agent.domain.common import refuse, reject_input
from agent.domain.customer.profile import (
    check_email,
    check_username,
    refuse_taken_login,
    require_registered,
)
from agent.domain.outcome import (
    ActionContext,
    ActionOutcome,
    Change,
    Email,
    Lookup,
)
from shared_schema.actions_customers import AccountRequest, AddLoginRequest
from shared_schema.entities import CustomerDetail


def require_password_change(
    doc: CustomerDetail, request: AccountRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_registered(doc, "require a password change")
    if doc.password_change_required:
        refuse(
            f"Customer {doc.id} must already choose a new password at the next sign-in",
            "password_change_already_required",
        )
    doc.password_change_required = True
    return ActionOutcome(
        doc,
        [Change("password_change_required", False, True)],
        "The shopper must choose a new password at the next sign-in",
    )


def add_login(
    doc: CustomerDetail, request: AddLoginRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    if doc.registered:
        refuse(
            f"Customer {doc.id} already has a login (user name '{doc.username}')",
            "already_registered",
        )
    username = check_username(request.username.strip())
    if request.email is not None:
        email = check_email(request.email)
    elif doc.email.strip():
        email = check_email(doc.email)
    else:
        reject_input(
            f"Customer {doc.id} has no email: enter the one the shopper will sign in with",
            "email_required",
            "email",
        )
    refuse_taken_login(doc, "username", username, lookup)
    refuse_taken_login(doc, "email", email, lookup)
    changes = [Change("username", doc.username, username), Change("registered", False, True)]
    if email != doc.email:
        changes.append(Change("email", doc.email, email))
    doc.username, doc.email, doc.registered = username, email, True
    doc.password_change_required = False
    doc.initials = (doc.first_name[:1] + doc.last_name[:1]).upper() or email[:1].upper()
    link = Email(
        "set_password", email, "Your account is ready: set your password (link valid for 72 hours)"
    )
    return ActionOutcome(
        doc,
        changes,
        f"Added the login '{username}'; {email} got a link to set the password",
        emails=[link],
    )
