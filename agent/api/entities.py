"""Customer, order and return details with their related lists. Orders are never created here."""

from __future__ import annotations

from aiohttp import web

from agent.api.common import BACKEND, ok
from agent.errors import BadRequest, MethodNotAllowed
from agent.search.catalog import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE

routes = web.RouteTableDef()

KINDS = {"customers": "customer", "orders": "order", "returns": "return"}
RELATIONS = {
    ("customers", "orders"),
    ("customers", "returns"),
    ("customers", "audit-log"),
    ("orders", "returns"),
    ("orders", "audit-log"),
    ("returns", "audit-log"),
}


def _paging(request: web.Request) -> tuple[int, int]:
    query = request.rel_url.query
    unknown = sorted(set(query) - {"page", "page_size"})
    if unknown:
        raise BadRequest(
            f"Unknown parameter '{unknown[0]}'",
            details={"param": unknown[0]},
            code="unknown_parameter",
        )

    def number(name: str, default: int, high: int) -> int:
        raw = query.get(name, str(default))
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= high:
            raise BadRequest(
                f"Parameter '{name}': must be a whole number from 1 to {high}",
                details={"param": name},
                code="invalid_parameter",
            )
        return int(raw)

    return number("page", 1, MAX_PAGE), number("page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def _no_query(request: web.Request) -> None:
    if request.rel_url.query:
        name = next(iter(request.rel_url.query))
        raise BadRequest(
            f"Unknown parameter '{name}'", details={"param": name}, code="unknown_parameter"
        )


@routes.get(r"/api/v1/{collection:customers|orders|returns}/{id}")
async def entity(request: web.Request) -> web.Response:
    _no_query(request)
    kind = KINDS[request.match_info["collection"]]
    detail = await request.app[BACKEND].get_entity(kind, request.match_info["id"])  # type: ignore[arg-type]
    return ok(detail)


@routes.get(
    r"/api/v1/{collection:customers|orders|returns}/{id}/{relation:orders|returns|audit-log}"
)
async def related(request: web.Request) -> web.Response:
    collection, relation = request.match_info["collection"], request.match_info["relation"]
    if (collection, relation) not in RELATIONS:
        raise web.HTTPNotFound()
    page, page_size = _paging(request)
    kind = KINDS[collection]
    result = await request.app[BACKEND].related(
        kind,  # type: ignore[arg-type]
        request.match_info["id"],
        relation,
        page,
        page_size,
    )
    return ok(result)


@routes.post("/api/v1/orders")
async def create_order(request: web.Request) -> web.Response:
    raise MethodNotAllowed(
        "Orders are not created in the Call Center. Create new orders in the store's "
        "Orders screen; here you can update existing orders only.",
        code="orders_created_elsewhere",
    )
