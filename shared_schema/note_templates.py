"""Note templates: reusable snippets with placeholders for call notes, wrap-up and entity notes,
kept by the agent (docs/note-templates.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from .common import EntityId, EntityKind, Model, Timestamp
from .sessions import SessionId

TEMPLATE_NAME_MAX_LENGTH = 32
TEMPLATE_BODY_MAX_LENGTH = 2000
NOTE_TEMPLATES_MAX = 100
# The name is typed after ';' in a note box, so it is one word.
TEMPLATE_NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

PLACEHOLDERS: dict[str, str] = {
    "customer.first_name": "The caller's first name",
    "customer.last_name": "The caller's last name",
    "customer.full_name": "The caller's full name",
    "customer.email": "The caller's email",
    "customer.phone": "The caller's phone",
    "customer.id": "The caller's customer id",
    "order.number": "The order's number: the record the note is on, else the call's order tab",
    "order.status": "The order's status",
    "return.number": "The return's number: the record the note is on, else the call's return tab",
    "return.status": "The return's status",
    "today": "Today's date (YYYY-MM-DD, the CSR's day)",
}
"""Every placeholder a template may hold, written ``{name}`` in its body."""

TemplateName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=TEMPLATE_NAME_MAX_LENGTH,
        pattern=TEMPLATE_NAME_PATTERN,
        description="Typed after ';' in a note box: lower-case letters, digits, '-' and '_'",
    ),
]


class NoteTemplateIn(Model):
    name: TemplateName
    body: str = Field(
        min_length=1,
        max_length=TEMPLATE_BODY_MAX_LENGTH,
        description="The text; {placeholder} names one of NoteTemplates.placeholders",
    )


class NoteTemplate(NoteTemplateIn):
    updated_at: Timestamp


class Placeholder(Model):
    name: str = Field(description="Written {name} in a template's body")
    description: str


class NoteTemplates(Model):
    templates: list[NoteTemplate] = Field(description="By name")
    placeholders: list[Placeholder]
    max_templates: int = NOTE_TEMPLATES_MAX


class NoteFillIn(Model):
    """Where the note is written: the call (session) and, for an entity's note, the record."""

    session_id: SessionId | None = None
    kind: EntityKind | None = Field(None, description="The record the note is on, with id")
    id: EntityId | None = None
    today: dt.date | None = Field(None, description="The CSR's day; the agent's UTC day if null")


class NoteFilled(Model):
    name: str
    text: str = Field(description="The body with every placeholder that has a value filled in")
    missing: list[str] = Field(
        description="Placeholders with no value here (no order in the call…), left as written"
    )
