"""Customer details of the demo store: the ``doc`` column, or a document derived from the row."""

from __future__ import annotations

import sqlite3
from typing import Any

from agent.backends.demo.documents_common import (
    CARD_BRANDS,
    CURRENCY_BY_COUNTRY,
    STAFF,
    Picker,
    fetch_row,
    iso,
    not_found,
)
from agent.backends.demo.products import PRODUCTS
from agent.domain.customer.offers import refresh_customer_actions
from shared_schema.entities import (
    Address,
    Attribute,
    Contact,
    ContactType,
    CustomerDetail,
    Note,
    SavedCard,
    StoreCredit,
    StoreCreditTransaction,
    Wishlist,
    WishlistItem,
)

YEAR = 365 * 24 * 3600
SECOND_CONTACT_LABELS = ("Work", "Office", "Parents", "Cottage", "Gift address")
STREETS = (
    "Maple Avenue",
    "Station Road",
    "Rue Saint-Denis",
    "Oak Street",
    "High Street",
    "Lakeshore Drive",
    "Church Lane",
    "Cedar Court",
)
NOTE_TEXTS = (
    "Prefers to be called in the afternoon.",
    "Asked not to receive paper catalogues.",
    "Reported a damaged parcel last season; handled with an appeasement.",
    "Speaks French; transfer to the bilingual queue when possible.",
)
ATTRIBUTES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("tenant~preferred-contact", "Preferred contact", ("Email", "Phone", "SMS")),
    ("tenant~shoe-size", "Shoe size", ("7", "8", "9", "10", "11", "12")),
    ("tenant~birthday-month", "Birthday month", ("January", "April", "July", "October")),
    ("tenant~loyalty-tier", "Loyalty tier", ("Bronze", "Silver", "Gold")),
)
CUSTOMER_COLUMNS = (
    "id, first_name, last_name, email, username, phone, account_status, customer_set, segments, "
    "created_at, updated_at, address1, city, state, postal_code, country, accepts_marketing, "
    "tax_exempt, tax_id, order_count, lifetime_value_cents, last_order_at, version, doc"
)


def customer_row(conn: sqlite3.Connection, customer_id: int) -> dict[str, Any]:
    row = fetch_row(conn, f"SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?", (customer_id,))
    if row is None:
        raise not_found("customer", customer_id)
    return row


def customer_detail(conn: sqlite3.Connection, customer_id: int) -> CustomerDetail:
    row = customer_row(conn, customer_id)
    if row["doc"] is not None:
        stored = CustomerDetail.model_validate_json(row["doc"])
        # The order summaries follow the customer's orders in the row (writer_rows), not the
        # customer's own document.
        stored.order_count = row["order_count"]
        stored.lifetime_value_cents = row["lifetime_value_cents"]
        return refresh_customer_actions(stored)
    return refresh_customer_actions(derive_customer(row))


def row_address(row: dict[str, Any]) -> Address | None:
    if not row["address1"]:
        return None
    return Address(
        address1=row["address1"],
        city=row["city"],
        state=row["state"],
        postal_code=row["postal_code"],
        country=row["country"],
    )


def derive_customer(row: dict[str, Any]) -> CustomerDetail:
    picker = Picker("customer", row["id"])
    first, last = row["first_name"], row["last_name"]
    address = row_address(row)
    currency = CURRENCY_BY_COUNTRY.get(row["country"], "USD")
    contacts = _contacts(row, address, picker)
    registered = bool(row["username"])
    return CustomerDetail(
        id=str(row["id"]),
        version=row["version"],
        first_name=first,
        last_name=last,
        full_name=f"{first} {last}".strip(),
        initials=(first[:1] + last[:1]).upper() or row["email"][:1].upper(),
        email=row["email"],
        username=row["username"],
        phone=row["phone"],
        registered=registered,
        account_status=row["account_status"],
        customer_set=row["customer_set"],
        segments=[code for code in row["segments"].split(",") if code],
        created_at=iso(row["created_at"]),
        updated_at=iso(row["updated_at"]),
        accepts_marketing=bool(row["accepts_marketing"]),
        tax_exempt=bool(row["tax_exempt"]),
        tax_id=row["tax_id"],
        currency=currency,
        lifetime_value_cents=row["lifetime_value_cents"],
        order_count=row["order_count"],
        last_order_at=iso(row["last_order_at"]) if row["last_order_at"] else None,
        primary_address=address,
        contacts=contacts,
        payment_methods=_saved_cards(row, picker, bool(contacts)) if registered else [],
        notes=_notes(row, picker),
        attributes=_attributes(picker),
        store_credits=_store_credits(row, picker, currency),
        wishlists=_wishlists(row, picker) if registered else [],
        unavailable_sections=[],  # one store: every section loads with the account
    )


def _contacts(row: dict[str, Any], address: Address | None, picker: Picker) -> list[Contact]:
    if address is None:
        return []
    person = {
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "email": row["email"],
        "phone": row["phone"],
    }
    contacts = [
        Contact(
            id=1,
            label="Home",
            address=address,
            **person,
            types=[
                ContactType(name="Billing", is_primary=True),
                ContactType(name="Shipping", is_primary=True),
            ],
        )
    ]
    if picker.chance("second-contact", 35):
        other = address.model_copy(
            update={
                "address1": (
                    f"{picker.between('street-no', 2, 980)} {picker.pick('street', STREETS)}"
                ),
            }
        )
        contacts.append(
            Contact(
                id=2,
                label=picker.pick("label", SECOND_CONTACT_LABELS),
                address=other,
                **person,
                types=[ContactType(name="Shipping", is_primary=False)],
            )
        )
    return contacts


def _saved_cards(row: dict[str, Any], picker: Picker, has_contact: bool) -> list[SavedCard]:
    created_year = int(iso(row["created_at"])[:4])
    return [
        SavedCard(
            id=f"{row['id']}-card-{index + 1}",
            name_on_card=f"{row['first_name']} {row['last_name']}".strip(),
            card_brand=picker.pick(f"card-brand-{index}", CARD_BRANDS),
            last4=last4,
            expire_month=picker.between(f"card-month-{index}", 1, 12),
            expire_year=created_year + picker.between(f"card-year-{index}", 3, 6),
            is_default=index == 0,
            contact_id=1 if has_contact else None,
        )
        for index, last4 in enumerate(saved_card_last4s(picker))
    ]


def saved_card_last4s(picker: Picker) -> list[str]:
    """The last four digits of a registered customer's saved cards (search_cards.py)."""
    return [picker.digits(f"card-last4-{index}", 4) for index in range(picker.number("cards", 3))]


def _notes(row: dict[str, Any], picker: Picker) -> list[Note]:
    if not picker.chance("note", 20):
        return []
    at = iso(picker.between("note-at", row["created_at"], row["updated_at"]))
    return [
        Note(
            id=f"{row['id']}-note-1",
            text=picker.pick("note-text", NOTE_TEXTS),
            created_at=at,
            created_by=picker.pick("note-by", STAFF),
        )
    ]


def _attributes(picker: Picker) -> list[Attribute]:
    return [
        Attribute(fqn=fqn, label=label, values=[picker.pick(f"{fqn}-value", values)])
        for fqn, label, values in ATTRIBUTES
        if picker.chance(fqn, 40)
    ]


def _store_credits(row: dict[str, Any], picker: Picker, currency: str) -> list[StoreCredit]:
    if not picker.chance("credit", 25):
        return []
    gift_card = picker.chance("credit-type", 40)
    initial = picker.pick("credit-amount", (1000, 2500, 5000, 10000))
    activated = picker.between("credit-at", row["created_at"], row["updated_at"])
    transactions = [
        StoreCreditTransaction(
            id=1,
            at=iso(activated),
            transaction_type="Created",
            impact_cents=initial,
            comments="Issued as a goodwill gesture" if not gift_card else "Gift card purchase",
        )
    ]
    if picker.chance("credit-used", 50):
        used = initial * picker.between("credit-used-part", 1, 4) // 4
        transactions.append(
            StoreCreditTransaction(
                id=2,
                at=iso(picker.between("credit-used-at", activated, row["updated_at"])),
                transaction_type="Debit",
                impact_cents=-used,
                comments="Applied to an order",
            )
        )
    prefix = "GC" if gift_card else "SC"
    return [
        StoreCredit(
            code=f"{prefix}-{picker.digits('credit-code', 10)}",
            credit_type="GiftCard" if gift_card else "StoreCredit",
            currency=currency,
            initial_balance_cents=initial,
            current_balance_cents=sum(t.impact_cents for t in transactions),
            activated_at=iso(activated),
            expires_at=iso(activated + YEAR),
            transactions=transactions,
        )
    ]


def _wishlists(row: dict[str, Any], picker: Picker) -> list[Wishlist]:
    if not picker.chance("wishlist", 30):
        return []
    skus = sorted(PRODUCTS)
    chosen = sorted({picker.pick(f"wish-{i}", skus) for i in range(picker.between("wishes", 1, 3))})
    created = picker.between("wishlist-at", row["created_at"], row["updated_at"])
    return [
        Wishlist(
            id=f"{row['id']}-wishlist-1",
            name="My Wishlist",
            created_at=iso(created),
            updated_at=iso(created),
            items=[
                WishlistItem(
                    product_code=sku,
                    name=PRODUCTS[sku][0],
                    quantity=1,
                    unit_price_cents=PRODUCTS[sku][1],
                )
                for sku in chosen
            ],
        )
    ]
