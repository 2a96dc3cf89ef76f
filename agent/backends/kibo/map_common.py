"""Pieces shared by the customer, order and return mappings: addresses, notes, history."""

from __future__ import annotations

from agent.backends.kibo.convert import (
    EPOCH,
    Json,
    cents,
    contact_name,
    iso,
    items,
    obj,
    phone,
    text,
)
from shared_schema.entities import Address, ChangeMessage, Note, PartyAddress


def address(raw: Json) -> Address:
    return Address(
        address1=text(raw, "address1"),
        address2=", ".join(p for p in (text(raw, "address2"), text(raw, "address3")) if p),
        city=text(raw, "cityOrTown"),
        state=text(raw, "stateOrProvince"),
        postal_code=text(raw, "postalOrZipCode"),
        country=text(raw, "countryCode"),
    )


def has_address(raw: Json) -> bool:
    return bool(text(raw, "address1") or text(raw, "cityOrTown"))


def party(contact: Json, fallback_email: str = "") -> PartyAddress:
    first, last = contact_name(contact)
    return PartyAddress(
        first_name=first,
        last_name=last,
        email=text(contact, "email") or fallback_email,
        phone=phone(contact),
        address=address(obj(contact, "address")),
    )


def notes(raw: Json, text_key: str) -> list[Note]:
    out = []
    for note in items(raw, "notes"):
        audit = obj(note, "auditInfo")
        updated = iso(audit.get("updateDate"))
        created = iso(audit.get("createDate")) or EPOCH
        out.append(
            Note(
                id=str(note.get("id", "")),
                text=text(note, text_key),
                created_at=created,
                created_by=text(audit, "createBy"),
                updated_at=updated if updated != created else None,
            )
        )
    return out


def history(raw: Json) -> list[ChangeMessage]:
    out = []
    for msg in items(raw, "changeMessages"):
        who = " ".join(p for p in (text(msg, "userFirstName"), text(msg, "userLastName")) if p)
        amount = msg.get("amount")
        out.append(
            ChangeMessage(
                at=iso(msg.get("createDate")) or EPOCH,
                who=who or text(msg, "appName") or text(msg, "userId") or "System",
                subject=text(msg, "subjectType") or text(msg, "subject"),
                verb=text(msg, "verb"),
                message=text(msg, "message"),
                old_value=msg.get("oldValue") if isinstance(msg.get("oldValue"), str) else None,
                new_value=msg.get("newValue") if isinstance(msg.get("newValue"), str) else None,
                amount_cents=cents(msg, "amount") if isinstance(amount, int | float) else None,
            )
        )
    return sorted(out, key=lambda m: m.at)
