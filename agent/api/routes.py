"""Each API route declared once: method, path, handler, query parameters, request and response
models, summary, and whether it needs the token.

Every api module collects its routes in a ``RouteTable`` with decorators; ``ROUTES``
(agent/app.py) lists them all. From a ``Route`` come the aiohttp route (``handle`` checks the
query string and the body against the declaration, so a handler receives them parsed), the
OpenAPI operations (``operations``: one per concrete path, e.g. per kind or per action) and
its row of the README's route table (``readme_table``). ``public`` documents what the request
gate (agent/security.py) lets through without the token; a test keeps the two equal.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from agent.api.common import read_model
from agent.query import NO_PARAMS, Params, parse_query

API = "/api/v1"
Handler = Callable[..., Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Op:
    """One documented operation: a route at one concrete path."""

    method: str
    path: str
    summary: str
    response: type[BaseModel] | None
    body: type[BaseModel] | None = None
    params: list[dict[str, Any]] = field(default_factory=list)  # OpenAPI query/header params
    errors: tuple[int, ...] = ()
    status: int = 200
    public: bool = False
    created: bool = False  # may also answer 201 Created
    body_optional: bool = False


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # under /api/v1, in aiohttp's syntax
    handler: Handler
    summary: str
    response: type[BaseModel] | None
    body: type[BaseModel] | None = None  # parsed and passed as ``body``
    body_optional: bool = False  # no body at all: the model's defaults
    # Parsed and passed as ``query``; a function when the parameters depend on the path
    # (the filters of /search/{kind}).
    query: Params | Callable[[web.Request], Params] = NO_PARAMS
    errors: tuple[int, ...] = ()
    status: int = 200
    public: bool = False  # answers without the token
    created: bool = False
    # A route whose path names a kind or an action documents one operation per value.
    expand: Callable[[Op], list[Op]] | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        params = self.query(request) if callable(self.query) else self.query
        inputs: dict[str, Any] = {}
        query = parse_query(params, _query(request))
        if params:
            inputs["query"] = query
        if self.body is not None:
            if self.body_optional and not request.can_read_body:
                inputs["body"] = self.body()
            else:
                inputs["body"] = await read_model(request, self.body)
        return await self.handler(request, **inputs)

    def operations(self) -> list[Op]:
        params = [] if callable(self.query) else [p.openapi() for p in self.query]
        op = Op(
            self.method.lower(),
            re.sub(r"\{(\w+):[^}]*\}", r"{\1}", self.path),
            self.summary,
            self.response,
            self.body,
            params,
            self.errors,
            self.status,
            self.public,
            self.created,
            self.body_optional,
        )
        return self.expand(op) if self.expand else [op]

    def inputs(self) -> list[str]:
        """What the handler must accept besides the request."""
        takes_query = callable(self.query) or bool(self.query)
        return [*(["query"] if takes_query else []), *(["body"] if self.body else [])]


def _query(request: web.Request) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for key, value in request.rel_url.query.items():
        query.setdefault(key, []).append(value)
    return query


class RouteTable:
    """The routes of one api module, declared with decorators on their handlers."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(self, method: str, path: str, summary: str, response: Any, **more: Any) -> Any:
        def declare(handler: Handler) -> Handler:
            self.routes.append(Route(method, path, handler, summary, response, **more))
            return handler

        return declare

    def get(self, path: str, summary: str, response: Any, **more: Any) -> Any:
        return self.route("GET", path, summary, response, **more)

    def post(self, path: str, summary: str, response: Any, **more: Any) -> Any:
        return self.route("POST", path, summary, response, **more)

    def put(self, path: str, summary: str, response: Any, **more: Any) -> Any:
        return self.route("PUT", path, summary, response, **more)

    def delete(self, path: str, summary: str, response: Any, **more: Any) -> Any:
        return self.route("DELETE", path, summary, response, **more)


def add_routes(app: web.Application, routes: Iterable[Route]) -> None:
    for route in routes:
        app.router.add_route(route.method, API + route.path, route.handle)


def handler_matches(route: Route) -> bool:
    """Whether the handler takes exactly the request and the inputs the route declares."""
    names = list(inspect.signature(route.handler).parameters)
    return names[:1] == ["request"] and sorted(names[1:]) == sorted(route.inputs())


def readme_table(routes: Iterable[Route]) -> str:
    """The README's route table (between its ``routes`` markers): one row per route."""
    rows = ["| method | path | what | token |", "| --- | --- | --- | --- |"]
    for route in routes:
        path = re.sub(r"\{\w+:([^}]*)\}", r"{\1}", route.path).replace("|", "\\|")
        summary = route.summary.replace("|", "\\|")
        rows.append(f"| {route.method} | `{path}` | {summary} | {'—' if route.public else 'yes'} |")
    return "\n".join(rows) + "\n"
