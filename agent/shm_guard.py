"""Guard against a WAL database's ``-shm`` file being truncated, removed or replaced under us.

SQLite maps ``<db>-shm`` (the WAL index) into memory. If another program truncates it, the next
access to the mapped pages raises SIGBUS and the process dies without a word; a removed or
replaced file splits this process from any other one using the database. ``ShmGuard.check()``,
called before each use of the connection, notices all three and raises ``ShmGone`` instead,
so the caller answers a clear 503 and logs it (docs/security.md, "faults give one clear
message"). The check is a stat call; the gap between it and SQLite's access is what remains.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


class ShmGone(Exception):
    """The ``-shm`` file is no longer the one this process mapped; the message says how."""


class ShmGuard:
    def __init__(self, database: Path) -> None:
        self.path = Path(f"{database}-shm")
        self._identity: tuple[int, int] | None = None
        self._size = 0
        self._broken: str | None = None
        self._truncated = False

    @property
    def broken(self) -> bool:
        return self._broken is not None

    def before_close(self) -> None:
        """Closing a connection checkpoints through the mapping: give a truncated file its
        size back first (zeros: SQLite sees an uninitialised WAL index and rebuilds it from
        the WAL, as after a crash), so closing is not a SIGBUS."""
        if not self._truncated or self._identity is None:
            return
        try:
            info = os.stat(self.path)
            if (info.st_dev, info.st_ino) == self._identity and info.st_size < self._size:
                os.truncate(self.path, self._size)
        except OSError as exc:
            log.error("cannot restore the size of %s before closing: %s", self.path, exc)

    def check(self) -> None:
        if self._broken is not None:
            raise ShmGone(self._broken)
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            if self._identity is None:
                return  # not mapped yet: SQLite creates it on first use
            problem = "was removed"
        else:
            identity = (info.st_dev, info.st_ino)
            if self._identity is None:
                self._identity, self._size = identity, info.st_size
                return
            if identity != self._identity:
                problem = "was replaced by another file"
            elif info.st_size < self._size:
                problem = f"was truncated ({self._size} -> {info.st_size} bytes)"
                self._truncated = True
            else:
                self._size = info.st_size
                return
        self._broken = (
            f"{self.path} {problem} while the agent ran; SQLite maps it, so the agent stops "
            "using the database until it is restarted"
        )
        log.error("%s", self._broken)
        raise ShmGone(self._broken)
