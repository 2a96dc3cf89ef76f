"""Entity details: the customer, order and return documents a tab shows.

Shaped after Kibo Commerce's CustomerAccount, Order and Return (docs/kibo-reference.md §3), in
snake_case. Money is integer minor units (``*_cents``) in the entity's currency; times are
ISO-8601 UTC strings. ``available_actions`` lists the management actions the entity's state
allows right now (agent/domain/<entity>/offers.py); the panel shows only those.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import Cents, JsonInt, Model, Timestamp

Actions = Annotated[
    list[str], Field(description="Action names the current state allows, in UI order")
]


class Address(Model):
    address1: str
    address2: str = ""
    city: str
    state: str = Field(description="State, province or county code")
    postal_code: str
    country: str = Field(description="ISO 3166-1 alpha-2 code")


class ContactType(Model):
    name: Literal["Billing", "Shipping"]
    is_primary: bool


class Contact(Model):
    """One entry of a customer's address book."""

    id: JsonInt
    label: str = Field(description="The customer's name for it, e.g. 'Home' or 'Work'")
    first_name: str
    last_name: str
    email: str
    phone: str
    company: str = ""
    address: Address
    types: list[ContactType] = Field(
        default_factory=list, description="Billing/Shipping use; is_primary marks the default"
    )


class PartyAddress(Model):
    """Who and where: an order's billing or shipping contact."""

    first_name: str
    last_name: str
    email: str
    phone: str
    address: Address


class Note(Model):
    """Internal merchant note (never shown to the shopper)."""

    id: str
    text: str
    created_at: Timestamp
    created_by: str
    updated_at: Timestamp | None = None


class Attribute(Model):
    fqn: str = Field(description="Fully qualified name, e.g. 'tenant~preferred-contact'")
    label: str
    values: list[str]


class SavedCard(Model):
    id: str
    name_on_card: str
    card_brand: str = Field(description="Visa, Mastercard, AmericanExpress or Discover")
    last4: str
    expire_month: JsonInt
    expire_year: JsonInt
    is_default: bool
    contact_id: JsonInt | None = Field(None, description="Billing contact in the address book")


class StoreCreditTransaction(Model):
    id: JsonInt
    at: Timestamp
    transaction_type: Literal["Created", "Debit", "Credit", "Adjustment"]
    impact_cents: Cents = Field(description="Signed change of the balance")
    comments: str = ""
    order_number: JsonInt | None = None


class StoreCredit(Model):
    code: str = Field(description="Unique, read-only once issued")
    credit_type: Literal["StoreCredit", "GiftCard"]
    currency: str
    initial_balance_cents: Cents
    current_balance_cents: Cents
    activated_at: Timestamp
    expires_at: Timestamp | None = None
    transactions: list[StoreCreditTransaction] = Field(default_factory=list)


class WishlistItem(Model):
    product_code: str
    name: str
    quantity: JsonInt
    unit_price_cents: Cents


class Wishlist(Model):
    id: str
    name: str
    created_at: Timestamp
    updated_at: Timestamp
    items: list[WishlistItem]


SectionName = Literal["payment_methods", "store_credits", "wishlists", "login_state", "returns"]


class UnavailableSection(Model):
    """A part of a detail the backend could not load this time (Kibo loads it with a call of
    its own). The field it names is sent empty, and the actions that need it are not offered;
    reloading the detail tries again."""

    section: SectionName = Field(
        description="The detail's field that is empty for this reason "
        "(login_state: the sign-in state, so "
        "password_change_required is unknown and sent as false)"
    )
    message: str = Field(
        description="Why, for the CSR: the backend's message (and Kibo's correlation id)"
    )
    code: str = Field(description="The error code the section's call failed with")
    correlation_id: str | None = Field(None, description="Kibo's id of the failed call")


Unavailable = Annotated[
    list[UnavailableSection],
    Field(
        description="Sections left empty because they could not be loaded; empty when the "
        "detail is complete"
    ),
]


class CustomerDetail(Model):
    id: str = Field(description="Customer (account) id as the CSR reads it")
    version: JsonInt = Field(description="Concurrency token: send it back with edits")
    first_name: str
    last_name: str
    full_name: str
    initials: str = Field(description="Avatar letters, e.g. 'JS'")
    email: str
    username: str
    phone: str
    registered: bool = Field(description="Has a login; false for a guest account")
    account_status: str = Field(description="Active, Disabled or Locked")
    password_change_required: bool = Field(
        False,
        description="The shopper must choose a new password at the next sign-in "
        "(require_password_change sets it; the store clears it when they do). Always false "
        "for a guest account",
    )
    customer_set: str
    segments: list[str]
    created_at: Timestamp
    updated_at: Timestamp
    accepts_marketing: bool
    tax_exempt: bool
    tax_id: str
    currency: str
    lifetime_value_cents: Cents
    order_count: JsonInt
    last_order_at: Timestamp | None
    primary_address: Address | None = Field(description="null shows as 'No address'")
    contacts: list[Contact]
    payment_methods: list[SavedCard]
    notes: list[Note]
    attributes: list[Attribute]
    store_credits: list[StoreCredit]
    wishlists: list[Wishlist]
    available_actions: Actions = Field(default_factory=list)
    unavailable_sections: Unavailable = Field(default_factory=list)


class OrderItem(Model):
    line_id: JsonInt
    product_code: str
    name: str
    quantity: JsonInt
    unit_price_cents: Cents
    subtotal_cents: Cents = Field(description="quantity x unit price")
    tax_cents: Cents
    total_cents: Cents
    quantity_fulfilled: JsonInt
    quantity_returned: JsonInt = Field(description="0 while the order's returns are unavailable")
    quantity_cancelled: JsonInt
    quantity_returnable: JsonInt = Field(
        description="Fulfilled and not already in a (non-cancelled) return; 0 while the "
        "order's returns are unavailable"
    )


class Payment(Model):
    id: str
    type: str = Field(description="One of vocab.PAYMENT_TYPES")
    status: str = Field(description="One of vocab.PAYMENT_STATUSES")
    card_brand: str | None = Field(None, description="Only for CreditCard payments")
    card_last4: str | None = None
    amount_requested_cents: Cents
    amount_collected_cents: Cents
    amount_credited_cents: Cents = Field(description="Given back through credits/refunds")
    available_actions: Actions = Field(default_factory=list)


class ShipmentItem(Model):
    line_id: JsonInt
    product_code: str
    name: str
    quantity: JsonInt


class Shipment(Model):
    number: JsonInt
    status: str = Field(description="One of vocab.SHIPMENT_STATUSES")
    fulfillment_status: Literal["NotFulfilled", "Fulfilled"]
    shipping_method: str
    carrier: str
    tracking_number: str | None
    items: list[ShipmentItem]
    fulfilled_at: Timestamp | None


class OrderTotals(Model):
    subtotal_cents: Cents = Field(description="Sum of the items' subtotals")
    discount_cents: Cents = Field(description="Zero or negative")
    shipping_cents: Cents
    tax_cents: Cents
    total_cents: Cents = Field(description="subtotal + discount + shipping + tax")
    collected_cents: Cents = Field(description="Captured from the shopper")
    pending_cents: Cents = Field(
        description="Authorised or awaiting payment, not yet collected; "
        "0 for a cancelled or abandoned order"
    )
    balance_cents: Cents = Field(
        description="Still owed: total - collected; 0 for a cancelled or abandoned order"
    )
    refunded_cents: Cents = Field(description="Given back (credits and return refunds)")
    refundable_cents: Cents = Field(description="collected - refunded, never negative")


class FulfillmentSummary(Model):
    items: JsonInt = Field(description="Units ordered")
    fulfilled: JsonInt = Field(description="Units shipped or picked up")
    remaining: JsonInt = Field(description="items - fulfilled")


class ReturnSummary(Model):
    id: str
    number: JsonInt
    status: str
    return_type: str
    refund_status: str
    reason: str
    item_count: JsonInt
    refunded_cents: Cents
    created_at: Timestamp
    updated_at: Timestamp


class ChangeMessage(Model):
    """One entry of an order's or return's history timeline."""

    at: Timestamp
    who: str
    subject: str = Field(description="What changed: Order, Payment, Shipment, Return, Item...")
    verb: str = Field(description="Short action word, e.g. Submitted, Captured, Fulfilled")
    message: str
    old_value: str | None = None
    new_value: str | None = None
    amount_cents: Cents | None = None


class Refund(Model):
    id: str
    amount_cents: Cents
    reason: str
    method: Literal["OriginalPayment", "StoreCredit", "GiftCard"]
    payment_id: str | None = None
    created_at: Timestamp
    created_by: str


class OrderDetail(Model):
    id: str = Field(description="Opaque order id used in URLs")
    number: JsonInt = Field(description="Order number the CSR reads")
    version: JsonInt = Field(description="Concurrency token: send it back with edits")
    status: str
    payment_status: str
    fulfillment_status: str
    return_status: str
    type: str = Field(description="Online or Offline")
    channel: str
    site: str
    currency: str
    customer_id: str | None = Field(description="Account id; null for a guest order")
    customer_name: str
    email: str
    phone: str
    submitted_at: Timestamp
    updated_at: Timestamp
    restrict_edit: bool
    restrict_cancellation: bool
    totals: OrderTotals
    fulfillment: FulfillmentSummary
    billing_address: PartyAddress
    shipping_address: PartyAddress
    shipping_method: str
    items: list[OrderItem]
    payments: list[Payment]
    shipments: list[Shipment]
    returns: list[ReturnSummary]
    notes: list[Note]
    history: list[ChangeMessage]
    refunds: list[Refund] = Field(
        default_factory=list, description="Appeasement refunds (not those of returns)"
    )
    external_id: str | None = Field(
        None, description="The order's id in the system it came from (a marketplace, a till)"
    )
    location: str | None = Field(None, description="Where the order was placed or is handled")
    available_actions: Actions = Field(default_factory=list)
    unavailable_sections: Unavailable = Field(default_factory=list)


ReceiveStatus = Literal["NotRequested", "Waiting", "PartiallyReceived", "Received"]
ReplaceStatus = Literal["NotRequested", "NotReplaced", "Replaced"]


class ReturnReason(Model):
    reason: str
    quantity: JsonInt


class ReturnItem(Model):
    id: str
    order_line_id: JsonInt
    product_code: str
    name: str
    quantity: JsonInt
    quantity_received: JsonInt
    quantity_restocked: JsonInt
    quantity_refunded: JsonInt
    quantity_replaced: JsonInt
    reasons: list[ReturnReason]
    unit_price_cents: Cents


class ReturnDetail(Model):
    id: str = Field(description="Opaque return id used in URLs")
    number: JsonInt = Field(description="Return number the CSR reads")
    version: JsonInt = Field(description="Concurrency token: send it back with edits")
    status: str
    return_type: str = Field(description="Refund or Replace")
    refund_status: str
    receive_status: ReceiveStatus
    replace_status: ReplaceStatus = Field(
        description="Replace returns: whether the replacement has shipped"
    )
    reason: str
    order_id: str
    order_number: JsonInt
    customer_id: str | None
    customer_name: str
    email: str
    created_at: Timestamp
    updated_at: Timestamp
    currency: str
    items: list[ReturnItem]
    refundable_cents: Cents = Field(description="Value of the items still refundable")
    refunded_cents: Cents
    refunds: list[Refund]
    replacement_order_id: str | None = None
    notes: list[Note]
    history: list[ChangeMessage]
    external_id: str | None = Field(
        None, description="The return's id in the system it came from (a marketplace)"
    )
    location: str | None = Field(None, description="Where the return is made or processed")
    available_actions: Actions = Field(default_factory=list)


class AuditEntry(Model):
    id: JsonInt
    at: Timestamp
    who: str
    action: str
    field: str | None = Field(None, description="Changed field path, e.g. 'email'")
    old_value: str | None = None
    new_value: str | None = None
    session_id: str | None = None


class AuditLogPage(Model):
    entries: list[AuditEntry]
    total: JsonInt
    page: JsonInt
    page_size: JsonInt
