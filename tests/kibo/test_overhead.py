"""The agent adds little to Kibo's own time: search through the backend vs the same raw call."""

from __future__ import annotations

import time

import aiohttp

from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.search_query import build_query
from agent.search.catalog import CATALOG
from agent.search.params import parse_search_request
from tests.kibo.fake_kibo import SITE, FakeKibo

ROUNDS = 20
BUDGET_MS = 5.0


async def test_search_overhead_is_under_five_milliseconds(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    request = parse_search_request(CATALOG["orders"], {"q": ["john"], "page_size": ["25"]})
    query = build_query("orders", request)
    bearer = await backend.client.tokens.bearer()
    headers = {"Authorization": f"Bearer {bearer}", "x-vol-tenant": "1", "x-vol-site": SITE}
    url = backend.client.connection.url(query.path)
    fake.delay_s = 0.02
    ours, raw = [], []
    async with aiohttp.ClientSession() as session:
        for _ in range(ROUNDS):
            start = time.perf_counter()
            async with session.get(url, params=query.params, headers=headers) as resp:
                await resp.json()
            raw.append(time.perf_counter() - start)
            start = time.perf_counter()
            await backend.search("orders", request)
            ours.append(time.perf_counter() - start)
    # The fastest of each: noise from a busy machine only ever adds time.
    overhead_ms = (min(ours) - min(raw)) * 1000
    assert overhead_ms < BUDGET_MS, f"{overhead_ms:.2f} ms over Kibo's own time"
