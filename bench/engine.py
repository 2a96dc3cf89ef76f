"""The same requests straight through ``run_search`` in this process, timed in CPU seconds.

On a shared 2-core machine the HTTP latencies include the time a request waits for a core;
the engine's CPU time per request shows what the search itself costs, load or not.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

from agent.backends.demo.search import run_search
from agent.errors import ApiError
from agent.search.catalog import CATALOG
from agent.search.params import SearchRequest, parse_search_request
from bench.workloads import Workload


def engine_cpu(store: Path, workloads: list[Workload]) -> dict[str, list[float]]:
    """CPU milliseconds of each request of each workload (after one warm-up pass)."""
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True, check_same_thread=False)
    conn.execute("PRAGMA mmap_size = 1073741824")  # as the agent's connections
    conn.execute("PRAGMA cache_size = -16384")
    conn.execute("PRAGMA temp_store = MEMORY")
    times: dict[str, list[float]] = {}
    for workload in workloads:
        requests = [
            (kind, parse_search_request(CATALOG[kind], {k: [v] for k, v in params.items()}))
            for kind, params in workload.requests
        ]
        for kind, request in requests[::5]:
            _search(conn, kind, request)
        times[workload.name] = []
        for kind, request in requests:
            started = time.thread_time()
            _search(conn, kind, request)
            times[workload.name].append((time.thread_time() - started) * 1000)
    conn.close()
    return times


def _search(conn: sqlite3.Connection, kind: str, request: SearchRequest) -> None:
    with contextlib.suppress(ApiError):  # a 503 search_timeout; HTTP counts those
        run_search(conn, kind, request)
