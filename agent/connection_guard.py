"""Keep the agent reachable under a flood of local connections (docs/security.md, "local DoS").

``raise_fd_limit`` lifts the soft open-files limit to the hard one at start (macOS starts
programs at 256). ``ConnectionGuard`` watches the connections of the agent's servers: one that
has no request in progress (nothing sent yet, headers still arriving, or idle between
requests) for ``idle_seconds`` is closed, and when a new connection makes more than ``cap``,
idle ones are closed: first those that never carried the token, longest-idle first, then the
panel's own. So a connection carrying a request (or the panel's WebSocket) is never the one
dropped, a flood of fresh connections does not push out the panel's idle keep-alive ones, and
the agent never runs out of descriptors. ``watch`` learns from the gate which connections
carried the token (``AUTHENTICATED``).

It reads two fields of aiohttp's ``RequestHandler`` (``_request_in_progress``,
``_request_count``); ``tests/security/test_local_dos.py`` fails if aiohttp changes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
import time
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from agent.security import AUTHENTICATED

log = logging.getLogger(__name__)

IDLE_SECONDS = 5.0
RESERVED_FDS = 64  # databases, log, listening sockets, the loop's own
# asyncio accepts up to the backlog it was given in one go, before any of those connections
# reaches the guard: with a small batch a burst never takes the agent past its fd limit (there
# asyncio stops accepting for a whole second). The kernel's queue stays longer, so a connection
# waits its turn instead of a dropped SYN's one-second retransmit.
ACCEPT_BATCH = 32
LISTEN_BACKLOG = 128
SERVERS = 2  # the API and the demo admin console
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
    return max(16, min(MAX_CAP, fd_limit - RESERVED_FDS - SERVERS * ACCEPT_BATCH))


class ConnectionGuard:
    def __init__(self, cap: int, idle_seconds: float = IDLE_SECONDS) -> None:
        self.cap = cap
        self.idle_seconds = idle_seconds
        self._last: dict[RequestHandler, tuple[float, int]] = {}
        self._trusted: set[RequestHandler] = set()
        self.dropped = 0

    def watch(self, app: web.Application) -> None:
        """Before the app freezes: note the connections whose requests carried the token."""

        async def seen(request: web.Request, _response: web.StreamResponse) -> None:
            if request.get(AUTHENTICATED) and request.protocol in self._last:
                self._trusted.add(request.protocol)

        app.on_response_prepare.append(seen)

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
            self._trusted.discard(handler)
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
        idle.sort(key=lambda pair: (pair[1] in self._trusted, pair[0]))
        for _since, handler in idle[:how_many]:
            self._close(handler)

    def _close(self, handler: RequestHandler) -> None:
        self._last.pop(handler, None)
        self._trusted.discard(handler)
        # A reset, not a FIN: no request is in progress, and an agent-side close would leave a
        # TIME_WAIT entry per dropped connection, with which a flood's thousands collide a new
        # connection's port (its SYN waits a 1 s retransmit).
        transport = handler.transport
        sock = transport.get_extra_info("socket") if transport is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
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
