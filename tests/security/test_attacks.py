"""The attack suite: every defence of docs/security.md against a REAL agent process.

Each attack takes a request that the agent would accept (a write that changes state, or a read
that returns customer data), breaks exactly one thing about it, and sends the exact bytes over
a raw socket. It must be refused with our JSON error, leak nothing (no token, no traceback, no
customer data, no CORS header) and leave no side effect: sessions, preferences, every tab's
drafts and the row counts of state.db and demo.db are what they were before the first attack.
The unmodified requests are proved to work in ``test_the_unbroken_requests_are_accepted``.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from agent.extension_id import EXTENSION_ID
from tests.security.live import (
    Header,
    LiveAgent,
    RawResponse,
    copy_store,
    send_raw,
    snapshot,
)

OUR_ORIGIN = f"chrome-extension://{EXTENSION_ID}"
PARSER = "aiohttp's HTTP parser"  # refused before any middleware; body is not our JSON
MAX_BODY = 256 * 1024
HYGIENE = {
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
}
COUNTS: dict[str, int] = {"requests": 0, "refused": 0}


# --- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Req:
    name: str
    method: str
    path: str
    headers: tuple[Header, ...]
    body: bytes | None = None
    chunked: bool = False
    declared_length: int | None = None
    write: bool = True

    def with_header(self, name: str, value: str | bytes | None) -> Req:
        kept = tuple(h for h in self.headers if h[0].lower() != name.lower())
        return replace(self, headers=kept if value is None else (*kept, (name, value)))

    def add_header(self, name: str, value: str | bytes) -> Req:
        return replace(self, headers=(*self.headers, (name, value)))


@dataclass
class Context:
    agent: LiveAgent
    session_id: str
    tab_id: str
    customer_id: str
    secret_name: str  # a customer name that must never appear in a refused answer
    baseline: dict[str, Any] = field(default_factory=dict)

    @property
    def token(self) -> str:
        return self.agent.token

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.agent.port}"


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def targets(ctx: Context) -> list[Req]:
    """Requests the agent accepts as they are: five writes and two reads of customer data."""
    base: tuple[Header, ...] = (("Host", ctx.host), ("Authorization", f"Bearer {ctx.token}"))
    write = (*base, ("Content-Type", "application/json"), ("X-Callcenter-Api", "1"))
    sid, tid = ctx.session_id, ctx.tab_id
    return [
        Req(
            "open session",
            "POST",
            "/api/v1/sessions",
            write,
            _json({"kind": "customer", "id": ctx.customer_id}),
        ),
        Req(
            "preferences",
            "PUT",
            "/api/v1/preferences/customers",
            write,
            _json({"columns": ["id"], "sort": None, "order": None}),
        ),
        Req(
            "draft",
            "PUT",
            f"/api/v1/sessions/{sid}/tabs/{tid}/drafts/attack",
            write,
            _json({"data": {"note": "written by an attacker"}}),
        ),
        Req(
            "landing",
            "PUT",
            "/api/v1/landing/search-state",
            write,
            _json({"kind": "orders", "q": "attacker"}),
        ),
        Req(
            "close session",
            "DELETE",
            f"/api/v1/sessions/{sid}",
            tuple(h for h in write if h[0] != "Content-Type"),
        ),
        Req("read sessions", "GET", "/api/v1/sessions", base, write=False),
        Req("read customer", "GET", f"/api/v1/customers/{ctx.customer_id}", base, write=False),
    ]


# --- attacks -----------------------------------------------------------------------------------

Mutation = Callable[[Req, Context], Req]
Applies = Callable[[Req], bool]


def _any(req: Req) -> bool:
    return True


def _writes(req: Req) -> bool:
    return req.write


def _with_body(req: Req) -> bool:
    return req.body is not None


@dataclass(frozen=True)
class Attack:
    name: str
    mutate: Mutation
    status: int
    code: str
    applies: Applies = _any


def host(value: str) -> Mutation:
    return lambda req, ctx: req.with_header("Host", value.format(port=ctx.agent.port))


def header(name: str, value: str | bytes | None) -> Mutation:
    def mutate(req: Req, ctx: Context) -> Req:
        filled = (
            value.format(token=ctx.token, port=ctx.agent.port) if isinstance(value, str) else value
        )
        return req.with_header(name, filled)

    return mutate


def headers(*pairs: tuple[str, str | None]) -> Mutation:
    def mutate(req: Req, ctx: Context) -> Req:
        for name, value in pairs:
            req = header(name, value)(req, ctx)
        return req

    return mutate


def path(transform: Callable[[str], str]) -> Mutation:
    return lambda req, ctx: replace(req, path=transform(req.path))


def query(text: str) -> Mutation:
    return lambda req, ctx: replace(req, path=req.path + text.format(token=ctx.token))


def no_token_query(text: str) -> Mutation:
    return lambda req, ctx: query(text)(req.with_header("Authorization", None), ctx)


def body_as(content_type: str | None, body: bytes | None = None) -> Mutation:
    return lambda req, ctx: replace(
        req.with_header("Content-Type", content_type), body=body if body is not None else req.body
    )


def pad(size: int) -> bytes:
    return b'{"data": {"pad": "' + b"x" * size + b'"}}'


HOSTS = [
    ("foreign name", "attacker.example:{port}"),
    ("foreign name without port", "attacker.example"),
    ("rebinding name 127.0.0.1.nip.io", "127.0.0.1.nip.io:{port}"),
    ("rebinding name localhost.attacker.example", "localhost.attacker.example:{port}"),
    ("rebinding name 7f000001.rbndr.us", "7f000001.rbndr.us:{port}"),
    ("empty", ""),
    ("0.0.0.0", "0.0.0.0:{port}"),
    ("127.0.0.2", "127.0.0.2:{port}"),
    ("127.1", "127.1:{port}"),
    ("decimal 2130706433", "2130706433:{port}"),
    ("hex 0x7f000001", "0x7f000001:{port}"),
    ("[::1] without port", "[::1]"),
    ("::1 without brackets", "::1:{port}"),
    ("[0:0:0:0:0:0:0:1]", "[0:0:0:0:0:0:0:1]:{port}"),
    ("[::ffff:127.0.0.1]", "[::ffff:127.0.0.1]:{port}"),
    ("[::1%25lo] zone id", "[::1%25lo]:{port}"),
    ("userinfo evil@localhost", "evil@localhost:{port}"),
    ("userinfo 127.0.0.1@evil", "127.0.0.1:{port}@attacker.example"),
    ("trailing dot localhost.", "localhost.:{port}"),
    ("trailing dot 127.0.0.1.", "127.0.0.1.:{port}"),
    ("no port", "127.0.0.1"),
    ("another port", "127.0.0.1:1"),
    ("port with leading zero", "127.0.0.1:0{port}"),
    ("two ports", "127.0.0.1:{port}:{port}"),
    ("empty port", "127.0.0.1:"),
    ("path in authority", "127.0.0.1:{port}/api"),
    ("query in authority", "127.0.0.1:{port}?x"),
    ("space inside", "127.0.0.1 :{port}"),
]

ORIGINS = [
    ("web page on another port", "http://127.0.0.1:8080", "same-site"),
    ("web page on localhost", "http://localhost:3000", "same-site"),
    ("the agent's own origin", "http://127.0.0.1:{port}", "same-origin"),
    ("https site", "https://attacker.example", "cross-site"),
    ("null (sandboxed iframe, file:)", "null", "cross-site"),
    ("empty", "", "cross-site"),
    ("another extension", "chrome-extension://" + "a" * 32, "none"),
    ("our id uppercased", OUR_ORIGIN.upper(), "none"),
    ("our id, scheme uppercased", "CHROME-EXTENSION://" + EXTENSION_ID, "none"),
    ("ours with trailing slash", OUR_ORIGIN + "/", "none"),
    ("ours with a port", OUR_ORIGIN + ":443", "none"),
    ("ours as a prefix", OUR_ORIGIN + ".attacker.example", "none"),
    ("ours as moz-extension", "moz-extension://" + EXTENSION_ID, "none"),
    ("ours over http", "http://" + EXTENSION_ID, "cross-site"),
]

ATTACKS: list[Attack] = [
    Attack("Host missing", header("Host", None), 400, PARSER),
    Attack(
        "Host twice, ours first",
        lambda req, ctx: req.add_header("Host", "attacker.example"),
        400,
        PARSER,
    ),
    *[Attack(f"Host {name}", host(value), 421, "bad_host") for name, value in HOSTS],
    Attack(
        "Host non-ASCII lookalike", header("Host", "lоcalhost:{port}".encode()), 421, "bad_host"
    ),
    *[
        Attack(
            f"Origin {name}",
            headers(("Origin", origin), ("Sec-Fetch-Site", site)),
            403,
            "origin_not_allowed",
        )
        for name, origin, site in ORIGINS
    ],
    Attack(
        "Origin twice, ours and a web page",
        lambda req, ctx: req.with_header("Origin", OUR_ORIGIN).add_header(
            "Origin", "http://127.0.0.1:8080"
        ),
        403,
        "origin_not_allowed",
    ),
    Attack(
        "Origin web page claiming Sec-Fetch-Site none",
        headers(("Origin", "http://127.0.0.1:8080"), ("Sec-Fetch-Site", "none")),
        403,
        "origin_not_allowed",
    ),
    *[
        Attack(
            f"Sec-Fetch-Site {site} without Origin",
            header("Sec-Fetch-Site", site),
            403,
            "cross_site_request",
        )
        for site in ("cross-site", "same-site", "same-origin", "None", "")
    ],
    Attack(
        "Sec-Fetch-Site twice, none and cross-site",
        lambda req, ctx: req.with_header("Sec-Fetch-Site", "none").add_header(
            "Sec-Fetch-Site", "cross-site"
        ),
        403,
        "cross_site_request",
    ),
    Attack(
        "no-cors fetch / <img> shape",
        headers(
            ("Sec-Fetch-Site", "same-site"),
            ("Sec-Fetch-Mode", "no-cors"),
            ("Sec-Fetch-Dest", "image"),
        ),
        403,
        "cross_site_request",
    ),
    # tokens
    Attack("token missing", header("Authorization", None), 401, "unauthorized"),
    Attack("token wrong", header("Authorization", "Bearer " + "A" * 43), 401, "unauthorized"),
    Attack(
        "token as Basic user:pass",
        lambda req, ctx: req.with_header(
            "Authorization", "Basic " + base64.b64encode(f"csr:{ctx.token}".encode()).decode()
        ),
        401,
        "unauthorized",
    ),
    Attack("token as Basic", header("Authorization", "Basic {token}"), 401, "unauthorized"),
    Attack(
        "scheme lowercase bearer", header("Authorization", "bearer {token}"), 401, "unauthorized"
    ),
    Attack("scheme Token", header("Authorization", "Token {token}"), 401, "unauthorized"),
    Attack("token without scheme", header("Authorization", "{token}"), 401, "unauthorized"),
    Attack(
        "token one character short",
        lambda req, ctx: req.with_header("Authorization", f"Bearer {ctx.token[:-1]}"),
        401,
        "unauthorized",
    ),
    Attack(
        "token with one more character",
        header("Authorization", "Bearer {token}0"),
        401,
        "unauthorized",
    ),
    Attack(
        "token with a non-ASCII byte",
        lambda req, ctx: req.with_header(
            "Authorization", b"Bearer " + ctx.token.encode()[:-1] + "é".encode()
        ),
        401,
        "unauthorized",
    ),
    Attack(
        "two Authorization headers",
        lambda req, ctx: req.add_header("Authorization", "Bearer wrong"),
        401,
        "unauthorized",
    ),
    Attack(
        "token in ?token= instead of the header",
        no_token_query("?token={token}"),
        401,
        "unauthorized",
    ),
    Attack("token in ?access_token=", no_token_query("?access_token={token}"), 401, "unauthorized"),
    Attack("token in ?api_key=", no_token_query("?api_key={token}"), 401, "unauthorized"),
    Attack("token in ?Token= (case)", no_token_query("?Token={token}"), 401, "unauthorized"),
    Attack(
        "token in ?%74oken= (escaped name)", no_token_query("?%74oken={token}"), 401, "unauthorized"
    ),
    Attack(
        "token in the query next to a valid header", query("?token={token}"), 401, "unauthorized"
    ),
    Attack(
        "token in a cookie",
        lambda req, ctx: req.with_header("Authorization", None).with_header(
            "Cookie", f"token={ctx.token}"
        ),
        401,
        "unauthorized",
    ),
    Attack(
        "token in X-Api-Key",
        lambda req, ctx: req.with_header("Authorization", None).with_header("X-Api-Key", ctx.token),
        401,
        "unauthorized",
    ),
    Attack(
        "token as WebSocket subprotocol on plain HTTP",
        lambda req, ctx: req.with_header("Authorization", None).with_header(
            "Sec-WebSocket-Protocol", f"bearer.{ctx.token}"
        ),
        401,
        "unauthorized",
    ),
    # simple requests a page can send without a preflight
    Attack(
        "simple POST text/plain", body_as("text/plain"), 415, "unsupported_media_type", _with_body
    ),
    Attack(
        "simple POST form-urlencoded",
        body_as("application/x-www-form-urlencoded", b"kind=customer&id=1"),
        415,
        "unsupported_media_type",
        _with_body,
    ),
    Attack(
        "simple POST multipart",
        body_as(
            "multipart/form-data; boundary=b",
            b'--b\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncustomer\r\n--b--\r\n',
        ),
        415,
        "unsupported_media_type",
        _with_body,
    ),
    Attack("body without Content-Type", body_as(None), 415, "unsupported_media_type", _with_body),
    Attack(
        "JSON with charset latin-1",
        body_as("application/json; charset=latin-1"),
        415,
        "unsupported_media_type",
        _with_body,
    ),
    Attack(
        "text/plain naming JSON in a parameter",
        body_as("text/plain; a=application/json"),
        415,
        "unsupported_media_type",
        _with_body,
    ),
    Attack(
        "two Content-Types",
        lambda req, ctx: req.add_header("Content-Type", "text/plain"),
        400,
        PARSER,
        _with_body,
    ),
    Attack(
        "web page's simple POST: text/plain, no token, no api header",
        lambda req, ctx: (
            body_as("text/plain")(req, ctx)
            .with_header("Authorization", None)
            .with_header("X-Callcenter-Api", None)
            .with_header("Origin", "http://127.0.0.1:8080")
            .with_header("Sec-Fetch-Site", "same-site")
        ),
        403,
        "origin_not_allowed",
        _with_body,
    ),
    Attack(
        "form navigation from a web page",
        lambda req, ctx: (
            body_as("application/x-www-form-urlencoded", b"q=x")(req, ctx)
            .with_header("Authorization", None)
            .with_header("X-Callcenter-Api", None)
            .with_header("Origin", "https://attacker.example")
            .with_header("Sec-Fetch-Site", "cross-site")
            .with_header("Sec-Fetch-Mode", "navigate")
        ),
        403,
        "origin_not_allowed",
        _with_body,
    ),
    Attack(
        "X-Callcenter-Api missing",
        header("X-Callcenter-Api", None),
        400,
        "missing_api_header",
        _writes,
    ),
    Attack(
        "X-Callcenter-Api: 2", header("X-Callcenter-Api", "2"), 400, "missing_api_header", _writes
    ),
    Attack(
        "X-Callcenter-Api: true",
        header("X-Callcenter-Api", "true"),
        400,
        "missing_api_header",
        _writes,
    ),
    Attack(
        "X-Callcenter-Api twice",
        lambda req, ctx: req.add_header("X-Callcenter-Api", "1"),
        400,
        "missing_api_header",
        _writes,
    ),
    # sizes
    Attack(
        "declared Content-Length above 256 KiB, body never sent",
        lambda req, ctx: replace(req, body=None, declared_length=MAX_BODY + 1),
        413,
        "payload_too_large",
        _with_body,
    ),
    Attack(
        "declared Content-Length of 2 GiB",
        lambda req, ctx: replace(req, body=None, declared_length=2**31),
        413,
        "payload_too_large",
        _with_body,
    ),
    Attack(
        "body of 256 KiB + 1 sent in full",
        lambda req, ctx: replace(req, body=pad(MAX_BODY + 1 - len(pad(0)))),
        413,
        "payload_too_large",
        _with_body,
    ),
    Attack(
        "chunked body of 300 KiB",
        lambda req, ctx: replace(req, body=pad(300 * 1024), chunked=True),
        413,
        "payload_too_large",
        _with_body,
    ),
    Attack(
        "chunked body of 4 MiB",
        lambda req, ctx: replace(req, body=pad(4 * 1024 * 1024), chunked=True),
        413,
        "payload_too_large",
        _with_body,
    ),
    # paths
    Attack("path //api", path(lambda p: "/" + p), 400, "bad_path"),
    Attack("path %61pi", path(lambda p: p.replace("/api/", "/%61pi/", 1)), 400, "bad_path"),
    Attack(
        "path with an escaped segment character",
        path(lambda p: p[:-1] + "%" + format(ord(p[-1]), "02x")),
        400,
        "bad_path",
    ),
    Attack(
        "path /api/v1/x/../",
        path(lambda p: p.replace("/api/v1/", "/api/v1/x/../", 1)),
        400,
        "bad_path",
    ),
    Attack(
        "path /api/v1/./", path(lambda p: p.replace("/api/v1/", "/api/v1/./", 1)), 400, "bad_path"
    ),
    Attack(
        "path %2e%2e",
        path(lambda p: p.replace("/api/v1/", "/api/v1/x/%2e%2e/", 1)),
        400,
        "bad_path",
    ),
    Attack(
        "path with backslashes",
        path(lambda p: p.replace("/", "\\").replace("\\", "/", 1)),
        400,
        "bad_path",
    ),
    Attack(
        "path with one backslash",
        path(lambda p: p.replace("/api/v1/", "/api\\v1/", 1)),
        400,
        "bad_path",
    ),
    Attack(
        "absolute-form target",
        lambda req, ctx: replace(req, path=f"http://{ctx.host}{req.path}"),
        400,
        "bad_path",
    ),
    Attack(
        "absolute-form target to another host",
        lambda req, ctx: replace(req, path=f"http://attacker.example{req.path}"),
        400,
        "bad_path",
    ),
    Attack("path upper case", path(str.upper), 404, "not_found"),
    Attack(
        "path with ;params",
        path(lambda p: p + ";x=1"),
        404,
        "not_found|unknown_kind|customer_not_found",
        lambda req: "/drafts/" not in req.path,
    ),
    Attack("path with a trailing slash", path(lambda p: p + "/"), 404, "not_found"),
    # methods
    Attack(
        "OPTIONS preflight",
        lambda req, ctx: (
            replace(req, method="OPTIONS", body=None)
            .with_header("Access-Control-Request-Method", req.method)
            .with_header("Origin", OUR_ORIGIN)
        ),
        405,
        "method_not_allowed",
    ),
    Attack(
        "TRACE", lambda req, ctx: replace(req, method="TRACE", body=None), 405, "method_not_allowed"
    ),
    Attack(
        "CONNECT-like method",
        lambda req, ctx: replace(req, method="PROPFIND", body=None),
        405,
        "method_not_allowed",
    ),
    Attack(
        "X-HTTP-Method-Override on a GET",
        lambda req, ctx: (
            replace(req, method="GET", body=None)
            .with_header("X-HTTP-Method-Override", req.method)
            .with_header("Content-Type", None)
        ),
        405,
        "method_not_allowed",
        lambda req: req.method in ("POST", "PUT", "DELETE") and "/sessions/" in req.path,
    ),
]


def run_attack(ctx: Context, target: Req, attack: Attack) -> tuple[Req, RawResponse]:
    req = attack.mutate(target, ctx)
    response = send_raw(
        ctx.agent.port,
        req.method,
        req.path,
        req.headers,
        req.body,
        chunked=req.chunked,
        declared_length=req.declared_length,
    )
    COUNTS["requests"] += 1
    return req, response


def assert_refused_cleanly(
    ctx: Context, attack: Attack, target: Req, response: RawResponse
) -> None:
    where = f"{attack.name} on {target.name}"
    assert response.status == attack.status, (where, response.raw[:500])
    assert ctx.token.encode() not in response.raw, where
    assert b"Traceback" not in response.raw and b'File "' not in response.raw, where
    assert ctx.secret_name.encode() not in response.raw, where
    assert not [n for n in response.header_names if n.lower().startswith("access-control-")]
    if attack.code == PARSER:
        return
    for name, value in HYGIENE.items():
        assert response.headers.get(name) == value, (where, name)
    assert response.headers.get("content-type") == "application/json; charset=utf-8", where
    error = response.json()
    assert set(error) == {"error"} and set(error["error"]) == {"code", "message", "details"}
    assert error["error"]["code"] in attack.code.split("|"), (where, error)
    COUNTS["refused"] += 1


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ctx(live_agent: LiveAgent) -> Context:
    return prepare(live_agent)


def prepare(agent: LiveAgent) -> Context:
    """Two open sessions, a draft and a preference: something for an attack to damage."""
    status, found = agent.call("GET", "/search/customers?page_size=3&sort=order_count&order=desc")
    assert status == 200, found
    first, second, third = found["results"]
    status, opened = agent.call("POST", "/sessions", {"kind": "customer", "id": first["id"]})
    assert status == 201, opened
    assert agent.call("POST", "/sessions", {"kind": "customer", "id": second["id"]})[0] == 201
    sid, tid = opened["session_id"], opened["tab_id"]
    assert (
        agent.call(
            "PUT", f"/sessions/{sid}/tabs/{tid}/drafts/refund", {"data": {"amount": "12.00"}}
        )[0]
        == 200
    )
    assert agent.call("PUT", "/preferences/orders", {"columns": ["number"]})[0] == 200
    context = Context(agent, sid, tid, third["id"], third["name"])
    context.baseline = snapshot(agent)
    return context


def cases() -> list[Any]:
    return [pytest.param(attack, id=attack.name) for attack in ATTACKS]


# --- tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("attack", cases())
def test_attack_is_refused_without_side_effect(ctx: Context, attack: Attack) -> None:
    tried = 0
    for target in targets(ctx):
        if not attack.applies(target):
            continue
        _, response = run_attack(ctx, target, attack)
        assert_refused_cleanly(ctx, attack, target, response)
        tried += 1
    assert tried, f"{attack.name} applies to no target"
    assert snapshot(ctx.agent) == ctx.baseline, f"{attack.name} changed the agent's state"


WS_BASE: tuple[Header, ...] = (
    ("Upgrade", "websocket"),
    ("Connection", "Upgrade"),
    ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ("Sec-WebSocket-Version", "13"),
)

WS_ATTACKS = [
    (
        "foreign Origin with a valid subprotocol token",
        {"Origin": "http://127.0.0.1:8080", "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{t}"},
        "",
        403,
        "origin_not_allowed",
    ),
    (
        "foreign Origin with a valid Authorization header",
        {
            "Origin": "https://attacker.example",
            "Authorization": "Bearer {t}",
            "Sec-WebSocket-Protocol": "callcenter.v1",
        },
        "",
        403,
        "origin_not_allowed",
    ),
    (
        "Origin null",
        {"Origin": "null", "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{t}"},
        "",
        403,
        "origin_not_allowed",
    ),
    (
        "another extension",
        {
            "Origin": "chrome-extension://" + "b" * 32,
            "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{t}",
        },
        "",
        403,
        "origin_not_allowed",
    ),
    (
        "no Origin but Sec-Fetch-Site same-site",
        {"Sec-Fetch-Site": "same-site", "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{t}"},
        "",
        403,
        "cross_site_request",
    ),
    (
        "our Origin, no token",
        {"Origin": OUR_ORIGIN, "Sec-WebSocket-Protocol": "callcenter.v1"},
        "",
        401,
        "unauthorized",
    ),
    (
        "our Origin, wrong subprotocol token",
        {"Origin": OUR_ORIGIN, "Sec-WebSocket-Protocol": "callcenter.v1, bearer.wrong"},
        "",
        401,
        "unauthorized",
    ),
    (
        "our Origin, two bearer subprotocols",
        {"Origin": OUR_ORIGIN, "Sec-WebSocket-Protocol": "bearer.{t}, bearer.x"},
        "",
        401,
        "unauthorized",
    ),
    (
        "our Origin, token in the query",
        {"Origin": OUR_ORIGIN, "Sec-WebSocket-Protocol": "callcenter.v1"},
        "?token={t}",
        401,
        "unauthorized",
    ),
    (
        "rebinding Host",
        {
            "Host": "127.0.0.1.nip.io:{p}",
            "Origin": OUR_ORIGIN,
            "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{t}",
        },
        "",
        421,
        "bad_host",
    ),
    (
        "path trick //api",
        {"Origin": OUR_ORIGIN, "Sec-WebSocket-Protocol": "callcenter.v1, bearer.{t}"},
        "//",
        400,
        "bad_path",
    ),
]


@pytest.mark.parametrize(
    ("name", "extra", "suffix", "status", "code"), WS_ATTACKS, ids=[a[0] for a in WS_ATTACKS]
)
def test_websocket_handshake_is_refused(
    ctx: Context, name: str, extra: dict[str, str], suffix: str, status: int, code: str
) -> None:
    def fill(value: str) -> str:
        return value.replace("{t}", ctx.token).replace("{p}", str(ctx.agent.port))

    sent = {"Host": ctx.host, **{k: fill(v) for k, v in extra.items()}}
    target = "/" + "/api/v1/events" if suffix == "//" else "/api/v1/events" + fill(suffix)
    response = send_raw(ctx.agent.port, "GET", target, (*WS_BASE, *sent.items()))
    COUNTS["requests"] += 1
    attack = Attack(f"WebSocket {name}", lambda r, c: r, status, code)
    assert_refused_cleanly(ctx, attack, Req(name, "GET", target, ()), response)
    assert ctx.agent.call("GET", "/info")[1]["live_clients"] == 0
    assert snapshot(ctx.agent) == ctx.baseline


def test_agent_log_shows_refusals_and_never_the_token(ctx: Context) -> None:
    """Runs after the attacks above (file order): the log names them, and leaks nothing."""
    log = ctx.agent.log_text()
    refusals = re.findall(r"refused \S+ \S+: (\w+)", log)
    assert len(refusals) >= COUNTS["refused"] * 0.9, (len(refusals), COUNTS)
    assert {
        "bad_host",
        "origin_not_allowed",
        "cross_site_request",
        "unauthorized",
        "payload_too_large",
        "bad_path",
        "missing_api_header",
        "unsupported_media_type",
    } <= set(refusals)
    assert ctx.token not in log
    assert "Traceback" not in log
    assert snapshot(ctx.agent) == ctx.baseline
    print(
        f"\nattack suite: {COUNTS['requests']} attack requests sent, "
        f"{COUNTS['refused']} refused with our JSON error"
    )


def test_the_unbroken_requests_are_accepted(tmp_path: Path, seeded_store: Path) -> None:
    """The control: every target, as sent by the attacks before breaking it, works."""
    agent = LiveAgent(copy_store(seeded_store, tmp_path / "data")).start()
    try:
        context = prepare(agent)
        for target in targets(context):
            response = send_raw(agent.port, target.method, target.path, target.headers, target.body)
            assert response.status in (200, 201), (target.name, response.raw[:300])
        for origin_headers in (
            (("Origin", OUR_ORIGIN), ("Sec-Fetch-Site", "none")),
            (("Sec-Fetch-Site", "none"),),
        ):
            target = targets(context)[3]
            response = send_raw(
                agent.port,
                target.method,
                target.path,
                (*target.headers, *origin_headers),
                target.body,
            )
            assert response.status == 200, response.raw[:300]
        ws = send_raw(
            agent.port,
            "GET",
            "/api/v1/events",
            (
                *WS_BASE,
                ("Host", context.host),
                ("Origin", OUR_ORIGIN),
                ("Sec-WebSocket-Protocol", f"callcenter.v1, bearer.{agent.token}"),
            ),
        )
        assert ws.status == 101
        assert ws.headers["sec-websocket-protocol"] == "callcenter.v1"
        after = snapshot(agent)
        assert after["sessions"]["version"] > context.baseline["sessions"]["version"]
        assert after["preferences"] != context.baseline["preferences"]
    finally:
        agent.stop()
