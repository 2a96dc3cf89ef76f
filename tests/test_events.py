"""Live updates: every connected panel sees every change, in order."""

from __future__ import annotations

import asyncio

from tests.support.api import TOKEN, Api


async def _receive(ws, type_: str) -> dict:  # type: ignore[no-untyped-def]
    while True:
        message = await asyncio.wait_for(ws.receive_json(), timeout=5)
        if message["type"] == type_:
            return message


async def test_two_panels_see_the_same_session_change(api: Api) -> None:
    protocols = ("callcenter.v1", f"bearer.{TOKEN}")
    ws1 = await api.client.ws_connect("/api/v1/events", protocols=protocols)
    ws2 = await api.client.ws_connect(
        "/api/v1/events", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert ws1.protocol == "callcenter.v1"
    hello1, hello2 = await _receive(ws1, "hello"), await _receive(ws2, "hello")
    assert hello1["data"]["version"] == hello2["data"]["version"] == 0

    _, customers = await api.get("/search/customers", page_size="1")
    await api.send("POST", "/sessions", {"kind": "customer", "id": customers["results"][0]["id"]})
    event1, event2 = await _receive(ws1, "sessions"), await _receive(ws2, "sessions")
    assert event1 == event2
    assert event1["data"]["version"] == 1
    assert event1["data"]["sessions"][0]["title"] == customers["results"][0]["name"]
    assert event1["seq"] > hello1["seq"]
    await ws1.close()
    await ws2.close()


async def test_preferences_change_is_pushed(api: Api) -> None:
    ws = await api.client.ws_connect(
        "/api/v1/events", protocols=("callcenter.v1", f"bearer.{TOKEN}")
    )
    await _receive(ws, "hello")
    await api.send("PUT", "/preferences/returns", {"columns": ["number", "status"]})
    event = await _receive(ws, "preferences")
    assert event["data"]["returns"]["columns"] == ["number", "status"]
    await ws.close()


async def test_handshake_without_token_is_refused(api: Api) -> None:
    resp = await api.client.get(
        "/api/v1/events",
        headers={
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Protocol": "callcenter.v1",
        },
    )
    assert resp.status == 401
    assert TOKEN not in await resp.text()
