"""Search and the Advanced Search catalogue."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

from aiohttp import web

from agent.api.common import BACKEND, ok
from agent.errors import BackendUnavailable, NotFound
from agent.search.catalog import CATALOG, KindCatalog
from agent.search.params import parse_search_request

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
T = TypeVar("T")
# How often a running search checks that its client is still connected.
DISCONNECT_POLL_S = 0.01


def _catalog(request: web.Request) -> KindCatalog:
    kind = request.match_info["kind"]
    catalog = CATALOG.get(kind)
    if catalog is None:
        raise NotFound(
            f"Unknown search kind '{kind}' (use customers, orders or returns)",
            details={"allowed": sorted(CATALOG)},
            code="unknown_kind",
        )
    return catalog


def _query(request: web.Request) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for key, value in request.rel_url.query.items():
        query.setdefault(key, []).append(value)
    return query


@routes.get("/api/v1/search/{kind}")
async def search(request: web.Request) -> web.Response:
    catalog = _catalog(request)
    search_request = parse_search_request(catalog, _query(request))
    return ok(
        await _unless_abandoned(request, request.app[BACKEND].search(catalog.kind, search_request))
    )


async def _unless_abandoned(request: web.Request, work: Awaitable[T]) -> T:
    """Await ``work``, cancelling it when the client disconnects (or this handler is cancelled).

    The backend interrupts a cancelled search's SQLite statement, so an abandoned typeahead
    request stops holding one of the store's few threads.
    """
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=DISCONNECT_POLL_S)
            if done:
                return task.result()
            transport = request.transport
            if transport is None or transport.is_closing():
                task.cancel()
                log.info("search abandoned by its client: %s", request.rel_url)
                raise BackendUnavailable("The client went away", code="client_gone")
    except asyncio.CancelledError:
        task.cancel()
        raise


@routes.get("/api/v1/search/{kind}/filters")
async def filters(request: web.Request) -> web.Response:
    catalog = _catalog(request)
    return ok(request.app[BACKEND].filters(catalog.kind))
