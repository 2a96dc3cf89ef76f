"""Move an order along Kibo's state machine the way the Orders screen does (docs/kibo-reference.md
§4.1, §5.2): submit a Pending order, accept one held in Pending Review, set an Accepted one as
processing.

Source and target statuses come from ``available_actions.ORDER_STATUS_MOVES``, so what is
offered and what is allowed never disagree. ``restrictEdit`` does not apply: docs/kibo-reference.md
§2 lists what it locks, and status moves are not among them. Side effects are only those Kibo
documents: submitting stamps ``submitted_at`` (Kibo's ``submittedDate``: when the order was placed)
and sends the order confirmation (the email Kibo resends under ``SubmitOrder``). Whether Kibo also
authorizes payment on submit is not documented, so payments stay as they are; the system's own
follow-up steps (validation, Validated → Accepted) are not simulated.
"""

from __future__ import annotations

from agent.domain.common import changes_between, record, refuse, working_copy
from agent.domain.order.guards import require_offered
from agent.domain.order.offers import ORDER_STATUS_MOVES
from agent.domain.outcome import ActionContext, ActionOutcome, Email, Lookup
from shared_schema.actions_orders import (
    AcceptOrderRequest,
    SetProcessingRequest,
    SubmitOrderRequest,
)
from shared_schema.entities import OrderDetail, PartyAddress

# How a CSR reads a status (Kibo's screens write "Pending Review", the API "PendingReview").
_LABELS = {"PendingReview": "Pending Review"}
# Payments that can still bill the shopper.
_DEAD_PAYMENTS = frozenset({"Voided", "Declined"})


def status_label(status: str) -> str:
    return _LABELS.get(status, status)


def _require_source(order: OrderDetail, action: str, attempt: str, done: str) -> str:
    """The target status, or a refusal naming the rule: 'Cannot accept order #N: it is
    Completed; only orders in Pending Review can be accepted'."""
    sources, target = ORDER_STATUS_MOVES[action]
    if order.status not in sources:
        allowed = " or ".join(status_label(s) for s in sorted(sources))
        refuse(
            f"Cannot {attempt}: it is {status_label(order.status)}; "
            f"only orders in {allowed} can be {done}",
            "order_status",
        )
    return target


def _has_address(party: PartyAddress) -> bool:
    address = party.address
    return bool(address.address1.strip() and address.city.strip() and address.country.strip())


def _require_submittable(order: OrderDetail) -> None:
    """Kibo submits a Pending order that has items, billing and shipping (docs/kibo-reference.md
    §4.1)."""

    def missing(what: str, code: str) -> None:
        refuse(f"Cannot submit order #{order.number}: it has no {what}", code)

    open_units = sum(
        max(0, i.quantity - i.quantity_fulfilled - i.quantity_cancelled) for i in order.items
    )
    if open_units == 0:
        missing("items left to order", "order_has_no_items")
    if not _has_address(order.billing_address):
        missing("billing address", "billing_address_missing")
    if not _has_address(order.shipping_address):
        missing("shipping address", "shipping_address_missing")
    if not any(p.status not in _DEAD_PAYMENTS for p in order.payments):
        missing("payment to bill", "payment_missing")


def _move(order: OrderDetail, ctx: ActionContext, target: str, verb: str, note: str) -> OrderDetail:
    after = working_copy(order)
    after.status = target
    suffix = f": {note}" if note else ""
    record(after, ctx, "Order", verb, f"Order {verb.lower()}{suffix}", old=order.status, new=target)
    return after


def submit_order(
    order: OrderDetail, request: SubmitOrderRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    target = _require_source(order, "submit_order", f"submit order #{order.number}", "submitted")
    _require_submittable(order)
    require_offered(order, "submit_order")
    after = _move(order, ctx, target, "Submitted", request.note)
    after.submitted_at = ctx.now
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Order #{order.number} submitted; the order confirmation went to {order.email}.",
        emails=[
            Email(
                template="OrderConfirmation", to=order.email, subject=f"Your order #{order.number}"
            )
        ],
    )


def accept_order(
    order: OrderDetail, request: AcceptOrderRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    target = _require_source(order, "accept_order", f"accept order #{order.number}", "accepted")
    require_offered(order, "accept_order")
    after = _move(order, ctx, target, "Accepted", request.note)
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Order #{order.number} accepted: it is no longer held for review and its "
        "shipments can be fulfilled.",
    )


def set_processing(
    order: OrderDetail, request: SetProcessingRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    target = _require_source(
        order, "set_processing", f"set order #{order.number} as processing", "set as processing"
    )
    require_offered(order, "set_processing")
    after = _move(order, ctx, target, "Processing", request.note)
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Order #{order.number} set as processing.",
    )
