"""One desk for the team tests: the whole agent app on a real loopback port, with a client
that sends the token and write headers and a live-updates socket to watch."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

import aiohttp
from aiohttp import web

from agent.app import create_app
from agent.config import load_config
from agent.team.config import TeamSettings
from tests.support.agent_process import free_port
from tests.support.api import TOKEN, WRITE_HEADERS


class DeskApp:
    def __init__(self, name: str, data_dir: Path, settings: TeamSettings | None) -> None:
        self.name = name
        self.data_dir = data_dir
        self.settings = settings
        self.port = free_port()
        self.runner: web.AppRunner | None = None
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.events: list[dict[str, Any]] = []
        self._reader: asyncio.Task[None] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    async def start(self) -> Self:
        config = load_config(self.data_dir, port=self.port, csr_name=self.name)
        config = config.with_overrides(team=self.settings)
        app = create_app(config, token=TOKEN)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        self.http = aiohttp.ClientSession(headers={"Authorization": f"Bearer {TOKEN}"})
        self.ws = await self.http.ws_connect(f"{self.base}/events", protocols=("callcenter.v1",))
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                self.events.append(json.loads(message.data))

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self.ws is not None:
            await self.ws.close()
        if self.http is not None:
            await self.http.close()
        if self.runner is not None:
            await self.runner.cleanup()
        self.runner = self.http = self.ws = None

    async def restart(self) -> Self:
        await self.stop()
        self.events = []
        return await self.start()

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        assert self.http is not None
        headers = dict(WRITE_HEADERS) if method != "GET" else {}
        data = None if method == "GET" else json.dumps(body if body is not None else {})
        async with self.http.request(method, self.base + path, data=data, headers=headers) as resp:
            return resp.status, await resp.json()

    async def team(self) -> dict[str, Any]:
        status, body = await self.call("GET", "/team")
        assert status == 200, body
        return body  # type: ignore[no-any-return]

    async def open_customer(self, customer_id: str) -> dict[str, Any]:
        status, body = await self.call("POST", "/sessions", {"kind": "customer", "id": customer_id})
        assert status in (200, 201), body
        return body  # type: ignore[no-any-return]

    async def wait_team(
        self, check: Callable[[dict[str, Any]], bool], timeout: float = 15
    ) -> dict[str, Any]:
        """Polls GET /team until ``check`` holds; the last status in the failure."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        status = await self.team()
        while not check(status):
            if loop.time() > deadline:
                raise AssertionError(f"{self.name}: team status never matched: {status}")
            await asyncio.sleep(0.05)
            status = await self.team()
        return status
