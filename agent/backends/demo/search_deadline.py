"""Time limits and cancellation for the statements of one search.

A ``Deadline`` installs the connection's progress handler for the duration of a search. Every
statement runs until the earlier of its own limit and the end of the request's budget, or until
``cancel`` is set (the HTTP client went away); SQLite then stops it with "interrupted".

Time is the worker thread's CPU time: on a busy machine (two cores shared with a browser and
test runs) a cheap query can wait 100 ms for a core, and failing it then would punish the
request for the machine's load. On an idle machine CPU time and wall time agree.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from typing import Any

# The progress handler is a Python call: run it only every this many VM steps (~50–100 µs).
PROGRESS_STEPS = 1000


class SearchCancelled(Exception):
    """The search was abandoned by its caller; nobody reads the answer."""


class Deadline:
    """Interrupts the running statement once its time is up or the search is cancelled."""

    def __init__(
        self, conn: sqlite3.Connection, budget_s: float, cancel: threading.Event | None = None
    ) -> None:
        self.conn = conn
        self.end = time.thread_time() + budget_s
        self.until = float("inf")
        self.cancel = cancel

    def __enter__(self) -> Deadline:
        self.conn.set_progress_handler(self._stop, PROGRESS_STEPS)
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.set_progress_handler(None, 0)

    def _stop(self) -> bool:
        return time.thread_time() > self.until or (self.cancel is not None and self.cancel.is_set())

    def remaining(self) -> float:
        return self.end - time.thread_time()

    def run(
        self, seconds: float, sql: str, params: Sequence[Any], *, tuples: bool = False
    ) -> list[Any]:
        """Rows of ``sql`` (plain tuples with ``tuples``), within ``seconds`` and the request
        budget; raises when stopped."""
        if self.cancel is not None and self.cancel.is_set():
            raise SearchCancelled
        self.until = min(time.thread_time() + seconds, self.end)
        try:
            cursor = self.conn.cursor()
            if tuples:
                cursor.row_factory = None
            return cursor.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            if is_interrupt(error) and self.cancel is not None and self.cancel.is_set():
                raise SearchCancelled from None
            raise
        finally:
            self.until = float("inf")


def is_interrupt(error: sqlite3.OperationalError) -> bool:
    return "interrupt" in str(error).lower()
