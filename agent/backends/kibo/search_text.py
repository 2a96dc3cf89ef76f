"""What a CSR types, as the Kibo filter terms and ``q`` words that find it (docs/kibo.md).

- Words go to Kibo's quick search ``q``, each as a prefix ``word*``, the way Kibo's admin sends
  them. They are sent as typed (lower-cased, accents kept): whether Kibo's quick search folds
  accents is unverified, so ``nunez`` finds ``Núñez`` only if Kibo folds them (the fake does not).
- Kibo keeps a phone as it was typed (``(512) 555-0134``) and compares text with case, so a
  phone is looked for in the forms it is usually written in, with ``cont``; four digits or
  fewer are looked for as they are (the last four of any form).
- Filter text (an email's start, a name's start) is sent as typed, lower-cased and capitalised,
  since Kibo's ``sw`` compares with case.
"""

from __future__ import annotations

import unicodedata

from agent.backends.kibo.filter_syntax import any_of, term
from agent.search.text import MAX_WORDS, split_words

PHONE_KINDS = ("home", "mobile", "work")
# North American grouping (the tenant's most common form); X is a digit.
NANP_FORMS = ("(XXX) XXX-XXXX", "XXX-XXX-XXXX", "XXX.XXX.XXXX", "XXX XXX XXXX", "XXXXXXXXXX")
LOCAL_FORMS = ("XXX-XXXX", "XXX.XXXX", "XXX XXXX")
MAX_FORMS = 8
SHORT_DIGITS = 4


def typed_words(text: str) -> list[str]:
    """The words of ``text`` as typed: split like the search box, lower-cased, accents kept."""
    words = [unicodedata.normalize("NFC", w).lower() for w in split_words(text)]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def quick_search(words: list[str]) -> str:
    """Kibo's ``q``: every word a prefix (Kibo's admin appends ``*`` to each word)."""
    return " ".join(f"{w}*" for w in words)


def case_forms(text: str, *, name: bool = True) -> list[str]:
    """``text`` as typed, lower-cased and (a name) capitalised: Kibo's ``sw`` compares with
    case, and names are stored capitalised while emails are mostly lower-case."""
    forms = [text, text.lower()]
    if name:
        forms.append(text[:1].upper() + text[1:].lower())
    return list(dict.fromkeys(forms))


def starts_with(fields: tuple[str, ...], text: str, *, name: bool = True) -> str:
    return any_of(term(f, "sw", form) for f in fields for form in case_forms(text, name=name))


def _fill(template: str, digits: str) -> str:
    """``digits`` laid into ``template`` up to the last digit (a prefix keeps its grouping)."""
    out, left = [], list(digits)
    for ch in template:
        if not left:
            break
        out.append(left.pop(0) if ch == "X" else ch)
    return "".join(out)


def national_part(typed: str) -> str:
    """The typed phone without a leading ``+CC`` or ``00CC`` group or trunk ``0``."""
    text = typed.strip()
    if text.startswith(("+", "00")):
        _, _, rest = text.lstrip("+").partition(" ")
        text = rest if rest else text
    if text.startswith("0") and len(text) > SHORT_DIGITS:
        text = text[1:]
    return text.strip()


def phone_forms(digits: str, typed: str = "") -> list[str]:
    """The ways a phone holding ``digits`` (national, as typed or a prefix) may be written."""
    if len(digits) <= SHORT_DIGITS:
        return [digits]
    forms = []
    national = national_part(typed)
    if national and not national.isdigit():
        forms.append(national)
    if len(digits) <= len("XXXXXXXXXX"):
        forms += [_fill(t, digits) for t in NANP_FORMS]
    if len(digits) == len("XXXXXXX"):
        forms += [_fill(t, digits) for t in LOCAL_FORMS]
    if not forms:
        forms.append(digits)
    return list(dict.fromkeys(forms))[:MAX_FORMS]


def phone_terms(prefix: str, digits: str, typed: str = "") -> str:
    """Any of the contact's phones (``prefix.phonenumbers.home|mobile|work``) holds a form."""
    return any_of(
        term(f"{prefix}.phonenumbers.{kind}", "cont", form)
        for form in phone_forms(digits, typed)
        for kind in PHONE_KINDS
    )
