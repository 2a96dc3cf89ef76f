"""The panel's request latency while a local program floods the agent with connections.

Rerun:

    .venv/bin/python -m bench.connection_flood                      # 256/300 and 1024/1100
    .venv/bin/python -m bench.connection_flood --limit 256 --flood 600 --requests 400

For each scenario a real agent (demo store) starts under an open-files limit (soft = hard, as
macOS's 256, so it cannot raise it). A separate flooder process then keeps ``--flood``
connections open with non-blocking connects, a third each: silent, slow headers (half a
request, one more byte a second), and idle keep-alive after one answered request; whenever the
agent closes one it opens another (at most ``--churn`` a second). Before and during the flood
the bench sends ``--requests`` authorised requests, ``--pause`` ms apart, alternating
``GET /info`` and a customer search, each on a new connection (a panel page that just loaded)
and on one keep-alive connection (a panel already open), and prints p50/p95/p99/max in
milliseconds, the failures, how many flood connections the agent closed, the descriptors it
held and how often the keep-alive connection was closed under the client. Numbers in
docs/security.md, after the "local denial of service" row.
"""

from __future__ import annotations

import argparse
import errno
import http.client
import multiprocessing as mp
import os
import resource
import selectors
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import load_average, percentile
from tests.support.agent_process import AgentProcess

PATHS = ("/api/v1/info", "/api/v1/search/customers?q=ana&page_size=25")
SLOW = b"GET /api/v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
KEEP = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


# ---------------------------------------------------------------- the flooder (own process)


PAYLOAD = {"silent": b"", "slow": SLOW, "keep": KEEP}


def flooder(port: int, count: int, churn: int, stop: Any, opened: Any, closed: Any) -> None:
    """Keep ``count`` connections open with non-blocking connects (an attacker does not wait)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    sel = selectors.DefaultSelector()
    kinds = ("silent", "slow", "keep")
    live: dict[socket.socket, str] = {}
    missing: list[str] = [kinds[i % 3] for i in range(count)]
    last_trickle = time.monotonic()
    budget_at, budget = time.monotonic(), churn

    def drop(sock: socket.socket) -> None:
        sel.unregister(sock)
        missing.append(live.pop(sock))
        sock.close()
        closed.value += 1

    while not stop.is_set():
        now = time.monotonic()
        if now - budget_at >= 1:
            budget_at, budget = now, churn
        while missing and budget > 0:
            kind = missing.pop()
            budget -= 1
            sock = socket.socket()
            sock.setblocking(False)
            if sock.connect_ex(("127.0.0.1", port)) not in (0, errno.EINPROGRESS):
                sock.close()
                missing.append(kind)
                break
            live[sock] = kind
            sel.register(sock, selectors.EVENT_WRITE)
        gone: set[socket.socket] = set()
        for key, events in sel.select(0.05):
            sock = key.fileobj  # type: ignore[assignment]
            assert isinstance(sock, socket.socket)
            if events & selectors.EVENT_WRITE:  # the connect finished
                if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    gone.add(sock)
                    continue
                opened.value += 1
                try:
                    sock.send(PAYLOAD[live[sock]])
                except OSError:
                    gone.add(sock)
                    continue
                sel.modify(sock, selectors.EVENT_READ)
                continue
            try:
                data = sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:
                gone.add(sock)
        if now - last_trickle >= 1:
            last_trickle = now
            for sock, kind in live.items():
                if kind == "slow":
                    try:
                        sock.send(b"a")
                    except OSError:
                        gone.add(sock)
        for sock in gone:
            drop(sock)
    for sock in live:
        sock.close()


# ---------------------------------------------------------------- the measured client


def _timed(conn: http.client.HTTPConnection, path: str, token: str) -> float | None:
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
    except OSError:
        return None
    return (time.perf_counter() - started) * 1000 if response.status == 200 else None


def measure(
    port: int, token: str, requests: int, pause: float = 0
) -> tuple[dict[str, list[float | None]], int]:
    """Latencies of each way (None: failed) and how often the keep-alive one was reconnected."""
    fresh: list[float | None] = []
    kept: list[float | None] = []
    reconnects = 0
    keep = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for i in range(requests):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        fresh.append(_timed(conn, PATHS[i % 2], token))
        conn.close()
        took = _timed(keep, PATHS[i % 2], token)
        if took is None:  # closed under us: a panel's fetch reconnects
            reconnects += 1
            keep.close()
            keep = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            took = _timed(keep, PATHS[i % 2], token)
        kept.append(took)
        time.sleep(pause)
    keep.close()
    return {"new connection": fresh, "keep-alive": kept}, reconnects


def _row(phase: str, how: str, values: list[float | None]) -> str:
    ok = [v for v in values if v is not None]
    failed = len(values) - len(ok)
    if not ok:
        return f"{phase:8} {how:15} {len(values):>5} {failed:>6}   (no answer)"
    stats = [percentile(ok, q) for q in (0.5, 0.95, 0.99)] + [max(ok)]
    return f"{phase:8} {how:15} {len(values):>5} {failed:>6} " + " ".join(
        f"{s:>8.2f}" for s in stats
    )


def _limit(n: int) -> Callable[[], None]:
    return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))


def scenario(limit: int, flood: int, requests: int, churn: int, pause: float) -> None:
    with tempfile.TemporaryDirectory(prefix="flood-bench-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        agent = AgentProcess(data)
        agent.start(preexec_fn=_limit(limit))
        try:
            assert agent.proc is not None
            token = agent.token
            measure(agent.port, token, 20)  # warm up
            print(f"\nopen-files limit {limit} (soft = hard), flood of {flood} connections")
            print(
                f"{'phase':8} {'how':15} {'reqs':>5} {'failed':>6} "
                f"{'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}"
            )
            quiet, _ = measure(agent.port, token, requests, pause)
            for how, values in quiet.items():
                print(_row("quiet", how, values))
            stop = mp.Event()
            opened, closed = mp.Value("l", 0), mp.Value("l", 0)
            worker = mp.Process(
                target=flooder, args=(agent.port, flood, churn, stop, opened, closed)
            )
            worker.start()
            deadline = time.monotonic() + 30
            while opened.value < flood and time.monotonic() < deadline:
                time.sleep(0.1)
            started = time.monotonic()
            closed_before = closed.value
            flooded, reconnects = measure(agent.port, token, requests, pause)
            seconds = time.monotonic() - started
            fds = len(os.listdir(f"/proc/{agent.proc.pid}/fd")) if Path("/proc").exists() else -1
            stop.set()
            worker.join(10)
            for how, values in flooded.items():
                print(_row("flood", how, values))
            print(
                f"flood: {opened.value} connections opened, {closed.value} closed by the agent "
                f"({(closed.value - closed_before) / seconds:.0f}/s while measuring); "
                f"agent held {fds} descriptors at the end; the keep-alive connection was "
                f"closed under the client {reconnects} times"
            )
        finally:
            agent.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="open-files limit (with --flood)")
    parser.add_argument("--flood", type=int, help="connections the flooder keeps open")
    parser.add_argument("--requests", type=int, default=200, help="per phase and way")
    parser.add_argument("--churn", type=int, default=500, help="reopens a second at most")
    parser.add_argument("--pause", type=float, default=20, help="ms between a client's requests")
    args = parser.parse_args()
    scenarios = (
        [(args.limit, args.flood)] if args.limit and args.flood else [(256, 300), (1024, 1100)]
    )
    print(f"{os.cpu_count()} cores, load average {load_average()}; milliseconds")
    for limit, flood in scenarios:
        scenario(limit, flood, args.requests, args.churn, args.pause / 1000)


if __name__ == "__main__":
    main()
