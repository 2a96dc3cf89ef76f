"""Keep the pairing token out of every log line and error body (docs/security.md, "secret").

A run of token characters (letters, digits, ``-``, ``_``) that shares any
``FRAGMENT``-character piece with a token the agent has used is replaced by ``[redacted]``, so
a token pasted into a path, a parameter, a field name or a WebSocket subprotocol
(``bearer.<token>``, which aiohttp's warning quotes) never shows, whole or in part.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

FRAGMENT = 8
MASK = "[redacted]"
_RUN = re.compile(rf"[A-Za-z0-9_-]{{{FRAGMENT},}}")


class Redactor:
    def __init__(self, tokens: Callable[[], Iterable[str]]) -> None:
        self.tokens = tokens
        self._pieces: set[str] = set()
        self._seen: set[str] = set()

    def _refresh(self) -> None:
        for token in self.tokens():
            if token not in self._seen:
                self._seen.add(token)
                self._pieces.update(
                    token[i : i + FRAGMENT] for i in range(len(token) - FRAGMENT + 1)
                )

    def _secret(self, run: str) -> bool:
        return any(run[i : i + FRAGMENT] in self._pieces for i in range(len(run) - FRAGMENT + 1))

    def text(self, text: str) -> str:
        self._refresh()
        return _RUN.sub(lambda m: MASK if self._secret(m.group()) else m.group(), text)

    def value(self, value: Any) -> Any:
        """Strings, and the strings inside dicts and lists (error details), redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        return value


class RedactingLogFilter(logging.Filter):
    """For the handlers of the agent's log: every record, with its traceback, redacted."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redactor.text(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.redactor.text(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor.text(record.stack_info)
        return True
