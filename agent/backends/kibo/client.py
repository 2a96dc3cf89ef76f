"""HTTP to the tenant: headers, bearer token, a deadline per call, bounded retries.

- Every call carries ``Authorization``, ``x-vol-tenant`` and (when set) ``x-vol-site``.
- A 401 drops the token and the call is sent once more with a new one (the request was not
  processed, so this is safe for every method).
- 429 and 5xx (and connection failures) are retried with capped exponential backoff, honouring
  a short ``Retry-After``, but only for idempotent calls: a POST that may have reached Kibo is
  never sent twice by us.
- The whole call, retries included, is bounded by its deadline. When the caller's task is
  cancelled (the panel abandoned a typeahead request) the upstream request is closed too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from agent.backends.kibo.auth import TokenSource
from agent.backends.kibo.connection import Connection
from agent.backends.kibo.errors import kibo_error, timed_out, unreachable
from agent.backends.kibo.secret import Secret
from agent.errors import ApiError

log = logging.getLogger(__name__)

READ_DEADLINE_S = 8.0
WRITE_DEADLINE_S = 20.0
RETRYABLE = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # total tries for idempotent calls
    base_delay_s: float = 0.2
    max_delay_s: float = 2.0

    def delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.max_delay_s)
        return min(self.base_delay_s * (2**attempt), self.max_delay_s)


class _Retry(Exception):
    def __init__(self, error: ApiError, retry_after: str | None = None) -> None:
        self.error = error
        self.retry_after = retry_after


class KiboClient:
    def __init__(
        self,
        connection: Connection,
        secret: Secret,
        *,
        retry: RetryPolicy | None = None,
        read_deadline_s: float = READ_DEADLINE_S,
        write_deadline_s: float = WRITE_DEADLINE_S,
        session: aiohttp.ClientSession | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.connection = connection
        self._session = session
        self._owns_session = session is None
        self.tokens = TokenSource(connection, secret, self.http, clock=clock)
        self.retry = retry or RetryPolicy()
        self.read_deadline_s = read_deadline_s
        self.write_deadline_s = write_deadline_s

    def http(self) -> aiohttp.ClientSession:
        """The connection pool, opened on first use (inside the running event loop)."""
        if self._session is None or (self._owns_session and self._session.closed):
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=16, ttl_dns_cache=300)
            )
        return self._session

    async def close(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()

    def _headers(self, bearer: str, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {bearer}",
            "Accept": "application/json",
            "x-vol-tenant": self.connection.tenant,
        }
        if self.connection.site:
            headers["x-vol-site"] = self.connection.site
        return headers | dict(extra or {})

    async def get(
        self,
        path: str,
        params: Mapping[str, str | int] | None = None,
        *,
        what: str = "resource",
        deadline_s: float | None = None,
    ) -> Any:
        return await self.call(
            "GET", path, params=params, what=what, idempotent=True, deadline_s=deadline_s
        )

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        what: str = "resource",
        idempotent: bool | None = None,
        deadline_s: float | None = None,
    ) -> Any:
        """Send one logical call; returns the decoded JSON (or None for an empty body)."""
        idempotent = method == "GET" if idempotent is None else idempotent
        deadline = deadline_s or (
            self.read_deadline_s if method == "GET" else self.write_deadline_s
        )
        try:
            async with asyncio.timeout(deadline):
                return await self._with_retries(
                    method, path, params, body, headers, what, idempotent
                )
        except TimeoutError:
            raise timed_out(what, deadline) from None

    async def _with_retries(
        self,
        method: str,
        path: str,
        params: Any,
        body: Any,
        headers: Mapping[str, str] | None,
        what: str,
        idempotent: bool,
    ) -> Any:
        attempts = self.retry.attempts if idempotent else 1
        for attempt in range(attempts):
            try:
                return await self._authorised(method, path, params, body, headers, what)
            except _Retry as retry:
                if attempt + 1 >= attempts:
                    raise retry.error from None
                pause = self.retry.delay(attempt, retry.retry_after)
                log.info("kibo %s %s: %s, retrying in %.2fs", method, path, retry.error.code, pause)
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _authorised(
        self,
        method: str,
        path: str,
        params: Any,
        body: Any,
        headers: Mapping[str, str] | None,
        what: str,
    ) -> Any:
        for first in (True, False):
            bearer = await self.tokens.bearer()
            status, raw, answer_headers = await self._send(
                method, path, params, body, self._headers(bearer, headers)
            )
            if status == 401 and first:
                self.tokens.invalidate(bearer)
                continue
            return self._decode(status, raw, answer_headers, what)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self, method: str, path: str, params: Any, body: Any, headers: dict[str, str]
    ) -> tuple[int, bytes, dict[str, str]]:
        url = self.connection.url(path)
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers = headers | {"Content-Type": "application/json"}
        try:
            async with self.http().request(
                method, url, params=params, data=data, headers=headers
            ) as resp:
                raw = await resp.read()
                return resp.status, raw, {k.lower(): v for k, v in resp.headers.items()}
        except aiohttp.ClientError as exc:
            raise _Retry(unreachable(self.connection.api_base, type(exc).__name__)) from None

    @staticmethod
    def _decode(status: int, raw: bytes, headers: dict[str, str], what: str) -> Any:
        if status in RETRYABLE:
            raise _Retry(kibo_error(status, raw, headers, what), headers.get("retry-after"))
        if not 200 <= status < 300:
            raise kibo_error(status, raw, headers, what)
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise kibo_error(502, b"", headers, what) from None
