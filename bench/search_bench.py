"""Latency of the demo store's search, query by query, straight against ``run_search``.

Rerun:

    .venv/bin/python bench/search_bench.py --scale small            # seeds /tmp if needed
    .venv/bin/python bench/search_bench.py --scale large --db /tmp/cc-large.db
    .venv/bin/python bench/search_bench.py --db ~/.local/share/callcenter-agent/demo.db

A store already at ``--db`` is reused (read-only); otherwise it is seeded there first. Queries
are drawn from the store itself with a fixed random seed, so runs are comparable. Prints
p50/p95/p99/max in milliseconds per workload, and how many answers had a capped total.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.backends.demo.search import run_search
from agent.search.params import SearchRequest

Workload = list[SearchRequest]


def open_store(path: Path, scale: str) -> sqlite3.Connection:
    if not path.exists():
        from agent.backends.demo.seed import seed_store

        print(f"seeding a {scale} store at {path} …", flush=True)
        started = time.perf_counter()
        seed_store(path, "large" if scale == "large" else "small")
        print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.execute("PRAGMA mmap_size = 1073741824")
    conn.execute("PRAGMA cache_size = -131072")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def _sample(conn: sqlite3.Connection, table: str, columns: str, n: int) -> list[tuple]:
    """``n`` rows spread over the table, the same ones on every run."""
    top = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 1
    rng = random.Random(table)
    rows: list[tuple] = []
    for _ in range(n * 3):
        sql = f"SELECT {columns} FROM {table} WHERE rowid >= ? LIMIT 1"
        row = conn.execute(sql, (rng.randint(1, top),)).fetchone()
        if row:
            rows.append(row)
        if len(rows) == n:
            break
    return rows


def _prefixes(name: str) -> list[str]:
    first, _, last = name.partition(" ")
    return [first[:1], first[:2], first[:3], first[:5], f"{first} {last[:2]}", last[:4]]


def _name_filters(name: str) -> list[dict[str, str]]:
    """First / Last Name filters a CSR types for ``name``, in each Name Match."""
    first, _, last = name.partition(" ")
    last = last or first
    return [
        {"first_name": first, "name_match": "exact"},
        {"last_name": last[:3]},
        {"first_name": first[:2], "last_name": last[:2]},
        {"last_name": last[1:5], "name_match": "contains"},
    ]


def workloads(conn: sqlite3.Connection, n: int) -> dict[str, tuple[str, Workload]]:
    rng = random.Random(7)
    orders = _sample(
        conn, "orders", "number, customer_name, email, phone_digits, customer_id, submitted_at", n
    )
    customers = _sample(conn, "customers", "id, first_name || ' ' || last_name, email, phone", n)
    returns = _sample(conn, "returns", "number, customer_name, order_number", n)
    statuses = ["Completed", "Processing", "Accepted", "Cancelled", "Submitted"]
    sorts = ["total", "submitted_at", "customer_name", "status", "item_count", "number"]
    day = 86_400
    return {
        "orders typeahead": (
            "orders",
            [SearchRequest(q=p) for o in orders for p in _prefixes(o[1]) if p.strip()],
        ),
        "customers typeahead": (
            "customers",
            [SearchRequest(q=p) for c in customers for p in _prefixes(c[1]) if p.strip()],
        ),
        "returns typeahead": (
            "returns",
            [SearchRequest(q=p) for r in returns for p in _prefixes(r[1])[:4] if p.strip()],
        ),
        "exact numbers": (
            "orders",
            [SearchRequest(q=q) for o in orders for q in (f"#{o[0]}", str(o[0]))],
        ),
        "email prefix": (
            "customers",
            [SearchRequest(q=c[2][: c[2].index("@") + 1 + k]) for c in customers for k in (0, 2)],
        ),
        "phone digits": (
            "customers",
            [
                SearchRequest(q=q)
                for c in customers
                for q in (c[3], c[3][:7], c[3][-4:] if c[3][-4:].isdigit() else "0000")
            ],
        ),
        "filter + sort lists": (
            "orders",
            [
                SearchRequest(
                    sort=rng.choice(sorts),
                    order=rng.choice(["asc", "desc"]),
                    page=rng.choice([1, 1, 2, 10, 100]),
                    filters=rng.choice(
                        [
                            {"status": (rng.choice(statuses),)},
                            {"customer_id": o[4] or 1},
                            {"submitted": (o[5] - 30 * day, o[5]), "channel": ("Web",)},
                            {"total": (10_000, 20_000)},
                            {},
                        ]
                    ),
                )
                for o in orders
            ],
        ),
        "name filters": (
            "orders",
            [
                SearchRequest(filters=f, sort=rng.choice(["relevance", "total"]))
                for o in orders
                for f in _name_filters(o[1])
            ],
        ),
        "customer name filters": (
            "customers",
            [SearchRequest(filters=f) for c in customers for f in _name_filters(c[1])],
        ),
        "external id, location": (
            "orders",
            [
                SearchRequest(filters=f, sort=rng.choice(sorts), page=rng.choice([1, 1, 2, 10]))
                for o in _sample(conn, "orders", "external_id, location", n)
                for f in (
                    {"external_id": o[0] or "MP-1"},
                    {"location": (o[1],)},
                    {"location": (o[1],), "status": (rng.choice(statuses),)},
                )
            ],
        ),
        "card last four": (
            "orders",
            [SearchRequest(q=f"{rng.randrange(10_000):04d}") for _ in range(n)],
        ),
        "returns by order #": (
            "returns",
            [SearchRequest(q=str(r[2])) for r in returns],
        ),
        "text + filter": (
            "orders",
            [
                SearchRequest(
                    q=o[1].split()[0][:3],
                    filters={"status": (rng.choice(statuses),)},
                    sort=rng.choice(["relevance", "total"]),
                )
                for o in orders
            ],
        ),
    }


def measure(
    conn: sqlite3.Connection, kind: str, requests: Workload
) -> tuple[list[float], int, int]:
    for req in requests[:20]:
        run_search(conn, kind, req)
    times: list[float] = []
    capped = failed = 0
    for req in requests:
        started = time.perf_counter()
        try:
            response = run_search(conn, kind, req)
        except Exception:  # a 503-worthy timeout counts as a failure in the table
            failed += 1
            continue
        times.append((time.perf_counter() - started) * 1000)
        capped += not response.total_exact
    return times, capped, failed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "large"], default="small")
    parser.add_argument("--db", type=Path, help="store to reuse or seed (default: /tmp)")
    parser.add_argument("--queries", type=int, default=150, help="sampled records per workload")
    args = parser.parse_args()
    conn = open_store(args.db or Path(f"/tmp/callcenter-bench-{args.scale}.db"), args.scale)
    sizes = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("customers", "orders", "returns")
    }
    print(f"store: {sizes}  SQLite {sqlite3.sqlite_version}")
    print(
        f"{'workload':22} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} "
        f"{'capped':>7} {'failed':>6}   (ms)"
    )
    for name, (kind, requests) in workloads(conn, args.queries).items():
        times, capped, failed = measure(conn, kind, requests)
        if not times:
            print(f"{name:22} no successful queries ({failed} failed)")
            continue
        print(
            f"{name:22} {len(times):5d} {statistics.median(times):7.2f} "
            f"{percentile(times, 0.95):7.2f} {percentile(times, 0.99):7.2f} {max(times):7.2f} "
            f"{capped:7d} {failed:6d}"
        )


if __name__ == "__main__":
    main()
