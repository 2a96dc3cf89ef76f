"""Customer, order and return details with their related lists. Orders are never created here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from agent.api.common import BACKEND, ok
from agent.api.routes import Op, RouteTable
from agent.errors import MethodNotAllowed
from agent.search.params import PAGING
from shared_schema.common import KIND_OF
from shared_schema.entities import AuditLogPage, CustomerDetail, OrderDetail, ReturnDetail
from shared_schema.search import SearchResponse
from shared_schema.sessions import OpenEntity

routes = RouteTable()

DETAILS: dict[str, tuple[str, type[BaseModel]]] = {
    "customers": ("Customer details", CustomerDetail),
    "orders": ("Order details", OrderDetail),
    "returns": ("Return details", ReturnDetail),
}
# (collection, relation) -> (summary, response): the related lists each kind has.
RELATIONS: dict[tuple[str, str], tuple[str, type[BaseModel]]] = {
    ("customers", "orders"): ("The customer's orders", SearchResponse),
    ("customers", "returns"): ("The customer's returns", SearchResponse),
    ("customers", "audit-log"): ("The customer's audit log", AuditLogPage),
    ("orders", "returns"): ("Returns of the order", SearchResponse),
    ("orders", "audit-log"): ("The order's audit log", AuditLogPage),
    ("returns", "audit-log"): ("The return's audit log", AuditLogPage),
}


def _details(op: Op) -> list[Op]:
    return [
        replace(op, path=f"/{collection}/{{id}}", summary=summary, response=model)
        for collection, (summary, model) in DETAILS.items()
    ]


def _relations(op: Op) -> list[Op]:
    return [
        replace(op, path=f"/{collection}/{{id}}/{relation}", summary=summary, response=model)
        for (collection, relation), (summary, model) in RELATIONS.items()
    ]


@routes.get(
    r"/{collection:customers|orders|returns}/{id}",
    "Customer, order or return details",
    None,
    errors=(404,),
    expand=_details,
)
async def entity(request: web.Request) -> web.Response:
    kind = KIND_OF[request.match_info["collection"]]  # type: ignore[index]
    return ok(await request.app[BACKEND].get_entity(kind, request.match_info["id"]))


@routes.get(
    r"/{collection:customers|orders|returns}/{id}/{relation:orders|returns|audit-log}",
    "Related lists: a customer's orders, returns and audit log, an order's returns and audit "
    "log, a return's audit log",
    None,
    query=PAGING,
    errors=(400, 404),
    expand=_relations,
)
async def related(request: web.Request, query: dict[str, Any]) -> web.Response:
    collection, relation = request.match_info["collection"], request.match_info["relation"]
    if (collection, relation) not in RELATIONS:
        raise web.HTTPNotFound()
    result = await request.app[BACKEND].related(
        KIND_OF[collection],  # type: ignore[index]
        request.match_info["id"],
        relation,
        query["page"],
        query["page_size"],
    )
    return ok(result)


@routes.post(
    "/orders",
    "Refused: orders are created in the store's Orders screen",
    None,
    errors=(405,),
    status=405,
    # Documented with the body a client would send, so the refusal is what it meets; the
    # handler reads none.
    expand=lambda op: [replace(op, body=OpenEntity)],
)
async def create_order(request: web.Request) -> web.Response:
    raise MethodNotAllowed(
        "Orders are not created in the Call Center. Create new orders in the store's "
        "Orders screen; here you can update existing orders only.",
        code="orders_created_elsewhere",
    )
