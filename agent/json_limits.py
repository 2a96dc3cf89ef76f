"""Bounds a JSON body must keep before it is parsed (docs/security.md, "bounded input").

Python's parser recurses once per nesting level and turns every digit run into an ``int``; a
body nested 40,000 levels deep or an integer of 5,000 digits makes it raise errors that are
not ``JSONDecodeError``. ``check_json_limits`` scans the raw bytes first, with string contents
blanked out, and refuses such a body with a 400 naming the limit.
"""

from __future__ import annotations

import re

from agent.errors import BadRequest

MAX_DEPTH = 64
MAX_NUMBER_CHARS = 64

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_LONG_NUMBER = re.compile(rb"[-+.eE0-9]{%d,}" % (MAX_NUMBER_CHARS + 1))


def check_json_limits(raw: bytes) -> None:
    """Raise a 400 when ``raw`` nests deeper than MAX_DEPTH or holds a number too long."""
    bare = _STRING.sub(b'""', raw)
    if _LONG_NUMBER.search(bare):
        raise BadRequest(
            f"The body holds a number longer than {MAX_NUMBER_CHARS} characters",
            details={"limit": MAX_NUMBER_CHARS},
            code="number_too_long",
        )
    depth = 0
    for match in _BRACKET.finditer(bare):
        depth += 1 if match.group() in b"[{" else -1
        if depth > MAX_DEPTH:
            raise BadRequest(
                f"The body nests deeper than {MAX_DEPTH} levels",
                details={"limit": MAX_DEPTH},
                code="json_too_deep",
            )
