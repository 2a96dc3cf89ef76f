"""How often the record typed is the first row, and how long those searches take.

Rerun:

    .venv/bin/python bench/exact_first_check.py --db /tmp/cc-small.db      # seeds if missing
    .venv/bin/python bench/exact_first_check.py --db /tmp/cc-large.db --scale large

Draws 100 order, customer and return numbers with a fixed seed, types each as bare digits
(also read as phone digits) under the default sort, and prints how many came first and the
p50/p95/p99 of the searches in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.backends.demo.search import run_search
from agent.search.catalog import CATALOG
from agent.search.params import SearchRequest
from bench.search_bench import open_store

TABLES = {"orders": "orders", "customers": "customers", "returns": "returns"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path("/tmp/cc-small.db"))
    parser.add_argument("--scale", choices=("small", "large"), default="small")
    args = parser.parse_args()
    conn = open_store(args.db, args.scale)
    rng = random.Random(17)
    for kind, table in TABLES.items():
        top = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
        low = conn.execute(f"SELECT min(rowid) FROM {table}").fetchone()[0]
        numbers = [rng.randint(low, top) for _ in range(100)]
        first, times = 0, []
        for n in numbers:
            req = SearchRequest(q=str(n), sort=CATALOG[kind].default_sort)
            started = time.perf_counter()
            response = run_search(conn, kind, req)
            times.append((time.perf_counter() - started) * 1000)
            row = response.results[0] if response.results else {}
            first += str(row.get("number", row.get("id"))) == str(n)
        q = statistics.quantiles(times, n=100)
        print(
            f"{kind:9} first {first}/100  p50 {q[49]:.2f} ms  p95 {q[94]:.2f} ms  "
            f"p99 {q[98]:.2f} ms"
        )


if __name__ == "__main__":
    main()
