"""Return actions: names as in available_actions.return_actions, one request model each."""

from __future__ import annotations

from agent.domain.catalog import ActionDef, register
from shared_schema.actions_returns import (
    AddReturnNoteRequest,
    AuthorizeReturnRequest,
    CancelReturnRequest,
    CloseReturnRequest,
    DeleteReturnNoteRequest,
    EditReturnNoteRequest,
    ReceiveItemsRequest,
    RefundReturnRequest,
    RejectReturnRequest,
    ResendReturnEmailRequest,
    RestockRequest,
    ShipReplacementRequest,
)

register(
    ActionDef("return", "authorize", "Authorize", AuthorizeReturnRequest),
    ActionDef("return", "reject", "Reject", RejectReturnRequest, destructive=True),
    ActionDef("return", "cancel", "Cancel return", CancelReturnRequest, money_or_cancel=True),
    ActionDef("return", "receive_items", "Receive items", ReceiveItemsRequest),
    ActionDef("return", "restock", "Restock", RestockRequest),
    ActionDef("return", "refund", "Refund", RefundReturnRequest, money_or_cancel=True),
    ActionDef(
        "return",
        "ship_replacement",
        "Ship replacement",
        ShipReplacementRequest,
        money_or_cancel=True,
    ),
    ActionDef("return", "close", "Close", CloseReturnRequest),
    ActionDef("return", "add_note", "Add note", AddReturnNoteRequest),
    ActionDef("return", "edit_note", "Edit note", EditReturnNoteRequest),
    ActionDef("return", "delete_note", "Delete note", DeleteReturnNoteRequest, destructive=True),
    ActionDef("return", "resend_email", "Resend email", ResendReturnEmailRequest),
)
