"""Return notes (docs/kibo-reference.md §5.3: POST / PUT / DELETE ``/returns/{id}/notes``): the
shared note rules (agent/domain/notes.py) once the return offers the action; and the return
email resend (not after a cancel)."""

from __future__ import annotations

from agent.domain import notes
from agent.domain.common import changes_between, record, refuse, working_copy
from agent.domain.outcome import ActionContext, ActionOutcome, Email, Lookup
from agent.domain.return_.status import require_return_offered
from shared_schema.actions_returns import (
    AddReturnNoteRequest,
    DeleteReturnNoteRequest,
    EditReturnNoteRequest,
    ResendReturnEmailRequest,
)
from shared_schema.entities import ReturnDetail


def add_return_note(
    ret: ReturnDetail, request: AddReturnNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_return_offered(ret, "add_note")
    return notes.add_note(ret, request, ctx, lookup)


def edit_return_note(
    ret: ReturnDetail, request: EditReturnNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_return_offered(ret, "edit_note")
    return notes.edit_note(ret, request, ctx, lookup)


def delete_return_note(
    ret: ReturnDetail, request: DeleteReturnNoteRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_return_offered(ret, "delete_note")
    return notes.delete_note(ret, request, ctx, lookup)


def resend_email(
    ret: ReturnDetail, request: ResendReturnEmailRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    if ret.status == "Cancelled":
        refuse(
            f"Return #{ret.number} is Cancelled: its email is no longer sent", "return_cancelled"
        )
    require_return_offered(ret, "resend_email")
    after = working_copy(ret)
    record(after, ctx, "Email", "Resent", f"Return email resent to {ret.email}")
    return ActionOutcome(
        document=after,
        changes=changes_between(ret, after),
        message=f"Return email sent to {ret.email}.",
        emails=[
            Email(
                template=f"Return{ret.status}",
                to=ret.email,
                subject=f"Your return #{ret.number} is {ret.status.lower()}",
            )
        ],
    )
