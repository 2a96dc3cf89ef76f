"""Resend the order confirmation or a shipment email to the order's email (the outbox)."""

from __future__ import annotations

from agent.domain.common import changes_between, record, reject_input, working_copy
from agent.domain.order.guards import require_offered
from agent.domain.outcome import ActionContext, ActionOutcome, Email, Lookup
from shared_schema.actions_orders import ResendConfirmationRequest, ResendShipmentEmailRequest
from shared_schema.entities import OrderDetail


def resend_confirmation(
    order: OrderDetail, request: ResendConfirmationRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_offered(order, "resend_confirmation")
    after = working_copy(order)
    record(after, ctx, "Email", "Resent", f"Order confirmation resent to {order.email}")
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Order confirmation sent to {order.email}.",
        emails=[
            Email(
                template="OrderConfirmation", to=order.email, subject=f"Your order #{order.number}"
            )
        ],
    )


def resend_shipment_email(
    order: OrderDetail, request: ResendShipmentEmailRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_offered(order, "resend_shipment_email")
    shipped = [s for s in order.shipments if s.status == "FULFILLED"]
    if request.shipment_number is None:
        shipment = shipped[-1]
    else:
        found = next((s for s in shipped if s.number == request.shipment_number), None)
        if found is None:
            reject_input(
                f"Order #{order.number} has no shipped shipment {request.shipment_number}",
                "unknown_shipment",
                "shipment_number",
            )
        shipment = found
    after = working_copy(order)
    record(
        after, ctx, "Email", "Resent", f"Shipment {shipment.number} email resent to {order.email}"
    )
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Shipment {shipment.number} email sent to {order.email}.",
        emails=[
            Email(
                template="ShipmentFulfilled",
                to=order.email,
                subject=f"Your order #{order.number} has shipped (shipment {shipment.number})",
            )
        ],
    )
