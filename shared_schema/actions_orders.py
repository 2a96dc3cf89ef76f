"""Request models of the order actions (docs/kibo-reference.md §5.2).

Money is integer minor units in the order's currency; reason codes are closed lists, spelled
as Kibo's reason endpoints spell them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .actions import ActionRequest, NoteText, PartyAddressIn, ReasonText
from .common import JsonInt, JsonStr, Model

CancelReason = Literal[
    "CustomerRequest", "Fraud", "OutOfStock", "PricingError", "Duplicate", "Other"
]
AppeasementReason = Literal[
    "Damaged", "LateDelivery", "PriceMatch", "ServiceIssue", "Goodwill", "Other"
]
ReturnReasonCode = Literal[
    "Damaged",
    "Defective",
    "MissingParts",
    "DifferentExpectations",
    "Late",
    "NoLongerWanted",
    "Other",
]
ReturnType = Literal["Refund", "Replace"]

PositiveCents = Annotated[
    JsonInt, Field(ge=1, le=10**10, description="Money in minor units, above zero")
]
Quantity = Annotated[JsonInt, Field(ge=1, le=10_000)]
LineId = Annotated[JsonInt, Field(ge=1, le=10_000, description="The order item's line_id")]
ObjectId = Annotated[JsonStr, Field(min_length=1, max_length=64)]
Email = Annotated[
    JsonStr, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]


class ChangeOrderAddressRequest(ActionRequest):
    """change_billing_address / change_shipping_address."""

    address: PartyAddressIn


class ChangeOrderEmailRequest(ActionRequest):
    email: Email


class AddOrderNoteRequest(ActionRequest):
    text: NoteText


class EditOrderNoteRequest(ActionRequest):
    note_id: ObjectId
    text: NoteText


class DeleteOrderNoteRequest(ActionRequest):
    note_id: ObjectId


class SubmitOrderRequest(ActionRequest):
    """Pending → Submitted (Kibo's ``SubmitOrder``)."""

    note: ReasonText = ""


class AcceptOrderRequest(ActionRequest):
    """Pending Review → Accepted (Kibo's ``AcceptOrder``): the CSR clears a held order."""

    note: ReasonText = ""


class SetProcessingRequest(ActionRequest):
    """Accepted → Processing (Kibo's ``SetOrderAsProcessing``)."""

    note: ReasonText = ""


class CancelOrderRequest(ActionRequest):
    reason_code: CancelReason
    note: ReasonText = ""


class CancelLine(Model):
    line_id: LineId
    quantity: Quantity


class CancelItemsRequest(ActionRequest):
    items: list[CancelLine] = Field(min_length=1, max_length=100)
    reason_code: CancelReason
    note: ReasonText = ""


class CapturePaymentRequest(ActionRequest):
    payment_id: ObjectId
    amount_cents: PositiveCents


class VoidPaymentRequest(ActionRequest):
    payment_id: ObjectId


class CreditPaymentRequest(ActionRequest):
    payment_id: ObjectId
    amount_cents: PositiveCents
    note: ReasonText = ""


class RefundOrderRequest(ActionRequest):
    """An appeasement refund: money back without changing what the order is worth."""

    amount_cents: PositiveCents
    reason_code: AppeasementReason
    payment_id: ObjectId | None = Field(
        None, description="Payment to refund to; default the one with the most refundable"
    )
    note: ReasonText = ""


class ItemPriceOverride(Model):
    type: Literal["item_price"]
    line_id: LineId
    unit_price_cents: Annotated[JsonInt, Field(ge=0, le=10**10)] = Field(
        description="The new unit price; lower than the current one"
    )


class ShippingAdjustment(Model):
    type: Literal["shipping"]
    amount_cents: PositiveCents = Field(description="Taken off the order's shipping charge")


class AppeasementRequest(ActionRequest):
    adjustment: ItemPriceOverride | ShippingAdjustment = Field(discriminator="type")
    reason_code: AppeasementReason
    note: ReasonText = ""


class ResendConfirmationRequest(ActionRequest):
    pass


class ResendShipmentEmailRequest(ActionRequest):
    shipment_number: Annotated[JsonInt, Field(ge=1, le=10**12)] | None = Field(
        None, description="Default: the latest fulfilled shipment"
    )


class ReturnLine(Model):
    line_id: LineId
    quantity: Quantity
    reason: ReturnReasonCode


class StartReturnRequest(ActionRequest):
    return_type: ReturnType
    items: list[ReturnLine] = Field(min_length=1, max_length=100)
    note: ReasonText = ""
