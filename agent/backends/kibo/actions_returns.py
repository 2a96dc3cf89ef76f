"""Return actions as Kibo calls (docs/kibo-reference.md §5.3)."""

from __future__ import annotations

import copy
from typing import Any

from agent.backends.kibo.action_plan import ActionPlan, KiboCall, money, refuse, segment
from agent.backends.kibo.convert import Json, cents, items, number, text
from agent.errors import Unprocessable
from shared_schema.entities import ReturnDetail

# Return actions through POST /commerce/returns/actions; only Authorize is documented by
# name, the others are inferred from the status table (docs/kibo-reference.md §7).
STATE_ACTIONS = {"authorize": "Authorize", "reject": "Reject", "cancel": "Cancel", "close": "Close"}


def _item(ret: Json, item_id: str) -> Json:
    found = next((i for i in items(ret, "items") if text(i, "id") == item_id), None)
    if found is None:
        raise refuse(f"The return has no item '{item_id}'", "items")
    return found


def _received(ret: Json, request: Any) -> Json:
    """The whole return with quantityReceived raised: Kibo receives through a PUT."""
    updated = copy.deepcopy(ret)
    by_id = {text(i, "id"): i for i in items(updated, "items")}
    for line in request.items:
        _item(ret, line.item_id)
        item = by_id[line.item_id]
        item["quantityReceived"] = number(item, "quantityReceived") + line.quantity
        item["quantityRestockable"] = number(item, "quantityRestockable") + line.quantity
    return updated


def _source_payment(order: Any) -> str:
    """The order's payment a manual refund goes back to: the one with most left to credit."""
    left = [
        (cents(p, "amountCollected") - cents(p, "amountCredited"), text(p, "id"))
        for p in items(order, "payments")
        if text(p, "id")
    ]
    best = max(left, default=(0, ""))
    if best[0] <= 0:
        raise refuse("The original order has no collected payment to refund to", "mode")
    return best[1]


def return_plan(
    action: str, request: Any, ret: Json, detail: ReturnDetail, original: Any = None
) -> ActionPlan:
    """``original``: the original order as Kibo has it, read for a manual refund."""
    rid = segment(detail.id)
    base = f"/commerce/returns/{rid}"
    order: tuple[tuple[Any, str], ...] = (("order", detail.order_id),) if detail.order_id else ()
    if action in STATE_ACTIONS:
        name = STATE_ACTIONS[action]
        calls = [
            KiboCall(
                "POST",
                "/commerce/returns/actions",
                {"actionName": name, "returnIds": [detail.id]},
                what="return",
            )
        ]
        if getattr(request, "note", ""):
            calls.append(
                KiboCall("POST", f"{base}/notes", {"text": request.note[:250]}, what="return")
            )
        return ActionPlan(tuple(calls), f"Return #{detail.number}: {name}", order)
    match action:
        case "receive_items":
            return ActionPlan(
                (KiboCall("PUT", base, _received(ret, request), what="return"),), "Items received"
            )
        case "restock":
            location = text(ret, "locationCode")
            body = [
                {"returnItemId": line.item_id, "quantity": line.quantity}
                | ({"locationCode": location} if location else {})
                for line in request.items
                if _item(ret, line.item_id)
            ]
            return ActionPlan(
                (KiboCall("POST", f"{base}/restock", body, what="return"),), "Items restocked"
            )
        case "refund":
            if request.mode == "auto":
                body = [
                    {
                        "itemId": i.id,
                        "quantity": i.quantity - i.quantity_refunded,
                        "refundShippingAndHandling": False,
                    }
                    for i in detail.items
                    if i.quantity > i.quantity_refunded
                ]
                call = KiboCall("POST", f"{base}/autorefund", body, what="return")
            else:
                # Kibo's SDK tests credit the order's card this way (Mozu/mozu-dotnet
                # Mozu.Api.Test/MsTestCases/OrderReturnTests.cs); without the reference the
                # refund has no payment to go to.
                call = KiboCall(
                    "POST",
                    f"{base}/payments/actions",
                    {
                        "actionName": "CreditPayment",
                        "amount": money(request.amount_cents),
                        "currencyCode": detail.currency,
                        "referenceSourcePaymentId": _source_payment(original),
                    },
                    what="return",
                )
            return ActionPlan((call,), "Refund issued", order)
        case "ship_replacement":
            return ActionPlan(
                (KiboCall("POST", f"{base}/ship", [], what="return"),),
                "Replacement order created",
                order,
            )
        case "add_note":
            return ActionPlan(
                (KiboCall("POST", f"{base}/notes", {"text": request.text}, what="return"),),
                "Note added",
            )
        case "edit_note":
            return ActionPlan(
                (
                    KiboCall(
                        "PUT",
                        f"{base}/notes/{segment(request.note_id)}",
                        {"text": request.text},
                        what="note",
                    ),
                ),
                "Note changed",
            )
        case "delete_note":
            return ActionPlan(
                (KiboCall("DELETE", f"{base}/notes/{segment(request.note_id)}", what="note"),),
                "Note deleted",
            )
        case "resend_email":
            return ActionPlan(
                (
                    KiboCall(
                        "PUT",
                        "/commerce/returns/email/resend",
                        {"actionName": "Resend", "returnIds": [detail.id]},
                        what="return",
                    ),
                ),
                "Return email sent again",
            )
    raise Unprocessable(
        f"The Kibo backend has no mapping for return action '{action}'", code="action_not_supported"
    )
