"""End-to-end search bench: a real ``callcenter-agent serve`` process, a client in another.

Rerun (reuses the store at --db, seeding it first when missing):

    .venv/bin/python -m bench.http_bench                        # large store, /tmp default
    .venv/bin/python -m bench.http_bench --scale small --queries 60
    .venv/bin/python -m bench.http_bench --reseed               # also time `seed --scale large`

Prints, per workload, p50/p95/p99/max in ms through HTTP (sequential, one keep-alive
connection) against its target; the same queries through the naive ``LIKE '%q%'`` baseline
(direct SQL, a sample) with the ratio; req/s and latencies of 16 concurrent clients; the agent's
resident memory; the time from starting the agent to ``/health`` answering; the agent CPU
spent on requests the client abandoned against the same requests answered; and the engine's
own CPU time per request (``run_search`` in this process), which the machine's load does not
inflate the way it inflates wall-clock latencies.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import report
from bench.baseline import run_naive
from bench.engine import engine_cpu
from bench.workloads import Request, Workload, build, mixed

ROOT = Path(__file__).resolve().parent.parent
AGENT = ROOT / ".venv" / "bin" / "callcenter-agent"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Agent:
    """``callcenter-agent serve`` on a temporary data dir whose demo.db links to the store."""

    def __init__(self, store: Path) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="cc-bench-"))
        (self.dir / "demo.db").symlink_to(store)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        """Start the agent; seconds until ``/health`` answers 200."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [str(AGENT), "serve", "--data-dir", str(self.dir), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/health", timeout=1) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - started
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("the agent exited while starting") from None
                time.sleep(0.005)

    @property
    def token(self) -> str:
        return (self.dir / "token").read_text().strip()

    def memory(self) -> dict[str, int]:
        """VmRSS, RssAnon, RssFile, VmHWM and Pss of the agent in KiB.

        Pss counts a page mapped by several of the agent's connections once (RssFile counts it
        once per mapping): what the agent costs the machine beside its private memory.
        """
        assert self.process is not None
        fields: dict[str, int] = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM"):
                fields[key] = int(value.split()[0])
        rollup = Path(f"/proc/{self.process.pid}/smaps_rollup")
        for line in rollup.read_text().splitlines() if rollup.exists() else []:
            key, _, value = line.partition(":")
            if key == "Pss":
                fields[key] = int(value.split()[0])
        return fields

    def cpu_seconds(self) -> float:
        assert self.process is not None
        stat = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def run_client(job: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "http_client.py")],
        input=json.dumps(job).encode(),
        capture_output=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def baseline(store: Path, workloads: list[Workload], sample: int) -> dict[str, list[float]]:
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    conn.execute("PRAGMA mmap_size = 1073741824")
    times: dict[str, list[float]] = {}
    for workload in workloads:
        step = max(1, len(workload.requests) // sample)
        chosen = workload.requests[::step][:sample]
        times[workload.name] = []
        for request in chosen:
            started = time.perf_counter()
            run_naive(conn, request)
            times[workload.name].append((time.perf_counter() - started) * 1000)
    conn.close()
    return times


def seed(store: Path, scale: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(AGENT), "seed", "--scale", scale, "--force", "--data-dir", str(store.parent)],
        check=True,
    )
    seconds = time.perf_counter() - started
    built = store.parent / "demo.db"
    if built != store:
        built.replace(store)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "large"], default="large")
    parser.add_argument("--db", type=Path, help="store to reuse or seed (default: /tmp)")
    parser.add_argument("--queries", type=int, default=150, help="sampled records per workload")
    parser.add_argument("--baseline-sample", type=int, default=12)
    parser.add_argument("--concurrent", type=int, default=3000, help="requests, 16 clients")
    parser.add_argument("--reseed", action="store_true", help="rebuild and time the seed")
    args = parser.parse_args()
    store = (args.db or Path(f"/tmp/callcenter-bench-{args.scale}.db")).resolve()
    seed_seconds = seed(store, args.scale) if args.reseed or not store.exists() else None

    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    sizes = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("customers", "orders", "returns")
    }
    workloads = build(conn, args.queries)
    conn.close()
    report.header(store, sizes, seed_seconds)

    agent = Agent(store)
    try:
        starts = [agent.start()]
        for _ in range(2):  # cold start measured once more, warm page cache
            agent.stop()
            starts.append(agent.start())
        job: dict[str, Any] = {"base": agent.base, "token": agent.token}
        warmup = [r for w in workloads for r in w.requests[::5]]
        sequential = run_client(
            {**job, "warmup": warmup, "sequential": {w.name: w.requests for w in workloads}}
        )
        memory_sequential = agent.memory()
        concurrent = run_client(
            {
                **job,
                "warmup": [],
                "sequential": {},
                "clients": 16,
                "concurrent": mixed(workloads, args.concurrent),
            }
        )
        memory = agent.memory()
        abandon = _abandonment(agent, job, workloads, sequential["sequential"])
    finally:
        agent.stop()
        shutil.rmtree(agent.dir, ignore_errors=True)  # the link, token and state; not the store
    naive = baseline(store, workloads, args.baseline_sample)
    cpu = engine_cpu(store, workloads)
    report.workloads(workloads, sequential["sequential"], naive, cpu)
    report.concurrency(concurrent["concurrent"])
    report.memory(memory_sequential, memory)
    report.start(starts)
    report.abandonment(abandon)


def _abandonment(
    agent: Agent, job: dict[str, Any], workloads: list[Workload], measured: dict[str, Any]
) -> dict[str, Any]:
    """Agent CPU for the slowest requests answered, then abandoned after 5 ms."""
    slow: list[tuple[float, Request]] = []
    for workload in workloads:
        slow += zip(measured[workload.name]["times"], workload.requests, strict=True)
    chosen = [request for ms, request in sorted(slow, key=lambda s: -s[0])[:20]]
    chosen_ms = sorted((ms for ms, _ in slow), reverse=True)[:20]
    before = agent.cpu_seconds()
    run_client({**job, "warmup": [], "sequential": {"slow": chosen * 3}})
    answered = agent.cpu_seconds() - before
    before = agent.cpu_seconds()
    result = run_client({**job, "warmup": [], "sequential": {}, "abandon": chosen * 3})
    time.sleep(0.3)  # let any query still running finish before reading the CPU time
    abandoned = agent.cpu_seconds() - before
    return {
        "requests": len(chosen) * 3,
        "slowest_ms": chosen_ms[:3],
        "answered_cpu_s": answered,
        "abandoned_cpu_s": abandoned,
        "abandoned": result["abandon"]["abandoned"],
    }


if __name__ == "__main__":
    main()
