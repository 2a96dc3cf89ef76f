"""A fake Kibo tenant on a loopback port: real HTTP, the documented shapes, nothing more.

Every request the backend sends is checked against Kibo's published OpenAPI documents before
it is answered, and every answer is checked before it is sent (tests/kibo/openapi_docs.py).
A request the documents do not allow gets a 400 and is recorded in ``violations``; tests
assert that list stays empty. Knobs: ``faults`` (answer the next matching calls with a status,
after carrying the write out when ``applied``), ``delay_s``, ``token_lifetime_s``,
``revoke_tokens()``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.kibo import fake_data
from tests.kibo import fake_write_credits as fake_credits
from tests.kibo.fake_lists import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, RULES
from tests.kibo.fake_query import (
    QueryError,
    matches_words,
    parse_filter,
    parse_response_fields,
    parse_sort,
    project,
    sort_items,
)
from tests.kibo.fake_routes import find_write
from tests.kibo.fake_write_customers import login_state
from tests.kibo.fake_writes import EMPTY, Refusal
from tests.kibo.openapi_docs import ContractError, check_request, check_response, documents

CLIENT_ID = "fake-app.callcenter.1.0.0.Release"
CLIENT_SECRET = "fake-secret-0123456789abcdef"
TENANT = "1"
SITE = "23456"
# Orders and returns are site-level APIs: Kibo answers them in a site's context.
SITE_LEVEL = ("/api/commerce/orders", "/api/commerce/returns")


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class Fault:
    status: int
    path_contains: str = ""
    retry_after: str | None = None
    body: dict[str, Any] | None = None
    times: int = 1
    applied: bool = False  # the write is carried out, then its answer is lost to the fault
    method: str = ""  # only calls with this method (any when empty)


@dataclass
class FakeKibo:
    data: dict[str, Any] = field(default_factory=fake_data.tenant)
    token_lifetime_s: int = 3600
    delay_s: float = 0.0
    requests: list[Seen] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    faults: deque[Fault] = field(default_factory=deque)
    tokens: set[str] = field(default_factory=set)
    cancelled: int = 0
    url: str = ""
    _runner: web.AppRunner | None = None
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> str:
        documents()  # SpecsMissing here, not a 400 on the first request, without the documents
        app = web.Application(middlewares=[self._middleware])
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def revoke_tokens(self) -> None:
        self.tokens.clear()

    def calls(self, path_contains: str = "") -> list[Seen]:
        return [r for r in self.requests if path_contains in r.path]

    # -- plumbing -----------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        raw = await request.read()
        query = dict(request.query)
        headers = {k: v for k, v in request.headers.items()}
        seen = Seen(request.method, request.path, query, headers, json.loads(raw) if raw else None)
        self.requests.append(seen)
        try:
            check_request(request.method, request.path, query, headers, raw or None)
        except ContractError as exc:
            self.violations.append(str(exc))
            return self._error(400, "VALIDATION_CONFLICT", f"contract: {exc}")
        try:
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            fault = self._take_fault(request.method, request.path)
            if fault is not None:
                if fault.applied:
                    await handler(request)
                headers_out = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                body = fault.body or {
                    "message": f"injected {fault.status}",
                    "errorCode": "UNEXPECTED_ERROR",
                    "correlationId": f"corr-{next(self._counter)}",
                }
                return web.json_response(body, status=fault.status, headers=headers_out)
            if not request.path.endswith("/authtickets/oauth") and not self._authorised(headers):
                return self._error(401, "UNAUTHORIZED", "Token Not Authorized")
            if request.path.startswith(SITE_LEVEL) and headers.get("x-vol-site") != SITE:
                return self._error(
                    400,
                    "MISSING_OR_INVALID_PARAMETER",
                    "A site context (x-vol-site) is required for orders and returns",
                    [("x-vol-site", headers.get("x-vol-site", ""))],
                )
            return await handler(request)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in list(self.faults):
            if fault.path_contains in path and fault.method in ("", method):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _authorised(self, headers: dict[str, str]) -> bool:
        auth = headers.get("Authorization", "")
        ok = auth.startswith("Bearer ") and auth[7:] in self.tokens
        return ok and headers.get("x-vol-tenant") == TENANT

    def _error(
        self,
        status: int,
        code: str,
        message: str,
        additional: list[tuple[str, str]] | None = None,
    ) -> web.Response:
        """Kibo's error body (Mozu/mozu-dotnet Mozu.Api/ApiException.cs reads ``message``,
        ``applicationName``, ``errorCode``, ``items`` and ``additionalErrorData`` from it) with
        the correlation id in the ``x-vol-correlation`` header (Mozu.Api/Utilities/
        ResponseHelper.cs)."""
        return web.json_response(
            {
                "message": message,
                "errorCode": code,
                "applicationName": "fake-kibo",
                "additionalErrorData": [{"name": n, "value": v} for n, v in additional or []],
                "items": [],
            },
            status=status,
            headers={"x-vol-correlation": f"corr-{next(self._counter)}"},
        )

    def _answer_empty(self, request: web.Request) -> web.Response:
        try:
            check_response(request.method, request.path, dict(request.query), 200, None)
        except ContractError as exc:
            self.violations.append(str(exc))
            return self._error(500, "UNEXPECTED_ERROR", f"fake answer breaks contract: {exc}")
        return web.Response(status=200)

    def _answer(self, request: web.Request, payload: Any, status: int = 200) -> web.Response:
        try:
            check_response(request.method, request.path, dict(request.query), status, payload)
        except ContractError as exc:
            self.violations.append(str(exc))
            return self._error(500, "UNEXPECTED_ERROR", f"fake answer breaks contract: {exc}")
        return web.json_response(payload, status=status)

    # -- routes -------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        parts = request.path.removeprefix("/api/").split("/")
        method = request.method
        if parts == ["platform", "applications", "authtickets", "oauth"] and method == "POST":
            return await self._oauth(request)
        if method != "GET":
            return await self._write(request, method, parts)
        match parts:
            case ["commerce", "customer", "accounts"]:
                return self._list(request, list(self.data["accounts"].values()), "accounts")
            case ["commerce", "customer", "accounts", account_id]:
                return self._one(request, self._account(account_id), "account")
            case ["commerce", "customer", "accounts", account_id, "cards"]:
                self._account_or_404(account_id)
                cards = self.data["cards"].get(int(account_id), [])
                return self._answer(request, {"totalCount": len(cards), "items": cards})
            case ["commerce", "customer", "accounts", account_id, "AuditLog", "Entries"]:
                self._account_or_404(account_id)
                entries = self.data["audit"].get(int(account_id), [])
                return self._list(request, entries, "audit")
            case ["commerce", "customer", "accounts", account_id, "loginstate"]:
                self._account_or_404(account_id)
                state = login_state(self.data, self._account(account_id))
                return self._one(request, state, "login state")
            case ["commerce", "customer", "credits"]:
                return self._list(request, self.data["credits"], "credits")
            case ["commerce", "customer", "credits", code]:
                return self._one(request, fake_credits.credit(self.data, code), "credit")
            case ["commerce", "customer", "credits", code, "transactions"]:
                if fake_credits.credit(self.data, code) is None:
                    return self._error(404, "ITEM_NOT_FOUND", "credit not found")
                return self._answer(request, fake_credits.transactions(self.data, code))
            case ["commerce", "customer", "segments"]:
                return self._list(request, self.data["segments"], "segments")
            case ["commerce", "wishlists"]:
                return self._list(request, self.data["wishlists"], "wishlists")
            case ["commerce", "orders"]:
                return self._list(request, list(self.data["orders"].values()), "orders")
            case ["commerce", "orders", order_id]:
                return self._one(request, self.data["orders"].get(order_id), "order")
            case ["commerce", "returns"]:
                return self._list(request, list(self.data["returns"].values()), "returns")
            case ["commerce", "returns", return_id]:
                return self._one(request, self.data["returns"].get(return_id), "return")
        return self._error(404, "ITEM_NOT_FOUND", f"the fake has no {request.path}")

    async def _write(
        self, request: web.Request, method: str, parts: list[str]
    ) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw) if raw else None
        found = find_write(method, "/" + "/".join(parts))
        if found is None:
            return self._error(
                501,
                "NOT_IMPLEMENTED",
                f"the fake does not do {method} {request.path} (the request itself was valid)",
            )
        handler, params = found
        try:
            answer = handler(self.data, params, body, dict(request.query))
        except Refusal as refused:
            return self._error(refused.status, refused.code, refused.message)
        if answer is EMPTY:
            return self._answer_empty(request)
        return self._answer(request, answer)

    async def _oauth(self, request: web.Request) -> web.Response:
        body = await request.json()
        if (body.get("client_id"), body.get("client_secret"), body.get("grant_type")) != (
            CLIENT_ID,
            CLIENT_SECRET,
            "client_credentials",
        ):
            return self._error(401, "UNAUTHORIZED", "Invalid client credentials")
        token = f"tok-{next(self._counter)}"
        self.tokens.add(token)
        return self._answer(
            request,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.token_lifetime_s,
                "refresh_token": f"ref-{token}",
            },
        )

    def _account(self, raw_id: str) -> Any:
        return self.data["accounts"].get(int(raw_id)) if raw_id.isdigit() else None

    def _account_or_404(self, raw_id: str) -> None:
        if self._account(raw_id) is None:
            raise web.HTTPNotFound()

    def _one(self, request: web.Request, doc: Any, what: str) -> web.Response:
        if doc is None:
            return self._error(404, "ITEM_NOT_FOUND", f"{what} not found")
        return self._answer(request, doc)

    def _list(self, request: web.Request, found: list[Any], kind: str) -> web.Response:
        rules = RULES[kind]
        query = request.query
        try:
            if query.get("filter"):
                predicate = parse_filter(query["filter"], rules)
                found = [item for item in found if predicate(item)]
            if query.get("q"):
                found = [i for i in found if matches_words(i, query["q"], rules.q_fields)]
            if query.get("sortBy"):
                found = sort_items(found, parse_sort(query["sortBy"], rules))
            shape = (
                parse_response_fields(query["responseFields"])
                if "responseFields" in query
                else None
            )
        except QueryError as exc:
            return self._error(400, "VALIDATION_CONFLICT", str(exc), [("parameter", str(exc))])
        start = int(query.get("startIndex", "0"))
        asked = int(query.get("pageSize", str(DEFAULT_PAGE_SIZE))) or DEFAULT_PAGE_SIZE
        size = min(asked, MAX_PAGE_SIZE)
        answer = {
            "startIndex": start,
            "pageSize": size,
            "totalCount": len(found),
            "pageCount": (len(found) + size - 1) // size,
            "items": found[start : start + size],
        }
        return self._answer(request, project(answer, shape) if shape else answer)
