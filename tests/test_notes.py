"""Notes: the same rules, ids, error codes and audit changes on customers, orders and returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from agent.domain.outcome import ActionRefused
from shared_schema.entities import CustomerDetail, Note
from tests.support.action_docs import (
    CTX,
    MemoryLookup,
    customer_doc,
    order_doc,
    return_doc,
    run,
    settle,
    shipped_paid_order,
)

# kind -> (a fresh document, the number or id its note ids start with)
DOCS: dict[str, tuple[Callable[[], Any], str]] = {
    "customer": (lambda: customer_doc("42"), "42"),
    "order": (order_doc, "10001"),
    "return": (lambda: return_doc(shipped_paid_order()), "5001"),
}
KINDS = sorted(DOCS)


def noted(kind: str, *texts: str) -> Any:
    """The kind's document holding notes ``{prefix}-note-1`` ... with ``texts``."""
    doc, prefix = DOCS[kind]
    notes = [
        Note(id=f"{prefix}-note-{n}", text=text, created_at="2026-01-01T00:00:00Z", created_by="x")
        for n, text in enumerate(texts, start=1)
    ]
    return doc().model_copy(update={"notes": notes})


def act(kind: str, doc: BaseModel, action: str, body: dict[str, Any]) -> BaseModel:
    return settle(run(kind, action, doc, body, MemoryLookup(doc)), MemoryLookup(doc))


def refused(kind: str, doc: BaseModel, action: str, body: dict[str, Any]) -> ActionRefused:
    with pytest.raises(ActionRefused) as caught:
        run(kind, action, doc, body, MemoryLookup(doc))
    return caught.value


@pytest.mark.parametrize("kind", KINDS)
def test_add_trims_the_text_and_numbers_the_note_after_the_highest(kind: str) -> None:
    doc = noted(kind, "First", "Second")
    doc.notes = [doc.notes[1]]  # note 1 was deleted: the next one is 3, not 2
    outcome = run(kind, "add_note", doc, {"text": "  Called back  "}, MemoryLookup(doc))
    prefix = DOCS[kind][1]
    note = outcome.document.notes[-1]  # type: ignore[attr-defined]
    assert (note.id, note.text, note.created_by, note.created_at) == (
        f"{prefix}-note-3",
        "Called back",
        CTX.who,
        CTX.now,
    )
    assert [(c.field, c.old, c.new) for c in outcome.changes] == [
        (f"notes[{prefix}-note-3]", None, "Called back")
    ]
    assert outcome.message == "Note added."


@pytest.mark.parametrize("kind", KINDS)
def test_edit_and_delete_say_what_the_note_was(kind: str) -> None:
    prefix = DOCS[kind][1]
    doc = noted(kind, "Prefers email")
    outcome = run(
        kind,
        "edit_note",
        doc,
        {"note_id": f"{prefix}-note-1", "text": "Prefers phone"},
        MemoryLookup(doc),
    )
    edited = outcome.document.notes[0]  # type: ignore[attr-defined]
    assert (edited.text, edited.updated_at) == ("Prefers phone", CTX.now)
    assert [(c.field, c.old, c.new) for c in outcome.changes] == [
        (f"notes[{prefix}-note-1]", "Prefers email", "Prefers phone")
    ]
    assert outcome.message == "Note saved."
    gone = run(kind, "delete_note", doc, {"note_id": f"{prefix}-note-1"}, MemoryLookup(doc))
    assert gone.document.notes == []  # type: ignore[attr-defined]
    assert [(c.field, c.old, c.new) for c in gone.changes] == [
        (f"notes[{prefix}-note-1]", "Prefers email", None)
    ]
    assert gone.message == "Note deleted."


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("action", "body", "code", "field"),
    [
        ("add_note", {"text": "   "}, "blank_note", "text"),
        ("edit_note", {"note_id": "{prefix}-note-1", "text": "\t"}, "blank_note", "text"),
        ("edit_note", {"note_id": "{prefix}-note-1", "text": " Kept "}, "no_change", "text"),
        ("edit_note", {"note_id": "{prefix}-note-9", "text": "x"}, "unknown_note", "note_id"),
        ("delete_note", {"note_id": "{prefix}-note-9"}, "unknown_note", "note_id"),
    ],
)
def test_the_same_refusals_everywhere(
    kind: str, action: str, body: dict[str, Any], code: str, field: str
) -> None:
    prefix = DOCS[kind][1]
    filled = {k: v.format(prefix=prefix) for k, v in body.items()}
    doc = noted(kind, "Kept")
    problem = refused(kind, doc, action, filled)
    assert (problem.status, problem.code, problem.field) == (422, code, field)


@pytest.mark.parametrize("kind", KINDS)
def test_orders_and_returns_also_keep_a_history_entry(kind: str) -> None:
    doc = noted(kind)
    after = act(kind, doc, "add_note", {"text": "Label emailed"})
    assert [n.text for n in after.notes] == ["Label emailed"]  # type: ignore[attr-defined]
    if isinstance(after, CustomerDetail):
        assert not hasattr(after, "history")
    else:
        entry = after.history[-1]  # type: ignore[attr-defined]
        assert (entry.subject, entry.verb, entry.new_value) == ("Note", "Added", "Label emailed")
    assert {"edit_note", "delete_note"} <= set(after.available_actions)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("kind", "longest"), [("customer", 1000), ("order", 250), ("return", 250)])
def test_a_note_is_as_long_as_its_request_model_allows(kind: str, longest: int) -> None:
    doc = noted(kind)
    run(kind, "add_note", doc, {"text": "x" * longest}, MemoryLookup(doc))
    with pytest.raises(ValidationError):
        run(kind, "add_note", doc, {"text": "x" * (longest + 1)}, MemoryLookup(doc))
