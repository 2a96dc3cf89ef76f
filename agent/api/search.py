"""Search and the Advanced Search catalogue."""

from __future__ import annotations

from aiohttp import web

from agent.api.common import BACKEND, ok
from agent.errors import NotFound
from agent.search.catalog import CATALOG, KindCatalog
from agent.search.params import parse_search_request

routes = web.RouteTableDef()


def _catalog(request: web.Request) -> KindCatalog:
    kind = request.match_info["kind"]
    catalog = CATALOG.get(kind)
    if catalog is None:
        raise NotFound(f"Unknown search kind '{kind}' (use customers, orders or returns)",
                       details={"allowed": sorted(CATALOG)}, code="unknown_kind")
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
    return ok(await request.app[BACKEND].search(catalog.kind, search_request))


@routes.get("/api/v1/search/{kind}/filters")
async def filters(request: web.Request) -> web.Response:
    catalog = _catalog(request)
    return ok(request.app[BACKEND].filters(catalog.kind))
