"""Internal notes on customers, orders and returns: add, edit, delete, one set of rules for all.

- The text is trimmed; a blank note is 422 ``blank_note`` (field ``text``); an edit that keeps
  the text is 422 ``no_change``. How long a note may be is the request model's limit.
- A note id the entity does not have is 422 ``unknown_note`` (field ``note_id``).
- A new note is ``{entity}-note-{n}``: the order or return number, the customer id; n one
  above the highest n in use.
- The change is ``notes[{id}]``, old and new text (nothing when added or deleted); orders and
  returns also get a history entry (Kibo's changeMessages), customers only the audit log.

The kind's own checks (an order locked for edits, an action its state does not offer) run
first, in order/notes.py and return_/notes.py; the customer declarations use these as they are.
"""

from __future__ import annotations

from typing import Any, TypeVar

from agent.domain.common import next_id, record, reject_input, working_copy
from agent.domain.outcome import ActionContext, ActionOutcome, Change, Lookup
from shared_schema.entities import CustomerDetail, Note, OrderDetail, ReturnDetail

Noted = TypeVar("Noted", CustomerDetail, OrderDetail, ReturnDetail)


def add_note(before: Noted, request: Any, ctx: ActionContext, lookup: Lookup) -> ActionOutcome:
    after = working_copy(before)
    note = Note(
        id=next_id(f"{_owner(after)}-note", [n.id for n in after.notes]),
        text=note_text(request.text),
        created_at=ctx.now,
        created_by=ctx.who,
    )
    after.notes.append(note)
    _history(after, ctx, "Added", "Note added", new=note.text)
    return ActionOutcome(after, [Change(f"notes[{note.id}]", None, note.text)], "Note added.")


def edit_note(before: Noted, request: Any, ctx: ActionContext, lookup: Lookup) -> ActionOutcome:
    after = working_copy(before)
    note = _find(after, request.note_id)
    text = note_text(request.text)
    if text == note.text:
        reject_input("The note already says that", "no_change", "text")
    old = note.text
    note.text, note.updated_at = text, ctx.now
    _history(after, ctx, "Edited", "Note edited", old=old, new=text)
    return ActionOutcome(after, [Change(f"notes[{note.id}]", old, text)], "Note saved.")


def delete_note(before: Noted, request: Any, ctx: ActionContext, lookup: Lookup) -> ActionOutcome:
    after = working_copy(before)
    note = _find(after, request.note_id)
    after.notes = [n for n in after.notes if n.id != note.id]
    _history(after, ctx, "Deleted", "Note deleted", old=note.text)
    return ActionOutcome(after, [Change(f"notes[{note.id}]", note.text, None)], "Note deleted.")


def note_text(text: str) -> str:
    """The note as kept: trimmed, never blank (the Kibo backend checks it too)."""
    text = text.strip()
    if not text:
        reject_input("A note cannot be blank", "blank_note", "text")
    return text


def _find(doc: CustomerDetail | OrderDetail | ReturnDetail, note_id: str) -> Note:
    for note in doc.notes:
        if note.id == note_id:
            return note
    kind = {CustomerDetail: "customer", OrderDetail: "order", ReturnDetail: "return"}[type(doc)]
    reject_input(f"No note '{note_id}' on this {kind}", "unknown_note", "note_id")


def _owner(doc: CustomerDetail | OrderDetail | ReturnDetail) -> str:
    return doc.id if isinstance(doc, CustomerDetail) else str(doc.number)


def _history(
    doc: CustomerDetail | OrderDetail | ReturnDetail,
    ctx: ActionContext,
    verb: str,
    message: str,
    *,
    old: str | None = None,
    new: str | None = None,
) -> None:
    if not isinstance(doc, CustomerDetail):
        record(doc, ctx, "Note", verb, message, old=old, new=new)
