"""The fake tenant's customer account writes: the account, its address book, notes,
attributes, segments, sign-in (lock, password change, login) and the password-reset email.

A PUT of the account applies what an admin may change and ignores the rest (``isActive`` is
changed through another call Kibo names only in prose); calls naming a login (``userId``) must
name the account's own.
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
    new_id,
    not_found,
    touch,
)

EDITABLE = (
    "firstName",
    "lastName",
    "emailAddress",
    "userName",
    "acceptsMarketing",
    "taxExempt",
    "taxId",
    "companyOrOrganization",
    "localeCode",
)
CONTACT_FIELDS = (
    "label",
    "email",
    "firstName",
    "middleNameOrInitial",
    "lastNameOrSurname",
    "companyOrOrganization",
    "faxNumber",
    "phoneNumbers",
    "address",
    "types",
)


def _taken(data: dict[str, Any], account: Json, email: str = "", username: str = "") -> str:
    for other in data["accounts"].values():
        if other is account or other.get("isAnonymous"):
            continue
        if username and str(other.get("userName", "")).lower() == username.lower():
            return f"The user name {username} is already in use"
        if email and str(other.get("emailAddress", "")).lower() == email.lower():
            return f"The email {email} is already in use"
    return ""


def _own_login(account: Json, query: dict[str, str]) -> None:
    if "userId" in query and query["userId"] != account.get("userId"):
        raise not_found(f"login {query['userId']} of account {account['id']}")


def update_account(data: dict[str, Any], account: Json, body: Json) -> Json:
    if body.get("id") not in (None, account["id"]):
        raise invalid("The account in the body is another account")
    sent = {k: body[k] for k in EDITABLE if k in body}
    problem = _taken(data, account, str(sent.get("emailAddress") or ""))
    if problem and not account.get("isAnonymous"):
        raise conflict(problem)
    account.update(sent)
    touch(account)
    return account


# -- address book ----------------------------------------------------------------------------


def _primary_once(account: Json, contact: Json) -> None:
    """A type marked primary on one contact is no longer primary on the others (inferred)."""
    primary = {t["name"] for t in contact.get("types") or [] if t.get("isPrimary")}
    for other in account.get("contacts", []):
        if other is not contact:
            for kind in other.get("types") or []:
                if kind.get("name") in primary:
                    kind["isPrimary"] = False


def add_contact(account: Json, body: Json) -> Json:
    if not (body.get("address") or {}).get("address1"):
        raise invalid("A contact needs an address")
    contacts = account.setdefault("contacts", [])
    contact = {k: body[k] for k in CONTACT_FIELDS if k in body} | {
        "id": max((c["id"] for c in contacts), default=0) + 1,
        "accountId": account["id"],
        "auditInfo": created(),
    }
    contacts.append(contact)
    _primary_once(account, contact)
    touch(account)
    return contact


def update_contact(account: Json, contact_id: str, body: Json, query: dict[str, str]) -> Json:
    _own_login(account, query)
    contact = find(account.get("contacts", []), "id", contact_id, "contact")
    contact.update({k: body[k] for k in CONTACT_FIELDS if k in body})
    _primary_once(account, contact)
    touch(account)
    return contact


def delete_contact(account: Json, contact_id: str) -> Any:
    contacts = account.get("contacts", [])
    contacts.remove(find(contacts, "id", contact_id, "contact"))
    touch(account)
    return EMPTY


# -- notes and attributes ----------------------------------------------------------------------


def add_note(account: Json, body: Json) -> Json:
    note = {"id": new_id(), "content": body["content"], "auditInfo": created()}
    account.setdefault("notes", []).append(note)
    touch(account)
    return note


def edit_note(account: Json, note_id: str, body: Json) -> Json:
    note = find(account.get("notes", []), "id", note_id, "customer note")
    note["content"] = body["content"]
    touch(account)
    return note


def delete_note(account: Json, note_id: str) -> Any:
    account["notes"].remove(find(account.get("notes", []), "id", note_id, "customer note"))
    touch(account)
    return EMPTY


def _attribute(account: Json, fqn: str) -> Json | None:
    return next((a for a in account.get("attributes", []) if a["fullyQualifiedName"] == fqn), None)


def set_attribute(account: Json, fqn: str | None, body: Json, query: dict[str, str]) -> Json:
    """POST (``fqn`` None: a new one) or PUT of an attribute's values."""
    _own_login(account, query)
    name = fqn or str(body.get("fullyQualifiedName") or "")
    if not name or not isinstance(body.get("values"), list):
        raise invalid("An attribute needs its fullyQualifiedName and values")
    found = _attribute(account, name)
    if fqn is None and found is not None:
        raise conflict(f"The account already has the attribute {name}")
    if fqn is not None and found is None:
        raise not_found(f"attribute {name}")
    if found is None:
        found = {"fullyQualifiedName": name, "attributeDefinitionId": new_id()}
        account.setdefault("attributes", []).append(found)
    found["values"] = body["values"]
    touch(account)
    return found


def delete_attribute(account: Json, fqn: str, query: dict[str, str]) -> Any:
    _own_login(account, query)
    found = _attribute(account, fqn)
    if found is None:
        raise not_found(f"attribute {fqn}")
    account["attributes"].remove(found)
    touch(account)
    return EMPTY


# -- segments --------------------------------------------------------------------------------


def add_to_segment(data: dict[str, Any], segment_id: str, body: Any) -> Any:
    segment = find(data["segments"], "id", segment_id, "segment")
    if not isinstance(body, list) or not body:
        raise invalid("The body is the list of account ids")
    for account_id in body:
        account = data["accounts"].get(account_id)
        if account is None:
            raise not_found(f"account {account_id}")
        if all(s["id"] != segment["id"] for s in account.get("segments", [])):
            account.setdefault("segments", []).append(dict(segment))
            touch(account)
    return EMPTY


def remove_from_segment(data: dict[str, Any], segment_id: str, account: Json) -> Any:
    segment = find(data["segments"], "id", segment_id, "segment")
    kept = [s for s in account.get("segments", []) if s["id"] != segment["id"]]
    if len(kept) == len(account.get("segments", [])):
        raise not_found(f"account {account['id']} in segment {segment['code']}")
    account["segments"] = kept
    touch(account)
    return EMPTY


# -- sign-in ---------------------------------------------------------------------------------


def login_state(data: dict[str, Any], account: Json) -> Json | None:
    """The account's LoginState (None for a guest: no login, nothing to answer)."""
    if account.get("isAnonymous"):
        return None
    states = data.setdefault("login_states", {})
    state = states.setdefault(
        account["id"],
        {
            "isPasswordChangeRequired": False,
            "failedLoginAttemptCount": 0,
            "remainingLoginAttempts": 5,
            "createdOn": account.get("auditInfo", {}).get("createDate"),
        },
    )
    state["isLocked"] = bool(account.get("isLocked"))
    return state


def set_login_locked(data: dict[str, Any], account: Json, body: Any, query: dict[str, str]) -> Any:
    _own_login(account, query)
    if not isinstance(body, bool) or login_state(data, account) is None:
        raise invalid("The body is true or false, for an account with a login")
    account["isLocked"] = body
    touch(account)
    return EMPTY


def set_password_change_required(
    data: dict[str, Any], account: Json, body: Any, query: dict[str, str]
) -> Any:
    _own_login(account, query)
    state = login_state(data, account)
    if state is None or not isinstance(body, bool):
        raise invalid("The body is true or false, for an account with a login")
    state["isPasswordChangeRequired"] = body
    state["updatedOn"] = NOW
    return EMPTY


def make_guest(account: Json) -> Json:
    """Turn a canned account into a guest account (no login), as guest checkout leaves one."""
    account.pop("userName", None)
    account.pop("userId", None)
    account["isAnonymous"] = True
    return account


def create_login(data: dict[str, Any], account: Json, body: Json) -> Json:
    """POST .../Create-Login: the guest gets a login, or why not (409)."""
    if not account.get("isAnonymous"):
        raise conflict(f"Account {account['id']} already has a login")
    username, email = str(body.get("username") or ""), str(body.get("emailAddress") or "")
    problem = _taken(data, account, email, username)
    if problem:
        raise conflict(problem)
    if not body.get("password"):
        raise conflict("A password is required")
    account.update(
        userName=username, emailAddress=email, userId=f"u{account['id']}", isAnonymous=False
    )
    touch(account)
    return {
        "customerAccount": account,
        "accessToken": f"shopper-{new_id()}",
        "accessTokenExpiration": NOW,
        "refreshToken": f"shopper-refresh-{new_id()}",
        "refreshTokenExpiration": NOW,
        "userId": account["userId"],
    }


def reset_password(data: dict[str, Any], body: Json) -> Any:
    known = any(
        a.get("emailAddress") == body.get("emailAddress") and not a.get("isAnonymous")
        for a in data["accounts"].values()
    )
    if not known:
        raise not_found("login with that email")
    data.setdefault("emails", []).append(("Reset-Password", body.get("emailAddress")))
    return EMPTY
