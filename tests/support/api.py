"""Thin helpers over aiohttp's test client that add the token and the write headers."""

from __future__ import annotations

import json
from typing import Any

TOKEN = "test-token-" + "x" * 40
WRITE_HEADERS = {"Content-Type": "application/json", "X-Callcenter-Api": "1"}


class Api:
    """Thin helpers over aiohttp's test client that add the token and write headers."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.app = client.server.app

    def headers(self, extra: dict[str, str] | None = None, write: bool = False) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        if write:
            headers |= WRITE_HEADERS
        return headers | (extra or {})

    async def get(self, path: str, **params: Any) -> tuple[int, Any]:
        resp = await self.client.get(f"/api/v1{path}", params=params, headers=self.headers())
        return resp.status, await resp.json()

    async def read(self, path: str, **params: Any) -> Any:
        """The body of a GET that must succeed; a failure names the status and the error."""
        status, body = await self.get(path, **params)
        assert status == 200, f"GET {path} {params} answered {status}: {body}"
        return body

    async def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body))
        resp = await self.client.request(
            method, f"/api/v1{path}", data=data, headers=self.headers(headers, write=True)
        )
        return resp.status, await resp.json()
