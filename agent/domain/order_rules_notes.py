"""Internal order notes (kibo.md §4.2: ``{text}`` ≤ 250 characters, the model enforces it)."""

from __future__ import annotations

from agent.domain.order_rules_common import (
    add_note,
    changes_between,
    find_note,
    record,
    working_copy,
)
from agent.domain.order_rules_guards import require_editable, require_offered
from agent.domain.outcome import ActionContext, ActionOutcome, Lookup
from agent.domain.rules_registry import rule
from shared_schema.actions_orders import (
    AddOrderNoteRequest,
    DeleteOrderNoteRequest,
    EditOrderNoteRequest,
)
from shared_schema.entities import OrderDetail


@rule("order", "add_note")
def add_order_note(
    order: OrderDetail, request: AddOrderNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    require_offered(order, "add_note")
    after = working_copy(order)
    note = add_note(after, request.text, ctx)
    record(after, ctx, "Note", "Added", "Note added", new=note.text)
    return ActionOutcome(document=after, changes=changes_between(order, after),
                         message="Note added.")


@rule("order", "edit_note")
def edit_order_note(
    order: OrderDetail, request: EditOrderNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    after = working_copy(order)
    note = find_note(after, request.note_id)
    require_offered(order, "edit_note")
    old_text = note.text
    note.text = request.text
    note.updated_at = ctx.now
    record(after, ctx, "Note", "Edited", "Note edited", old=old_text, new=request.text)
    return ActionOutcome(document=after, changes=changes_between(order, after),
                         message="Note saved.")


@rule("order", "delete_note")
def delete_order_note(
    order: OrderDetail, request: DeleteOrderNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    after = working_copy(order)
    note = find_note(after, request.note_id)
    require_offered(order, "delete_note")
    after.notes = [n for n in after.notes if n.id != note.id]
    record(after, ctx, "Note", "Deleted", "Note deleted", old=note.text)
    return ActionOutcome(document=after, changes=changes_between(order, after),
                         message="Note deleted.")
