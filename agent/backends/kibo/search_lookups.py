"""What some filters must ask Kibo before the search: a segment's id, an order's id.

Kibo's admin filters accounts by ``segments.id`` (the panel offers segment codes) and returns by
``originalorderid`` (the panel offers the order number), so the codes and numbers are looked
up first: segments by ``code`` (kept for a few minutes; the tenant's list rarely changes),
orders by ``ordernumber`` (every time; it is one small call). Bare digits typed in a return
search are an order number too (``typed_order``): that order's id is looked up the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from agent.backends.kibo.client import KiboClient
from agent.backends.kibo.convert import INT32_MAX, items, number, text
from agent.backends.kibo.filter_syntax import any_of, term
from agent.backends.kibo.search_query import Lookups
from agent.search.params import FilterValue

SEGMENT_TTL_S = 300.0
MAX_LOOKUP = 20  # values per filter; an enum filter holds a handful


def _strings(value: FilterValue) -> list[str]:
    return [str(v) for v in (value if isinstance(value, tuple) else (value,))][:MAX_LOOKUP]


class SearchLookups:
    def __init__(self, client: KiboClient, *, clock: Callable[[], float] = time.monotonic):
        self._client = client
        self._clock = clock
        self._segments: dict[str, tuple[float, int | None]] = {}

    async def resolve(
        self, filters: Mapping[str, FilterValue], typed_order: int | None = None
    ) -> Lookups:
        segment_ids: dict[str, int] = {}
        order_ids: dict[int, str] = {}
        if "segment" in filters:
            segment_ids = await self._segment_ids(_strings(filters["segment"]))
        for order_number in dict.fromkeys((filters.get("order_number"), typed_order)):
            if isinstance(order_number, int) and 0 < order_number <= INT32_MAX:
                found = await self._order_id(order_number)
                if found:
                    order_ids[order_number] = found
        return Lookups(segment_ids=segment_ids, order_ids=order_ids)

    async def _segment_ids(self, codes: list[str]) -> dict[str, int]:
        now = self._clock()
        fresh = {c: e for c, e in self._segments.items() if now - e[0] < SEGMENT_TTL_S}
        missing = [c for c in codes if c not in fresh]
        if missing:
            data: Any = await self._client.get(
                "/commerce/customer/segments",
                {"filter": any_of(term("code", "eq", c) for c in missing), "pageSize": 200},
                what="segment",
            )
            found = {text(s, "code"): number(s, "id") for s in items(data, "items")}
            for code in missing:
                fresh[code] = (now, found.get(code) or None)
            self._segments = fresh
        return {c: i for c in codes if (i := fresh[c][1]) is not None}

    async def _order_id(self, order_number: int) -> str:
        data: Any = await self._client.get(
            "/commerce/orders",
            {
                "filter": term("ordernumber", "eq", order_number),
                "pageSize": 1,
                "responseFields": "items(id),totalCount",
            },
            what="order",
        )
        return next((text(o, "id") for o in items(data, "items") if text(o, "id")), "")
