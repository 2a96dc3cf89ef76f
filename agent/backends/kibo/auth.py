"""OAuth 2.0 client credentials for the app (docs/kibo-reference.md §6.2).

One token for the whole agent, fetched on first use, refreshed a little before it expires
(5 minutes, or half its life when it is short) and dropped when Kibo answers 401. Concurrent
callers share one fetch. The token and the secret are never logged.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp

from agent.backends.kibo.connection import Connection
from agent.backends.kibo.errors import kibo_error, timed_out, unreachable
from agent.backends.kibo.secret import Secret
from agent.errors import ApiError, BackendUnavailable

REFRESH_MARGIN_S = 300.0
AUTH_DEADLINE_S = 10.0


@dataclass(frozen=True)
class Token:
    value: str
    expires_at: float  # on the monotonic clock

    def __repr__(self) -> str:
        return f"Token(***, expires_at={self.expires_at:.0f})"


class TokenSource:
    def __init__(
        self,
        connection: Connection,
        secret: Secret,
        session: Callable[[], aiohttp.ClientSession],
        *,
        clock: Callable[[], float] = time.monotonic,
        deadline_s: float = AUTH_DEADLINE_S,
    ) -> None:
        self._connection = connection
        self._secret = secret
        self._session = session
        self._clock = clock
        self._deadline_s = deadline_s
        self._token: Token | None = None
        self._lock = asyncio.Lock()

    def _fresh(self, token: Token | None) -> bool:
        return token is not None and self._clock() < token.expires_at

    async def bearer(self) -> str:
        token = self._token
        if token is not None and self._fresh(token):
            return token.value
        async with self._lock:
            if self._token is None or not self._fresh(self._token):
                self._token = await self._fetch()
            return self._token.value

    def invalidate(self, value: str) -> None:
        """Forget ``value`` after a 401, unless another caller already replaced it."""
        if self._token is not None and self._token.value == value:
            self._token = None

    async def _fetch(self) -> Token:
        body = {
            "client_id": self._connection.client_id,
            "client_secret": self._secret.reveal(),
            "grant_type": "client_credentials",
        }
        url = self._connection.oauth_url
        try:
            async with asyncio.timeout(self._deadline_s):
                async with self._session().post(
                    url, json=body, headers={"Accept": "application/json"}
                ) as resp:
                    raw = await resp.read()
                    if resp.status != 200:
                        raise kibo_error(resp.status, raw, dict(resp.headers), "token")
                    data = await resp.json(content_type=None)
        except TimeoutError:
            raise timed_out("token", self._deadline_s) from None
        except aiohttp.ClientError as exc:
            raise unreachable(self._connection.auth_base, type(exc).__name__) from None
        except ApiError:
            raise
        except ValueError:
            raise BackendUnavailable(
                "Kibo's token answer is not JSON", code="kibo_auth_failed"
            ) from None
        value = data.get("access_token") if isinstance(data, dict) else None
        lifetime = data.get("expires_in") if isinstance(data, dict) else None
        if not isinstance(value, str) or not value or not isinstance(lifetime, int):
            raise BackendUnavailable(
                "Kibo's token answer has no access_token/expires_in", code="kibo_auth_failed"
            )
        margin = min(REFRESH_MARGIN_S, lifetime / 2)
        return Token(value=value, expires_at=self._clock() + lifetime - margin)
