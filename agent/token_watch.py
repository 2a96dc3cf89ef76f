"""The token a running agent accepts follows its token file (docs/security.md, "rotation").

``callcenter-agent token --rotate`` replaces the file. ``TokenSource.current`` notices the new
file (by its inode, size and modification time) on the next request, so the old token is
refused at once, and calls ``on_change``, which closes the WebSockets opened with the old one.
``watch`` polls the file too, so those sockets close when no request comes. A file that is
missing or damaged keeps the token in force and logs a warning.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path

from agent.token import TokenError, read_token

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
Stamp = tuple[int, int, int]


class TokenSource:
    def __init__(self, token: str, path: Path | None = None) -> None:
        self.token = token
        self.path = path
        self.on_change: list[Callable[[str], None]] = []
        self._stamp = self._stat()

    def _stat(self) -> Stamp | None:
        if self.path is None:
            return None
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return info.st_ino, info.st_size, info.st_mtime_ns

    def current(self) -> str:
        """The token in force, after taking up a rotated file."""
        stamp = self._stat()
        if stamp is None or stamp == self._stamp:
            return self.token
        self._stamp = stamp
        try:
            token = read_token(self.path) if self.path else None
        except TokenError as exc:
            log.warning("kept the current token: %s", exc)
            return self.token
        if token and token != self.token:
            self.token = token
            log.warning("the token was rotated: the old one is refused from now on")
            for listener in self.on_change:
                listener(token)
        return self.token

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            self.current()
