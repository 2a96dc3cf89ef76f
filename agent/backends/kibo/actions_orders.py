"""Order actions as Kibo calls (docs/kibo-reference.md §5.2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.backends.kibo.action_plan import (
    ActionPlan,
    KiboCall,
    checked,
    money,
    refuse,
    segment,
)
from agent.backends.kibo.available import ORDER_ACTIONS, PAYMENT_ACTIONS
from agent.backends.kibo.convert import Json, items, number, obj, text
from agent.domain.notes import note_text
from agent.errors import Unprocessable
from shared_schema import actions_orders as req
from shared_schema.entities import OrderDetail, PartyAddress

OrderBuilder = Callable[[Any, Json, OrderDetail], ActionPlan]
"""(validated request, Kibo's order as read, our mapped detail) -> the calls to send."""
UPDATE_MODE = "ApplyAndCommit"
# Status moves through POST /commerce/orders/{orderId}/actions (docs/kibo-reference.md §5.2),
# named as in available.py; what the answer says happened.
STATUS_MOVES = {
    "submit_order": "submitted",
    "accept_order": "accepted",
    "set_processing": "set as processing",
}


def _contact(address: PartyAddress, current: Json) -> Json:
    phones = obj(current, "phoneNumbers") | {"home": address.phone}
    return current | {
        "firstName": address.first_name,
        "lastNameOrSurname": address.last_name,
        "email": address.email,
        "phoneNumbers": phones,
        "address": obj(current, "address")
        | {
            "address1": address.address.address1,
            "address2": address.address.address2,
            "cityOrTown": address.address.city,
            "stateOrProvince": address.address.state,
            "postalOrZipCode": address.address.postal_code,
            "countryCode": address.address.country,
        },
    }


def _versioned(order: Json) -> dict[str, str | int]:
    """Kibo's optimistic concurrency on order edits: the version we read (docs/kibo-reference.md
    §5.2)."""
    params: dict[str, str | int] = {"updateMode": UPDATE_MODE}
    if text(order, "version"):
        params["version"] = text(order, "version")
    return params


def _payment(order: Json, payment_id: str) -> Json:
    found = next((p for p in items(order, "payments") if text(p, "id") == payment_id), None)
    if found is None:
        raise refuse(f"The order has no payment '{payment_id}'", "payment_id")
    return found


def _payment_action(
    oid: str, order: Json, payment_id: str, name: str, cents: int | None
) -> KiboCall:
    _payment(order, payment_id)
    body: Json = {"actionName": name, "currencyCode": text(order, "currencyCode") or "USD"}
    if cents is not None:
        body["amount"] = money(cents)
    return KiboCall(
        "POST",
        f"/commerce/orders/{oid}/payments/{segment(payment_id)}/actions",
        body,
        what="payment",
    )


def _open_shipments(order: Json) -> list[Json]:
    return [
        s
        for s in items(order, "shipments")
        if text(s, "fulfillmentStatus") != "Fulfilled"
        and text(s, "shipmentStatus") not in ("CANCELED", "FULFILLED")
    ]


def _cancel_items(oid: str, order: Json, request: req.CancelItemsRequest) -> list[KiboCall]:
    """Each line's units are cancelled on the open shipments that hold them."""
    per_shipment: dict[int, list[Json]] = {}
    reason = {"reasonCode": request.reason_code, "moreInfo": request.note}
    for line in request.items:
        left = line.quantity
        for shipment in _open_shipments(order):
            held = sum(
                number(i, "quantity")
                for i in items(shipment, "items")
                if number(i, "lineId") == line.line_id
            )
            take = min(left, held)
            if take:
                per_shipment.setdefault(number(shipment, "number"), []).append(
                    {"lineId": line.line_id, "quantity": take, "canceledReason": reason}
                )
                left -= take
        if left:
            raise refuse(f"Line {line.line_id} has fewer than {line.quantity} open units", "items")
    return [
        KiboCall(
            "PUT",
            f"/commerce/shipments/{n}/canceledItems",
            {
                "items": lines,
                "sendNotifications": True,
                "isUserAction": True,
                "blockAssignment": False,
            },
            what="shipment",
        )
        for n, lines in per_shipment.items()
    ]


def _appeasement(oid: str, order: Json, request: req.AppeasementRequest) -> KiboCall:
    reason = {
        "reasonCode": request.reason_code,
        "description": request.note,
        "moreInfo": request.note,
    }
    adjustment = request.adjustment
    shipments = items(order, "shipments")
    if isinstance(adjustment, req.ItemPriceOverride):
        for shipment in shipments:
            for item in items(shipment, "items"):
                if number(item, "lineId") == adjustment.line_id:
                    # The document's itemId is an integer: the shipment item's lineId, its
                    # only integer key (originalOrderItemId is the order item's string id).
                    return KiboCall(
                        "POST",
                        f"/commerce/orders/{oid}/shipments/{number(shipment, 'number')}"
                        f"/item/{adjustment.line_id}/adjustments",
                        {
                            "overridePrice": money(adjustment.unit_price_cents),
                            "appeasementReason": reason,
                        },
                        what="shipment",
                    )
        raise refuse(f"No shipment holds line {adjustment.line_id}", "adjustment.line_id")
    if not shipments:
        raise refuse("The order has no shipment to adjust", "adjustment")
    return KiboCall(
        "POST",
        f"/commerce/orders/{oid}/shipments/{number(shipments[0], 'number')}/adjustments",
        {"shippingAdjustment": -money(adjustment.amount_cents), "appeasementReason": reason},
        what="shipment",
    )


def _start_return(order: Json, request: req.StartReturnRequest) -> KiboCall:
    lines = {number(i, "lineId"): i for i in items(order, "items")}
    out = []
    for line in request.items:
        item = lines.get(line.line_id)
        if item is None:
            raise refuse(f"The order has no line {line.line_id}", "items")
        out.append(
            {
                "orderItemId": text(item, "id"),
                "orderLineId": line.line_id,
                "product": {"productCode": text(obj(item, "product"), "productCode")},
                "reasons": [{"reason": line.reason, "quantity": line.quantity}],
                "returnType": request.return_type,
            }
        )
    body: Json = {
        "originalOrderId": text(order, "id"),
        "returnType": request.return_type,
        "items": out,
    }
    if request.note:
        body["notes"] = [{"text": request.note[:250]}]
    return KiboCall("POST", "/commerce/returns", body, what="return")


def _base(detail: OrderDetail) -> str:
    return f"/commerce/orders/{segment(detail.id)}"


def _status_move(action: str) -> OrderBuilder:
    """The order action, then the CSR's note as an order note (Kibo's action body carries only
    ``actionName``). A locked order takes no notes (restrictEdit), so that is refused first."""
    name, done = ORDER_ACTIONS[action], STATUS_MOVES[action]

    def build(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
        base = _base(detail)
        calls = [KiboCall("POST", f"{base}/actions", {"actionName": name}, what="order")]
        if request.note:
            if detail.restrict_edit:
                raise Unprocessable(
                    f"Order #{detail.number} is locked for edits (restrictEdit is "
                    "set): Kibo takes no note on it; leave the note empty",
                    details={"field": "note"},
                    code="restrict_edit",
                )
            calls.append(
                KiboCall("POST", f"{base}/notes", {"text": request.note[:250]}, what="order")
            )
        return ActionPlan(tuple(calls), f"Order #{detail.number} {done}.")

    return build


def _change_billing_address(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    billing = obj(order, "billingInfo")
    body = billing | {
        "billingContact": _contact(request.address.to_party(), obj(billing, "billingContact"))
    }
    call = KiboCall("PUT", f"{_base(detail)}/billinginfo", body, _versioned(order), "order")
    return ActionPlan((call,), "Billing address changed")


def _change_shipping_address(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    info = obj(order, "fulfillmentInfo")
    body = info | {
        "fulfillmentContact": _contact(request.address.to_party(), obj(info, "fulfillmentContact"))
    }
    call = KiboCall("PUT", f"{_base(detail)}/fulfillmentinfo", body, _versioned(order), "order")
    return ActionPlan((call,), "Shipping address changed")


def _change_email(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    call = KiboCall(
        "PUT", _base(detail), order | {"email": request.email}, _versioned(order), "order"
    )
    return ActionPlan((call,), f"Order email changed to {request.email}")


def _add_note(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    return ActionPlan(
        (
            KiboCall(
                "POST",
                f"{_base(detail)}/notes",
                {"text": checked(note_text, request.text)},
                what="order",
            ),
        ),
        "Note added",
    )


def _edit_note(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    return ActionPlan(
        (
            KiboCall(
                "PUT",
                f"{_base(detail)}/notes/{segment(request.note_id)}",
                {"text": checked(note_text, request.text)},
                what="note",
            ),
        ),
        "Note changed",
    )


def _delete_note(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    return ActionPlan(
        (KiboCall("DELETE", f"{_base(detail)}/notes/{segment(request.note_id)}", what="note"),),
        "Note deleted",
    )


def _cancel_order(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    body = {
        "reasonCode": request.reason_code,
        "description": request.reason_code,
        "moreInfo": request.note,
    }
    return ActionPlan(
        (KiboCall("PUT", f"/commerce/orders/cancel/{segment(detail.id)}", body, what="order"),),
        f"Order #{detail.number} cancelled",
    )


def _cancel_order_items(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    return ActionPlan(tuple(_cancel_items(segment(detail.id), order, request)), "Items cancelled")


def _payment_plan(name: str) -> OrderBuilder:
    """Capture, void or credit one payment: Kibo's payment action ``name``."""

    def build(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
        cents = getattr(request, "amount_cents", None)
        call = _payment_action(segment(detail.id), order, request.payment_id, name, cents)
        return ActionPlan((call,), f"{name} sent for payment {request.payment_id}")

    return build


def _refund(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    payment_id = request.payment_id or next(
        (p.id for p in sorted(detail.payments, key=lambda p: -p.amount_collected_cents)),
        None,
    )
    if payment_id is None:
        raise refuse("The order has no payment to refund to", "payment_id")
    _payment(order, payment_id)
    body = {
        "amount": money(request.amount_cents),
        "reasonCode": request.reason_code,
        "reason": request.note or request.reason_code,
        "payment": {"id": payment_id},
    }
    return ActionPlan(
        (KiboCall("POST", f"{_base(detail)}/refunds", body, what="refund"),), "Refund issued"
    )


def _appeasement_plan(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    return ActionPlan((_appeasement(segment(detail.id), order, request),), "Appeasement applied")


def _resend_confirmation(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    return ActionPlan(
        (
            KiboCall(
                "PUT", f"{_base(detail)}/email/resend", {"actionName": "SubmitOrder"}, what="order"
            ),
        ),
        "Order confirmation sent again",
    )


def _resend_shipment_email(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    fulfilled = [s for s in detail.shipments if s.fulfillment_status == "Fulfilled"]
    number_ = request.shipment_number or (fulfilled[-1].number if fulfilled else None)
    if number_ is None or number_ not in {s.number for s in detail.shipments}:
        raise refuse("No such fulfilled shipment on the order", "shipment_number")
    return ActionPlan(
        (KiboCall("PUT", f"/commerce/shipments/{number_}/email/resend", what="shipment"),),
        "Shipment email sent again",
    )


def _start_return_plan(request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    return ActionPlan((_start_return(order, request),), "Return started", creates="return")


# The Kibo hook of each order action (agent/backends/kibo/action_hooks.py checks that every
# declared order action has one).
ORDER_PLANS: dict[str, OrderBuilder] = {
    "change_billing_address": _change_billing_address,
    "change_shipping_address": _change_shipping_address,
    "change_email": _change_email,
    "add_note": _add_note,
    "edit_note": _edit_note,
    "delete_note": _delete_note,
    **{action: _status_move(action) for action in STATUS_MOVES},
    "cancel_order": _cancel_order,
    "cancel_items": _cancel_order_items,
    **{action: _payment_plan(name) for action, name in PAYMENT_ACTIONS.items()},
    "refund": _refund,
    "appeasement": _appeasement_plan,
    "resend_confirmation": _resend_confirmation,
    "resend_shipment_email": _resend_shipment_email,
    "start_return": _start_return_plan,
}


def order_plan(action: str, request: Any, order: Json, detail: OrderDetail) -> ActionPlan:
    build = ORDER_PLANS.get(action)
    if build is None:
        raise Unprocessable(
            f"The Kibo backend has no mapping for order action '{action}'",
            code="action_not_supported",
        )
    return build(request, order, detail)
