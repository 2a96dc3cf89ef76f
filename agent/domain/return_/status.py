"""Kibo's return state machine (docs/kibo-reference.md §4.3): Created → Authorized | Rejected |
Cancelled; Authorized → Rejected | Cancelled (until money went back or a replacement shipped) |
Closed (a Replace return only once its replacement shipped). Each change is mirrored on the
order."""

from __future__ import annotations

from agent.domain.common import changes_between, record, refuse, working_copy
from agent.domain.outcome import ActionContext, ActionOutcome, Email, Lookup, Update
from agent.domain.return_.common import (
    count_returned,
    give_back_returnable,
    order_of,
    receive_status,
    sync_order,
)
from agent.domain.return_.offers import return_actions, return_state
from shared_schema.actions_returns import (
    AuthorizeReturnRequest,
    CancelReturnRequest,
    CloseReturnRequest,
    RejectReturnRequest,
)
from shared_schema.entities import OrderDetail, ReturnDetail


def require_return_offered(ret: ReturnDetail, action: str) -> None:
    if action not in return_actions(return_state(ret)):
        refuse(
            f"{action} is not available on return #{ret.number} in status {ret.status}",
            "action_not_available",
        )


def require_status(ret: ReturnDetail, allowed: set[str], action: str) -> None:
    if ret.status not in allowed:
        refuse(
            f"Return #{ret.number} is {ret.status}: only a {' or '.join(sorted(allowed))} "
            f"return can be {action}",
            "return_status",
        )


def require_unsettled(ret: ReturnDetail, action: str) -> None:
    if ret.refunded_cents > 0 or ret.replace_status == "Replaced":
        refuse(
            f"Return #{ret.number} already gave money back or shipped a replacement: it can "
            f"only be closed, not {action}",
            "return_settled",
        )


def order_update(order: OrderDetail, after: OrderDetail) -> Update:
    return Update(
        kind="order", number=order.number, document=after, changes=changes_between(order, after)
    )


def _move(
    ret: ReturnDetail,
    ctx: ActionContext,
    lookup: Lookup,
    status: str,
    note: str,
    on_order: str = "",
) -> tuple[ReturnDetail, Update]:
    """The return in its new status and its order in step (``on_order``: what the order's
    units do: 'free' them again or count them 'returned')."""
    after = working_copy(ret)
    after.status = status
    if status != "Authorized":
        after.refundable_cents = 0
    after.receive_status = receive_status(after)
    suffix = f": {note}" if note else ""
    record(
        after, ctx, "Return", status, f"Return {status.lower()}{suffix}", old=ret.status, new=status
    )
    order = order_of(ret, lookup)
    order_after = working_copy(order)
    if on_order == "free":
        give_back_returnable(order_after, after)
    elif on_order == "returned":
        count_returned(order_after, after)
    sync_order(order_after, after, ctx.now)
    record(order_after, ctx, "Return", status, f"Return #{ret.number} {status.lower()}")
    return after, order_update(order, order_after)


def _email(ret: ReturnDetail, what: str) -> Email:
    return Email(
        template=f"Return{what}",
        to=ret.email,
        subject=f"Your return #{ret.number} was {what.lower()}",
    )


def authorize(
    ret: ReturnDetail, request: AuthorizeReturnRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_status(ret, {"Created"}, "authorized")
    require_return_offered(ret, "authorize")
    after, update = _move(ret, ctx, lookup, "Authorized", request.note)
    return ActionOutcome(
        document=after,
        changes=changes_between(ret, after),
        message=f"Return #{ret.number} authorized: receive, refund or "
        "replace its items, then close it.",
        updates=[update],
        emails=[_email(ret, "Authorized")],
    )


def reject(
    ret: ReturnDetail, request: RejectReturnRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_status(ret, {"Created", "Authorized"}, "rejected")
    require_unsettled(ret, "rejected")
    require_return_offered(ret, "reject")
    after, update = _move(ret, ctx, lookup, "Rejected", request.note)
    units = sum(item.quantity for item in ret.items)
    return ActionOutcome(
        document=after,
        changes=changes_between(ret, after),
        message=f"Return #{ret.number} rejected; its {units} unit(s) can't be returned again.",
        updates=[update],
        emails=[_email(ret, "Rejected")],
    )


def cancel(
    ret: ReturnDetail, request: CancelReturnRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_status(ret, {"Created", "Authorized"}, "cancelled")
    require_unsettled(ret, "cancelled")
    require_return_offered(ret, "cancel")
    after, update = _move(ret, ctx, lookup, "Cancelled", request.note, on_order="free")
    return ActionOutcome(
        document=after,
        changes=changes_between(ret, after),
        message=f"Return #{ret.number} cancelled; its units are returnable again.",
        updates=[update],
    )


def close(
    ret: ReturnDetail, request: CloseReturnRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_status(ret, {"Authorized"}, "closed")
    if ret.return_type == "Replace" and ret.replace_status != "Replaced":
        refuse(
            f"Return #{ret.number} is a Replace return: ship its replacement before closing it",
            "replacement_not_shipped",
        )
    require_return_offered(ret, "close")
    after, update = _move(ret, ctx, lookup, "Closed", request.note, on_order="returned")
    return ActionOutcome(
        document=after,
        changes=changes_between(ret, after),
        message=f"Return #{ret.number} closed.",
        updates=[update],
        emails=[_email(ret, "Closed")],
    )
