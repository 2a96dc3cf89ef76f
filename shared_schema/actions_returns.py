"""Request models of the return actions (docs/kibo-reference.md §5.3)."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from .actions import ActionRequest, NoteText, ReasonText
from .actions_orders import ObjectId, PositiveCents, Quantity
from .common import Model

RefundMethod = Literal["OriginalPayment", "StoreCredit"]


class AuthorizeReturnRequest(ActionRequest):
    note: ReasonText = ""


class RejectReturnRequest(ActionRequest):
    note: ReasonText = ""


class CancelReturnRequest(ActionRequest):
    note: ReasonText = ""


class ReturnItemQuantity(Model):
    item_id: ObjectId = Field(description="The return item's id")
    quantity: Quantity


ReturnItemQuantities = Annotated[list[ReturnItemQuantity], Field(min_length=1, max_length=100)]


class ReceiveItemsRequest(ActionRequest):
    items: ReturnItemQuantities


class RestockRequest(ActionRequest):
    items: ReturnItemQuantities


class RefundReturnRequest(ActionRequest):
    """``auto`` refunds everything still refundable; ``manual`` the amount given."""

    mode: Literal["auto", "manual"]
    amount_cents: PositiveCents | None = Field(None, description="Required for manual, only")
    method: RefundMethod = "OriginalPayment"
    note: ReasonText = ""

    @model_validator(mode="after")
    def _amount_matches_mode(self) -> Self:
        if self.mode == "manual" and self.amount_cents is None:
            raise ValueError("a manual refund needs amount_cents")
        if self.mode == "auto" and self.amount_cents is not None:
            raise ValueError("an auto refund computes its amount: leave amount_cents out")
        return self


class ShipReplacementRequest(ActionRequest):
    note: ReasonText = ""


class CloseReturnRequest(ActionRequest):
    note: ReasonText = ""


class AddReturnNoteRequest(ActionRequest):
    text: NoteText


class EditReturnNoteRequest(ActionRequest):
    note_id: ObjectId
    text: NoteText


class DeleteReturnNoteRequest(ActionRequest):
    note_id: ObjectId


class ResendReturnEmailRequest(ActionRequest):
    pass
