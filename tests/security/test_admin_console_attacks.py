"""The attack suite for the demo admin console (``serve --admin-port``) against a REAL agent.

The console takes no token (it is a web site for the CSR's browser tab), so what guards it is
its gate (agent/admin_console/app.py): plain path, loopback Host with the console's own port,
GET/HEAD only, no cross-site load other than a top-level navigation, no request body. Each
attack takes a request the console answers with a page (a search, a list, a detail, its
stylesheet), breaks exactly one thing, sends the exact bytes over a raw socket, and must be
refused with the console's HTML error page naming the problem, with every security header,
leaking nothing (no token, no traceback, no customer data, no CORS header) and changing
nothing: the API's sessions, preferences, drafts and the row counts of state.db and demo.db
are what they were before the first attack (``snapshot``, as in ``test_attacks.py``).

Then: the API, the token, the config and files are not reachable through the console's port;
no input (query, path, or data written through the API) comes back as markup; and the
unbroken requests answer 200 with the headers, so the console still works.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.security.live import (
    WRITE_HEADERS,
    Header,
    LiveAgent,
    RawResponse,
    copy_store,
    send_raw,
    snapshot,
)
from tests.security.test_attacks import HOSTS, PARSER, WS_BASE, Req, prepare
from tests.support.agent_process import free_port

# Written out, not imported from the app: a weakened header must fail here.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "cross-origin-resource-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
HTML_TYPE = "text/html; charset=utf-8"

BAD_PATH = "The request path must be a plain path"
BAD_HOST = "The Host header must name this agent on the loopback interface"
READ_ONLY = "The admin console is read-only."
CROSS_SITE = "Other sites may link to the admin console but not load its pages into theirs."
NO_BODY = "The admin console takes no request body."
COUNTS: dict[str, int] = {"requests": 0, "refused": 0}


# --- the console and what it shows -------------------------------------------------------------


@dataclass
class Console:
    agent: LiveAgent
    port: int
    customer_id: str
    order_id: str
    return_id: str
    secrets: list[str]  # customer names and emails the targets show; never in a refusal
    hostile_id: str  # a customer whose name, email and note were written as markup
    baseline: dict[str, Any] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        return self.agent.token

    def send(self, req: Req) -> RawResponse:
        COUNTS["requests"] += 1
        return send_raw(
            self.port,
            req.method,
            req.path,
            req.headers,
            req.body,
            chunked=req.chunked,
            declared_length=req.declared_length,
        )


# What a CSR's browser sends: a page typed or opened from the panel, and the page's stylesheet.
NAVIGATE: tuple[Header, ...] = (
    ("Sec-Fetch-Site", "none"),
    ("Sec-Fetch-Mode", "navigate"),
    ("Sec-Fetch-Dest", "document"),
)
STYLESHEET: tuple[Header, ...] = (
    ("Sec-Fetch-Site", "same-origin"),
    ("Sec-Fetch-Mode", "no-cors"),
    ("Sec-Fetch-Dest", "style"),
)
HOSTILE_NAME = ('<script>alert("name")</script>', '"><img src=x onerror=alert(1)>')
HOSTILE_EMAIL = "javascript:alert(1)//'@x.example"
HOSTILE_NOTE = "</td></table><iframe src=javascript:alert('note')></iframe>"


def targets(c: Console) -> list[Req]:
    """Requests the console answers with a page: a search, lists, three details, the CSS."""
    page = (("Host", c.host), *NAVIGATE)
    return [
        Req("home", "GET", "/", page, write=False),
        Req("customer search", "GET", "/customers?q=" + quote(c.secrets[0]), page, write=False),
        Req("orders page 2", "GET", "/orders?page=2", page, write=False),
        Req("customer", "GET", f"/customers/{c.customer_id}", page, write=False),
        Req("order", "GET", f"/orders/{c.order_id}", page, write=False),
        Req("return", "GET", f"/returns/{c.return_id}", page, write=False),
        Req("stylesheet", "GET", "/static/admin.css", (("Host", c.host), *STYLESHEET), write=False),
    ]


# --- attacks -----------------------------------------------------------------------------------

Mutation = Callable[[Req, Console], Req]
Applies = Callable[[Req], bool]


def _any(req: Req) -> bool:
    return True


def _below_root(req: Req) -> bool:
    return req.path.split("?")[0] != "/"


@dataclass(frozen=True)
class Attack:
    name: str
    mutate: Mutation
    status: int
    message: str  # in the HTML error page; PARSER: aiohttp refuses before our gate
    applies: Applies = _any


def host(value: str) -> Mutation:
    return lambda req, c: req.with_header("Host", value.format(port=c.port, api=c.agent.port))


def fetch(site: str, mode: str, dest: str, origin: str | None = None) -> Mutation:
    """The fetch metadata (and Origin) a browser sends for a request made by a page."""

    def mutate(req: Req, c: Console) -> Req:
        req = (
            req.with_header("Sec-Fetch-Site", site)
            .with_header("Sec-Fetch-Mode", mode)
            .with_header("Sec-Fetch-Dest", dest)
        )
        return req.with_header("Origin", origin.format(api=c.agent.port)) if origin else req

    return mutate


def method(name: str, body: bytes | None = None, *extra: Header) -> Mutation:
    def mutate(req: Req, c: Console) -> Req:
        changed = replace(req, method=name, body=body)
        for header_name, value in extra:
            filled = value.format(token=c.token) if isinstance(value, str) else value
            changed = changed.with_header(header_name, filled)
        return changed

    return mutate


def path(transform: Callable[[str], str]) -> Mutation:
    """Rewrite the path part; the query string stays as it was."""

    def mutate(req: Req, c: Console) -> Req:
        path_part, sep, query = req.path.partition("?")
        return replace(req, path=transform(path_part) + sep + query)

    return mutate


def escape_second_char(p: str) -> str:
    return p[0] + f"%{ord(p[1]):02x}" + p[2:]


ATTACKS: list[Attack] = [
    # DNS rebinding: the same 28 Host values as the API suite, with the console's port
    Attack("Host missing", lambda req, c: req.with_header("Host", None), 400, PARSER),
    Attack(
        "Host twice, ours first",
        lambda req, c: req.add_header("Host", "attacker.example"),
        400,
        PARSER,
    ),
    *[Attack(f"Host {name}", host(value), 421, BAD_HOST) for name, value in HOSTS],
    Attack("Host naming the API's port", host("127.0.0.1:{api}"), 421, BAD_HOST),
    Attack("Host localhost with the API's port", host("localhost:{api}"), 421, BAD_HOST),
    Attack(
        "Host non-ASCII lookalike",
        lambda req, c: req.with_header("Host", f"lоcalhost:{c.port}".encode()),
        421,
        BAD_HOST,
    ),
    # it never writes
    Attack(
        "form POST",
        method("POST", b"q=x", ("Content-Type", "application/x-www-form-urlencoded")),
        405,
        READ_ONLY,
    ),
    Attack("text/plain POST", method("POST", b"x", ("Content-Type", "text/plain")), 405, READ_ONLY),
    Attack(
        "multipart POST",
        method(
            "POST",
            b"--b\r\n\r\nx\r\n--b--\r\n",
            ("Content-Type", "multipart/form-data; boundary=b"),
        ),
        405,
        READ_ONLY,
    ),
    Attack(
        "POST as the extension would write (JSON, token, api header)",
        method("POST", b"{}", *WRITE_HEADERS.items(), ("Authorization", "Bearer {token}")),
        405,
        READ_ONLY,
    ),
    Attack("POST without a body", method("POST"), 405, READ_ONLY),
    Attack("PUT", method("PUT", b"{}", *WRITE_HEADERS.items()), 405, READ_ONLY),
    Attack("PATCH", method("PATCH", b"{}", *WRITE_HEADERS.items()), 405, READ_ONLY),
    Attack("DELETE", method("DELETE", None, ("X-Callcenter-Api", "1")), 405, READ_ONLY),
    Attack(
        "OPTIONS preflight from a web page",
        method(
            "OPTIONS",
            None,
            ("Origin", "https://attacker.example"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "x-requested-with"),
        ),
        405,
        READ_ONLY,
    ),
    Attack("TRACE", method("TRACE"), 405, READ_ONLY),
    Attack("PROPFIND", method("PROPFIND"), 405, READ_ONLY),
    Attack("MKCOL", method("MKCOL"), 405, READ_ONLY),
    Attack("made-up method", method("FROB"), 400, PARSER),
    Attack(
        "cross-site form POST navigation",
        lambda req, c: method(
            "POST",
            b"q=x",
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", "https://attacker.example"),
        )(req, c).with_header("Sec-Fetch-Site", "cross-site"),
        405,
        READ_ONLY,
    ),
    # other pages may link to it, never load it into theirs (reads, timing, id probes)
    Attack("<img> on a foreign page", fetch("cross-site", "no-cors", "image"), 403, CROSS_SITE),
    Attack("<script> on a foreign page", fetch("cross-site", "no-cors", "script"), 403, CROSS_SITE),
    Attack(
        "<link rel=stylesheet> on a foreign page",
        fetch("cross-site", "no-cors", "style"),
        403,
        CROSS_SITE,
    ),
    Attack(
        "<link rel=prefetch> on a foreign page",
        fetch("cross-site", "no-cors", "empty"),
        403,
        CROSS_SITE,
    ),
    Attack(
        "<iframe> on a foreign page", fetch("cross-site", "navigate", "iframe"), 403, CROSS_SITE
    ),
    Attack(
        "<object> on a foreign page", fetch("cross-site", "navigate", "object"), 403, CROSS_SITE
    ),
    Attack("<embed> on a foreign page", fetch("cross-site", "no-cors", "embed"), 403, CROSS_SITE),
    Attack(
        "CORS fetch from a foreign page",
        fetch("cross-site", "cors", "empty", "https://attacker.example"),
        403,
        CROSS_SITE,
    ),
    Attack(
        "no-cors fetch from a page on the API's port",
        fetch("same-site", "no-cors", "empty", "http://127.0.0.1:{api}"),
        403,
        CROSS_SITE,
    ),
    Attack(
        "CORS fetch from another localhost app",
        fetch("same-site", "cors", "empty", "http://localhost:3000"),
        403,
        CROSS_SITE,
    ),
    Attack(
        "<iframe> on another localhost page",
        fetch("same-site", "navigate", "iframe"),
        403,
        CROSS_SITE,
    ),
    Attack(
        "cross-site navigation without Sec-Fetch-Dest",
        lambda req, c: fetch("cross-site", "navigate", "document")(req, c).with_header(
            "Sec-Fetch-Dest", None
        ),
        403,
        CROSS_SITE,
    ),
    Attack(
        "Sec-Fetch-Site twice, none and cross-site",
        lambda req, c: fetch("none", "no-cors", "image")(req, c).add_header(
            "Sec-Fetch-Site", "cross-site"
        ),
        403,
        CROSS_SITE,
    ),
    Attack("Sec-Fetch-Site of unknown value", fetch("None", "no-cors", "image"), 403, CROSS_SITE),
    Attack(
        "Sec-Fetch-Dest document twice on a cross-site load",
        lambda req, c: fetch("cross-site", "navigate", "document")(req, c).add_header(
            "Sec-Fetch-Dest", "document"
        ),
        403,
        CROSS_SITE,
    ),
    # no request bodies, however they are framed
    Attack(
        "GET with a small form body",
        lambda req, c: replace(req, body=b"q=x").with_header(
            "Content-Type", "application/x-www-form-urlencoded"
        ),
        413,
        NO_BODY,
    ),
    Attack(
        "GET declaring 2 GiB, body never sent",
        lambda req, c: replace(req, declared_length=2**31),
        413,
        NO_BODY,
    ),
    Attack(
        "GET with a chunked body of 4 MiB",
        lambda req, c: replace(req, body=b"x" * (4 * 1024 * 1024), chunked=True),
        413,
        NO_BODY,
    ),
    Attack(
        "GET with a one-byte chunked body",
        lambda req, c: replace(req, body=b"x", chunked=True),
        413,
        NO_BODY,
    ),
    Attack(
        "HEAD with a body", lambda req, c: replace(req, method="HEAD", body=b"q=x"), 413, NO_BODY
    ),
    # path tricks
    Attack("path //", path(lambda p: "/" + p), 400, BAD_PATH),
    Attack("path with an escaped letter", path(escape_second_char), 400, BAD_PATH, _below_root),
    Attack("path /x/../", path(lambda p: "/x/.." + p), 400, BAD_PATH),
    Attack("path /./", path(lambda p: "/." + p), 400, BAD_PATH),
    Attack("path %2e%2e", path(lambda p: "/x/%2e%2e" + p), 400, BAD_PATH),
    Attack("path %2E%2E upper case", path(lambda p: "/x/%2E%2E" + p), 400, BAD_PATH),
    Attack("path with an encoded slash", path(lambda p: p + "%2fx"), 400, BAD_PATH, _below_root),
    Attack("path /%2f", path(lambda p: "/%2f" + p[1:]), 400, BAD_PATH),
    Attack("path with a backslash", path(lambda p: "/\\" + p[1:]), 400, BAD_PATH),
    Attack("path with a NUL escape", path(lambda p: p + "%00"), 400, BAD_PATH),
    Attack(
        "absolute-form target",
        lambda req, c: replace(req, path=f"http://{c.host}{req.path}"),
        400,
        BAD_PATH,
    ),
    Attack(
        "absolute-form target to another host",
        lambda req, c: replace(req, path=f"http://attacker.example{req.path}"),
        400,
        BAD_PATH,
    ),
]


# --- what every refusal must look like ---------------------------------------------------------


def assert_headers(response: RawResponse, where: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (where, name, response.headers.get(name))
    assert not [n for n in response.header_names if n.lower().startswith("access-control-")], where


def assert_leaks_nothing(c: Console, response: RawResponse, where: str) -> None:
    assert c.token.encode() not in response.raw, where
    assert b"Traceback" not in response.raw and b'File "' not in response.raw, where
    for secret in c.secrets:
        assert secret.encode() not in response.raw, (where, secret)


def assert_refused(
    c: Console, attack: Attack, target: Req, sent: Req, response: RawResponse
) -> None:
    where = f"{attack.name} on {target.name}"
    assert response.status == attack.status, (where, response.raw[:600])
    assert_leaks_nothing(c, response, where)
    assert not [n for n in response.header_names if n.lower().startswith("access-control-")]
    if attack.message == PARSER:
        return
    assert_headers(response, where)
    assert response.headers.get("content-type") == HTML_TYPE, where
    if attack.status == 405:
        assert response.headers.get("allow") == "GET, HEAD", where
    if sent.method == "HEAD":
        assert response.body == b"", where
    else:
        text = response.body.decode()
        assert f"<h1>Error {attack.status}</h1>" in text, where
        assert html.escape(attack.message) in text, (where, text[-400:])
        assert_inert(text, where)
    COUNTS["refused"] += 1


# --- markup the console may produce ------------------------------------------------------------

TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "link",
    "body",
    "header",
    "a",
    "nav",
    "ul",
    "li",
    "span",
    "main",
    "h1",
    "h2",
    "p",
    "form",
    "label",
    "input",
    "button",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
}
ATTRIBUTES = {
    "lang",
    "charset",
    "name",
    "content",
    "rel",
    "href",
    "class",
    "aria-label",
    "aria-current",
    "id",
    "method",
    "action",
    "role",
    "for",
    "type",
    "value",
    "scope",
    "colspan",
    "data-kind",
    "data-id",
}
URL_ATTRIBUTES = {"href", "action"}


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_inert(text: str, where: str) -> None:
    """Only the console's own elements and attributes, every link a path on the console:
    any markup smuggled in through input (a tag, an event handler, a javascript: or foreign
    URL) fails one of these."""
    parser = _Markup()
    parser.feed(text)
    parser.close()
    assert parser.tags, where
    for tag, attrs in parser.tags:
        assert tag in TAGS, (where, tag, attrs)
        for name, value in attrs:
            assert name in ATTRIBUTES, (where, tag, name, value)
            if name in URL_ATTRIBUTES:
                assert value is not None and value.startswith("/"), (where, tag, name, value)
                assert not value.startswith("//") and "\\" not in value, (where, value)


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory, seeded_store: Path) -> Iterator[Console]:
    data_dir = copy_store(seeded_store, tmp_path_factory.mktemp("console") / "data")
    port = free_port()
    agent = LiveAgent(data_dir, extra_args=("--admin-port", str(port))).start()
    try:
        yield prepare_console(agent, port)
    finally:
        agent.stop()


def prepare_console(agent: LiveAgent, port: int) -> Console:
    """The API suite's sessions, draft and preference, plus a customer whose name, email and
    note were written through the API as markup (what a CSR could type)."""
    ctx = prepare(agent)
    status, customer = agent.call("GET", f"/customers/{ctx.customer_id}")
    assert status == 200, customer
    status, found = agent.call("GET", "/search/returns?page_size=1&sort=number&order=asc")
    assert status == 200, found
    return_id = found["results"][0]["id"]
    status, ret = agent.call("GET", f"/returns/{return_id}")
    assert status == 200, ret
    status, order = agent.call("GET", f"/orders/{ret['order_id']}")
    assert status == 200, order
    secrets = [
        customer["full_name"],
        customer["email"],
        ret["customer_name"],
        order["customer_name"],
        order["email"],
    ]
    hostile = _hostile_customer(agent, exclude={ctx.customer_id})
    console = Console(
        agent,
        port,
        ctx.customer_id,
        order["id"],
        return_id,
        [s for s in secrets if s and len(s) > 3],
        hostile,
    )
    console.baseline = snapshot(agent)
    return console


def _hostile_customer(agent: LiveAgent, exclude: set[str]) -> str:
    status, found = agent.call("GET", "/search/customers?page_size=20&sort=id&order=asc")
    assert status == 200, found
    for row in found["results"]:
        status, detail = agent.call("GET", f"/customers/{row['id']}")
        if row["id"] in exclude or "edit_general" not in detail["available_actions"]:
            continue
        status, edited = agent.call(
            "POST",
            f"/customers/{row['id']}/actions/edit_general",
            {
                "expected_version": detail["version"],
                "first_name": HOSTILE_NAME[0],
                "last_name": HOSTILE_NAME[1],
                "email": HOSTILE_EMAIL,
            },
        )
        assert status == 200, edited
        status, noted = agent.call(
            "POST",
            f"/customers/{row['id']}/actions/add_note",
            {"expected_version": edited["version"], "text": HOSTILE_NOTE},
        )
        assert status == 200, noted
        return str(row["id"])
    raise AssertionError("no customer can be edited")


def cases() -> list[Any]:
    return [pytest.param(attack, id=attack.name) for attack in ATTACKS]


# --- tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("attack", cases())
def test_attack_is_refused_without_side_effect(console: Console, attack: Attack) -> None:
    tried = 0
    for target in targets(console):
        if not attack.applies(target):
            continue
        sent = attack.mutate(target, console)
        assert_refused(console, attack, target, sent, console.send(sent))
        tried += 1
    assert tried, f"{attack.name} applies to no target"
    assert snapshot(console.agent) == console.baseline, f"{attack.name} changed the state"


@dataclass(frozen=True)
class Probe:
    """A request for something that is not one of the console's pages."""

    name: str
    method: str
    target: str  # {token} and {customer} are filled in
    status: int
    message: str
    headers: tuple[Header, ...] = ()
    body: bytes | None = None

    def request(self, c: Console) -> Req:
        def fill(value: str) -> str:
            return value.replace("{token}", c.token).replace("{customer}", c.customer_id)

        sent = tuple((n, fill(v) if isinstance(v, str) else v) for n, v in self.headers)
        return Req(
            self.name,
            self.method,
            fill(self.target),
            (("Host", c.host), *sent),
            None if self.body is None else fill(self.body.decode()).encode(),
        )


TOKEN: Header = ("Authorization", "Bearer {token}")
NOT_FOUND, NO_SCREEN = "Not Found", "No admin screen"
PROBES: list[Probe] = [
    # the API is not proxied: its paths are not the console's, with or without the token
    Probe("API health", "GET", "/api/v1/health", 404, NOT_FOUND),
    Probe("API info with the token", "GET", "/api/v1/info", 404, NOT_FOUND, (TOKEN,)),
    Probe("API sessions with the token", "GET", "/api/v1/sessions", 404, NOT_FOUND, (TOKEN,)),
    Probe(
        "API customer with the token",
        "GET",
        "/api/v1/customers/{customer}",
        404,
        NOT_FOUND,
        (TOKEN,),
    ),
    Probe(
        "API search with the token", "GET", "/api/v1/search/customers?q=a", 404, NOT_FOUND, (TOKEN,)
    ),
    Probe("API OpenAPI document", "GET", "/api/v1/openapi.json", 404, NOT_FOUND),
    Probe(
        "API session write with the token",
        "POST",
        "/api/v1/sessions",
        405,
        READ_ONLY,
        (TOKEN, *WRITE_HEADERS.items()),
        b'{"kind": "customer", "id": "{customer}"}',
    ),
    Probe(
        "API events WebSocket with the token",
        "GET",
        "/api/v1/events",
        404,
        NOT_FOUND,
        (*WS_BASE, ("Sec-WebSocket-Protocol", "callcenter.v1, bearer.{token}")),
    ),
    Probe("/api with the token", "GET", "/api", 404, NO_SCREEN, (TOKEN,)),
    Probe(
        "the API under a console path",
        "GET",
        "/customers/api/v1/sessions",
        404,
        NOT_FOUND,
        (TOKEN,),
    ),
    # no files: token, config, databases, anything outside its pages
    Probe("/token", "GET", "/token", 404, NO_SCREEN),
    Probe("/config.toml", "GET", "/config.toml", 404, NO_SCREEN),
    Probe("/demo.db", "GET", "/demo.db", 404, NO_SCREEN),
    Probe("/state.db", "GET", "/state.db", 404, NO_SCREEN),
    Probe("/.env", "GET", "/.env", 404, NO_SCREEN),
    Probe("/.git/config", "GET", "/.git/config", 404, NO_SCREEN),
    Probe("/static/ listing", "GET", "/static/", 404, NOT_FOUND),
    Probe("/static/token", "GET", "/static/token", 404, NO_SCREEN),
    Probe("/static/../config.toml", "GET", "/static/../config.toml", 400, BAD_PATH),
    Probe("/static/..%2fconfig.toml", "GET", "/static/..%2fconfig.toml", 400, BAD_PATH),
    Probe("/static/admin.css/..", "GET", "/static/admin.css/..", 400, BAD_PATH),
    Probe("/orders/../../../etc/passwd", "GET", "/orders/../../../etc/passwd", 400, BAD_PATH),
    Probe("/etc/passwd", "GET", "/etc/passwd", 404, NO_SCREEN),
    Probe("/favicon.ico", "GET", "/favicon.ico", 404, NO_SCREEN),
]


@pytest.mark.parametrize("probe", [pytest.param(p, id=p.name) for p in PROBES])
def test_no_api_token_config_or_files(console: Console, probe: Probe) -> None:
    req = probe.request(console)
    response = console.send(req)
    where = probe.name
    assert response.status == probe.status, (where, response.raw[:600])
    assert_leaks_nothing(console, response, where)
    assert_headers(response, where)
    assert response.headers.get("content-type") == HTML_TYPE, where
    assert "sec-websocket-accept" not in response.headers, where
    text = response.body.decode()
    assert f"<h1>Error {probe.status}</h1>" in text, where
    assert html.escape(probe.message) in text, (where, text[-400:])
    assert "SQLite format" not in text and "[agent]" not in text, where
    assert_inert(text, where)
    COUNTS["refused"] += 1
    assert console.agent.call("GET", "/info")[1]["live_clients"] == 0
    assert snapshot(console.agent) == console.baseline, where


# --- nothing typed comes back as markup --------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
HANDLER = "' autofocus onfocus=alert(1) x='"


@dataclass(frozen=True)
class Reflection:
    name: str
    target: str  # {hostile}: the customer written as markup through the API
    status: int
    echoed: tuple[str, ...]  # must come back, escaped; never raw

    def path(self, c: Console) -> str:
        return self.target.replace("{hostile}", c.hostile_id)


REFLECTIONS = [
    Reflection("search <script>", "/customers?q=" + quote(SCRIPT), 200, (SCRIPT,)),
    Reflection(
        "search breaking out of the value attribute",
        "/orders?q=" + quote(BREAKOUT),
        200,
        (BREAKOUT,),
    ),
    Reflection(
        "search with single quotes and a handler", "/returns?q=" + quote(HANDLER), 200, (HANDLER,)
    ),
    Reflection(
        "search javascript: URL",
        "/customers?q=" + quote("javascript:alert(1)"),
        200,
        ("javascript:alert(1)",),
    ),
    Reflection(
        "search closing the title",
        "/orders?q=" + quote("</title>" + SCRIPT),
        200,
        ("</title>" + SCRIPT,),
    ),
    Reflection(
        "search of 200 characters of markup",
        "/customers?q=" + quote(BREAKOUT * 6),
        200,
        (BREAKOUT * 6,),
    ),
    Reflection("page number <script>", "/orders?page=" + quote(SCRIPT), 400, (SCRIPT,)),
    Reflection("page number with quotes", "/customers?page=" + quote(BREAKOUT), 400, (BREAKOUT,)),
    Reflection(
        "section <script> (raw in the path)", "/<script>alert(1)<", 404, ("<script>alert(1)<",)
    ),
    Reflection("section with quotes", "/\"'><b>x<", 404, ("'><b>x<",)),
    Reflection(
        "id with quotes and a handler",
        "/returns/'onmouseover='alert(1)'",
        404,
        ("'onmouseover='alert(1)'",),
    ),
    Reflection(
        "id javascript: URL", "/customers/javascript:alert(1)", 404, ("javascript:alert(1)",)
    ),
    Reflection("id <img>", "/orders/<img>", 404, ("<img>",)),
    Reflection(
        "stored: customer written as markup through the API",
        "/customers/{hostile}",
        200,
        (*HOSTILE_NAME, HOSTILE_EMAIL, HOSTILE_NOTE),
    ),
    Reflection(
        "stored: the same customer in a list",
        "/customers?q={hostile}",
        200,
        (" ".join(HOSTILE_NAME),),
    ),
]


@pytest.mark.parametrize("case", [pytest.param(r, id=r.name) for r in REFLECTIONS])
def test_input_never_comes_back_as_markup(console: Console, case: Reflection) -> None:
    target = case.path(console)
    response = console.send(
        Req(case.name, "GET", target, (("Host", console.host), *NAVIGATE), write=False)
    )
    where = case.name
    assert response.status == case.status, (where, response.raw[:600])
    assert_headers(response, where)
    assert response.headers.get("content-type") == HTML_TYPE, where
    text = response.body.decode()
    for value in case.echoed:
        assert html.escape(value) in text, (where, value, text[-800:])
        if html.escape(value) != value:  # a javascript: URL has nothing to escape
            assert value not in text, (where, value)
    assert_inert(text, where)
    assert console.token not in text
    assert snapshot(console.agent) == console.baseline, where


# --- the control: the console still works ------------------------------------------------------


def test_the_console_pages_answer_with_the_headers(console: Console) -> None:
    """Every target unbroken, and the shapes a CSR's browser sends, answer 200."""
    for target in targets(console):
        response = console.send(target)
        where = target.name
        assert response.status == 200, (where, response.raw[:600])
        assert_headers(response, where)
        text = response.body.decode()
        if target.name == "stylesheet":
            assert response.headers["content-type"] == "text/css; charset=utf-8"
            assert "font:" in text
            continue
        assert response.headers["content-type"] == HTML_TYPE, where
        assert_inert(text, where)
        head = send_raw(console.port, "HEAD", target.path, target.headers)
        assert head.status == 200 and head.body == b"", where
        assert head.headers["content-length"] == str(len(response.body)), where
        assert_headers(head, where)
    pages = {t.name: console.send(t).body.decode() for t in targets(console)}
    # The refusals above are checked for these names; here they are shown, as they should be.
    assert console.secrets[0] in pages["customer search"]
    assert console.secrets[0] in pages["customer"]
    assert f'data-kind="customer" data-id="{console.customer_id}"' in pages["customer"]
    assert f'data-kind="order" data-id="{console.order_id}"' in pages["order"]
    assert f'data-kind="return" data-id="{console.return_id}"' in pages["return"]
    assert 'href="/orders?page=1"' in pages["orders page 2"]

    page = f"/customers/{console.customer_id}"
    for name, sent in [
        ("no fetch metadata (curl, scripts)", (("Host", console.host),)),
        (
            "a link on another site",
            (
                ("Host", console.host),
                ("Sec-Fetch-Site", "cross-site"),
                ("Sec-Fetch-Mode", "navigate"),
                ("Sec-Fetch-Dest", "document"),
                ("Sec-Fetch-User", "?1"),
            ),
        ),
        (
            "a link on the API's origin",
            (
                ("Host", console.host),
                ("Sec-Fetch-Site", "same-site"),
                ("Sec-Fetch-Mode", "navigate"),
                ("Sec-Fetch-Dest", "document"),
            ),
        ),
        (
            "a click inside the console",
            (
                ("Host", console.host),
                ("Sec-Fetch-Site", "same-origin"),
                ("Sec-Fetch-Mode", "navigate"),
                ("Sec-Fetch-Dest", "document"),
            ),
        ),
        ("Host localhost", (("Host", f"localhost:{console.port}"), *NAVIGATE)),
        ("Host [::1]", (("Host", f"[::1]:{console.port}"), *NAVIGATE)),
        ("Host in upper case", (("Host", f"LOCALHOST:{console.port}"), *NAVIGATE)),
        ("Content-Length: 0", (("Host", console.host), *NAVIGATE, ("Content-Length", "0"))),
        (
            "a method override header (ignored: still a read)",
            (("Host", console.host), ("X-HTTP-Method-Override", "DELETE")),
        ),
    ]:
        response = send_raw(console.port, "GET", page, sent)
        assert response.status == 200, (name, response.raw[:600])
        assert_headers(response, name)
        assert console.secrets[0] in response.body.decode(), name

    # a token in the URL is neither needed nor echoed
    response = send_raw(
        console.port, "GET", f"/orders?token={console.token}", (("Host", console.host),)
    )
    assert response.status == 200 and console.token.encode() not in response.raw
    assert snapshot(console.agent) == console.baseline


def test_console_log_names_refusals_and_never_the_token(console: Console) -> None:
    """Runs after the attacks above (file order)."""
    log = console.agent.log_text()
    admin = [line for line in log.splitlines() if " agent.admin: " in line]
    statuses = {line.split('" ')[-1].split()[0] for line in admin if '" ' in line}
    assert {"400", "403", "404", "405", "413", "421"} <= statuses, statuses
    assert console.token not in log
    assert "Traceback" not in log
    joined = "\n".join(admin)
    assert "onerror" not in joined and "onfocus" not in joined  # queries are never logged
    assert snapshot(console.agent) == console.baseline
    print(
        f"\nadmin console attacks: {COUNTS['requests']} requests sent, "
        f"{COUNTS['refused']} refused with the console's error page"
    )
