"""Return notes (kibo.md §4.3: POST / PUT / DELETE ``/returns/{id}/notes``) and the return
email resend (not after a cancel)."""

from __future__ import annotations

from agent.domain.order_rules_common import (
    add_note,
    changes_between,
    find_note,
    record,
    refuse,
    working_copy,
)
from agent.domain.outcome import ActionContext, ActionOutcome, Email, Lookup
from agent.domain.return_rules_status import require_return_offered
from agent.domain.rules_registry import rule
from shared_schema.actions_returns import (
    AddReturnNoteRequest,
    DeleteReturnNoteRequest,
    EditReturnNoteRequest,
    ResendReturnEmailRequest,
)
from shared_schema.entities import ReturnDetail


@rule("return", "add_note")
def add_return_note(
    ret: ReturnDetail, request: AddReturnNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_return_offered(ret, "add_note")
    after = working_copy(ret)
    note = add_note(after, request.text, ctx)
    record(after, ctx, "Note", "Added", "Note added", new=note.text)
    return ActionOutcome(document=after, changes=changes_between(ret, after),
                         message="Note added.")


@rule("return", "edit_note")
def edit_return_note(
    ret: ReturnDetail, request: EditReturnNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    after = working_copy(ret)
    note = find_note(after, request.note_id)
    require_return_offered(ret, "edit_note")
    old_text = note.text
    note.text = request.text
    note.updated_at = ctx.now
    record(after, ctx, "Note", "Edited", "Note edited", old=old_text, new=request.text)
    return ActionOutcome(document=after, changes=changes_between(ret, after),
                         message="Note saved.")


@rule("return", "delete_note")
def delete_return_note(
    ret: ReturnDetail, request: DeleteReturnNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    after = working_copy(ret)
    note = find_note(after, request.note_id)
    require_return_offered(ret, "delete_note")
    after.notes = [n for n in after.notes if n.id != note.id]
    record(after, ctx, "Note", "Deleted", "Note deleted", old=note.text)
    return ActionOutcome(document=after, changes=changes_between(ret, after),
                         message="Note deleted.")


@rule("return", "resend_email")
def resend_email(
    ret: ReturnDetail, request: ResendReturnEmailRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    if ret.status == "Cancelled":
        refuse(f"Return #{ret.number} is Cancelled: its email is no longer sent",
               "return_cancelled")
    require_return_offered(ret, "resend_email")
    after = working_copy(ret)
    record(after, ctx, "Email", "Resent", f"Return email resent to {ret.email}")
    return ActionOutcome(
        document=after,
        changes=changes_between(ret, after),
        message=f"Return email sent to {ret.email}.",
        emails=[Email(template=f"Return{ret.status}", to=ret.email,
                      subject=f"Your return #{ret.number} is {ret.status.lower()}")],
    )
