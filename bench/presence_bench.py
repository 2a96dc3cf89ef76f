"""Presence fan-out: how long after one desk opens (or closes) a record do the other desks
with that record open see it. Simulated desks: each one is the agent's real TeamLink (its own
Redis connections, pub/sub and refresh loop) over an in-memory list of open records, against a
real redis-server this script starts on a free loopback port.

Rerun:

    .venv/bin/python bench/presence_bench.py
    .venv/bin/python bench/presence_bench.py --desks 200 --rounds 20

Each round one extra desk opens the shared record, then closes it; for every watching desk the
time from the change to its link seeing it is one sample. Prints p50/p95/p99/max in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.team.config import TeamSettings
from agent.team.link import TeamLink
from tests.support.redis_server import RedisServer

RECORD = ("order", "bench-order-1")


@dataclass
class Tab:
    kind: str
    entity_id: str | None


@dataclass
class Session:
    tabs: list[Tab]


@dataclass
class Sessions:
    """What the link reads of a desk's sessions: the open tabs."""

    sessions: list[Session] = field(default_factory=list)

    def state(self) -> Sessions:
        return self

    def open(self, kind: str, entity_id: str) -> None:
        self.sessions = [Session([Tab(kind, entity_id)])]

    def close(self) -> None:
        self.sessions = []


async def run(desks: int, rounds: int) -> list[float]:
    directory = Path(tempfile.mkdtemp(prefix="presence-bench-"))
    server = RedisServer(directory).start()
    settings = TeamSettings(redis_url=server.url, presence_ttl=30)
    seen: dict[str, float] = {}
    expect: dict[str, bool] = {"present": False}

    def watcher(name: str, link_box: list[TeamLink]) -> Any:
        def on_status(status: Any) -> None:
            link = link_box[0]
            has = any(c.desk == "mover" for c in link.presence.colleagues_on(*RECORD))
            if has == expect["present"] and name not in seen:
                seen[name] = time.perf_counter()

        return on_status

    links: list[TeamLink] = []
    for i in range(desks):
        box: list[TeamLink] = []
        store = Sessions()
        store.open(*RECORD)
        link = TeamLink(settings, f"desk{i}", None, store, watcher(f"desk{i}", box))  # type: ignore[arg-type]
        box.append(link)
        links.append(link)
        link.start()
    mover_store = Sessions()
    mover = TeamLink(settings, "mover", None, mover_store, lambda s: None)  # type: ignore[arg-type]
    mover.start()
    while not all(link.connected for link in [*links, mover]):
        await asyncio.sleep(0.05)
    await asyncio.sleep(1)
    samples: list[float] = []
    try:
        for _ in range(rounds):
            for present in (True, False):
                seen.clear()
                expect["present"] = present
                start = time.perf_counter()
                mover_store.open(*RECORD) if present else mover_store.close()
                mover.presence.sessions_changed()
                deadline = start + 15
                while len(seen) < desks and time.perf_counter() < deadline:
                    await asyncio.sleep(0.002)
                samples += [(t - start) * 1000 for t in seen.values()]
                missing = desks - len(seen)
                if missing:
                    print(f"warning: {missing} desks did not see the change within 15 s")
    finally:
        for link in [*links, mover]:
            await link.stop()
        server.stop()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desks", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    samples = sorted(asyncio.run(run(args.desks, args.rounds)))
    q = statistics.quantiles(samples, n=100)
    print(
        f"presence fan-out, {args.desks} desks, {len(samples)} samples: "
        f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, max {samples[-1]:.1f} ms "
        f"(load average {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
