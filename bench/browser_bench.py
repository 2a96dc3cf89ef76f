"""Keystroke -> results painted in the panel: the real extension in headless Chromium, paired
with a real ``callcenter-agent serve`` on the store, typing the typeahead queries of
``bench/workloads.py`` key by key.

Rerun (reuses the store at --db, seeding it first when missing):

    .venv/bin/python -m bench.browser_bench                        # large store, /tmp default
    .venv/bin/python -m bench.browser_bench --scale small --queries 10

The panel records User Timing entries for every search it answers (extension/lib/
search-timing.js): ``cc-keystroke-to-paint`` from the input event whose text was searched to the
task after the next animation frame once the results are in the DOM, including the debounce, and
``cc-request-to-paint`` from the request leaving (after the debounce) to the same point. Stale
searches, aborted by a newer keystroke, record none. Prints p50/p95/p99/max of both per kind and
overall, with the median split into wait (debounce), fetch, render and paint.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import browser_report, report
from bench.http_bench import Agent, seed
from bench.panel_driver import Panel, Typed
from bench.workloads import build
from tests.support.chromium import CHROMIUM, launch

KINDS = {
    "customers typeahead": "customers",
    "orders typeahead": "orders",
    "returns typeahead": "returns",
}
WARMUP = 4  # queries per kind typed first and not counted


def queries(store: Path, per_kind: int) -> dict[str, list[str]]:
    """``per_kind`` typeahead queries per kind (a fixed sample of the workload), and the warmup."""
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    workloads = build(conn, per_kind + WARMUP)
    conn.close()
    rng = random.Random(5)
    return {
        KINDS[w.name]: rng.sample([params["q"] for _, params in w.requests], per_kind + WARMUP)
        for w in workloads
        if w.name in KINDS
    }


def run(panel: Panel, plan: dict[str, list[str]]) -> tuple[dict[str, list[Typed]], dict[str, int]]:
    results: dict[str, list[Typed]] = {}
    failed: dict[str, int] = {}
    for kind, typed in plan.items():
        panel.choose(kind)
        results[kind], failed[kind] = [], 0
        for index, query in enumerate(typed):
            done = panel.type(kind, query)
            if index < WARMUP:
                continue
            if done is None:
                failed[kind] += 1
            else:
                results[kind].append(done)
    return results, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "large"], default="large")
    parser.add_argument("--db", type=Path, help="store to reuse or seed (default: /tmp)")
    parser.add_argument("--queries", type=int, default=40, help="typed queries per kind")
    args = parser.parse_args()
    store = (args.db or Path(f"/tmp/callcenter-bench-{args.scale}.db")).resolve()
    seed_seconds = seed(store, args.scale) if not store.exists() else None

    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    sizes = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("customers", "orders", "returns")
    }
    conn.close()
    plan = queries(store, args.queries)
    report.header(store, sizes, seed_seconds)

    agent = Agent(store)
    profile = Path(tempfile.mkdtemp(prefix="cc-bench-profile-"))
    try:
        agent.start()
        with sync_playwright() as pw:
            browser = launch(pw, profile)
            try:
                browser.pair(agent.port, agent.token)
                tab = browser.open_panel()
                tab.wait_for_selector("body[data-connection=connected]")
                panel = Panel(tab)
                results, failed = run(panel, plan)
            finally:
                browser.ctx.close()
    finally:
        agent.stop()
        shutil.rmtree(agent.dir, ignore_errors=True)  # the link, token and state; not the store
        shutil.rmtree(profile, ignore_errors=True)
    painted = [t for rows in results.values() for t in rows]
    debounce = float(painted[0].detail["debounce_ms"]) if painted else float("nan")
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    browser_report.setup(version.strip(), debounce)
    browser_report.table(results, failed)
    browser_report.verdict(results, panel.network, debounce)


if __name__ == "__main__":
    main()
