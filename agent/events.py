"""Live updates: every connected panel gets every change, in order, with a sequence number."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web
from pydantic import BaseModel

log = logging.getLogger(__name__)
QUEUE_LIMIT = 256
# The close the panel takes as "pair again": its next check finds the token refused.
TOKEN_ROTATED = (4001, b"token rotated")


class EventHub:
    def __init__(self) -> None:
        self._seq = 0
        self._clients: set[asyncio.Queue[str | None]] = set()
        # In-process listeners (e.g. the team link), told each event's type after the panels.
        self.listeners: list[Callable[[str], None]] = []
        self._close: dict[asyncio.Queue[str | None], tuple[int, bytes]] = {}

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def publish(self, type_: str, data: BaseModel | dict[str, Any]) -> None:
        self._seq += 1
        payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
        message = json.dumps({"seq": self._seq, "type": type_, "data": payload})
        for queue in list(self._clients):
            if queue.qsize() >= QUEUE_LIMIT:
                # A client this far behind gets dropped; on reconnect it reloads a snapshot.
                self._drop(queue)
                continue
            queue.put_nowait(message)
        for listener in self.listeners:
            listener(type_)

    def _drop(self, queue: asyncio.Queue[str | None]) -> None:
        self._clients.discard(queue)
        with contextlib.suppress(asyncio.QueueFull):
            queue.put_nowait(None)

    async def serve(self, ws: web.WebSocketResponse, hello: dict[str, Any]) -> None:
        queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=QUEUE_LIMIT + 1)
        self._clients.add(queue)
        try:
            await ws.send_str(json.dumps({"seq": self._seq, "type": "hello", "data": hello}))
            reader = asyncio.create_task(self._drain_incoming(ws))
            try:
                while not ws.closed:
                    getter = asyncio.create_task(queue.get())
                    done, _ = await asyncio.wait(
                        {getter, reader}, return_when=asyncio.FIRST_COMPLETED
                    )
                    if getter not in done:
                        getter.cancel()
                        break
                    message = getter.result()
                    if message is None:
                        break
                    await ws.send_str(message)
            finally:
                reader.cancel()
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._clients.discard(queue)
            code, reason = self._close.pop(queue, (1000, b""))
            if not ws.closed:
                await ws.close(code=code, message=reason)

    def drop_all(self, code: int, message: bytes) -> None:
        """Close every socket with ``code`` (e.g. TOKEN_ROTATED)."""
        for queue in list(self._clients):
            self._close[queue] = (code, message)
            self._drop(queue)

    async def close_all(self) -> None:
        for queue in list(self._clients):
            self._drop(queue)

    @staticmethod
    async def _drain_incoming(ws: web.WebSocketResponse) -> None:
        # Panels only listen; anything they send is ignored, a close ends the stream.
        async for _msg in ws:
            pass
