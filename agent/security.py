"""The request gate: every request passes these checks before it reaches a route's handler.

Checks, in order; the first failure answers with our JSON error body:

1. Path hygiene (400 ``bad_path``): the raw request target must be an origin-form path without
   ``//``, ``%`` escapes, ``.``/``..`` segments or backslashes, so no later normalisation can
   turn it into a different route than the one checked.
2. Host (421 ``bad_host``): exactly ``127.0.0.1``, ``localhost`` or ``[::1]`` with our port
   (any port when ``GateSettings.port`` is None) — the DNS-rebinding defence.
3. Origin (403 ``origin_not_allowed``): when present it must be one of ``allowed_origins``.
4. Fetch metadata (403 ``cross_site_request``): without an allowlisted Origin, a
   ``Sec-Fetch-Site`` other than ``none`` is refused (a web page's no-cors fetch, ``<img>``,
   form navigation). Requests with neither header (CLI, scripts) go on to the token check.
5. Method (405 ``method_not_allowed``): OPTIONS and other methods are refused; the extension
   never needs a CORS preflight and the agent sends no ``Access-Control-*`` header, ever.
6. Token (401 ``unauthorized``): every path outside ``public_paths`` needs exactly
   ``Authorization: Bearer <token>``. A WebSocket upgrade on a ``websocket_paths`` path may
   offer ``bearer.<token>`` as a subprotocol instead; the gate then sets
   ``request[AUTH_VIA_SUBPROTOCOL] = True`` and the handler must answer ``callcenter.v1``.
   A token-like query parameter is refused on every path: tokens never go in URLs.
7. Size (413 ``payload_too_large``): a declared Content-Length above ``max_body_bytes`` is
   refused before reading; chunked bodies are capped by handing the handler a request whose
   ``client_max_size`` is at most ``max_body_bytes``.
8. Writes (POST/PUT/PATCH/DELETE): ``X-Callcenter-Api: 1`` on every write (400
   ``missing_api_header``) — the header alone makes the request non-simple for browsers.
   ``Content-Type: application/json`` (optionally ``; charset=utf-8``) is required only when a
   body is present (415 ``unsupported_media_type``), so ``DELETE`` without a body needs no
   Content-Type.

The gate is the outermost middleware, so it also turns every error raised inside (our
ApiError, aiohttp's HTTPException, anything unexpected) into the JSON error shape, and stamps
the hygiene headers on every response it returns. Responses a handler prepares itself
(WebSocket, streaming) are covered by registering ``response_hygiene_signal`` on
``app.on_response_prepare``.
"""

from __future__ import annotations

import hmac
import logging
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Handler

from agent.errors import ApiError, MethodNotAllowed, Unauthorized, UnsupportedMediaType
from agent.redact import Redactor

logger = logging.getLogger(__name__)

HEALTH_PATH = "/api/v1/health"
HANDSHAKE_PATH = "/api/v1/handshake"
EVENTS_PATH = "/api/v1/events"
API_HEADER = "X-Callcenter-Api"
WS_TOKEN_PREFIX = "bearer."
AUTH_VIA_SUBPROTOCOL = web.RequestKey("auth_via_subprotocol", bool)
# Set on a request that carried the valid token (not merely a public path): the connection
# guard keeps such connections longest under a flood (agent/connection_guard.py).
AUTHENTICATED = web.RequestKey("authenticated", bool)

ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOKEN_QUERY_PARAMS = frozenset({"token", "access_token", "auth_token", "api_key", "apikey"})

HYGIENE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}

_LOOPBACK_HOST = re.compile(r"(127\.0\.0\.1|localhost|\[::1\])(?::([1-9][0-9]{0,4}))?")
_JSON_PARAM = re.compile(r'charset="?utf-8"?', re.IGNORECASE)


@dataclass(frozen=True)
class GateSettings:
    token: str
    allowed_origins: frozenset[str]
    port: int | None
    public_paths: frozenset[str] = frozenset({HEALTH_PATH, HANDSHAKE_PATH})
    max_body_bytes: int = 256 * 1024
    websocket_paths: frozenset[str] = field(default=frozenset({EVENTS_PATH}))

    def __post_init__(self) -> None:
        if not self.token:
            raise ValueError("The gate needs a non-empty pairing token.")
        if self.max_body_bytes <= 0:
            raise ValueError("max_body_bytes must be positive.")


SettingsSource = GateSettings | Callable[[], GateSettings]


class Refusal(ApiError):
    """A gate refusal; ``headers`` go out with the error response."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.headers = headers or {}


def _unauthorized(message: str) -> Refusal:
    return Refusal(Unauthorized.status, Unauthorized.code, message, {"WWW-Authenticate": "Bearer"})


# --- 1. path -----------------------------------------------------------------------------------


def check_path(raw_target: str) -> Refusal | None:
    path = raw_target.split("?", 1)[0]
    segments = path.split("/")
    if (
        not path.startswith("/")
        or "//" in path
        or "%" in path
        or "\\" in path
        or any(segment in (".", "..") for segment in segments)
    ):
        return Refusal(
            400,
            "bad_path",
            "The request path must be a plain path: no '//', "
            "'%' escapes, '.' or '..' segments, or backslashes.",
        )
    return None


# --- 2. host -----------------------------------------------------------------------------------


def host_allowed(value: str, port: int | None) -> bool:
    match = _LOOPBACK_HOST.fullmatch(value.lower()) if value.isascii() else None
    if match is None:
        return False
    given_port = match.group(2)
    if port is None:
        return given_port is None or int(given_port) <= 65535
    if given_port is None:
        return port == 80
    return given_port == str(port)


def check_host(request: web.BaseRequest, port: int | None) -> Refusal | None:
    hosts = request.headers.getall("Host", [])
    if len(hosts) != 1 or not host_allowed(hosts[0], port):
        return Refusal(
            421,
            "bad_host",
            "The Host header must name this agent on the loopback "
            "interface (127.0.0.1, localhost or [::1]) and its port.",
        )
    return None


# --- 3 and 4. origin and fetch metadata --------------------------------------------------------


def check_origin(request: web.BaseRequest, allowed: frozenset[str]) -> Refusal | None:
    origins = request.headers.getall("Origin", [])
    if origins and (len(origins) > 1 or origins[0] not in allowed):
        return Refusal(
            403,
            "origin_not_allowed",
            "Requests from this origin are not allowed; only the Call Center "
            "extension may call the agent from a browser.",
        )
    return None


def check_fetch_metadata(request: web.BaseRequest, allowed: frozenset[str]) -> Refusal | None:
    if request.headers.get("Origin") in allowed:
        return None
    sites = request.headers.getall("Sec-Fetch-Site", [])
    if sites and (len(sites) > 1 or sites[0] != "none"):
        return Refusal(
            403,
            "cross_site_request",
            "Cross-site browser requests are refused; only the Call Center "
            "extension may call the agent from a browser.",
        )
    return None


# --- 5. method ---------------------------------------------------------------------------------


def check_method(method: str, route_methods: frozenset[str] | None = None) -> Refusal | None:
    """``route_methods``: what the matched resource supports, for an exact ``Allow`` header."""
    if method in ALLOWED_METHODS:
        return None
    message = (
        "The agent answers no CORS preflights."
        if method == "OPTIONS"
        else f"The method {method} is not allowed."
    )
    allow = route_methods if route_methods else ALLOWED_METHODS
    return Refusal(
        MethodNotAllowed.status, MethodNotAllowed.code, message, {"Allow": ", ".join(sorted(allow))}
    )


def route_methods(request: web.BaseRequest) -> frozenset[str] | None:
    """The methods of the resource the path matched, when the router refused the method."""
    match_info = getattr(request, "match_info", None)
    exception = getattr(match_info, "http_exception", None)
    if isinstance(exception, web.HTTPMethodNotAllowed):
        return frozenset(exception.allowed_methods) & ALLOWED_METHODS or None
    return None


# --- 6. token ----------------------------------------------------------------------------------


def token_matches(presented: str, token: str) -> bool:
    # aiohttp decodes header bytes with surrogateescape; compare the bytes as sent.
    sent = presented.encode("utf-8", "surrogateescape")
    return bool(token) and hmac.compare_digest(sent, token.encode("utf-8"))


def bearer_token_valid(request: web.BaseRequest, token: str) -> bool:
    values = request.headers.getall("Authorization", [])
    if len(values) != 1 or not values[0].startswith("Bearer "):
        return False
    return token_matches(values[0].removeprefix("Bearer "), token)


def is_websocket_upgrade(request: web.BaseRequest, settings: GateSettings) -> bool:
    return (
        request.method == "GET"
        and request.path in settings.websocket_paths
        and request.headers.get("Upgrade", "").strip().lower() == "websocket"
    )


def subprotocol_token_valid(request: web.BaseRequest, token: str) -> bool:
    offered = ",".join(request.headers.getall("Sec-WebSocket-Protocol", []))
    tokens = [
        item.strip().removeprefix(WS_TOKEN_PREFIX)
        for item in offered.split(",")
        if item.strip().startswith(WS_TOKEN_PREFIX)
    ]
    return len(tokens) == 1 and token_matches(tokens[0], token)


def check_query_has_no_token(request: web.BaseRequest) -> Refusal | None:
    if any(name.lower() in TOKEN_QUERY_PARAMS for name in request.rel_url.query):
        return _unauthorized(
            "Tokens never go in URLs; send the header 'Authorization: Bearer <token>' instead."
        )
    return None


def check_token(request: web.BaseRequest, settings: GateSettings) -> tuple[Refusal | None, bool]:
    """Return (refusal, authenticated via WebSocket subprotocol)."""
    if request.path in settings.public_paths or bearer_token_valid(request, settings.token):
        return None, False
    if is_websocket_upgrade(request, settings) and subprotocol_token_valid(request, settings.token):
        return None, True
    return _unauthorized(
        "A valid pairing token is required: send "
        "'Authorization: Bearer <token>' (see 'callcenter-agent token')."
    ), False


# --- 7 and 8. size and writes ------------------------------------------------------------------


def check_size(request: web.BaseRequest, max_body_bytes: int) -> Refusal | None:
    if request.content_length is not None and request.content_length > max_body_bytes:
        return Refusal(
            413, "payload_too_large", f"The request body is larger than {max_body_bytes} bytes."
        )
    return None


def body_present(request: web.BaseRequest) -> bool:
    return request.body_exists and request.content_length != 0


def json_content_type(values: list[str]) -> bool:
    if len(values) != 1:
        return False
    mime, *params = (part.strip() for part in values[0].split(";"))
    return mime.lower() == "application/json" and all(_JSON_PARAM.fullmatch(p) for p in params)


def check_write(request: web.BaseRequest) -> Refusal | None:
    if request.method not in WRITE_METHODS:
        return None
    if body_present(request) and not json_content_type(request.headers.getall("Content-Type", [])):
        return Refusal(
            UnsupportedMediaType.status,
            UnsupportedMediaType.code,
            "Request bodies must be JSON: send 'Content-Type: application/json'.",
        )
    if request.headers.getall(API_HEADER, []) != ["1"]:
        return Refusal(
            400, "missing_api_header", f"Writes must carry the header '{API_HEADER}: 1'."
        )
    return None


# --- responses ---------------------------------------------------------------------------------


def apply_response_hygiene(response: web.StreamResponse) -> None:
    for name in [name for name in response.headers if name.lower().startswith("access-control-")]:
        del response.headers[name]
    response.headers.update(HYGIENE_HEADERS)


async def response_hygiene_signal(request: web.Request, response: web.StreamResponse) -> None:
    """For ``app.on_response_prepare``: covers responses that handlers prepare themselves."""
    apply_response_hygiene(response)


def error_response(error: ApiError, redactor: Redactor | None = None) -> web.Response:
    """The error as our JSON body; with ``redactor``, no piece of the token in it."""
    body = redactor.value(error.body()) if redactor else error.body()
    response = web.json_response(body, status=error.status)
    if isinstance(error, Refusal):
        response.headers.update(error.headers)
    apply_response_hygiene(response)
    return response


_HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def error_from_http_exception(exc: web.HTTPException) -> Refusal:
    code = _HTTP_ERROR_CODES.get(exc.status, "http_error")
    headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
    return Refusal(exc.status, code, exc.reason, headers)


# --- the middleware ----------------------------------------------------------------------------


def first_refusal(request: web.BaseRequest, settings: GateSettings) -> tuple[Refusal | None, bool]:
    """Run checks 1-8; return (refusal or None, authenticated via WebSocket subprotocol)."""
    early = (
        check_path(request.raw_path)
        or check_host(request, settings.port)
        or check_origin(request, settings.allowed_origins)
        or check_fetch_metadata(request, settings.allowed_origins)
        or check_method(request.method, route_methods(request))
        or check_query_has_no_token(request)
    )
    if early:
        return early, False
    refusal, via_subprotocol = check_token(request, settings)
    # No route or no such method: the router's 404/405 runs no handler, so it needs no write
    # header, and answering it tells the caller what is actually wrong.
    routed = getattr(getattr(request, "match_info", None), "http_exception", None) is None
    late = (
        refusal
        or check_size(request, settings.max_body_bytes)
        or (check_write(request) if routed else None)
    )
    return late, via_subprotocol


class GateMiddleware:
    """The aiohttp middleware; build it with ``gate_middleware``."""

    __middleware_version__ = 1

    def __init__(self, settings: SettingsSource, redactor: Redactor | None = None) -> None:
        self.settings_source = settings
        self.redactor = redactor or Redactor(lambda: [self.settings().token])

    def settings(self) -> GateSettings:
        source = self.settings_source
        return source if isinstance(source, GateSettings) else source()

    async def __call__(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        settings = self.settings()
        refusal, via_subprotocol = first_refusal(request, settings)
        if refusal is not None:
            logger.info("refused %s %s: %s", request.method, request.path, refusal.code)
            return error_response(refusal, self.redactor)
        # Before a clone, which copies them: aiohttp prepares a returned response with the
        # original request.
        request[AUTH_VIA_SUBPROTOCOL] = via_subprotocol
        request[AUTHENTICATED] = via_subprotocol or bearer_token_valid(request, settings.token)
        if request.client_max_size == 0 or request.client_max_size > settings.max_body_bytes:
            request = request.clone(client_max_size=settings.max_body_bytes)
        try:
            response = await handler(request)
        except ApiError as error:
            return error_response(error, self.redactor)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            return error_response(error_from_http_exception(exc), self.redactor)
        except Exception as exc:
            # Exception text may quote request headers; never let the token reach the log.
            trace = self.redactor.text("".join(traceback.format_exception(exc)))
            logger.error("unexpected error in %s %s\n%s", request.method, request.path, trace)
            return error_response(
                ApiError(
                    "The agent hit an internal error; see its log.",
                    code="internal_error",
                    status=500,
                )
            )
        if not response.prepared:
            apply_response_hygiene(response)
        return response


def gate_middleware(settings: SettingsSource, redactor: Redactor | None = None) -> GateMiddleware:
    """The gate; pass a callable to let the app rotate the token without rebuilding."""
    return GateMiddleware(settings, redactor)


# --- access log and route report ---------------------------------------------------------------


class MalformedRequestLogFilter(logging.Filter):
    """For the ``aiohttp.server`` logger: a request aiohttp's parser refuses (no Host, two
    Content-Types, bad bytes) is logged as one line, without the traceback aiohttp attaches or
    the parser's message, which can quote header bytes (a token among them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            record.msg = "refused a malformed HTTP request: %s (%s)"
            record.args = (type(exc).__name__, exc.code)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


class RedactingAccessLogger(AbstractAccessLogger):
    """Access log without query strings or headers, so a misplaced token never reaches a log.

    Use as ``access_log_class`` of ``web.run_app``/``AppRunner``; aiohttp's default format logs
    the whole request line, query string included.
    """

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %s %.3fs',
            request.remote,
            request.method,
            request.path,
            response.status,
            time,
        )


def _routes(app: web.Application) -> Iterator[tuple[str, str]]:
    for resource in app.router.resources():
        sub_app = resource.get_info().get("app")
        if isinstance(sub_app, web.Application):
            yield from _routes(sub_app)
            continue
        for route in resource:
            yield route.method, resource.canonical


def protected_routes_report(app: web.Application) -> list[tuple[str, str, bool]]:
    """(method, path, public) for every route; every route is public unless the gate is installed
    on ``app`` and the path is outside its ``public_paths``."""
    gates = [m for m in app.middlewares if isinstance(m, GateMiddleware)]
    public_paths = gates[0].settings().public_paths if gates else None
    return [
        (method, path, public_paths is None or path in public_paths)
        for method, path in _routes(app)
    ]
