"""Keep the agent reachable under a flood of local connections (docs/security.md, "local DoS").

``raise_fd_limit`` lifts the soft open-files limit to the hard one at start (macOS starts
programs at 256). ``ConnectionGuard`` watches the connections of the agent's servers: one that
has no request in progress (nothing sent yet, headers still arriving, or idle between
requests) for ``idle_seconds`` is closed, and when a new connection makes more than ``cap``,
the longest-idle ones are closed first, so a connection carrying a request (or the panel's
WebSocket) is never the one dropped and the agent never runs out of descriptors.

It reads two fields of aiohttp's ``RequestHandler`` (``_request_in_progress``,
``_request_count``); ``tests/security/test_local_dos.py`` fails if aiohttp changes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

log = logging.getLogger(__name__)

IDLE_SECONDS = 5.0
RESERVED_FDS = 64  # databases, log, listening sockets, the loop's own
MAX_CAP = 1024


def raise_fd_limit() -> int | None:
    """Soft RLIMIT_NOFILE raised to the hard limit (capped at 65536); the new soft limit."""
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
    return None if soft == resource.RLIM_INFINITY else soft


def cap_for(fd_limit: int | None) -> int:
    if fd_limit is None:
        return MAX_CAP
    return max(16, min(MAX_CAP, fd_limit - RESERVED_FDS))


class ConnectionGuard:
    def __init__(self, cap: int, idle_seconds: float = IDLE_SECONDS) -> None:
        self.cap = cap
        self.idle_seconds = idle_seconds
        self._last: dict[RequestHandler, tuple[float, int]] = {}
        self.dropped = 0

    def install(self, server: web.Server) -> None:
        made = server.connection_made

        def connection_made(handler: RequestHandler, transport: Any) -> None:
            made(handler, transport)
            self._last[handler] = (time.monotonic(), 0)
            if len(self._live()) > self.cap:
                self._drop_idlest(len(self._live()) - self.cap)

        server.connection_made = connection_made  # type: ignore[method-assign]

    def _live(self) -> list[RequestHandler]:
        for handler in [h for h in self._last if h.transport is None]:
            del self._last[handler]
        return list(self._last)

    def _idle_since(self, handler: RequestHandler, now: float) -> float | None:
        """When the connection last did something; None while a request is in progress."""
        since, count = self._last[handler]
        if handler._request_in_progress or handler._request_count != count:
            self._last[handler] = (now, handler._request_count)
            return None if handler._request_in_progress else now
        return since

    def _drop_idlest(self, how_many: int) -> None:
        now = time.monotonic()
        idle = [(s, h) for h in self._live() if (s := self._idle_since(h, now)) is not None]
        for _since, handler in sorted(idle, key=lambda pair: pair[0])[:how_many]:
            self._close(handler)

    def _close(self, handler: RequestHandler) -> None:
        self._last.pop(handler, None)
        handler.force_close()
        self.dropped += 1

    def sweep(self) -> None:
        now = time.monotonic()
        for handler in self._live():
            since = self._idle_since(handler, now)
            if since is not None and now - since >= self.idle_seconds:
                self._close(handler)

    async def run(self) -> None:
        reported = 0
        while True:
            await asyncio.sleep(1.0)
            self.sweep()
            if self.dropped != reported:
                log.warning("closed %d idle connections", self.dropped - reported)
                reported = self.dropped
