"""The agent adds no Kibo calls to a search: one request, the one a raw client would send.

How much time the backend adds is measured by bench/kibo_search_bench.py (tests assert no
wall-clock times).
"""

from __future__ import annotations

from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.search_query import build_query
from agent.search.catalog import CATALOG
from agent.search.params import parse_search_request
from tests.kibo.fake_kibo import FakeKibo

ROUNDS = 20


async def test_each_search_is_exactly_the_one_kibo_call_it_needs(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    request = parse_search_request(CATALOG["orders"], {"q": ["john"], "page_size": ["25"]})
    query = build_query("orders", request)
    await backend.search("orders", request)  # the first one also fetches the token
    before = len(fake.requests)
    for _ in range(ROUNDS):
        found = await backend.search("orders", request)
    sent = fake.requests[before:]
    assert len(sent) == ROUNDS, [f"{s.method} {s.path}" for s in sent]
    expected = {k: str(v) for k, v in query.params.items()}
    assert all(s.method == "GET" and s.path == "/api" + query.path for s in sent), sent[0]
    assert all(s.query == expected for s in sent), (sent[0].query, expected)
    assert found.results, "the search found nothing, so it proves nothing"
