"""Requests aiohttp cannot parse get a fixed answer that repeats nothing of what was sent
(docs/security.md, "no token in logs or error bodies").

aiohttp answers a malformed request line or header itself, before any of the agent's code
runs, with a plain-text 400 quoting the bad bytes, a token pasted there included. Its
``RequestHandler.handle_error`` is the hook for that answer; ``quiet_parse_errors`` makes each
connection of a server use ``QuietRequestHandler``, which keeps aiohttp's logging (through the
redacting log filter) and answers the project's error shape with a fixed message instead.
aiohttp builds the handlers itself, so the class is swapped as each connection is made;
``tests/security/test_token_in_logs.py`` fails if aiohttp changes that.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestHandler

from agent.errors import ApiError
from agent.security import error_response

MESSAGE = (
    "The request line or a header could not be parsed as HTTP/1.1; nothing of it is repeated here."
)


class QuietRequestHandler(RequestHandler):
    __slots__ = ()

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if not isinstance(exc, HttpProcessingError):
            return super().handle_error(request, status, exc, message)
        super().handle_error(request, status, exc, MESSAGE)  # logs it; raises if already answering
        response = error_response(ApiError(MESSAGE, code="malformed_request", status=status))
        response.force_close()
        return response


def quiet_parse_errors(server: web.Server) -> None:
    made = server.connection_made

    def connection_made(handler: RequestHandler, transport: Any) -> None:
        if type(handler) is RequestHandler:
            handler.__class__ = QuietRequestHandler
        made(handler, transport)

    server.connection_made = connection_made  # type: ignore[method-assign]
