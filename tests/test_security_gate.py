"""The request gate, table-driven: raw HTTP requests (exact bytes) against a small app behind it."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer

from agent.errors import ApiError
from agent.extension_id import EXTENSION_ID
from agent.security import (
    AUTH_VIA_SUBPROTOCOL,
    GateSettings,
    RedactingAccessLogger,
    gate_middleware,
    protected_routes_report,
    response_hygiene_signal,
)

TOKEN = "Tq9-ZxQ3vL_pairing_token_8fK2mWbN4rYc0sHd"
OUR_ORIGIN = f"chrome-extension://{EXTENSION_ID}"
OTHER_EXTENSION = "chrome-extension://" + "a" * 32
MAX_BODY = 1024
HYGIENE = {
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
}
WS_HANDSHAKE = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
}
WRITES = web.AppKey("writes", list)


# --- the app behind the gate -------------------------------------------------------------------


async def read_thing(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def write_thing(request: web.Request) -> web.Response:
    body = await request.json() if request.body_exists else None
    request.app[WRITES].append((request.method, body))
    return web.json_response({"ok": True})


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def crash(request: web.Request) -> web.Response:
    raise RuntimeError(f"handler bug holding {request.headers.get('Authorization')}")


async def events(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(protocols=("callcenter.v1",))
    await ws.prepare(request)
    await ws.send_json({"auth_via_subprotocol": request[AUTH_VIA_SUBPROTOCOL]})
    await ws.close()
    return ws


class SettingsHolder:
    """What the real app does to rotate the token: the gate asks for settings per request."""

    def __init__(self, settings: GateSettings) -> None:
        self.current = settings

    def __call__(self) -> GateSettings:
        return self.current


def make_app(settings: GateSettings | Callable[[], GateSettings]) -> web.Application:
    # No client_max_size here: the gate itself must cap chunked bodies at max_body_bytes.
    app = web.Application(middlewares=[gate_middleware(settings)])
    app[WRITES] = []
    app.on_response_prepare.append(response_hygiene_signal)
    app.router.add_get("/api/v1/x", read_thing)
    app.router.add_post("/api/v1/x", write_thing)
    app.router.add_delete("/api/v1/x", write_thing)
    app.router.add_get("/api/v1/boom", crash)
    app.router.add_get("/api/v1/health", health)
    app.router.add_get("/api/v1/events", events)
    return app


@dataclass
class Gate:
    client: TestClient[Any, Any]
    holder: SettingsHolder

    @property
    def port(self) -> int:
        assert self.client.port is not None
        return self.client.port

    @property
    def writes(self) -> list[Any]:
        return self.client.app[WRITES]


@pytest.fixture
async def gate(aiohttp_client: Any) -> Gate:
    holder = SettingsHolder(
        GateSettings(
            token=TOKEN, allowed_origins=frozenset({OUR_ORIGIN}), port=None, max_body_bytes=MAX_BODY
        )
    )
    server = TestServer(make_app(holder))
    await server.start_server(access_log_class=RedactingAccessLogger)
    client = await aiohttp_client(server)
    holder.current = replace(holder.current, port=client.port)
    return Gate(client, holder)


# --- raw HTTP, so paths, Host and header bytes arrive exactly as written -----------------------


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    header_names: list[str]
    raw: bytes
    body: bytes


HeaderValue = str | bytes | None | tuple[str, ...]


async def send_raw(
    port: int, method: str, target: str, headers: Mapping[str, HeaderValue], body: bytes | None
) -> RawResponse:
    lines = [f"{method} {target} HTTP/1.1".encode()]
    for name, value in headers.items():
        values = value if isinstance(value, tuple) else (value,)
        for one in values:
            if one is not None:
                encoded = one if isinstance(one, bytes) else one.encode()
                lines.append(name.encode() + b": " + encoded)
    chunked = headers.get("Transfer-Encoding") == "chunked"
    if body is not None and not chunked and "Content-Length" not in headers:
        lines.append(f"Content-Length: {len(body)}".encode())
    payload = body or b""
    if chunked:
        pieces = [payload[i : i + 500] for i in range(0, len(payload), 500)]
        payload = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + payload)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        status_line, *header_lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
        pairs = [line.split(":", 1) for line in header_lines]
        response_headers = {name.strip().lower(): value.strip() for name, value in pairs}
        length = int(response_headers.get("content-length", "0"))
        status = int(status_line.split()[1])
        response_body = b"" if status == 101 else await reader.readexactly(length)
    finally:
        writer.close()
    return RawResponse(
        status,
        response_headers,
        [name.strip() for name, _ in pairs],
        head + response_body,
        response_body,
    )


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    description: str
    method: str
    path: str
    headers: Mapping[str, HeaderValue]
    body: bytes | None
    status: int
    code: str | None


JSON_WRITE = {"Content-Type": "application/json", "X-Callcenter-Api": "1"}
EXT_POST = {**JSON_WRITE, "Origin": OUR_ORIGIN, "Sec-Fetch-Site": "none"}
BODY = b'{"kind": "customer", "id": "C-1"}'
WEB_PAGE = "http://127.0.0.1:8080"
PARSER = "refused by aiohttp's HTTP parser, before any middleware"


def row(
    description: str,
    method: str,
    path: str,
    headers: Mapping[str, HeaderValue],
    body: bytes | None,
    status: int,
    code: str | None = None,
) -> Any:
    return pytest.param(Row(description, method, path, headers, body, status, code), id=description)


def host(value: HeaderValue) -> dict[str, HeaderValue]:
    return {"Host": value}


def bearer(value: HeaderValue) -> dict[str, HeaderValue]:
    return {"Authorization": value}


ROWS = [
    # accepted
    row("cli GET, no browser headers", "GET", "/api/v1/x", {}, None, 200),
    row(
        "extension GET: no Origin, Sec-Fetch-Site none",
        "GET",
        "/api/v1/x",
        {"Sec-Fetch-Site": "none"},
        None,
        200,
    ),
    row("extension POST: our Origin, JSON, api header", "POST", "/api/v1/x", EXT_POST, BODY, 200),
    row(
        "extension without host permission: our Origin, cross-site",
        "GET",
        "/api/v1/x",
        {"Origin": OUR_ORIGIN, "Sec-Fetch-Site": "cross-site"},
        None,
        200,
    ),
    row(
        "POST with charset=utf-8",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "Content-Type": "application/json; charset=utf-8"},
        BODY,
        200,
    ),
    row(
        "DELETE without body needs no Content-Type",
        "DELETE",
        "/api/v1/x",
        {"X-Callcenter-Api": "1"},
        None,
        200,
    ),
    row(
        "body of exactly max_body_bytes",
        "POST",
        "/api/v1/x",
        JSON_WRITE,
        b'{"pad": "' + b"x" * (MAX_BODY - 11) + b'"}',
        200,
    ),
    row("health without token", "GET", "/api/v1/health", bearer(None), None, 200),
    row("Host localhost", "GET", "/api/v1/x", host("localhost:{port}"), None, 200),
    row("Host [::1]", "GET", "/api/v1/x", host("[::1]:{port}"), None, 200),
    row(
        "Host LOCALHOST (case-insensitive)", "GET", "/api/v1/x", host("LOCALHOST:{port}"), None, 200
    ),
    # 1. path hygiene
    row("path //api/v1/x", "GET", "//api/v1/x", {}, None, 400, "bad_path"),
    row("path //api/v1/health", "GET", "//api/v1/health", bearer(None), None, 400, "bad_path"),
    row("path /%61pi/v1/x", "GET", "/%61pi/v1/x", {}, None, 400, "bad_path"),
    row("path /api/v1/%78", "GET", "/api/v1/%78", {}, None, 400, "bad_path"),
    row("path /api/v1/../v1/x", "GET", "/api/v1/../v1/x", {}, None, 400, "bad_path"),
    row("path /api/v1/./x", "GET", "/api/v1/./x", {}, None, 400, "bad_path"),
    row("path with backslashes", "GET", "/api\\v1\\x", {}, None, 400, "bad_path"),
    row(
        "path with encoded dot segment",
        "POST",
        "/api/v1/%2e%2e/v1/x",
        EXT_POST,
        BODY,
        400,
        "bad_path",
    ),
    row(
        "absolute-form request target",
        "GET",
        "http://127.0.0.1:{port}/api/v1/x",
        {},
        None,
        400,
        "bad_path",
    ),
    # 2. Host
    row(
        "Host missing (aiohttp's parser refuses it)",
        "GET",
        "/api/v1/x",
        host(None),
        None,
        400,
        PARSER,
    ),
    row("Host empty", "GET", "/api/v1/x", host(""), None, 421, "bad_host"),
    row(
        "Host with userinfo",
        "GET",
        "/api/v1/x",
        host("evil@localhost:{port}"),
        None,
        421,
        "bad_host",
    ),
    row("Host 0.0.0.0", "GET", "/api/v1/x", host("0.0.0.0:{port}"), None, 421, "bad_host"),
    row("Host 127.0.0.2", "GET", "/api/v1/x", host("127.0.0.2:{port}"), None, 421, "bad_host"),
    row("Host 127.1", "GET", "/api/v1/x", host("127.1:{port}"), None, 421, "bad_host"),
    row(
        "Host 127.0.0.1.nip.io",
        "GET",
        "/api/v1/x",
        host("127.0.0.1.nip.io:{port}"),
        None,
        421,
        "bad_host",
    ),
    row(
        "Host localhost.evil.com",
        "GET",
        "/api/v1/x",
        host("localhost.evil.com:{port}"),
        None,
        421,
        "bad_host",
    ),
    row(
        "Host with trailing dot",
        "GET",
        "/api/v1/x",
        host("localhost.:{port}"),
        None,
        421,
        "bad_host",
    ),
    row("Host without port", "GET", "/api/v1/x", host("127.0.0.1"), None, 421, "bad_host"),
    row("Host with another port", "GET", "/api/v1/x", host("127.0.0.1:1"), None, 421, "bad_host"),
    row(
        "Host port with leading zero",
        "GET",
        "/api/v1/x",
        host("127.0.0.1:0{port}"),
        None,
        421,
        "bad_host",
    ),
    row(
        "Host with two ports",
        "GET",
        "/api/v1/x",
        host("127.0.0.1:{port}:{port}"),
        None,
        421,
        "bad_host",
    ),
    row("Host with empty port", "GET", "/api/v1/x", host("127.0.0.1:"), None, 421, "bad_host"),
    row("Host ::1 without brackets", "GET", "/api/v1/x", host("::1:{port}"), None, 421, "bad_host"),
    row(
        "Host twice, ours first",
        "GET",
        "/api/v1/x",
        host(("127.0.0.1:{port}", "evil.example")),
        None,
        400,
        PARSER,
    ),
    row("Host with a path", "GET", "/api/v1/x", host("127.0.0.1:{port}/x"), None, 421, "bad_host"),
    row(
        "Host rebinding name on health",
        "GET",
        "/api/v1/health",
        host("attacker.example:{port}"),
        None,
        421,
        "bad_host",
    ),
    # 3. Origin
    row(
        "Origin web page on another port",
        "GET",
        "/api/v1/x",
        {"Origin": WEB_PAGE, "Sec-Fetch-Site": "same-site"},
        None,
        403,
        "origin_not_allowed",
    ),
    row(
        "Origin of the agent itself",
        "GET",
        "/api/v1/x",
        {"Origin": "http://127.0.0.1:{port}"},
        None,
        403,
        "origin_not_allowed",
    ),
    row(
        "Origin null",
        "POST",
        "/api/v1/x",
        {**JSON_WRITE, "Origin": "null"},
        BODY,
        403,
        "origin_not_allowed",
    ),
    row(
        "Origin another extension",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "Origin": OTHER_EXTENSION},
        BODY,
        403,
        "origin_not_allowed",
    ),
    row(
        "Origin our id uppercased",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "Origin": OUR_ORIGIN.upper()},
        BODY,
        403,
        "origin_not_allowed",
    ),
    row(
        "Origin ours with trailing slash",
        "GET",
        "/api/v1/x",
        {"Origin": OUR_ORIGIN + "/"},
        None,
        403,
        "origin_not_allowed",
    ),
    row(
        "Origin foreign with Sec-Fetch-Site none",
        "GET",
        "/api/v1/x",
        {"Origin": WEB_PAGE, "Sec-Fetch-Site": "none"},
        None,
        403,
        "origin_not_allowed",
    ),
    row(
        "Origin twice, ours and foreign",
        "GET",
        "/api/v1/x",
        {"Origin": (OUR_ORIGIN, WEB_PAGE)},
        None,
        403,
        "origin_not_allowed",
    ),
    row(
        "web page reading health",
        "GET",
        "/api/v1/health",
        {"Origin": WEB_PAGE, "Sec-Fetch-Site": "same-site", "Authorization": None},
        None,
        403,
        "origin_not_allowed",
    ),
    # 4. fetch metadata
    row(
        "no-cors fetch: no Origin, same-site",
        "GET",
        "/api/v1/x",
        {"Sec-Fetch-Site": "same-site"},
        None,
        403,
        "cross_site_request",
    ),
    row(
        "<img>: no Origin, cross-site",
        "GET",
        "/api/v1/x",
        {"Sec-Fetch-Site": "cross-site"},
        None,
        403,
        "cross_site_request",
    ),
    row(
        "no Origin, same-origin",
        "GET",
        "/api/v1/x",
        {"Sec-Fetch-Site": "same-origin"},
        None,
        403,
        "cross_site_request",
    ),
    row(
        "no Origin, unknown Sec-Fetch-Site",
        "GET",
        "/api/v1/x",
        {"Sec-Fetch-Site": "None"},
        None,
        403,
        "cross_site_request",
    ),
    row(
        "form navigation POST: no Origin, cross-site",
        "POST",
        "/api/v1/x",
        {**JSON_WRITE, "Sec-Fetch-Site": "cross-site"},
        BODY,
        403,
        "cross_site_request",
    ),
    row(
        "no-cors fetch to health",
        "GET",
        "/api/v1/health",
        {"Sec-Fetch-Site": "cross-site", "Authorization": None},
        None,
        403,
        "cross_site_request",
    ),
    # 5. methods
    row(
        "OPTIONS preflight from our extension",
        "OPTIONS",
        "/api/v1/x",
        {
            "Origin": OUR_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-callcenter-api",
            "Authorization": None,
        },
        None,
        405,
        "method_not_allowed",
    ),
    row(
        "OPTIONS preflight from a web page",
        "OPTIONS",
        "/api/v1/x",
        {"Origin": WEB_PAGE, "Access-Control-Request-Method": "POST", "Authorization": None},
        None,
        403,
        "origin_not_allowed",
    ),
    row("TRACE", "TRACE", "/api/v1/x", {}, None, 405, "method_not_allowed"),
    # 6. token
    row("token missing", "GET", "/api/v1/x", bearer(None), None, 401, "unauthorized"),
    row(
        "token wrong", "GET", "/api/v1/x", bearer("Bearer not-the-token"), None, 401, "unauthorized"
    ),
    row("token as Basic", "GET", "/api/v1/x", bearer("Basic {token}"), None, 401, "unauthorized"),
    row(
        "scheme lowercase", "GET", "/api/v1/x", bearer("bearer {token}"), None, 401, "unauthorized"
    ),
    row(
        "scheme uppercase", "GET", "/api/v1/x", bearer("BEARER {token}"), None, 401, "unauthorized"
    ),
    row(
        "two spaces after Bearer",
        "GET",
        "/api/v1/x",
        bearer("Bearer  {token}"),
        None,
        401,
        "unauthorized",
    ),
    row(
        "token with extra characters",
        "GET",
        "/api/v1/x",
        bearer("Bearer {token}x"),
        None,
        401,
        "unauthorized",
    ),
    row(
        "token prefix only",
        "GET",
        "/api/v1/x",
        bearer("Bearer " + TOKEN[:-1]),
        None,
        401,
        "unauthorized",
    ),
    row("token without scheme", "GET", "/api/v1/x", bearer("{token}"), None, 401, "unauthorized"),
    row("Bearer without token", "GET", "/api/v1/x", bearer("Bearer"), None, 401, "unauthorized"),
    row(
        "token with non-ASCII bytes",
        "GET",
        "/api/v1/x",
        bearer(b"Bearer " + TOKEN.encode()[:-2] + "é".encode()),
        None,
        401,
        "unauthorized",
    ),
    row(
        "two Authorization headers",
        "GET",
        "/api/v1/x",
        bearer(("Bearer {token}", "Bearer wrong")),
        None,
        401,
        "unauthorized",
    ),
    row(
        "token in ?token= next to a valid header",
        "GET",
        "/api/v1/x?token={token}",
        {},
        None,
        401,
        "unauthorized",
    ),
    row(
        "token in ?access_token=",
        "GET",
        "/api/v1/x?access_token={token}",
        bearer(None),
        None,
        401,
        "unauthorized",
    ),
    row(
        "token in a percent-encoded ?%74oken=",
        "GET",
        "/api/v1/x?%74oken={token}",
        bearer(None),
        None,
        401,
        "unauthorized",
    ),
    row(
        "token in the query of health",
        "GET",
        "/api/v1/health?token={token}",
        bearer(None),
        None,
        401,
        "unauthorized",
    ),
    row(
        "subprotocol token on a plain GET",
        "GET",
        "/api/v1/x",
        {"Authorization": None, "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{token}"},
        None,
        401,
        "unauthorized",
    ),
    row(
        "subprotocol token in an upgrade to a non-WebSocket path",
        "GET",
        "/api/v1/x",
        {
            **WS_HANDSHAKE,
            "Authorization": None,
            "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{token}",
        },
        None,
        401,
        "unauthorized",
    ),
    row(
        "unknown route without token",
        "GET",
        "/api/v1/nope",
        bearer(None),
        None,
        401,
        "unauthorized",
    ),
    row(
        "health with a trailing slash is not public",
        "GET",
        "/api/v1/health/",
        bearer(None),
        None,
        401,
        "unauthorized",
    ),
    row("unknown route with token", "GET", "/api/v1/nope", {}, None, 404, "not_found"),
    row(
        "unknown method on a route",
        "DELETE",
        "/api/v1/health",
        {"X-Callcenter-Api": "1"},
        None,
        405,
        "method_not_allowed",
    ),
    row("handler crash", "GET", "/api/v1/boom", {}, None, 500, "internal_error"),
    # 7. size
    row(
        "Content-Length above max_body_bytes",
        "POST",
        "/api/v1/x",
        {**JSON_WRITE, "Content-Length": str(MAX_BODY + 1)},
        None,
        413,
        "payload_too_large",
    ),
    row(
        "chunked body above max_body_bytes",
        "POST",
        "/api/v1/x",
        {**JSON_WRITE, "Transfer-Encoding": "chunked"},
        b'{"pad": "' + b"x" * (MAX_BODY * 3) + b'"}',
        413,
        "payload_too_large",
    ),
    # 8. writes
    row(
        "simple POST text/plain",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "Content-Type": "text/plain"},
        BODY,
        415,
        "unsupported_media_type",
    ),
    row(
        "simple POST form-urlencoded",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "Content-Type": "application/x-www-form-urlencoded"},
        b"kind=customer",
        415,
        "unsupported_media_type",
    ),
    row(
        "simple POST multipart",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "Content-Type": "multipart/form-data; boundary=b"},
        b'--b\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncustomer\r\n--b--\r\n',
        415,
        "unsupported_media_type",
    ),
    row(
        "POST body without Content-Type",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "Content-Type": None},
        BODY,
        415,
        "unsupported_media_type",
    ),
    row(
        "POST JSON with latin-1 charset",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "Content-Type": "application/json; charset=latin-1"},
        BODY,
        415,
        "unsupported_media_type",
    ),
    row(
        "POST application/json-seq",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "Content-Type": "application/json-seq"},
        BODY,
        415,
        "unsupported_media_type",
    ),
    row(
        "POST without X-Callcenter-Api",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "X-Callcenter-Api": None},
        BODY,
        400,
        "missing_api_header",
    ),
    row(
        "POST with X-Callcenter-Api: 2",
        "POST",
        "/api/v1/x",
        {**EXT_POST, "X-Callcenter-Api": "2"},
        BODY,
        400,
        "missing_api_header",
    ),
    row(
        "DELETE without X-Callcenter-Api",
        "DELETE",
        "/api/v1/x",
        {},
        None,
        400,
        "missing_api_header",
    ),
    row(
        "web page simple POST with no token",
        "POST",
        "/api/v1/x",
        {
            "Origin": WEB_PAGE,
            "Sec-Fetch-Site": "same-site",
            "Content-Type": "text/plain",
            "Authorization": None,
        },
        BODY,
        403,
        "origin_not_allowed",
    ),
    # WebSocket handshakes
    row(
        "WebSocket: our Origin, token as subprotocol",
        "GET",
        "/api/v1/events",
        {
            **WS_HANDSHAKE,
            "Origin": OUR_ORIGIN,
            "Authorization": None,
            "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{token}",
        },
        None,
        101,
    ),
    row("WebSocket: token in Authorization", "GET", "/api/v1/events", WS_HANDSHAKE, None, 101),
    row(
        "WebSocket: no token",
        "GET",
        "/api/v1/events",
        {
            **WS_HANDSHAKE,
            "Origin": OUR_ORIGIN,
            "Authorization": None,
            "Sec-WebSocket-Protocol": "callcenter.v1",
        },
        None,
        401,
        "unauthorized",
    ),
    row(
        "WebSocket: wrong subprotocol token",
        "GET",
        "/api/v1/events",
        {
            **WS_HANDSHAKE,
            "Origin": OUR_ORIGIN,
            "Authorization": None,
            "Sec-WebSocket-Protocol": "callcenter.v1, bearer.wrong",
        },
        None,
        401,
        "unauthorized",
    ),
    row(
        "WebSocket: two bearer subprotocols",
        "GET",
        "/api/v1/events",
        {
            **WS_HANDSHAKE,
            "Origin": OUR_ORIGIN,
            "Authorization": None,
            "Sec-WebSocket-Protocol": "bearer.{token}, bearer.other",
        },
        None,
        401,
        "unauthorized",
    ),
    row(
        "WebSocket: foreign Origin with valid token",
        "GET",
        "/api/v1/events",
        {
            **WS_HANDSHAKE,
            "Origin": WEB_PAGE,
            "Authorization": None,
            "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{token}",
        },
        None,
        403,
        "origin_not_allowed",
    ),
    row(
        "WebSocket: Origin null",
        "GET",
        "/api/v1/events",
        {**WS_HANDSHAKE, "Origin": "null"},
        None,
        403,
        "origin_not_allowed",
    ),
    row(
        "WebSocket: rebinding Host",
        "GET",
        "/api/v1/events",
        {**WS_HANDSHAKE, "Host": "attacker.example:{port}"},
        None,
        421,
        "bad_host",
    ),
]


def fill(value: HeaderValue, port: int) -> HeaderValue:
    if isinstance(value, str):
        return value.replace("{port}", str(port)).replace("{token}", TOKEN)
    if isinstance(value, tuple):
        return tuple(v.replace("{port}", str(port)).replace("{token}", TOKEN) for v in value)
    return value


async def send_row(gate: Gate, case: Row) -> RawResponse:
    defaults: dict[str, HeaderValue] = {
        "Host": "127.0.0.1:{port}",
        "Authorization": "Bearer {token}",
    }
    merged = {name: fill(value, gate.port) for name, value in {**defaults, **case.headers}.items()}
    target = case.path.replace("{port}", str(gate.port)).replace("{token}", TOKEN)
    return await send_raw(gate.port, case.method, target, merged, case.body)


def assert_clean(response: RawResponse, *, gate_answered: bool = True) -> None:
    assert TOKEN.encode() not in response.raw
    assert b"Traceback" not in response.raw
    assert not [n for n in response.header_names if n.lower().startswith("access-control-")]
    for name, value in HYGIENE.items() if gate_answered else ():
        assert response.headers.get(name) == value, name


@pytest.mark.parametrize("case", ROWS)
async def test_gate(gate: Gate, case: Row) -> None:
    writes_before = len(gate.writes)

    response = await send_row(gate, case)

    assert response.status == case.status, response.body
    assert_clean(response, gate_answered=case.code != PARSER)
    if case.status == 101:
        offered = "callcenter.v1" in str(case.headers.get("Sec-WebSocket-Protocol", ""))
        assert response.headers.get("sec-websocket-protocol") == (
            "callcenter.v1" if offered else None
        )
        return
    if case.code == PARSER:
        assert len(gate.writes) == writes_before
        return
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    if case.code is None:
        moved = 1 if case.method in ("POST", "DELETE") else 0
        assert len(gate.writes) == writes_before + moved
        return
    assert len(gate.writes) == writes_before
    error = json.loads(response.body)
    assert set(error) == {"error"}
    assert set(error["error"]) == {"code", "message", "details"}
    assert error["error"]["code"] == case.code
    assert error["error"]["message"]
    if case.status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


def test_table_is_large_and_unique() -> None:
    descriptions = [param.values[0].description for param in ROWS]
    assert len(descriptions) >= 60
    assert len(set(descriptions)) == len(descriptions)


# --- beyond the table --------------------------------------------------------------------------


async def test_websocket_token_as_subprotocol_answers_app_protocol_only(gate: Gate) -> None:
    ws = await gate.client.ws_connect(
        "/api/v1/events",
        protocols=("callcenter.v1", f"bearer.{TOKEN}"),
        headers={"Origin": OUR_ORIGIN},
    )
    message = await ws.receive_json()
    assert ws.protocol == "callcenter.v1"
    assert message == {"auth_via_subprotocol": True}
    await ws.close()


async def test_websocket_token_in_header_is_not_flagged_as_subprotocol(gate: Gate) -> None:
    ws = await gate.client.ws_connect(
        "/api/v1/events", protocols=("callcenter.v1",), headers={"Authorization": f"Bearer {TOKEN}"}
    )
    message = await ws.receive()
    assert message.type is WSMsgType.TEXT
    assert json.loads(message.data) == {"auth_via_subprotocol": False}
    await ws.close()


async def test_rotated_token_takes_effect_without_rebuilding(gate: Gate) -> None:
    gate.holder.current = replace(gate.holder.current, token="the-new-token-after-rotation")

    old = await gate.client.get("/api/v1/x", headers={"Authorization": f"Bearer {TOKEN}"})
    new = await gate.client.get(
        "/api/v1/x", headers={"Authorization": "Bearer the-new-token-after-rotation"}
    )

    assert (old.status, new.status) == (401, 200)


@pytest.mark.parametrize(
    ("port_in_host", "status"),
    [("1", 200), ("65535", 200), ("65536", 421), ("01", 421), ("x", 421)],
)
async def test_any_port_when_port_is_none(
    aiohttp_client: Any, port_in_host: str, status: int
) -> None:
    settings = GateSettings(token=TOKEN, allowed_origins=frozenset({OUR_ORIGIN}), port=None)
    client = await aiohttp_client(make_app(settings))

    response = await client.get(
        "/api/v1/x",
        headers={"Host": f"localhost:{port_in_host}", "Authorization": f"Bearer {TOKEN}"},
    )

    assert response.status == status


async def test_gate_alone_shapes_errors_and_cleans_responses(aiohttp_client: Any) -> None:
    async def conflict(request: web.Request) -> web.Response:
        raise ApiError("That tab is already open.", code="conflict", status=409)

    async def careless(request: web.Request) -> web.Response:
        return web.json_response({"ok": True}, headers={"Access-Control-Allow-Origin": "*"})

    app = web.Application(
        middlewares=[
            gate_middleware(
                GateSettings(token=TOKEN, allowed_origins=frozenset({OUR_ORIGIN}), port=None)
            )
        ]
    )
    app.router.add_get("/api/v1/tabs", conflict)
    app.router.add_get("/api/v1/careless", careless)
    client = await aiohttp_client(app)
    auth = {"Authorization": f"Bearer {TOKEN}"}

    refused = await client.get("/api/v1/tabs", headers=auth)
    answered = await client.get("/api/v1/careless", headers=auth)

    assert refused.status == 409
    assert await refused.json() == {
        "error": {"code": "conflict", "message": "That tab is already open.", "details": {}}
    }
    assert answered.status == 200
    for response in (refused, answered):
        assert {k.lower(): v for k, v in response.headers.items()}.items() >= HYGIENE.items()
        assert not [n for n in response.headers if n.lower().startswith("access-control-")]


async def test_token_never_reaches_a_log(gate: Gate, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    leaky = [
        case.values[0]
        for case in ROWS
        if case.values[0].description
        in {
            "token in ?token= next to a valid header",
            "token in ?access_token=",
            "token wrong",
            "handler crash",
            "extension POST: our Origin, JSON, api header",
            "WebSocket: our Origin, token as subprotocol",
            "subprotocol token on a plain GET",
            "Origin another extension",
        }
    ]
    for case in leaky:
        await send_row(gate, case)
    # A WebSocket is access-logged only when it closes; every other request right after it.
    logged = len([case for case in leaky if case.status != 101])
    for _ in range(100):
        access = [r for r in caplog.records if r.name == "aiohttp.access"]
        if len(access) == logged:
            break
        await asyncio.sleep(0.02)

    assert len(access) == logged
    assert {r.name for r in caplog.records} >= {"aiohttp.access", "agent.security"}
    assert all(TOKEN not in record.getMessage() for record in caplog.records)
    assert TOKEN not in caplog.text


def test_settings_refuse_an_empty_token() -> None:
    with pytest.raises(ValueError, match="token"):
        GateSettings(token="", allowed_origins=frozenset({OUR_ORIGIN}), port=None)


# --- route report ------------------------------------------------------------------------------


def test_every_route_but_health_is_protected() -> None:
    app = make_app(GateSettings(token=TOKEN, allowed_origins=frozenset(), port=None))
    sub = web.Application()
    sub.router.add_get("/items", read_thing)
    app.add_subapp("/api/v1/sub", sub)

    report = protected_routes_report(app)

    assert ("GET", "/api/v1/health", True) in report
    assert ("POST", "/api/v1/x", False) in report
    assert ("GET", "/api/v1/sub/items", False) in report
    assert [path for _, path, public in report if public] == ["/api/v1/health"] * 2  # GET, HEAD


def test_without_the_gate_every_route_is_public() -> None:
    app = web.Application()
    app.router.add_post("/api/v1/x", write_thing)

    assert protected_routes_report(app) == [("POST", "/api/v1/x", True)]
