"""A year at one busy CSR's desk against the demo store: does an action cost the same in month
twelve as in month one, and does the store grow by a bounded amount per action?

In-process against a fresh small demo store (a copy in a temporary directory, through the same
``DemoBackend`` the agent serves), with a simulated clock spread evenly over a year so the
7-day expiry of Idempotency-Keys runs as it would. Every keyed action is a store-credit issue or
deletion (money moves, so each carries a key and leaves audit rows); between actions the CSR
reads ``--reads-per-action`` entity details. Printed per window of ``--window`` actions: p50/p99
action latency (ms), p50 read latency (ms), idempotency rows kept, and store bytes added per
action (used pages, so WAL checkpoints do not blur it).

Rerun:

    .venv/bin/python bench/long_run.py --actions 5000 --window 1000       # a quick look
    .venv/bin/python bench/long_run.py                                    # 100k actions, 1M reads
    .venv/bin/python bench/long_run.py --actions 20000 --days 7 --reads-per-action 1  # keys kept

``--days 7`` packs the actions into the 7 days an Idempotency-Key is remembered, so none
expires: the worst case for the key table (an agent before the ``created_at`` index and the
slim records scanned every kept record, whole documents included, on every keyed action).

Latency includes ``synchronous=FULL`` commits, so it depends on the disk; compare windows of one
run with each other, not runs on different machines. The load average is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.backends.demo.backend import DemoBackend
from agent.backends.demo.ids import order_id
from agent.backends.demo.seed import seed_store
from agent.domain.outcome import ActionContext
from bench.report import load_average, percentile
from shared_schema.actions_customers import IssueStoreCreditRequest, StoreCreditRequest

START = datetime(2026, 1, 1, tzinfo=UTC)


def used_bytes(path: Path) -> tuple[int, int]:
    """Bytes in used pages, and the idempotency records kept."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        keys = conn.execute("SELECT count(*) FROM idempotency").fetchone()[0]
    return int((pages - free) * size), int(keys)


async def run(args: argparse.Namespace, db: Path) -> None:
    backend = DemoBackend.open(db)
    rng = random.Random(args.seed)
    with sqlite3.connect(db) as conn:
        customers = [
            str(row[0])
            for row in conn.execute("SELECT id FROM customers WHERE account_status = 'Active'")
        ]
        orders = [order_id(row[0]) for row in conn.execute("SELECT number FROM orders LIMIT 2000")]
    open_credits: dict[str, list[str]] = {}
    step = timedelta(days=args.days) / args.actions
    action_ms: list[float] = []
    read_ms: list[float] = []
    last_bytes, _ = used_bytes(db)
    print(f"store {db.name}: {last_bytes:,} bytes used at the start; load {load_average()}")
    print(
        f"{'actions':>9} {'reads':>10} {'sim. day':>8} {'act p50':>8} {'act p99':>8} "
        f"{'read p50':>8} {'keys kept':>9} {'bytes/action':>12}"
    )
    reads = 0
    for i in range(1, args.actions + 1):
        now = (START + step * i).strftime("%Y-%m-%dT%H:%M:%SZ")
        ctx = ActionContext(who="Long Run", session_id=None, now=now)
        for _ in range(args.reads_per_action):
            started = time.perf_counter()
            if rng.random() < 0.5:
                await backend.get_entity("customer", rng.choice(customers))
            else:
                await backend.get_entity("order", rng.choice(orders))
            read_ms.append((time.perf_counter() - started) * 1000)
            reads += 1
        cid = rng.choice(customers)
        doc = await backend.get_entity("customer", cid)
        codes = open_credits.setdefault(cid, [])
        if codes and (len(codes) >= 3 or rng.random() < 0.5):
            request: IssueStoreCreditRequest | StoreCreditRequest = StoreCreditRequest(
                expected_version=doc.version, code=codes.pop(0)
            )
            action = "delete_store_credit"
        else:
            request = IssueStoreCreditRequest(expected_version=doc.version, amount_cents=1500)
            action = "issue_store_credit"
        started = time.perf_counter()
        result = await backend.perform("customer", cid, action, request, ctx, f"long-run-{i:08d}")
        action_ms.append((time.perf_counter() - started) * 1000)
        if action == "issue_store_credit":
            codes.append(result.changes[0].field.split("[")[1].rstrip("]"))
        if i % args.window == 0:
            size, keys = used_bytes(db)
            day = (step * i).days
            print(
                f"{i:>9,} {reads:>10,} {day:>8} {percentile(action_ms, 0.5):>8.2f} "
                f"{percentile(action_ms, 0.99):>8.2f} {percentile(read_ms, 0.5):>8.3f} "
                f"{keys:>9,} {(size - last_bytes) / args.window:>12,.0f}"
            )
            last_bytes = size
            action_ms.clear()
            read_ms.clear()
    await backend.close()
    print(f"done: {args.actions:,} actions, {reads:,} reads; load {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=100_000, help="keyed actions in the year")
    parser.add_argument("--reads-per-action", type=int, default=10)
    parser.add_argument("--window", type=int, default=10_000, help="actions per printed line")
    parser.add_argument(
        "--days",
        type=int,
        default=365,
        help="simulated days the actions spread over (7 or less: every key is still kept)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=Path, help="a seeded store to copy (default: seed one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="long-run-") as tmp:
        db = Path(tmp) / "demo.db"
        if args.store:
            shutil.copyfile(args.store, db)
        else:
            seed_store(db, "small")
        print(f"pid {os.getpid()}, {os.cpu_count()} cores, SQLite {sqlite3.sqlite_version}")
        asyncio.run(run(args, db))


if __name__ == "__main__":
    main()
