"""Pure rules of the customer's address book: add, edit, delete, set primary.

Invariant after every rule: for Billing and for Shipping, exactly one contact of that type is
primary when any contact has the type. ``primary_address`` follows the primary billing
contact (else the primary shipping one), as the demo row's address does.
"""

from __future__ import annotations

from typing import Any

from agent.domain.common import reject_input
from agent.domain.customer.profile import check_email
from agent.domain.outcome import ActionContext, ActionOutcome, Change, Lookup
from shared_schema.actions_customers import (
    AddAddressRequest,
    ContactRequest,
    ContactTypeIn,
    EditAddressRequest,
    SetPrimaryAddressRequest,
)
from shared_schema.entities import Address, Contact, ContactType, CustomerDetail

TYPE_NAMES = ("Billing", "Shipping")
MAX_CONTACTS = 50


def _types(wanted: list[ContactTypeIn]) -> list[ContactType]:
    names = [t.name for t in wanted]
    if len(names) != len(set(names)):
        reject_input("Each type (Billing, Shipping) may appear once", "duplicate_type", "types")
    return [
        ContactType(name=t.name, is_primary=t.is_primary)
        for t in sorted(wanted, key=lambda t: TYPE_NAMES.index(t.name))
    ]


def _contact(doc: CustomerDetail, contact_id: int) -> Contact:
    for contact in doc.contacts:
        if contact.id == contact_id:
            return contact
    reject_input(
        f"Customer {doc.id} has no address {contact_id}", "address_not_found", "contact_id"
    )


def _dump(contact: Contact | None) -> dict[str, Any] | None:
    return contact.model_dump(mode="json") if contact else None


def _normalise_primaries(contacts: list[Contact], preferred: Contact | None) -> None:
    """Keep one primary per type: ``preferred`` wins where it claims a primary; a type nobody
    holds as primary goes to the first contact that has the type."""
    for name in TYPE_NAMES:
        holders = [c for c in contacts for t in c.types if t.name == name]
        if not holders:
            continue
        claims = [c for c in holders for t in c.types if t.name == name and t.is_primary]
        if any(c is preferred for c in claims):
            winner = preferred
        else:
            winner = claims[0] if claims else holders[0]
        for contact in holders:
            for kind in contact.types:
                if kind.name == name:
                    kind.is_primary = contact is winner


def _primary_address(contacts: list[Contact]) -> Address | None:
    for name in TYPE_NAMES:
        for contact in contacts:
            if any(t.name == name and t.is_primary for t in contact.types):
                return contact.address
    return None


def _finish(
    doc: CustomerDetail, before: list[Contact], preferred: Contact | None, message: str
) -> ActionOutcome:
    """Normalise primaries, recompute primary_address, and list each contact that changed."""
    _normalise_primaries(doc.contacts, preferred)
    old_primary = doc.primary_address
    doc.primary_address = _primary_address(doc.contacts)
    old_by_id = {c.id: c for c in before}
    new_by_id = {c.id: c for c in doc.contacts}
    changes = [
        Change(f"contacts[{cid}]", _dump(old_by_id.get(cid)), _dump(new_by_id.get(cid)))
        for cid in sorted(old_by_id.keys() | new_by_id.keys())
        if _dump(old_by_id.get(cid)) != _dump(new_by_id.get(cid))
    ]
    if old_primary != doc.primary_address:
        changes.append(
            Change(
                "primary_address",
                old_primary.model_dump(mode="json") if old_primary else None,
                doc.primary_address.model_dump(mode="json") if doc.primary_address else None,
            )
        )
    if not changes:
        reject_input(
            "Nothing to change: the address already looks like that", "no_change", "(body)"
        )
    return ActionOutcome(doc, changes, message)


def _snapshot(doc: CustomerDetail) -> list[Contact]:
    return [c.model_copy(deep=True) for c in doc.contacts]


def _check_party(email: str) -> None:
    if email:
        check_email(email)


def add_address(
    doc: CustomerDetail, request: AddAddressRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    if len(doc.contacts) >= MAX_CONTACTS:
        reject_input(
            f"The address book holds at most {MAX_CONTACTS} addresses",
            "too_many_addresses",
            "(body)",
        )
    _check_party(request.email)
    before = _snapshot(doc)
    contact = Contact(
        id=max((c.id for c in doc.contacts), default=0) + 1,
        label=request.label.strip(),
        first_name=request.first_name.strip(),
        last_name=request.last_name.strip(),
        email=request.email.strip(),
        phone=request.phone.strip(),
        company=request.company.strip(),
        address=request.address.to_address(),
        types=_types(request.types),
    )
    doc.contacts.append(contact)
    label = contact.label or contact.address.address1
    return _finish(doc, before, contact, f"Added the address {label}")


def edit_address(
    doc: CustomerDetail, request: EditAddressRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    before = _snapshot(doc)
    contact = _contact(doc, request.contact_id)
    for name in ("label", "first_name", "last_name", "email", "phone", "company"):
        value = getattr(request, name)
        if value is not None:
            setattr(contact, name, value.strip())
    if not contact.first_name:
        reject_input("The first name cannot be blank", "blank_name", "first_name")
    _check_party(contact.email)
    if request.address is not None:
        contact.address = request.address.to_address()
    if request.types is not None:
        contact.types = _types(request.types)
    return _finish(doc, before, contact, f"Edited the address {contact.label or contact.id}")


def delete_address(
    doc: CustomerDetail, request: ContactRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    before = _snapshot(doc)
    contact = _contact(doc, request.contact_id)
    doc.contacts = [c for c in doc.contacts if c.id != contact.id]
    for card in doc.payment_methods:
        if card.contact_id == contact.id:
            card.contact_id = None
    return _finish(doc, before, None, f"Deleted the address {contact.label or contact.id}")


def set_primary_address(
    doc: CustomerDetail, request: SetPrimaryAddressRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    before = _snapshot(doc)
    contact = _contact(doc, request.contact_id)
    if any(t.name == request.type and t.is_primary for t in contact.types):
        reject_input(
            f"Address {contact.id} is already the primary {request.type.lower()} address",
            "no_change",
            "contact_id",
        )
    contact.types = [t for t in contact.types if t.name != request.type]
    contact.types.append(ContactType(name=request.type, is_primary=True))
    contact.types.sort(key=lambda t: TYPE_NAMES.index(t.name))
    return _finish(
        doc,
        before,
        contact,
        f"Made {contact.label or contact.id} the primary {request.type.lower()} address",
    )
