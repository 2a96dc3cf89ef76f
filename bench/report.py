"""Printing the bench's tables."""

from __future__ import annotations

import os
import sqlite3
import statistics
from pathlib import Path
from typing import Any

from bench.workloads import Workload


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def header(store: Path, sizes: dict[str, int], seed_seconds: float | None) -> None:
    print(f"store {store}: " + ", ".join(f"{v:,} {k}" for k, v in sizes.items()))
    print(f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores, load average {load_average()}")
    if seed_seconds is not None:
        verdict = "met" if seed_seconds <= 60 else "MISSED"
        print(f"seed --scale large --force: {seed_seconds:.1f} s (target <= 60 s: {verdict})")


def workloads(
    loads: list[Workload],
    measured: dict[str, Any],
    naive: dict[str, list[float]],
    cpu: dict[str, list[float]],
) -> None:
    print(
        "\nthrough HTTP, sequential (ms)" + " " * 60 + "| naive LIKE '%q%', direct SQL"
        "        | engine CPU"
    )
    print(
        f"{'workload':22} {'n':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7} {'fail':>4}"
        f"  {'target':>16} {'':6} | {'n':>3} {'p50':>7} {'p99':>7}  p50 ratio"
        f" | {'p50':>5} {'p99':>6} {'max':>6}"
    )
    for load in loads:
        result = measured[load.name]
        times = result["times"]
        p50, p99 = statistics.median(times), percentile(times, 0.99)
        met = p99 < load.p99_ms and (load.p50_ms is None or p50 < load.p50_ms)
        base = naive.get(load.name) or [0.0]
        base_p50 = statistics.median(base)
        print(
            f"{load.name:22} {len(times):5d} {p50:6.2f} {percentile(times, 0.95):6.2f} "
            f"{p99:6.2f} {max(times):7.2f} {len(result['failed']):4d}  {load.target:>16} "
            f"{'met' if met else 'MISSED':6} | {len(base):3d} {base_p50:7.1f} "
            f"{percentile(base, 0.99):7.1f}  {base_p50 / p50:6.0f}x | "
            f"{statistics.median(cpu[load.name]):5.2f} {percentile(cpu[load.name], 0.99):6.2f} "
            f"{max(cpu[load.name]):6.1f}"
        )
        for status, request in result["failed"][:3]:
            print(f"    failed {status}: {request}")


def concurrency(result: dict[str, Any]) -> None:
    times = result["times"]
    rate = len(times) / result["seconds"]
    p99 = percentile(times, 0.99)
    verdict = "met" if rate >= 500 and p99 < 100 else "MISSED"
    print(
        f"\n16 concurrent clients, mixed: {len(times)} requests, {rate:.0f} req/s, "
        f"p50/p95/p99/max {statistics.median(times):.1f}/{percentile(times, 0.95):.1f}/"
        f"{p99:.1f}/{max(times):.1f} ms, {result['failed']} failed "
        f"(target >= 500 req/s, p99 < 100 ms: {verdict}); load average {load_average()}"
    )


def memory(after_sequential: dict[str, int], after_all: dict[str, int]) -> None:
    def line(fields: dict[str, int]) -> str:
        return ", ".join(f"{k} {v / 1024:.0f} MiB" for k, v in fields.items())

    verdict = "met" if after_all["VmHWM"] < 200 * 1024 else "MISSED"
    print(f"\nagent memory after the sequential run: {line(after_sequential)}")
    print(
        f"agent memory after the concurrent run: {line(after_all)} "
        f"(target resident < 200 MiB, peak: {verdict})"
    )


def start(seconds: list[float]) -> None:
    verdict = "met" if max(seconds) < 1 else "MISSED"
    shown = ", ".join(f"{s * 1000:.0f} ms" for s in seconds)
    print(f"agent start to /health answering: {shown} (target < 1 s: {verdict})")


def abandonment(result: dict[str, Any]) -> None:
    slowest = ", ".join(f"{ms:.0f}" for ms in result["slowest_ms"])
    print(
        f"abandoned requests: the {result['requests']} slowest (answered in {slowest} … ms) cost "
        f"the agent {result['answered_cpu_s'] * 1000:.0f} ms CPU answered, "
        f"{result['abandoned_cpu_s'] * 1000:.0f} ms CPU when the client hung up after 5 ms "
        f"({result['abandoned']} hung up)"
    )
