"""``callcenter-agent token --rotate`` takes effect on a running agent at once.

A real agent process with a live WebSocket opened with the old token: after the CLI rotated
the token, the very next request with the old token is refused, the new one is accepted, the
socket is closed with code 4001 ("token rotated", which sends the panel back to its checks and
so to pairing) and a new socket with the old token is refused.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from tests.security.live import LiveAgent, copy_store


async def test_rotation_refuses_the_old_token_and_closes_its_sockets(
    tmp_path: Path, seeded_store: Path
) -> None:
    agent = LiveAgent(copy_store(seeded_store, tmp_path / "data")).start()
    try:
        old = agent.token
        url = f"ws://127.0.0.1:{agent.port}/api/v1/events"
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(url, protocols=("callcenter.v1", f"bearer.{old}"))
            hello = await asyncio.wait_for(ws.receive_json(), timeout=10)
            assert hello["type"] == "hello"
            new = await asyncio.to_thread(agent.rotate_token)
            assert new != old
            agent._token = old
            assert agent.call("GET", "/info")[0] == 401
            agent._token = new
            assert agent.call("GET", "/info")[0] == 200
            closed = await asyncio.wait_for(ws.receive(), timeout=10)
            assert closed.type == aiohttp.WSMsgType.CLOSE, closed
            assert (closed.data, closed.extra) == (4001, "token rotated")
            try:
                again = await http.ws_connect(url, protocols=("callcenter.v1", f"bearer.{old}"))
            except aiohttp.WSServerHandshakeError as exc:
                assert exc.status == 401
            else:
                await again.close()
                raise AssertionError("a WebSocket opened with the old token")
    finally:
        agent.stop()
    assert "the token was rotated" in agent.log_text()
