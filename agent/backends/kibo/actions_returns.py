"""Return actions as Kibo calls (docs/kibo-reference.md §5.3)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.backends.kibo.action_plan import (
    ActionPlan,
    KiboCall,
    checked,
    money,
    refuse,
    segment,
)
from agent.backends.kibo.available import RETURN_ACTIONS
from agent.backends.kibo.convert import Json, cents, items, number, text
from agent.domain.notes import note_text
from agent.errors import Unprocessable
from shared_schema.entities import ReturnDetail


@dataclass(frozen=True)
class ReturnCall:
    """What a return action's calls are built from."""

    request: Any  # the validated request
    ret: Json  # Kibo's return as read
    detail: ReturnDetail
    original: Any = None  # the original order as Kibo has it, read for a manual refund

    @property
    def base(self) -> str:
        return f"/commerce/returns/{segment(self.detail.id)}"

    @property
    def its_order(self) -> tuple[tuple[Any, str], ...]:
        """The return's order, which the action may change too."""
        return (("order", self.detail.order_id),) if self.detail.order_id else ()


ReturnBuilder = Callable[[ReturnCall], ActionPlan]


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


def _state_action(name: str) -> ReturnBuilder:
    """Authorize, reject, cancel or close: Kibo's return action ``name``, then the CSR's note."""

    def build(c: ReturnCall) -> ActionPlan:
        calls = [
            KiboCall(
                "POST",
                "/commerce/returns/actions",
                {"actionName": name, "returnIds": [c.detail.id]},
                what="return",
            )
        ]
        if getattr(c.request, "note", ""):
            calls.append(
                KiboCall("POST", f"{c.base}/notes", {"text": c.request.note[:250]}, what="return")
            )
        return ActionPlan(tuple(calls), f"Return #{c.detail.number}: {name}", c.its_order)

    return build


def _receive_items(c: ReturnCall) -> ActionPlan:
    return ActionPlan(
        (KiboCall("PUT", c.base, _received(c.ret, c.request), what="return"),), "Items received"
    )


def _restock(c: ReturnCall) -> ActionPlan:
    location = text(c.ret, "locationCode")
    body = [
        {"returnItemId": line.item_id, "quantity": line.quantity}
        | ({"locationCode": location} if location else {})
        for line in c.request.items
        if _item(c.ret, line.item_id)
    ]
    return ActionPlan(
        (KiboCall("POST", f"{c.base}/restock", body, what="return"),), "Items restocked"
    )


def _refund(c: ReturnCall) -> ActionPlan:
    if c.request.mode == "auto":
        body = [
            {
                "itemId": i.id,
                "quantity": i.quantity - i.quantity_refunded,
                "refundShippingAndHandling": False,
            }
            for i in c.detail.items
            if i.quantity > i.quantity_refunded
        ]
        call = KiboCall("POST", f"{c.base}/autorefund", body, what="return")
    else:
        # Kibo's SDK tests credit the order's card this way (Mozu/mozu-dotnet
        # Mozu.Api.Test/MsTestCases/OrderReturnTests.cs); without the reference the
        # refund has no payment to go to.
        call = KiboCall(
            "POST",
            f"{c.base}/payments/actions",
            {
                "actionName": "CreditPayment",
                "amount": money(c.request.amount_cents),
                "currencyCode": c.detail.currency,
                "referenceSourcePaymentId": _source_payment(c.original),
            },
            what="return",
        )
    return ActionPlan((call,), "Refund issued", c.its_order)


def _ship_replacement(c: ReturnCall) -> ActionPlan:
    return ActionPlan(
        (KiboCall("POST", f"{c.base}/ship", [], what="return"),),
        "Replacement order created",
        c.its_order,
    )


def _add_note(c: ReturnCall) -> ActionPlan:
    return ActionPlan(
        (
            KiboCall(
                "POST",
                f"{c.base}/notes",
                {"text": checked(note_text, c.request.text)},
                what="return",
            ),
        ),
        "Note added",
    )


def _edit_note(c: ReturnCall) -> ActionPlan:
    path = f"{c.base}/notes/{segment(c.request.note_id)}"
    return ActionPlan(
        (KiboCall("PUT", path, {"text": checked(note_text, c.request.text)}, what="note"),),
        "Note changed",
    )


def _delete_note(c: ReturnCall) -> ActionPlan:
    return ActionPlan(
        (KiboCall("DELETE", f"{c.base}/notes/{segment(c.request.note_id)}", what="note"),),
        "Note deleted",
    )


def _resend_email(c: ReturnCall) -> ActionPlan:
    body = {"actionName": RETURN_ACTIONS["resend_email"], "returnIds": [c.detail.id]}
    return ActionPlan(
        (KiboCall("PUT", "/commerce/returns/email/resend", body, what="return"),),
        "Return email sent again",
    )


# The Kibo hook of each return action (agent/backends/kibo/action_hooks.py checks that every
# declared return action has one).
RETURN_PLANS: dict[str, ReturnBuilder] = {
    # Through POST /commerce/returns/actions (docs/kibo-reference.md §5.3, §7), named as in
    # available.py.
    **{
        action: _state_action(RETURN_ACTIONS[action])
        for action in ("authorize", "reject", "cancel", "close")
    },
    "receive_items": _receive_items,
    "restock": _restock,
    "refund": _refund,
    "ship_replacement": _ship_replacement,
    "add_note": _add_note,
    "edit_note": _edit_note,
    "delete_note": _delete_note,
    "resend_email": _resend_email,
}


def return_plan(action: str, call: ReturnCall) -> ActionPlan:
    build = RETURN_PLANS.get(action)
    if build is None:
        raise Unprocessable(
            f"The Kibo backend has no mapping for return action '{action}'",
            code="action_not_supported",
        )
    return build(call)
