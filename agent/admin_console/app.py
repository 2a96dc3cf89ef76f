"""The admin console's app factory and its gate: loopback Host, plain paths, GET/HEAD only.

No token: the console is a web site for the CSR's own browser tab, like a real admin console.
It never writes, sends no CORS headers and forbids framing, so other pages can neither read
nor frame it; the Host check keeps DNS-rebinding pages out (docs/security.md).

Checks, in order, each answered with an HTML error page: plain path (400), loopback Host with
the console's port (421), GET or HEAD (405), fetch metadata (403: another site may only open a
page in a tab, never load one as an image, script, style, frame or fetch, so it cannot time
searches or probe ids), no request body (413). Every answer carries ``HEADERS``;
``Cross-Origin-Resource-Policy: same-origin`` makes browsers drop any no-cors load of a page
from another origin, even one that gets past the fetch-metadata check (a browser without it).
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from agent.admin_console import views
from agent.admin_console.html import error_page
from agent.admin_console.views import BACKEND
from agent.backends.base import Backend
from agent.errors import ApiError
from agent.security import check_host, check_path

log = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD"})
TRUSTED_SITES = frozenset({"same-origin", "none"})
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _html_error(status: int, message: str) -> web.Response:
    return web.Response(
        text=error_page(status, message), status=status, content_type="text/html", charset="utf-8"
    )


def cross_site_load(request: web.BaseRequest) -> bool:
    """A browser request from another site (or the API's port: same-site) that is not a
    top-level navigation. Requests without fetch metadata (not a browser) pass."""
    sites = request.headers.getall("Sec-Fetch-Site", [])
    if not sites:
        return False
    if len(sites) > 1:
        return True
    if sites[0] in TRUSTED_SITES:
        return False
    return not (
        request.headers.getall("Sec-Fetch-Mode", []) == ["navigate"]
        and request.headers.getall("Sec-Fetch-Dest", []) == ["document"]
    )


def admin_gate(port: int | None) -> Middleware:
    @web.middleware
    async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
        refusal = check_path(request.raw_path) or check_host(request, port)
        if refusal is not None:
            response: web.StreamResponse = _html_error(refusal.status, refusal.message)
        elif request.method not in READ_METHODS:
            response = _html_error(405, "The admin console is read-only.")
            response.headers["Allow"] = "GET, HEAD"
        elif cross_site_load(request):
            response = _html_error(
                403, "Other sites may link to the admin console but not load its pages into theirs."
            )
        elif request.body_exists:
            # Answered before reading; aiohttp drains what was sent (lingering close).
            response = _html_error(413, "The admin console takes no request body.")
        else:
            try:
                response = await handler(request)
            except ApiError as error:
                response = _html_error(error.status, error.message)
            except web.HTTPException as exc:
                if exc.status < 400:
                    raise
                response = _html_error(exc.status, exc.reason)
            except Exception:
                log.exception("admin console failed on %s", request.path)
                response = _html_error(500, "The admin console hit an internal error.")
        response.headers.update(HEADERS)
        return response

    return gate


def create_admin_app(backend: Backend, *, port: int | None = None) -> web.Application:
    """``port``: the port the console listens on, checked in Host (None: any port)."""
    app = web.Application(middlewares=[admin_gate(port)], client_max_size=1024)
    app[BACKEND] = backend
    app.add_routes(views.routes)
    return app
