"""What a return's state offers: Kibo's return state machine (docs/kibo-reference.md §4.3).

Created -> Authorized -> Closed; Rejected and Cancelled end it. Once money went back or a
replacement shipped, the return can only be closed: cancelling or rejecting it then would
leave a refund or a shipment without its return. Each return action's declaration
(return_/actions.py) names the predicate below that says whether the state allows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.domain import catalog
from shared_schema.entities import ReturnDetail


@dataclass(frozen=True)
class ReturnState:
    status: str
    return_type: str
    units: int
    units_received: int
    units_restocked: int
    refundable_cents: int
    refunded_cents: int
    replacement_shipped: bool
    note_count: int = 0


def authorized(ret: ReturnState) -> bool:
    return ret.status == "Authorized"


def can_withdraw(ret: ReturnState) -> bool:
    """Reject or cancel: while Created, or Authorized with nothing settled yet."""
    settled = ret.refunded_cents > 0 or ret.replacement_shipped
    return ret.status == "Created" or (authorized(ret) and not settled)


def can_receive(ret: ReturnState) -> bool:
    return authorized(ret) and ret.units_received < ret.units


def can_restock(ret: ReturnState) -> bool:
    return authorized(ret) and ret.units_restocked < ret.units_received


def can_refund(ret: ReturnState) -> bool:
    return authorized(ret) and ret.refundable_cents > 0


def can_ship_replacement(ret: ReturnState) -> bool:
    return authorized(ret) and ret.return_type == "Replace" and not ret.replacement_shipped


def can_close(ret: ReturnState) -> bool:
    """A Replace return closes once its replacement shipped."""
    return authorized(ret) and (ret.return_type != "Replace" or ret.replacement_shipped)


def return_actions(ret: ReturnState) -> list[str]:
    """The return actions ``ret`` offers, in the order the panel lists them."""
    return catalog.offered("return", ret)


def return_state(ret: ReturnDetail) -> ReturnState:
    return ReturnState(
        status=ret.status,
        return_type=ret.return_type,
        units=sum(item.quantity for item in ret.items),
        units_received=sum(item.quantity_received for item in ret.items),
        units_restocked=sum(item.quantity_restocked for item in ret.items),
        refundable_cents=ret.refundable_cents,
        refunded_cents=ret.refunded_cents,
        replacement_shipped=ret.replace_status == "Replaced",
        note_count=len(ret.notes),
    )


def refresh_return_actions(ret: ReturnDetail) -> ReturnDetail:
    ret.available_actions = return_actions(return_state(ret))
    return ret
