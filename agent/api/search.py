"""Search and the Advanced Search catalogue."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import replace
from typing import Any, TypeVar

from aiohttp import web

from agent.api.common import BACKEND, ok
from agent.api.routes import RouteTable
from agent.errors import BackendUnavailable, NotFound
from agent.query import Params
from agent.search.catalog import CATALOG, KindCatalog
from agent.search.params import search_params, search_request
from shared_schema.search import FiltersResponse, SearchResponse

log = logging.getLogger(__name__)
routes = RouteTable()
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


def _search_params(request: web.Request) -> Params:
    return search_params(_catalog(request))


@routes.get(
    "/search/{kind}",
    "Search customers, orders or returns",
    SearchResponse,
    query=_search_params,
    errors=(400,),
    expand=lambda op: [
        replace(
            op,
            path=f"/search/{kind}",
            summary=f"Search {kind}",
            params=[p.openapi() for p in search_params(catalog)],
        )
        for kind, catalog in CATALOG.items()
    ],
)
async def search(request: web.Request, query: dict[str, Any]) -> web.Response:
    catalog = _catalog(request)
    wanted = search_request(catalog, query)
    return ok(await _unless_abandoned(request, request.app[BACKEND].search(catalog.kind, wanted)))


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


@routes.get(
    "/search/{kind}/filters",
    "Filters and columns of a search kind",
    FiltersResponse,
    expand=lambda op: [
        replace(op, path=f"/search/{kind}/filters", summary=f"Filters and columns for {kind}")
        for kind in CATALOG
    ],
)
async def filters(request: web.Request) -> web.Response:
    catalog = _catalog(request)
    return ok(request.app[BACKEND].filters(catalog.kind))
