"""KiboBackend: the backend protocol (search, details, related lists, actions) over a tenant."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from agent.backends.base import Check, EntityRef
from agent.backends.kibo import search_rows
from agent.backends.kibo.action_keys import FILE_NAME as KEYS_FILE
from agent.backends.kibo.action_keys import ActionKeys
from agent.backends.kibo.action_plan import ActionPlan, segment
from agent.backends.kibo.action_runner import ActionRunner
from agent.backends.kibo.actions_customers import CustomerCall, customer_plan
from agent.backends.kibo.actions_orders import order_plan
from agent.backends.kibo.actions_returns import ReturnCall, return_plan
from agent.backends.kibo.cache import DEFAULT_TTL_S, EntityCache
from agent.backends.kibo.client import KiboClient
from agent.backends.kibo.connection import resolve
from agent.backends.kibo.convert import INT32_MAX, iso, items, number, text
from agent.backends.kibo.diagnose import run_checks
from agent.backends.kibo.filter_syntax import term
from agent.backends.kibo.map_customer import customer_detail
from agent.backends.kibo.map_order import order_detail
from agent.backends.kibo.map_return import return_detail
from agent.backends.kibo.search_lookups import SearchLookups
from agent.backends.kibo.search_query import build_query, typed_order
from agent.backends.kibo.secret import load_secret
from agent.backends.kibo.sections import secondary, split
from agent.config import KiboSettings
from agent.domain.outcome import ActionContext
from agent.errors import NotFound
from agent.search.catalog import CATALOG
from agent.search.params import SearchRequest
from shared_schema.actions import ActionRequest, ActionResult, Outbox
from shared_schema.common import EntityKind, SearchKind
from shared_schema.entities import (
    AuditEntry,
    AuditLogPage,
    CustomerDetail,
    OrderDetail,
    SectionName,
)
from shared_schema.search import FiltersResponse, SearchResponse

KIBO_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ACCOUNTS = "/commerce/customer/accounts"
CUSTOMER_SECTIONS: tuple[SectionName, ...] = (
    "payment_methods",
    "store_credits",
    "wishlists",
    "login_state",
)
CREDITS = "/commerce/customer/credits"


def _not_found(kind: str, entity_id: str) -> NotFound:
    return NotFound(
        f"No {kind} with id '{entity_id}'",
        details={"kind": kind, "id": entity_id},
        code=f"{kind}_not_found",
    )


def _document(raw: Any, kind: str, entity_id: str) -> dict[str, Any]:
    """Kibo's answer as a document; a 200 without one counts as not found."""
    if not isinstance(raw, dict) or not raw:
        raise _not_found(kind, entity_id)
    return raw


async def _together(*calls: Coroutine[Any, Any, Any]) -> list[Any]:
    """Run the calls concurrently; the first failure cancels the rest and is raised as is.

    Secondary sections come wrapped in ``sections.secondary``, so only the essential call (or
    a cancellation) fails the whole.
    """
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(call) for call in calls]
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [task.result() for task in tasks]


class KiboBackend:
    name: Literal["kibo"] = "kibo"

    def __init__(
        self,
        client: KiboClient,
        *,
        cache_ttl_s: float = DEFAULT_TTL_S,
        keys_path: Path | None = None,
    ) -> None:
        """``keys_path``: where Idempotency-Key records persist; None keeps them in memory."""
        self.client = client
        self.cache = EntityCache(cache_ttl_s)
        self.lookups = SearchLookups(client)
        scope = f"{client.connection.tenant}/{client.connection.site}"
        self.actions = ActionRunner(
            client, self.load, self._plan, self.invalidate, ActionKeys(keys_path, scope)
        )

    @classmethod
    def open(cls, settings: KiboSettings, data_dir: Path | None = None) -> KiboBackend:
        keys = data_dir / KEYS_FILE if data_dir is not None else None
        return cls(KiboClient(resolve(settings), load_secret(settings)), keys_path=keys)

    # -- search -------------------------------------------------------------------------

    async def search(
        self, kind: SearchKind, request: SearchRequest, *, extra_filter: str = ""
    ) -> SearchResponse:
        """``extra_filter``: a Kibo filter term the related lists add (an order's returns)."""
        lookups = await self.lookups.resolve(request.filters, typed_order(kind, request.q))
        default = CATALOG[kind].default_sort
        query = build_query(
            kind, request, lookups, catalog_default=default, extra_filter=extra_filter
        )
        pinned: list[dict[str, Any]] = []
        if query.exact is not None:
            data = await self.client.get(query.path, query.exact, what=kind[:-1])
            pinned = search_rows.rows(kind, data)[0][:1]
        if pinned:
            query = build_query(
                kind,
                replace(request, pinned=1),
                lookups,
                catalog_default=default,
                extra_filter=extra_filter,
            )
        found: list[dict[str, Any]] = []
        total: int | None = 0
        if not query.impossible:
            data = await self.client.get(query.path, query.params, what=kind[:-1])
            found, total = search_rows.rows(kind, data)
        found = found[: replace(request, pinned=len(pinned)).limit]
        exact = total is not None
        if total is not None:
            total += len(pinned)
        if request.page == 1:
            found = [*pinned, *found]
        return SearchResponse(
            kind=kind,
            q=request.q,
            total=total if exact else request.offset + len(found),
            total_exact=exact,
            page=request.page,
            page_size=request.page_size,
            sort=request.sort,
            order=request.order,
            interpretation=query.interpretation,
            columns=search_rows.columns(kind),
            results=found,
        )

    def filters(self, kind: SearchKind) -> FiltersResponse:
        catalog = CATALOG[kind]
        return FiltersResponse(
            kind=kind,
            filters=search_rows.filters(kind),
            columns=search_rows.columns(kind),
            default_sort=search_rows.default_sort(kind),
            default_order=catalog.default_order,
        )

    # -- entities -----------------------------------------------------------------------

    @staticmethod
    def _check_id(kind: EntityKind, entity_id: str) -> None:
        if kind == "customer":
            ok = entity_id.isascii() and entity_id.isdigit() and 0 < int(entity_id) <= INT32_MAX
        else:
            ok = bool(KIBO_ID.match(entity_id))
        if not ok:
            raise _not_found(kind, entity_id)

    async def get_entity(self, kind: EntityKind, entity_id: str) -> Any:
        self._check_id(kind, entity_id)
        cached = self.cache.get(kind, entity_id)
        if cached is not None:
            return cached
        _, detail = await self.load(kind, entity_id)
        return detail

    async def load(self, kind: EntityKind, entity_id: str) -> tuple[Any, Any]:
        """Kibo's document and our detail, fresh from Kibo (and then cached when complete)."""
        self._check_id(kind, entity_id)
        loaders = {"customer": self._customer, "order": self._order, "return": self._return}
        raw, detail = await loaders[kind](entity_id)
        if not getattr(detail, "unavailable_sections", None):  # a partial detail: retry next time
            self.cache.put(kind, entity_id, detail)
        return raw, detail

    async def _customer(self, account_id: str) -> tuple[Any, CustomerDetail]:
        mine: dict[str, str | int] = {
            "filter": term("customerId", "eq", int(account_id)),
            "pageSize": 50,
        }
        get = self.client.get
        account, *rest = await _together(
            get(f"{ACCOUNTS}/{account_id}", what="customer"),
            secondary("payment_methods", get(f"{ACCOUNTS}/{account_id}/cards", what="customer")),
            secondary(
                "store_credits", get("/commerce/customer/credits", mine, what="store credit")
            ),
            secondary(
                "wishlists",
                get(
                    "/commerce/wishlists",
                    mine | {"filter": term("customerAccountId", "eq", int(account_id))},
                    what="wishlist",
                ),
            ),
            # Asked for every account, beside the others: waiting for the account to tell a
            # guest (no login, no sign-in state) would add a round trip to every open.
            secondary("login_state", get(f"{ACCOUNTS}/{account_id}/loginstate", what="customer")),
        )
        data, missing = split(dict(zip(CUSTOMER_SECTIONS, rest, strict=True)))
        return account, customer_detail(
            _document(account, "customer", account_id),
            data["payment_methods"],
            data["store_credits"],
            data["wishlists"],
            missing,
            data["login_state"],
        )

    async def _order(self, order_id: str) -> tuple[Any, OrderDetail]:
        order, returns = await _together(
            self.client.get(f"/commerce/orders/{order_id}", what="order"),
            secondary(
                "returns",
                self.client.get(
                    "/commerce/returns",
                    {"filter": term("originalOrderId", "eq", order_id), "pageSize": 200},
                    what="return",
                ),
            ),
        )
        data, missing = split({"returns": returns})
        return order, order_detail(_document(order, "order", order_id), data["returns"], missing)

    async def _return(self, return_id: str) -> tuple[Any, Any]:
        ret = await self.client.get(f"/commerce/returns/{return_id}", what="return")
        return ret, return_detail(_document(ret, "return", return_id))

    async def entity_ref(self, kind: EntityKind, entity_id: str) -> EntityRef:
        detail = await self.get_entity(kind, entity_id)
        if kind == "customer":
            return EntityRef(
                kind=kind,
                id=detail.id,
                title=detail.full_name,
                customer_key=detail.id,
                customer_id=detail.id,
                customer_name=detail.full_name,
            )
        title = f"{'Order' if kind == 'order' else 'Return'} #{detail.number}"
        return EntityRef(
            kind=kind,
            id=detail.id,
            title=title,
            customer_key=detail.customer_id or detail.email or "guest",
            customer_id=detail.customer_id,
            customer_name=detail.customer_name,
        )

    async def related(
        self, kind: EntityKind, entity_id: str, relation: str, page: int, page_size: int
    ) -> Any:
        self._check_id(kind, entity_id)
        if relation == "audit-log":
            return await self._audit_log(entity_id, page, page_size)
        target: SearchKind = "orders" if relation == "orders" else "returns"
        filters: dict[str, Any] = {}
        extra = ""
        if kind == "customer":
            await self.get_entity(kind, entity_id)  # 404 for an unknown customer
            filters = {"customer_id": int(entity_id)}
        else:
            order = await self.get_entity(kind, entity_id)
            extra = term("originalorderid", "eq", order.id)
        return await self.search(
            target,
            SearchRequest(
                sort=search_rows.default_sort(target),
                order="desc",
                page=page,
                page_size=page_size,
                filters=filters,
            ),
            extra_filter=extra,
        )

    async def _audit_log(self, account_id: str, page: int, page_size: int) -> AuditLogPage:
        data = await self.client.get(
            f"{ACCOUNTS}/{account_id}/AuditLog/Entries",
            {
                "startIndex": (page - 1) * page_size,
                "pageSize": page_size,
                "sortBy": "entryDate desc",
            },
            what="customer",
        )
        entries = [
            AuditEntry(
                id=number(e, "customerAuditEntryId"),
                at=iso(e.get("entryDate")) or "1970-01-01T00:00:00Z",
                who=text(e, "entryUser") or text(e, "application") or "System",
                action=text(e, "description"),
                field=text(e, "fieldPath") or None,
                old_value=e.get("oldValue") if isinstance(e.get("oldValue"), str) else None,
                new_value=e.get("newValue") if isinstance(e.get("newValue"), str) else None,
            )
            for e in items(data, "items")
        ]
        total = number(data, "totalCount", len(entries))
        return AuditLogPage(entries=entries, total=total, page=page, page_size=page_size)

    # -- actions ------------------------------------------------------------------------

    async def perform(
        self,
        kind: EntityKind,
        entity_id: str,
        action: str,
        request: ActionRequest,
        ctx: ActionContext,
        idempotency_key: str | None,
    ) -> ActionResult:
        self._check_id(kind, entity_id)
        return await self.actions.perform(kind, entity_id, action, request, ctx, idempotency_key)

    async def _plan(
        self, kind: EntityKind, action: str, request: ActionRequest, raw: Any, detail: Any
    ) -> ActionPlan:
        if kind == "order":
            return order_plan(action, request, raw, detail)
        if kind == "return":
            order: Any = None
            if action == "refund" and getattr(request, "mode", "") == "manual" and detail.order_id:
                # The refund goes back to the order's payment (referenceSourcePaymentId).
                order = await self.client.get(
                    f"/commerce/orders/{segment(detail.order_id)}", what="order"
                )
            return return_plan(action, ReturnCall(request, raw, detail, order))
        credit: Any = None
        code = getattr(request, "code", None)
        if isinstance(code, str) and any(c.code == code for c in detail.store_credits):
            if action == "edit_store_credit_expiry":
                # The credit's PUT takes the whole credit: read it as Kibo has it now.
                credit = await self.client.get(f"{CREDITS}/{segment(code)}", what="store credit")
            elif action == "delete_store_credit":
                # Whether it was spent on an order is in its transactions (not loaded with it).
                credit = await self.client.get(
                    f"{CREDITS}/{segment(code)}/transactions",
                    {"pageSize": 200},
                    what="store credit",
                )
        return customer_plan(
            action,
            CustomerCall(
                request,
                raw,
                detail,
                await self._segment_ids(raw, getattr(request, "segment", None)),
                credit=credit,
                now=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            ),
        )

    async def _segment_ids(self, account: Any, code: str | None) -> dict[str, int]:
        """Segment code -> id: the account's own, then the tenant's list for a new one."""
        ids = {text(s, "code"): number(s, "id") for s in items(account, "segments")}
        if code and code not in ids:
            found = await self.client.get(
                "/commerce/customer/segments",
                {"filter": term("code", "eq", code), "pageSize": 1},
                what="segment",
            )
            ids |= {text(s, "code"): number(s, "id") for s in items(found, "items")}
        return ids

    async def outbox(self, limit: int) -> Outbox:
        """Kibo sends its own emails; the agent keeps no copy of them."""
        return Outbox(messages=[])

    # -- upkeep -------------------------------------------------------------------------

    def invalidate(self, kind: EntityKind, entity_id: str) -> None:
        """Every action through the agent calls this for each entity it changed."""
        self.cache.invalidate(kind, entity_id)

    async def checks(self) -> list[Check]:
        return await run_checks(self.client)

    async def close(self) -> None:
        self.actions.keys.close()
        await self.client.close()
