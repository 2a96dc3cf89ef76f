"""Request models of the customer actions (agent/domain/customer/actions.py names them).

Fields left out (or null) in an edit keep their value. Customer notes hold up to 1,000
characters (Kibo's note ``content`` has no documented limit; 1,000 fits the panel's note
box, orders keep Kibo's 250). Money is integer minor units in the customer's currency.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .actions import ActionRequest, AddressIn, ReasonText
from .common import JsonBool, JsonInt, JsonStr, Model
from .limits import CUSTOMER_NOTE_MAX_LENGTH

Name = Annotated[JsonStr, Field(min_length=1, max_length=100)]
ShortText = Annotated[JsonStr, Field(max_length=100)]
EmailText = Annotated[JsonStr, Field(min_length=3, max_length=254)]
CustomerNoteText = Annotated[JsonStr, Field(min_length=1, max_length=CUSTOMER_NOTE_MAX_LENGTH)]
ContactId = Annotated[JsonInt, Field(ge=1, le=10**9)]
ContactTypeName = Literal["Billing", "Shipping"]
MAX_CREDIT_CENTS = 1_000_000

# Attribute definitions the demo tenant knows: fqn -> (label, allowed values).
CUSTOMER_ATTRIBUTES: dict[str, tuple[str, tuple[str, ...]]] = {
    "tenant~preferred-contact": ("Preferred contact", ("Email", "Phone", "SMS")),
    "tenant~shoe-size": ("Shoe size", ("7", "8", "9", "10", "11", "12")),
    "tenant~birthday-month": (
        "Birthday month",
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
    ),
    "tenant~loyalty-tier": ("Loyalty tier", ("Bronze", "Silver", "Gold")),
}


class EditGeneralRequest(ActionRequest):
    first_name: Name | None = None
    last_name: Annotated[JsonStr, Field(max_length=100)] | None = None
    email: EmailText | None = None
    username: Annotated[JsonStr, Field(min_length=3, max_length=100)] | None = None
    accepts_marketing: JsonBool | None = None
    tax_exempt: JsonBool | None = None
    tax_id: Annotated[JsonStr, Field(max_length=50)] | None = None


class ContactTypeIn(Model):
    name: ContactTypeName
    is_primary: JsonBool = False


class AddAddressRequest(ActionRequest):
    label: Annotated[JsonStr, Field(max_length=50)] = ""
    first_name: Name
    last_name: Annotated[JsonStr, Field(max_length=100)] = ""
    email: Annotated[JsonStr, Field(max_length=254)] = ""
    phone: Annotated[JsonStr, Field(max_length=30)] = ""
    company: ShortText = ""
    address: AddressIn
    types: Annotated[list[ContactTypeIn], Field(max_length=2)] = Field(
        default_factory=list, description="Billing and/or Shipping; is_primary makes it the default"
    )


class EditAddressRequest(ActionRequest):
    contact_id: ContactId
    label: Annotated[JsonStr, Field(max_length=50)] | None = None
    first_name: Name | None = None
    last_name: Annotated[JsonStr, Field(max_length=100)] | None = None
    email: Annotated[JsonStr, Field(max_length=254)] | None = None
    phone: Annotated[JsonStr, Field(max_length=30)] | None = None
    company: ShortText | None = None
    address: AddressIn | None = None
    types: Annotated[list[ContactTypeIn], Field(max_length=2)] | None = None


class ContactRequest(ActionRequest):
    """delete_address: the contact to remove."""

    contact_id: ContactId


class SetPrimaryAddressRequest(ActionRequest):
    contact_id: ContactId
    type: ContactTypeName


class AccountRequest(ActionRequest):
    """disable_account, enable_account, unlock_account, send_password_reset,
    require_password_change."""


class AddLoginRequest(ActionRequest):
    """add_login: a guest account gets a login. There is no password field on purpose: the
    shopper receives an email to set their own, so a CSR never types or hears it."""

    username: Annotated[
        JsonStr,
        Field(min_length=3, max_length=100, description="Letters, digits and . _ @ + - only"),
    ]
    email: EmailText | None = Field(
        None, description="The sign-in email; the account's email when left out"
    )


class AddCustomerNoteRequest(ActionRequest):
    text: CustomerNoteText


class EditCustomerNoteRequest(ActionRequest):
    note_id: Annotated[JsonStr, Field(min_length=1, max_length=64)]
    text: CustomerNoteText


class DeleteCustomerNoteRequest(ActionRequest):
    note_id: Annotated[JsonStr, Field(min_length=1, max_length=64)]


class SetAttributeRequest(ActionRequest):
    fqn: Annotated[
        JsonStr,
        Field(
            min_length=1, max_length=100, description="One of the tenant's attribute definitions"
        ),
    ]
    values: Annotated[
        list[Annotated[JsonStr, Field(min_length=1, max_length=100)]],
        Field(max_length=10, description="An empty list removes the attribute"),
    ]


class SegmentRequest(ActionRequest):
    """add_segment, remove_segment."""

    segment: Annotated[
        JsonStr, Field(min_length=1, max_length=50, description="A segment code, e.g. VIP")
    ]


class IssueStoreCreditRequest(ActionRequest):
    amount_cents: Annotated[JsonInt, Field(ge=1, le=MAX_CREDIT_CENTS)]
    credit_type: Literal["StoreCredit", "GiftCard"] = "StoreCredit"
    currency: Annotated[JsonStr, Field(pattern=r"^[A-Z]{3}$")] | None = Field(
        None, description="Must be the customer's currency when given"
    )
    comments: ReasonText = ""


CreditCode = Annotated[JsonStr, Field(min_length=1, max_length=64)]


class AdjustStoreCreditRequest(ActionRequest):
    code: CreditCode
    amount_cents: Annotated[
        JsonInt,
        Field(
            ge=-MAX_CREDIT_CENTS,
            le=MAX_CREDIT_CENTS,
            description="Signed change of the balance, not 0",
        ),
    ]
    comments: ReasonText = ""


class EditStoreCreditExpiryRequest(ActionRequest):
    code: CreditCode
    expires_on: Annotated[
        JsonStr,
        Field(
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            description="The last day (UTC) the credit can be spent, YYYY-MM-DD; today or later",
        ),
    ]


class StoreCreditRequest(ActionRequest):
    """delete_store_credit, resend_store_credit_email: the credit to act on."""

    code: CreditCode
