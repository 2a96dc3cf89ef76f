"""The rules of note templates (docs/note-templates.md): a template names only known
placeholders, and filling it puts in the values there are and says which were missing.

A placeholder is ``{name}`` with a name of shared_schema's ``PLACEHOLDERS``; other braces are
text. A body naming an unknown placeholder is 422 ``unknown_placeholder`` (field ``body``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from agent.errors import Unprocessable
from shared_schema.note_templates import PLACEHOLDERS, NoteFilled, NoteTemplateIn

# What looks like a placeholder: a word, optionally dotted.
_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)?)\}")


def placeholders_in(body: str) -> list[str]:
    return list(dict.fromkeys(_PLACEHOLDER.findall(body)))


def checked(template: NoteTemplateIn) -> NoteTemplateIn:
    """The template with its body's edges trimmed; unknown placeholders and blank bodies refused."""
    body = template.body.strip()
    if not body:
        raise Unprocessable(
            "A template needs some text", details={"field": "body"}, code="blank_template"
        )
    unknown = [name for name in placeholders_in(body) if name not in PLACEHOLDERS]
    if unknown:
        raise Unprocessable(
            f"Unknown placeholder {{{unknown[0]}}}; use one of: "
            + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            details={"field": "body", "unknown": unknown, "allowed": list(PLACEHOLDERS)},
            code="unknown_placeholder",
        )
    return NoteTemplateIn(name=template.name, body=body)


def fill(name: str, body: str, values: Mapping[str, str]) -> NoteFilled:
    """The body with each placeholder that has a value replaced; the others stay as written."""
    missing = [p for p in placeholders_in(body) if p not in values]
    text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)
    return NoteFilled(name=name, text=text, missing=missing)
