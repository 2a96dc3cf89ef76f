"""The words a CSR reads: one display label per code the agent sends, and one money format.

Codes stay as Kibo spells them in every payload ("PartiallyRefunded", "CreditCard"); what a
person reads is here, once, for every view: the panel (``GET /info`` serves ``Vocabulary``), the
CLI, the demo admin console and the agent's own messages. Country names come from ISO 3166
(pycountry), which also decides which country codes an address may carry.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

import pycountry

from . import vocab
from .common import Model

Tone = Literal["good", "warn", "bad", "neutral"]

# Codes whose words are not simply the code's words ("PendingReview" reads "Pending Review").
SPELLED = {
    "VIP": "VIP",
    "AtRisk": "At Risk",
    "FirstTimeBuyer": "First-Time Buyer",
    "CallCenter": "Call Center",
    "DifferentExpectations": "Not as Expected",
    "MissingParts": "Missing Parts",
    "NoLongerWanted": "No Longer Wanted",
    "OriginalPayment": "Original Payment",
    "None": "No Returns",
    "default": "Default",
    "wholesale": "Wholesale",
    "employees": "Employees",
    "item_price": "Item Price Override",
    "shipping": "Shipping Adjustment",
    "CUSTOMER_CARE": "Customer Care",
    "CANCELED": "Cancelled",
}

# Codes of the request models (shared_schema/actions_*.py) a CSR picks from.
REQUEST_CODES = (
    "CustomerRequest",
    "Fraud",
    "OutOfStock",
    "PricingError",
    "Duplicate",
    "LateDelivery",
    "PriceMatch",
    "ServiceIssue",
    "Goodwill",
    "OriginalPayment",
    "StoreCredit",
    "GiftCard",
    "Billing",
    "Shipping",
    "item_price",
    "shipping",
)
# Codes of the entity documents besides the closed vocabularies.
DOCUMENT_CODES = (
    "NotRequested",
    "Waiting",
    "PartiallyReceived",
    "Received",
    "NotReplaced",
    "Replaced",
    "Created",
    "Debit",
    "Credit",
    "Adjustment",
    "NotFulfilled",
    "Fulfilled",
)

TONES: dict[Tone, tuple[str, ...]] = {
    "good": (
        "Active",
        "Completed",
        "Paid",
        "Collected",
        "Fulfilled",
        "Closed",
        "FullyRefunded",
        "Received",
        "Authorized",
        "Replaced",
        "FULFILLED",
    ),
    "warn": (
        "Pending",
        "Processing",
        "PartiallyFulfilled",
        "PartiallyRefunded",
        "PartiallyReceived",
        "Waiting",
        "Created",
        "PendingReview",
        "Submitted",
        "Accepted",
        "Validated",
        "Unpaid",
        "ReturnRequested",
        "PartiallyReturned",
        "READY",
        "BACKORDER",
        "AuthorizePending",
        "CapturePending",
        "CreditPending",
        "VoidPending",
    ),
    "bad": (
        "Cancelled",
        "Disabled",
        "Locked",
        "Rejected",
        "Errored",
        "Declined",
        "Voided",
        "Abandoned",
        "CANCELED",
    ),
}

# Field names of documents and audit entries, as the panel's Audit Log names them.
FIELDS = {
    "accepts_marketing": "Marketing messages",
    "account_status": "Account status",
    "address1": "Address line 1",
    "address2": "Address line 2",
    "postal_code": "Postal code",
    "current_balance_cents": "Balance",
    "initial_balance_cents": "Initial balance",
    "expires_at": "Expires",
    "credit_type": "Type",
    "first_name": "First name",
    "last_name": "Last name",
    "tax_exempt": "Tax exempt",
    "tax_id": "Tax ID",
    "password_change_required": "Password change",
    "is_primary": "Primary",
    "primary_address": "Primary address",
    "store_credits": "Store credit",
    "contacts": "Address",
    "notes": "Note",
    "attributes": "Attribute",
    "segments": "Segments",
    "username": "User name",
}

CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "GBP": "£", "EUR": "€", "AUD": "A$"}


class Vocabulary(Model):
    """Display words for codes, the tone of status words, field names and country names."""

    labels: dict[str, str]
    tones: dict[str, Tone]
    fields: dict[str, str]
    countries: dict[str, str]


def words(code: str) -> str:
    """The code's own words: "PartiallyRefunded" → "Partially Refunded", "NOT_SHIPPED" →
    "Not Shipped", "add_note" → "Add note"."""
    if code in SPELLED:
        return SPELLED[code]
    if "_" in code and code.islower():
        text = code.replace("_", " ")
        return text[:1].upper() + text[1:]
    if code.isupper():
        return code.replace("_", " ").title()
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", code)


def label(code: str) -> str:
    return words(code)


def tone(code: str) -> Tone:
    return next((name for name, codes in TONES.items() if code in codes), "neutral")


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → the country's common name."""
    return {
        c.alpha_2: getattr(c, "common_name", None) or c.name
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_2)
    }


def country_name(code: str) -> str:
    return country_names().get(code, code)


def is_country(code: str) -> bool:
    return code in country_names()


def money_text(cents: int, currency: str) -> str:
    """ "CA$1,234.50", "-£3.00": the symbol the panel shows (an English locale), else the code
    ("1,234.50 CHF"). Minor units of two digits, as every currency of the demo store."""
    sign = "-" if cents < 0 else ""
    amount = f"{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"


def _all_codes() -> list[str]:
    codes: list[str] = []
    for name in dir(vocab):
        values = getattr(vocab, name)
        if name.isupper() and isinstance(values, tuple):
            codes.extend(values)
    codes.extend(REQUEST_CODES)
    codes.extend(DOCUMENT_CODES)
    return list(dict.fromkeys(codes))


@cache
def vocabulary() -> Vocabulary:
    codes = _all_codes()
    return Vocabulary(
        labels={code: label(code) for code in codes},
        tones={code: tone(code) for code in codes if tone(code) != "neutral"},
        fields=dict(FIELDS),
        countries=country_names(),
    )
