"""Order actions: names as in available_actions.order_actions, one request model each."""

from __future__ import annotations

from agent.domain.catalog import ActionDef, register
from shared_schema.actions_orders import (
    AcceptOrderRequest,
    AddOrderNoteRequest,
    AppeasementRequest,
    CancelItemsRequest,
    CancelOrderRequest,
    CapturePaymentRequest,
    ChangeOrderAddressRequest,
    ChangeOrderEmailRequest,
    CreditPaymentRequest,
    DeleteOrderNoteRequest,
    EditOrderNoteRequest,
    RefundOrderRequest,
    ResendConfirmationRequest,
    ResendShipmentEmailRequest,
    SetProcessingRequest,
    StartReturnRequest,
    SubmitOrderRequest,
    VoidPaymentRequest,
)

register(
    ActionDef(
        "order", "change_billing_address", "Change billing address", ChangeOrderAddressRequest
    ),
    ActionDef(
        "order", "change_shipping_address", "Change shipping address", ChangeOrderAddressRequest
    ),
    ActionDef("order", "change_email", "Change email", ChangeOrderEmailRequest),
    ActionDef("order", "add_note", "Add note", AddOrderNoteRequest),
    ActionDef("order", "edit_note", "Edit note", EditOrderNoteRequest),
    ActionDef("order", "delete_note", "Delete note", DeleteOrderNoteRequest, destructive=True),
    ActionDef("order", "submit_order", "Submit order", SubmitOrderRequest, moves_status=True),
    ActionDef("order", "accept_order", "Accept order", AcceptOrderRequest, moves_status=True),
    ActionDef(
        "order", "set_processing", "Set as processing", SetProcessingRequest, moves_status=True
    ),
    ActionDef("order", "cancel_order", "Cancel order", CancelOrderRequest, money_or_cancel=True),
    ActionDef("order", "cancel_items", "Cancel items", CancelItemsRequest, money_or_cancel=True),
    ActionDef(
        "order", "capture_payment", "Capture payment", CapturePaymentRequest, money_or_cancel=True
    ),
    ActionDef("order", "void_payment", "Void payment", VoidPaymentRequest, money_or_cancel=True),
    ActionDef(
        "order", "credit_payment", "Credit payment", CreditPaymentRequest, money_or_cancel=True
    ),
    ActionDef("order", "refund", "Refund", RefundOrderRequest, money_or_cancel=True),
    ActionDef("order", "appeasement", "Appeasement", AppeasementRequest, money_or_cancel=True),
    ActionDef("order", "resend_confirmation", "Resend confirmation", ResendConfirmationRequest),
    ActionDef(
        "order", "resend_shipment_email", "Resend shipment email", ResendShipmentEmailRequest
    ),
    ActionDef("order", "start_return", "Start return", StartReturnRequest),
)
