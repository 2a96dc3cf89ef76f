"""Read the free text of a search box: a number, a phone, an email or name words.

Pure: no database. The backend turns a ``TextPlan`` into SQL.

- ``#1234`` is the exact number and nothing else.
- Bare digits ``1234`` are the exact number (ranked first), then, for returns, the returns of
  the order of that number, then phones whose national digits start with them, and, for
  exactly four digits, phones ending in them.
- Phone-looking input (digits with ``+ ( ) - . /`` and spaces, like ``(512) 555-0134`` or
  ``+44 20 7946 0958``) is a phone only: nobody reads an order number that way.
- Input with ``@`` is the start of an email address (the whole address, lower-cased).
- Anything else is words. Every word must match the start of a word in the name or in the
  email's local part; every word is a prefix, not only the last, so ``jo smi`` finds
  John Smith. Words split and fold as SQLite's ``unicode61 remove_diacritics 2`` does.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

PlanKind = Literal["empty", "number", "digits", "phone", "email", "words", "nothing"]
MAX_WORDS = 8
MIN_PHONE_PREFIX = 3
MAX_NUMBER_DIGITS = 15
PHONE_PUNCTUATION = frozenset("+()-./ \u00a0")


@dataclass(frozen=True)
class TextPlan:
    kind: PlanKind = "empty"
    number: int | None = None
    phone_prefix: str | None = None
    phone_last4: str | None = None
    email_prefix: str | None = None
    words: tuple[str, ...] = ()
    interpretation: str = ""
    # Bare digits read as another record's number too (returns: the original order number).
    other_number: int | None = None

    def fts_query(self) -> str | None:
        """An FTS5 MATCH expression: every word quoted and a prefix, all required."""
        if not self.words:
            return None
        return " ".join(f'"{word}"*' for word in self.words)


def _is_token_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "Co"


def split_words(text: str) -> list[str]:
    """Split like unicode61: runs of letters, digits and marks; everything else separates."""
    words: list[str] = []
    current: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if _is_token_char(ch):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def fold(word: str) -> str:
    """Lower-case and strip accents, as the FTS tokenizer does (``Zoë`` -> ``zoe``)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def national_digits(digits: str) -> str:
    """Strip an international prefix (00), country code 1 or 44 and the UK trunk 0.

    Short inputs are left alone: ``0134`` may be the last four digits of a phone.
    """
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    elif len(digits) >= 11 and digits.startswith("44"):
        digits = digits[2:]
    if len(digits) > 4 and digits.startswith("0"):
        digits = digits[1:]
    return digits


def _looks_like_phone(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return digits >= 3 and all(ch.isdigit() or ch in PHONE_PUNCTUATION for ch in text)


def _digits_plan(
    digits: str, number_label: str, with_number: bool, other_label: str | None = None
) -> TextPlan:
    number = int(digits) if with_number and len(digits) <= MAX_NUMBER_DIGITS else None
    national = national_digits(digits)
    phone = national if len(national) >= MIN_PHONE_PREFIX else None
    last4 = digits if with_number and len(digits) == 4 else None
    other = number if other_label else None
    parts = []
    if number is not None:
        parts.append(f"{number_label} {number}")
    if other is not None:
        parts.append(f"{other_label} {other}")
    if phone:
        parts.append(f"phone digits {phone}…")
    if last4:
        parts.append(f"phone ending {last4}")
    return TextPlan(
        kind="digits" if with_number else "phone",
        number=number,
        phone_prefix=phone,
        phone_last4=last4,
        interpretation=", or ".join(parts) or "nothing searchable",
        other_number=other,
    )


def interpret(text: str, number_label: str = "number", other_label: str | None = None) -> TextPlan:
    """Read ``text``; ``number_label`` names the kind's number ("order number", "customer id"),
    ``other_label`` the other number bare digits may be ("original order number")."""
    text = text.strip()
    if not text:
        return TextPlan()
    digits = text[1:].strip()
    if text.startswith("#") and digits.isascii() and digits.isdigit():
        if len(digits) > MAX_NUMBER_DIGITS:
            return TextPlan(kind="nothing", interpretation=f"no {number_label} is that long")
        number = int(digits)
        return TextPlan(kind="number", number=number, interpretation=f"{number_label} {number}")
    if text.isascii() and text.isdigit():
        return _digits_plan(text, number_label, with_number=True, other_label=other_label)
    if "@" in text:
        prefix = "".join(text.split()).lower()
        return TextPlan(
            kind="email", email_prefix=prefix, interpretation=f"email starting {prefix}"
        )
    if _looks_like_phone(text):
        digits = "".join(ch for ch in text if ch.isdigit())
        return _digits_plan(digits, number_label, with_number=False)
    words = tuple(dict.fromkeys(fold(w) for w in split_words(text)))[:MAX_WORDS]
    if not words:
        return TextPlan(kind="nothing", interpretation="nothing searchable")
    quoted = ", ".join(f"“{w}…”" for w in words)
    return TextPlan(
        kind="words", words=words, interpretation=f"name or email words starting {quoted}"
    )
