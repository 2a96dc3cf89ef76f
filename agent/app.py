"""The application factory: config in, a ready aiohttp application out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.typedefs import Handler

from agent.api import (
    actions,
    entities,
    events,
    health,
    note_templates,
    search,
    sessions,
    team,
    wrapups,
)
from agent.api.common import (
    ADMIN_URL,
    BACKEND,
    CONFIG,
    EVENTS,
    REDACTOR,
    SESSIONS,
    TEAM,
    TOKEN,
    TOKEN_SOURCE,
)
from agent.api.routes import Route, add_routes
from agent.backends.base import Backend
from agent.backends.factory import open_backend
from agent.config import Config, ConfigError
from agent.errors import ApiError, BackendUnavailable
from agent.events import TOKEN_ROTATED, EventHub
from agent.redact import Redactor
from agent.security import GateSettings, Refusal, gate_middleware, response_hygiene_signal
from agent.sessions.store import SessionStore
from agent.team.config import TeamConfigError
from agent.team.ledger import Ledger
from agent.team.link import TeamLink
from agent.team.secret import load_password
from agent.team.transfer import Transfers
from agent.token import ensure_token
from agent.token_watch import TokenSource

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 256 * 1024

ROUTES: list[Route] = [
    route
    for module in (
        health,
        search,
        sessions,
        wrapups,
        note_templates,
        entities,
        actions,
        events,
        team,
    )
    for route in module.routes.routes
]
"""Every route of the API, in the order the README and the OpenAPI document list them."""

HTTP_CODES = {
    404: ("not_found", "No such route: {method} {path}"),
    405: ("method_not_allowed", "{method} is not allowed on {path}"),
}


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give routing errors and storage failures messages that name the problem.

    Everything else (ApiError, unexpected exceptions) is turned into JSON by the gate.
    """
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.status not in HTTP_CODES:
            raise
        code, template = HTTP_CODES[exc.status]
        message = template.format(method=request.method, path=request.path)
        if "Allow" in exc.headers:  # RFC 9110: a 405 names the methods the route has
            raise Refusal(exc.status, code, message, {"Allow": exc.headers["Allow"]}) from None
        raise ApiError(message, code=code, status=exc.status) from None
    except sqlite3.Error as exc:
        log.error("storage error on %s %s: %s", request.method, request.path, exc)
        raise BackendUnavailable(
            f"The agent's storage failed: {exc}", code="storage_error"
        ) from None


def create_app(
    config: Config,
    *,
    backend: Backend | None = None,
    token: str | None = None,
    admin_url: str | None = None,
) -> web.Application:
    """``token``: a fixed token (tests); without it the token file's, followed when rotated.
    ``admin_url``: where this agent serves the demo admin console, for ``/info``."""
    source = (
        TokenSource(token)
        if token
        else TokenSource(ensure_token(config.token_path), config.token_path)
    )
    used = [source.token]
    redactor = Redactor(lambda: used)
    gates: dict[str, GateSettings] = {}

    def gate() -> GateSettings:
        current = source.current()
        if current not in gates:
            gates[current] = GateSettings(
                token=current,
                allowed_origins=config.allowed_origins,
                port=config.port or None,
                max_body_bytes=MAX_BODY_BYTES,
            )
        return gates[current]

    app = web.Application(
        middlewares=[gate_middleware(gate, redactor), error_middleware],
        client_max_size=MAX_BODY_BYTES,
    )
    app[CONFIG] = config
    if admin_url:
        app[ADMIN_URL] = admin_url
    app[TOKEN] = source.token
    app[TOKEN_SOURCE] = source
    app[REDACTOR] = redactor
    app[BACKEND] = backend or open_backend(config)
    app[SESSIONS] = SessionStore(config.state_db_path)
    app[EVENTS] = EventHub()
    source.on_change.append(used.append)
    source.on_change.append(lambda _new: app[EVENTS].drop_all(*TOKEN_ROTATED))
    if config.team is not None:
        _join_team(app, config)
    add_routes(app, ROUTES)
    app.on_response_prepare.append(response_hygiene_signal)
    app.cleanup_ctx.append(_watch_token)
    app.on_shutdown.append(_close_live)
    app.on_cleanup.append(_close_stores)
    return app


def _join_team(app: web.Application, config: Config) -> None:
    """With a [team] section: the link to the team's Redis, started with the app."""
    settings = config.team
    assert settings is not None
    try:
        password = load_password(settings)
    except TeamConfigError as exc:
        raise ConfigError(str(exc)) from None
    events = app[EVENTS]
    link = TeamLink(
        settings,
        settings.desk_name or config.csr_name,
        password,
        app[SESSIONS],
        lambda status: events.publish("team", status),
    )
    events.listeners.append(link.sessions_event)
    ledger = Ledger(config.data_dir / "team.db")
    link.add_transfers(Transfers(link, ledger, lambda state: events.publish("sessions", state)))
    app[TEAM] = link

    async def start(app: web.Application) -> None:
        link.start()

    async def stop(app: web.Application) -> None:
        await link.stop()
        ledger.close()

    app.on_startup.append(start)
    app.on_shutdown.append(stop)


async def _watch_token(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(app[TOKEN_SOURCE].watch()) if app[TOKEN_SOURCE].path else None
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _close_live(app: web.Application) -> None:
    await app[EVENTS].close_all()


async def _close_stores(app: web.Application) -> None:
    await app[BACKEND].close()
    app[SESSIONS].close()
