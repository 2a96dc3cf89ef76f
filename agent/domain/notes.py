"""Internal notes on orders and returns: add, edit, delete, the same way on both."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from agent.domain.common import (
    add_note,
    changes_between,
    find_note,
    record,
    working_copy,
)
from agent.domain.outcome import ActionContext, ActionOutcome
from shared_schema.entities import OrderDetail, ReturnDetail

Doc = TypeVar("Doc", OrderDetail, ReturnDetail)


def note_added(before: Doc, text: str, ctx: ActionContext) -> ActionOutcome:
    after = working_copy(before)
    note = add_note(after, text, ctx)
    record(after, ctx, "Note", "Added", "Note added", new=note.text)
    return ActionOutcome(
        document=after, changes=changes_between(before, after), message="Note added."
    )


def note_edited(
    before: Doc, note_id: str, text: str, ctx: ActionContext, require_offered: Callable[[], None]
) -> ActionOutcome:
    after = working_copy(before)
    note = find_note(after, note_id)
    require_offered()
    old_text = note.text
    note.text = text
    note.updated_at = ctx.now
    record(after, ctx, "Note", "Edited", "Note edited", old=old_text, new=text)
    return ActionOutcome(
        document=after, changes=changes_between(before, after), message="Note saved."
    )


def note_deleted(
    before: Doc, note_id: str, ctx: ActionContext, require_offered: Callable[[], None]
) -> ActionOutcome:
    after = working_copy(before)
    note = find_note(after, note_id)
    require_offered()
    after.notes = [n for n in after.notes if n.id != note.id]
    record(after, ctx, "Note", "Deleted", "Note deleted", old=note.text)
    return ActionOutcome(
        document=after, changes=changes_between(before, after), message="Note deleted."
    )
