"""One agent per data dir: an OS lock on ``<data dir>/agent.lock`` held for the agent's life.

The file (mode 0600) names the holder's PID and port as JSON. The lock is the kernel's
(``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows), so it goes away with the process,
even after a kill -9; a file left behind by a dead agent is simply taken over. ``holder()``
answers who serves a data dir without disturbing it (``seed --force``, ``doctor``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

LOCK_NAME = "agent.lock"
# Windows locks a byte range and refuses reads of it; the lock byte sits past the JSON.
_WINDOWS_LOCK_OFFSET = 1 << 20


class DataDirBusy(Exception):
    def __init__(self, path: Path, info: dict[str, Any]) -> None:
        self.path = path
        self.info = info
        super().__init__(f"another agent serves {path.parent} ({describe(info)})")


def describe(info: dict[str, Any]) -> str:
    pid = info.get("pid", "?")
    port = info.get("port")
    if port is not None:
        return f"PID {pid}, port {port}"
    return f"PID {pid}, {info.get('doing') or 'starting'}"


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


class DataDirLock:
    """Held from ``acquire`` until ``release`` or the process ends."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, data_dir: Path, doing: str = "starting") -> DataDirLock:
        path = data_dir / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise DataDirBusy(path, _read(path))
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
        lock = cls(path, fd)
        lock.record(port=None, doing=doing)
        return lock

    def record(self, *, port: int | None, doing: str | None = None) -> None:
        """Write the holder's PID, its port once bound, or what it is doing before that."""
        if self._fd is None:
            return
        info: dict[str, Any] = {"pid": os.getpid(), "port": port}
        if doing is not None:
            info["doing"] = doing
        os.ftruncate(self._fd, 0)
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.write(self._fd, json.dumps(info).encode())

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None


def holder(data_dir: Path) -> dict[str, Any] | None:
    """The running agent's ``{"pid", "port"}`` for this data dir, or None when none holds it."""
    path = data_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        if _try_lock(fd):
            return None  # closing below releases the lock we just took
        return _read(path) or {"pid": None, "port": None}
    finally:
        os.close(fd)
