"""Run a search on the store's thread pool so that abandoning it stops its SQLite work.

When the awaiting task is cancelled (the HTTP client hung up), the search's ``cancel`` event is
set, which its progress handler checks, and the running statement is interrupted at once with
``Connection.interrupt()``. A search still queued never starts.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TypeVar

T = TypeVar("T")


async def run_cancellable(
    pool: Executor,
    connection: Callable[[], sqlite3.Connection],
    work: Callable[[sqlite3.Connection, threading.Event], T],
) -> T:
    """``work(conn, cancel)`` on ``pool`` with the worker thread's own connection."""
    cancel = threading.Event()
    lock = threading.Lock()
    running: list[sqlite3.Connection] = []

    def run() -> T:
        conn = connection()
        with lock:
            if cancel.is_set():
                raise asyncio.CancelledError
            running.append(conn)
        try:
            return work(conn, cancel)
        finally:
            with lock:
                running.clear()

    future = asyncio.get_running_loop().run_in_executor(pool, run)
    try:
        return await future
    except asyncio.CancelledError:
        with lock:
            cancel.set()
            for conn in running:  # only while ``work`` runs: never the thread's next job
                conn.interrupt()
        raise
