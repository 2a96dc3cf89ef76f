"""Internal order notes (docs/kibo-reference.md §5.2: ``{text}`` ≤ 250 characters, the model
enforces it): the shared note rules (agent/domain/notes.py) once the order is editable and
offers the action."""

from __future__ import annotations

from agent.domain import notes
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
    return notes.add_note(order, request, ctx, lookup)


def edit_order_note(
    order: OrderDetail, request: EditOrderNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    require_offered(order, "edit_note")
    return notes.edit_note(order, request, ctx, lookup)


def delete_order_note(
    order: OrderDetail, request: DeleteOrderNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    require_offered(order, "delete_note")
    return notes.delete_note(order, request, ctx, lookup)
