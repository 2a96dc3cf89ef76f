"""Status words and other closed vocabularies, spelled as Kibo Commerce spells them.

One place for every list the demo store seeds, the search filters offer and the panel shows.
"""

from __future__ import annotations

ORDER_STATUSES = (
    "Pending",
    "Submitted",
    "Validated",
    "PendingReview",
    "Accepted",
    "Processing",
    "Completed",
    "Cancelled",
    "Errored",
    "Abandoned",
    "Closed",
)
# "Refunded" is the demo store's word for an order whose collected money all went back (Kibo's
# rollup has no such value; its orders keep the word Kibo gives them).
ORDER_PAYMENT_STATUSES = (
    "Unpaid",
    "Pending",
    "Authorized",
    "Paid",
    "Refunded",
    "Voided",
    "Errored",
)
ORDER_FULFILLMENT_STATUSES = ("NotFulfilled", "PartiallyFulfilled", "Fulfilled")
ORDER_RETURN_STATUSES = ("None", "ReturnRequested", "PartiallyReturned", "FullyReturned")
ORDER_TYPES = ("Online", "Offline")
CHANNELS = ("Web", "CallCenter", "Store", "Marketplace")
SITES = ("US Store", "CA Store", "UK Store")
# Fulfillment locations of the demo store's orders (and where their returns are received).
LOCATIONS_BY_SITE = {
    "US Store": ("Austin DC", "New York Store"),
    "CA Store": ("Toronto DC",),
    "UK Store": ("London DC",),
}
LOCATIONS = tuple(loc for locs in LOCATIONS_BY_SITE.values() for loc in locs)

PAYMENT_STATUSES = (
    "New",
    "Pending",
    "Authorized",
    "AuthorizePending",
    "Collected",
    "CapturePending",
    "Declined",
    "Voided",
    "VoidPending",
    "Credited",
    "CreditPending",
)
PAYMENT_TYPES = ("CreditCard", "StoreCredit", "GiftCard", "Check", "PurchaseOrder")
SHIPMENT_STATUSES = (
    "READY",
    "REASSIGNED",
    "BACKORDER",
    "CANCELED",
    "FULFILLED",
    "CUSTOMER_CARE",
    "DELETED",
    "FUTURE",
)

RETURN_STATUSES = ("Created", "Authorized", "Closed", "Rejected", "Cancelled")
RETURN_TYPES = ("Refund", "Replace")
RETURN_REFUND_STATUSES = ("NotRefunded", "PartiallyRefunded", "FullyRefunded")
RETURN_REASONS = (
    "Damaged",
    "Defective",
    "MissingParts",
    "DifferentExpectations",
    "Late",
    "NoLongerWanted",
    "Other",
)

ACCOUNT_STATUSES = ("Active", "Disabled", "Locked")
CUSTOMER_SETS = ("default", "wholesale", "employees")
SEGMENTS = ("VIP", "Loyalty", "Newsletter", "Wholesale", "AtRisk", "FirstTimeBuyer")
COUNTRIES = ("US", "CA", "GB")
# What the seeded audit log records besides the management actions (their names and labels
# come from the action catalogue).
AUDIT_EVENTS = (
    "account_created",
    "marketing_changed",
    "account_disabled",
    "account_locked",
    "address_changed",
    "email_changed",
    "password_reset_sent",
)
