"""The demo store behind the backend protocol: SQLite reads on a small thread pool."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, TypeVar

from agent.backends.base import Check, EntityRef
from agent.backends.demo import documents, records
from agent.backends.demo.ids import parse_customer_id, parse_order_id, parse_return_id
from agent.backends.demo.search import run_search
from agent.backends.demo.search_cancel import run_cancellable
from agent.backends.demo.search_schema import build_search_structures, search_structures_current
from agent.backends.demo.seed import remove_stale_seeding, seed_store, store_is_seeded
from agent.backends.demo.writer import ActionJob, ActionWriter
from agent.domain.outcome import ActionContext
from agent.errors import BackendUnavailable, NotFound
from agent.search.catalog import CATALOG
from agent.search.params import SearchRequest
from agent.shm_guard import ShmGone, ShmGuard
from shared_schema.actions import ActionRequest, ActionResult, Outbox
from shared_schema.common import EntityKind, SearchKind
from shared_schema.search import FiltersResponse, SearchResponse

T = TypeVar("T")
log = logging.getLogger(__name__)
# Reader threads, each with its own connection. sqlite3 releases the GIL while a statement
# runs, so on 2 cores 4 threads keep both busy while one search waits on a slow page (a probe
# measured 16 clients at ~900 req/s with 4 threads against ~330 with 2 on this machine).
THREADS = 4
MAP_BYTES = 1 << 30
PARSERS: dict[str, Callable[[str], int | None]] = {
    "customer": parse_customer_id,
    "order": parse_order_id,
    "return": parse_return_id,
}


def _connect(path: Path, map_store: bool) -> sqlite3.Connection:
    # mode=rw: a reader must never create an empty store where a removed one was.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = 1")
    # Mapped, a row lookup costs ~0.35 µs against ~2.7 µs through read() and a bounded page
    # cache (measured on the large store), and searches do thousands. The mapped pages are the
    # OS page cache, shared and clean, but count in VmRSS once per connection. Unmapped, the
    # agent stays under 200 MiB on 1M orders, and lists and throughput pay (docs/search.md).
    conn.execute(f"PRAGMA mmap_size = {MAP_BYTES if map_store else 0}")
    conn.execute(f"PRAGMA cache_size = {-16384 if map_store else -24576}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def update_search_structures(path: Path) -> None:
    """Bring a store seeded by an older agent up to this search layout (once, in place)."""
    conn = sqlite3.connect(path)
    try:
        if not search_structures_current(conn):
            log.info("updating the search structures of %s (once)", path)
            build_search_structures(conn)
    finally:
        conn.close()


class DemoBackend:
    name: Literal["demo"] = "demo"

    def __init__(self, path: Path, *, map_store: bool = True) -> None:
        self.path = path
        self.map_store = map_store
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="demo-store")
        self._writer = ActionWriter(path)
        self._shm = ShmGuard(path)
        self._shm.check()  # the writer opened the store in WAL mode: the -shm is mapped

    def _check_shm(self) -> None:
        try:
            self._shm.check()
        except ShmGone as exc:
            raise BackendUnavailable(
                f"The demo store is unavailable: {exc}", code="store_unavailable"
            ) from None

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        scale: Literal["small", "large"] = "small",
        seed: int = 20261126,
        map_store: bool = True,
    ) -> DemoBackend:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in remove_stale_seeding(path):
            log.warning("removed %s, left by a seed that was killed", stale)
        if not store_is_seeded(path):
            if path.exists():
                kept = path.with_name(f"{path.name}.unusable-{int(time.time())}")
                os.replace(path, kept)
                log.warning(
                    "%s is not a complete demo store of this version; kept it as %s and "
                    "seeding a new one",
                    path,
                    kept,
                )
            seed_store(path, scale, seed=seed)
        else:
            update_search_structures(path)
        return cls(path, map_store=map_store)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path, self.map_store)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        self._check_shm()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: fn(self._conn()))

    async def search(self, kind: SearchKind, request: SearchRequest) -> SearchResponse:
        """Cancelling the awaiting task interrupts the search's running SQLite statement."""

        def work(conn: sqlite3.Connection, cancel: threading.Event) -> SearchResponse:
            return run_search(conn, kind, request, cancel=cancel)

        self._check_shm()
        return await run_cancellable(self._pool, self._conn, work)

    def filters(self, kind: SearchKind) -> FiltersResponse:
        catalog = CATALOG[kind]
        return FiltersResponse(
            kind=kind,
            filters=list(catalog.filters),
            columns=list(catalog.columns),
            default_sort=catalog.default_sort,
            default_order=catalog.default_order,
        )

    @staticmethod
    def _number(kind: EntityKind, entity_id: str) -> int:
        number = PARSERS[kind](entity_id)
        if number is None:
            raise NotFound(
                f"No {kind} with id '{entity_id}'",
                details={"kind": kind, "id": entity_id},
                code=f"{kind}_not_found",
            )
        return number

    async def entity_ref(self, kind: EntityKind, entity_id: str) -> EntityRef:
        self._number(kind, entity_id)
        return await self._run(lambda conn: documents.entity_ref(conn, kind, entity_id))

    async def get_entity(self, kind: EntityKind, entity_id: str) -> Any:
        number = self._number(kind, entity_id)
        build = {
            "customer": documents.customer_detail,
            "order": documents.order_detail,
            "return": documents.return_detail,
        }[kind]
        return await self._run(lambda conn: build(conn, number))

    async def related(
        self, kind: EntityKind, entity_id: str, relation: str, page: int, page_size: int
    ) -> Any:
        number = self._number(kind, entity_id)
        if relation == "audit-log":
            return await self._run(
                lambda conn: records.audit_log(conn, kind, number, page, page_size)
            )
        target: SearchKind = "orders" if relation == "orders" else "returns"
        key = "customer_id" if kind == "customer" else "order_number"
        catalog = CATALOG[target]
        request = SearchRequest(
            sort=catalog.default_sort,
            order="desc",
            page=page,
            page_size=page_size,
            filters={key: number},
        )

        def run(conn: sqlite3.Connection) -> SearchResponse:
            self._require(conn, kind, number, entity_id)
            return run_search(conn, target, request)

        return await self._run(run)

    @staticmethod
    def _require(conn: sqlite3.Connection, kind: EntityKind, number: int, entity_id: str) -> None:
        table, key = {
            "customer": ("customers", "id"),
            "order": ("orders", "number"),
            "return": ("returns", "number"),
        }[kind]
        if conn.execute(f"SELECT 1 FROM {table} WHERE {key} = ?", (number,)).fetchone() is None:
            raise NotFound(f"No {kind} with id '{entity_id}'", code=f"{kind}_not_found")

    async def checks(self) -> list[Check]:
        def run(conn: sqlite3.Connection) -> list[Check]:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            counts = {
                t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("customers", "orders", "returns")
            }
            return [
                Check(
                    "demo store integrity",
                    result == "ok",
                    f"{self.path}: {result}",
                    "run `callcenter-agent seed --force` to rebuild the demo store",
                ),
                Check(
                    "demo store contents",
                    all(counts.values()),
                    ", ".join(f"{v:,} {k}" for k, v in counts.items()),
                    "run `callcenter-agent seed --force`",
                ),
            ]

        return await self._run(run)

    async def perform(
        self,
        kind: EntityKind,
        entity_id: str,
        action: str,
        request: ActionRequest,
        ctx: ActionContext,
        idempotency_key: str | None,
    ) -> ActionResult:
        job = ActionJob(kind, self._number(kind, entity_id), action, request, ctx, idempotency_key)
        self._check_shm()
        return await self._writer.perform(job)

    async def outbox(self, limit: int) -> Outbox:
        return await self._run(lambda conn: records.outbox(conn, limit))

    async def close(self) -> None:
        self._shm.before_close()
        await self._writer.close()
        self._pool.shutdown(wait=True)
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
