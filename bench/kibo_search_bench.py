"""What the Kibo backend adds to each search form a CSR types, against the fake tenant.

Rerun:

    .venv/bin/python -m bench.kibo_search_bench                # 200 rounds per form
    .venv/bin/python -m bench.kibo_search_bench --rounds 50

For each form (a number, an email, a formatted phone — the longest filter, every written form
of the phone in three fields —, bare digits, the last four, name words, filters with a segment
lookup, a sort) it times ``KiboBackend.search`` and the same Kibo call sent raw, in turns, on
one loopback connection, and prints p50 and p95 of both in milliseconds and the agent's own
share (p50 of ours minus p50 of raw). The fake answers at once, so the raw time is the
loopback and the fake's own filtering; only the difference speaks for the agent.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.client import KiboClient
from agent.backends.kibo.connection import resolve
from agent.backends.kibo.search_query import build_query
from agent.backends.kibo.secret import Secret
from agent.config import KiboSettings
from agent.search.catalog import CATALOG
from agent.search.params import parse_search_request
from tests.kibo.fake_kibo import CLIENT_ID, CLIENT_SECRET, SITE, TENANT, FakeKibo

FORMS = [
    ("customers", "number", {"q": "#1002"}),
    ("customers", "email", {"q": "Ana.Nunez@"}),
    ("customers", "phone as typed", {"q": "(512) 555-0134"}),
    ("customers", "bare digits", {"q": "5125550134"}),
    ("customers", "last four", {"q": "0134"}),
    ("customers", "name words", {"q": "ana nun"}),
    ("customers", "segment + set", {"segment": "VIP", "customer_set": "default"}),
    ("orders", "name words, sorted", {"q": "john smi", "sort": "total"}),
    ("returns", "order number", {"order_number": "5001"}),
]


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def main(rounds: int) -> None:
    fake = FakeKibo()
    url = await fake.start()
    settings = KiboSettings(tenant=TENANT, site=SITE, api_host=url, client_id=CLIENT_ID)
    backend = KiboBackend(KiboClient(resolve(settings), Secret(CLIENT_SECRET)))
    bearer = await backend.client.tokens.bearer()
    headers = {"Authorization": f"Bearer {bearer}", "x-vol-tenant": TENANT, "x-vol-site": SITE}
    print(f"{rounds} rounds per form; milliseconds")
    print(f"{'form':32} {'ours p50':>9} {'p95':>7} {'raw p50':>9} {'p95':>7} {'agent p50':>10}")
    async with aiohttp.ClientSession() as raw_http:
        for kind, name, params in FORMS:
            request = parse_search_request(CATALOG[kind], {k: [v] for k, v in params.items()})
            lookups = await backend.lookups.resolve(request.filters)
            default = CATALOG[kind].default_sort
            query = build_query(kind, request, lookups, catalog_default=default)  # type: ignore[arg-type]
            ours, raw = [], []
            for _ in range(rounds):
                started = time.perf_counter()
                async with raw_http.get(
                    backend.client.connection.url(query.path), params=query.params, headers=headers
                ) as resp:
                    await resp.read()
                raw.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                await backend.search(kind, request)  # type: ignore[arg-type]
                ours.append((time.perf_counter() - started) * 1000)
            p50, raw50 = statistics.median(ours), statistics.median(raw)
            print(
                f"{kind + ': ' + name:32} {p50:9.2f} {_pct(ours, 95):7.2f} "
                f"{raw50:9.2f} {_pct(raw, 95):7.2f} {p50 - raw50:10.2f}"
            )
    await backend.close()
    await fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    asyncio.run(main(parser.parse_args().rounds))
