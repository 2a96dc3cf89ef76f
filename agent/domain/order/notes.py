"""Internal order notes (docs/kibo-reference.md §5.2: ``{text}`` ≤ 250 characters, the model
enforces it)."""

from __future__ import annotations

from agent.domain.notes import note_added, note_deleted, note_edited
from agent.domain.order.guards import require_editable, require_offered
from agent.domain.outcome import ActionContext, ActionOutcome, Lookup
from shared_schema.actions_orders import (
    AddOrderNoteRequest,
    DeleteOrderNoteRequest,
    EditOrderNoteRequest,
)
from shared_schema.entities import OrderDetail


def add_order_note(
    order: OrderDetail, request: AddOrderNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    require_offered(order, "add_note")
    return note_added(order, request.text, ctx)


def edit_order_note(
    order: OrderDetail, request: EditOrderNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    return note_edited(
        order, request.note_id, request.text, ctx, lambda: require_offered(order, "edit_note")
    )


def delete_order_note(
    order: OrderDetail, request: DeleteOrderNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    return note_deleted(order, request.note_id, ctx, lambda: require_offered(order, "delete_note"))
