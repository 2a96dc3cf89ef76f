"""Kibo CustomerAccount (+ cards, credits, wishlists) as our CustomerDetail."""

from __future__ import annotations

import zlib
from typing import Any

from agent.backends.kibo.action_hooks import only_mapped
from agent.backends.kibo.convert import (
    EPOCH,
    Json,
    account_status,
    cents,
    full_name,
    iso,
    items,
    number,
    obj,
    phone,
    primary_contact,
    text,
    version_of,
)
from agent.backends.kibo.map_common import address, has_address, notes
from agent.backends.kibo.sections import offer
from agent.domain.customer.offers import CustomerState, customer_actions
from shared_schema.entities import (
    Attribute,
    Contact,
    ContactType,
    CustomerDetail,
    SavedCard,
    StoreCredit,
    UnavailableSection,
    Wishlist,
    WishlistItem,
)

CONTACT_TYPES = ("Billing", "Shipping")


def _contact(raw: Json) -> Contact:
    types = [
        ContactType(name=text(t, "name"), is_primary=bool(t.get("isPrimary")))
        for t in items(raw, "types")
        if text(t, "name") in CONTACT_TYPES
    ]
    return Contact(
        id=number(raw, "id"),
        label=text(raw, "label"),
        first_name=text(raw, "firstName"),
        last_name=text(raw, "lastNameOrSurname"),
        email=text(raw, "email"),
        phone=phone(raw),
        company=text(raw, "companyOrOrganization"),
        address=address(obj(raw, "address")),
        types=types,
    )


def _card(raw: Json) -> SavedCard:
    part = text(raw, "cardNumberPart")
    contact = raw.get("contactId")
    return SavedCard(
        id=text(raw, "id"),
        name_on_card=text(raw, "nameOnCard"),
        card_brand=text(raw, "cardType"),
        last4=part[-4:],
        expire_month=number(raw, "expireMonth"),
        expire_year=number(raw, "expireYear"),
        is_default=bool(raw.get("isDefaultPayMethod")),
        contact_id=contact if isinstance(contact, int) else None,
    )


def _credit(raw: Json) -> StoreCredit:
    kind = "GiftCard" if "gift" in text(raw, "creditType").lower() else "StoreCredit"
    return StoreCredit(
        code=text(raw, "code"),
        credit_type=kind,
        currency=text(raw, "currencyCode"),
        initial_balance_cents=cents(raw, "initialBalance"),
        current_balance_cents=cents(raw, "currentBalance"),
        activated_at=iso(raw.get("activationDate")) or EPOCH,
        expires_at=iso(raw.get("expirationDate")),
    )


ACCOUNT_BITS = 0x7FFF  # the version's high 15 bits: the account
CREDIT_BITS = 0xFFFF  # its low 16 bits: the shopper's store credits


def customer_version(account: Json, credits: Any) -> int:
    """The account's concurrency token, which store-credit changes move too.

    Kibo's account has no version and its ``updateDate`` does not move when one of the
    shopper's credits changes (credits are their own resource). So the token holds a digest
    of the account's update time (high bits) and one of each credit's code, balance, expiry
    and update time (low bits): after a credit was issued, adjusted or deleted the version is
    new, and an action sent with the old one is refused (409) instead of paying twice. When
    the credits could not be read (``credits`` None) their bits are 0 and only the account's
    count (``versions_match``). An opaque value; only equality matters.
    """
    stamp = text(obj(account, "auditInfo"), "updateDate") or str(version_of(account))
    high = zlib.crc32(stamp.encode()) & ACCOUNT_BITS
    low = 0
    if credits is not None:
        digest = sorted(
            "|".join(str(c.get(k)) for k in ("code", "currentBalance", "expirationDate"))
            + "|"
            + text(obj(c, "auditInfo"), "updateDate")
            for c in items(credits, "items")
        )
        low = zlib.crc32("\n".join(digest).encode()) & CREDIT_BITS
    return (high << 16 | low) or 1


def versions_match(expected: int, detail: CustomerDetail) -> bool:
    """The CSR's version against the current one; without the credits, the account's part."""
    if any(m.section == "store_credits" for m in detail.unavailable_sections):
        return expected >> 16 == detail.version >> 16
    return expected == detail.version


def _attribute(raw: Json) -> Attribute:
    fqn = text(raw, "fullyQualifiedName")
    values = raw.get("values") if isinstance(raw.get("values"), list) else []
    return Attribute(
        fqn=fqn,
        label=fqn.split("~")[-1].replace("-", " ").capitalize(),
        values=[str(v) for v in values or []],
    )


def _wishlist(raw: Json) -> Wishlist:
    audit = obj(raw, "auditInfo")
    created = iso(audit.get("createDate")) or EPOCH
    lines = []
    for item in items(raw, "items"):
        product, price = obj(item, "product"), obj(item, "unitPrice")
        key = "saleAmount" if price.get("saleAmount") else "listAmount"
        lines.append(
            WishlistItem(
                product_code=text(product, "productCode"),
                name=text(product, "name"),
                quantity=number(item, "quantity"),
                unit_price_cents=cents(price, key),
            )
        )
    return Wishlist(
        id=text(raw, "id"),
        name=text(raw, "name"),
        created_at=created,
        updated_at=iso(audit.get("updateDate")) or created,
        items=lines,
    )


def customer_detail(
    account: Json,
    cards: Any,
    credits: Any,
    wishlists: Any = None,
    missing: list[UnavailableSection] | None = None,
    login_state: Any = None,
) -> CustomerDetail:
    """``missing``: the sections whose call failed (their data comes as None).

    ``login_state``: Kibo's ``LoginState`` of the account (``isPasswordChangeRequired``). A
    guest account has no login, so its sign-in state is never missing: it has none.
    """
    first, last = text(account, "firstName"), text(account, "lastName")
    email = text(account, "emailAddress")
    audit = obj(account, "auditInfo")
    summary = obj(account, "commerceSummary")
    contacts = items(account, "contacts")
    primary = primary_contact(account)
    registered = not account.get("isAnonymous") and bool(
        text(account, "userName") or text(account, "userId")
    )
    missing = [m for m in missing or [] if registered or m.section != "login_state"]
    must_change = registered and obj(login_state).get("isPasswordChangeRequired") is True
    status = account_status(account)
    segments = [text(s, "code") or text(s, "name") for s in items(account, "segments")]
    card_list = [_card(c) for c in (cards if isinstance(cards, list) else items(cards, "items"))]
    credit_list = [_credit(c) for c in items(credits, "items")]
    name = full_name(first, last, email)
    state = CustomerState(
        account_status=status,
        registered=registered,
        contact_count=len(contacts),
        note_count=len(items(account, "notes")),
        segment_count=len(segments),
        store_credit_count=len(credit_list),
        password_change_required=must_change,
    )
    return CustomerDetail(
        id=str(number(account, "id")),
        version=customer_version(account, credits),
        first_name=first,
        last_name=last,
        full_name=name,
        initials="".join(p[:1].upper() for p in (first, last) if p) or name[:1].upper(),
        email=email,
        username=text(account, "userName"),
        phone=phone(primary),
        registered=registered,
        account_status=status,
        password_change_required=must_change,
        customer_set=text(account, "customerSet"),
        segments=segments,
        created_at=iso(audit.get("createDate")) or EPOCH,
        updated_at=iso(audit.get("updateDate")) or iso(audit.get("createDate")) or EPOCH,
        accepts_marketing=bool(account.get("acceptsMarketing")),
        tax_exempt=bool(account.get("taxExempt")),
        tax_id=text(account, "taxId"),
        currency=text(obj(summary, "totalOrderAmount"), "currencyCode") or "USD",
        lifetime_value_cents=cents(obj(summary, "totalOrderAmount"), "amount"),
        order_count=number(summary, "orderCount"),
        last_order_at=iso(summary.get("lastOrderDate")),
        primary_address=(
            address(obj(primary, "address")) if has_address(obj(primary, "address")) else None
        ),
        contacts=[_contact(c) for c in contacts],
        payment_methods=card_list,
        notes=notes(account, "content"),
        attributes=[_attribute(a) for a in items(account, "attributes")],
        store_credits=credit_list,
        wishlists=[_wishlist(w) for w in items(wishlists, "items")],
        available_actions=offer(only_mapped("customer", customer_actions(state)), missing),
        unavailable_sections=missing,
    )
