"""Kibo's ``availableActions`` lists as gates on our ``available_actions`` names.

Our rule book (the ``offered`` predicate of each action declaration in agent/domain) decides
what the state allows; where Kibo says what *it* allows right now (order, payment and return
``availableActions``), an action Kibo governs is offered only when Kibo lists it too
(docs/kibo-reference.md §5.4). Kibo's action names beyond ``CancelOrder``, ``SubmitOrder``,
``AcceptOrder`` (the order-action body's documented values), ``SetOrderAsProcessing`` (seen in
sample data), the payment actions and ``Authorize`` are inferred.
"""

from __future__ import annotations

from collections.abc import Iterable

from agent.backends.kibo.convert import Json

ORDER_ACTIONS = {
    "cancel_order": "CancelOrder",
    "submit_order": "SubmitOrder",
    "accept_order": "AcceptOrder",
    "set_processing": "SetOrderAsProcessing",
}
PAYMENT_ACTIONS = {
    "capture_payment": "CapturePayment",
    "void_payment": "VoidPayment",
    "credit_payment": "CreditPayment",
}
RETURN_ACTIONS = {
    "authorize": "Authorize",
    "reject": "Reject",
    "cancel": "Cancel",
    "close": "Close",
    # The return email: the resend body is a ReturnAction whose actionName is "to be read from
    # the return's available actions" (the documents); offered only when Kibo lists it.
    "resend_email": "Resend",
}


def kibo_actions(raw: Json) -> frozenset[str] | None:
    """The entity's ``availableActions``, or None when Kibo sent no list at all."""
    value = raw.get("availableActions")
    if not isinstance(value, list):
        return None
    return frozenset(v for v in value if isinstance(v, str))


def gate(ours: Iterable[str], kibo: frozenset[str] | None, mapping: dict[str, str]) -> list[str]:
    """Drop the actions of ``mapping`` that Kibo does not list; keep everything else."""
    if kibo is None:
        return list(ours)
    return [a for a in ours if a not in mapping or mapping[a] in kibo]


def gate_order(ours: list[str], order: Json, payments: list[Json]) -> list[str]:
    allowed = gate(ours, kibo_actions(order), ORDER_ACTIONS)
    lists = [kibo_actions(p) for p in payments]
    if all(x is None for x in lists):
        return allowed
    offered = frozenset().union(*(x for x in lists if x is not None))
    return gate(allowed, offered, PAYMENT_ACTIONS)
