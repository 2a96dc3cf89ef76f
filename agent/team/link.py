"""The desk's link to the team's Redis: connect, reconnect with backoff, and while up keep
presence announced and fresh and consume the desk's transfer inbox (docs/team.md).

The agent never waits on the link: it runs as one background task, and everything the panel
asks of it answers from what the link last saw, with ``connected`` saying how fresh that is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from agent.errors import BackendUnavailable
from agent.sessions.store import SessionStore
from agent.team.config import TeamSettings
from agent.team.presence import Presence
from agent.team.transfer import Transfers
from agent.team.wire import LINK_ERRORS
from shared_schema.team import TeamStatus

log = logging.getLogger(__name__)
FIRST_DELAY, MAX_DELAY = 0.25, 10.0


def redis_client(settings: TeamSettings, password: str | None) -> aioredis.Redis:
    """One client with short timeouts and no silent retries: the link's loop retries."""
    options: dict[str, Any] = {
        "password": password,
        "socket_connect_timeout": 2,
        "socket_timeout": settings.refresh_seconds + 5,
        "retry": Retry(NoBackoff(), 0),
        "decode_responses": True,
    }
    if settings.redis_url.startswith("rediss://") and settings.tls_ca_file:
        options["ssl_ca_certs"] = settings.tls_ca_file
    return aioredis.Redis.from_url(settings.redis_url, **options)


class TeamLink:
    def __init__(
        self,
        settings: TeamSettings,
        desk: str,
        password: str | None,
        sessions: SessionStore,
        on_status: Callable[[TeamStatus], None],
    ) -> None:
        self.settings = settings
        self.desk = desk
        self.password = password
        self.sessions = sessions
        self.on_status = on_status
        self.connected = False
        self.detail = "connecting"
        self.client: aioredis.Redis | None = None
        self.presence = Presence(self)
        self.services: list[Callable[[aioredis.Redis], Any]] = [
            self.presence.keep_announced,
            self.presence.listen,
        ]
        self.status_parts: list[Callable[[], dict[str, Any]]] = [self.presence.status_part]
        self.transfers: Transfers | None = None
        self._task: asyncio.Task[None] | None = None

    def add_transfers(self, transfers: Transfers) -> None:
        self.transfers = transfers
        self.services.append(transfers.consume)
        self.status_parts.append(transfers.status_part)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="team-link")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        client = redis_client(self.settings, self.password)
        try:
            await asyncio.wait_for(self.presence.leave(client), 2)
        except LINK_ERRORS:
            pass  # the TTL removes this desk within a minute anyway
        finally:
            await client.aclose()

    def sessions_event(self, type_: str) -> None:
        """An EventHub listener: the desk's sessions changed, so its open records may have, and
        a session with an offer pending may have closed."""
        if type_ == "sessions":
            self.presence.sessions_changed()
            if self.transfers is not None:
                self.transfers.sessions_changed()

    def status(self) -> TeamStatus:
        parts: dict[str, Any] = {}
        for part in self.status_parts:
            parts |= part()
        return TeamStatus(
            enabled=True,
            connected=self.connected,
            desk=self.desk,
            detail="" if self.connected else self.detail,
            **parts,
        )

    def changed(self) -> None:
        self.on_status(self.status())

    def require(self) -> aioredis.Redis:
        """The live client, for a request that cannot do without the team."""
        if not self.connected or self.client is None:
            raise BackendUnavailable(
                f"The team's Redis is not reachable ({self.detail}); try again shortly",
                code="team_unavailable",
            )
        return self.client

    async def _run(self) -> None:
        delay = FIRST_DELAY
        while True:
            client = redis_client(self.settings, self.password)
            try:
                await client.ping()
                self.client, self.connected, delay = client, True, FIRST_DELAY
                log.info("team: connected to Redis as desk %r", self.desk)
                self.changed()
                await self._serve(client)
            except LINK_ERRORS as exc:
                self._down(exc)
            finally:
                self.client = None
                with contextlib.suppress(*LINK_ERRORS):
                    await client.aclose()
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, MAX_DELAY)

    def _down(self, exc: BaseException) -> None:
        was = self.connected
        self.connected = False
        self.detail = f"{type(exc).__name__}: {exc}"[:200] or type(exc).__name__
        if was:
            log.warning("team: lost Redis (%s); reconnecting", self.detail)
            self.changed()

    async def _serve(self, client: aioredis.Redis) -> None:
        """Runs every service until one fails, then stops the others."""
        tasks = [asyncio.ensure_future(service(client)) for service in self.services]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            # A pub/sub read can sit out a cancellation; dropping the connections ends it.
            with contextlib.suppress(*LINK_ERRORS):
                await client.connection_pool.disconnect()
            await asyncio.wait(tasks, timeout=2)
            for task in tasks:
                if task.done() and not task.cancelled():
                    task.exception()  # seen: the loop above re-raised the first one
