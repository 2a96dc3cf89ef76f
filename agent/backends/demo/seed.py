"""Builds the demo store: deterministic customers, orders and returns, then search structures.

The store is written to a temporary file beside the target and renamed over it only once
complete, so an interrupted seed never leaves a half-built store (the old one stays).
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NamedTuple

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agent.backends.demo.schema import SCHEMA_VERSION, create_base_tables
from agent.backends.demo.search_schema import build_search_structures, search_build_steps
from agent.backends.demo.seed_customers import CUSTOMER_COLUMNS, Customers
from agent.backends.demo.seed_orders import (
    ORDER_COLUMNS,
    REFERENCE_TIME,
    RETURN_COLUMNS,
    OrderBook,
)
from agent.backends.demo.seed_people import PeopleFactory

Scale = Literal["small", "large"]
DEFAULT_SEED = 20261126
PROGRESS_STEP = 20_000


class ScaleSize(NamedTuple):
    customers: int
    orders: int
    returns: int


SCALES: dict[str, ScaleSize] = {
    "small": ScaleSize(500, 3_000, 400),
    "large": ScaleSize(200_000, 1_000_000, 150_000),
}


@dataclass(frozen=True)
class SeedReport:
    path: Path
    scale: str
    seed: int
    customers: int
    orders: int
    returns: int
    audit_entries: int
    load_seconds: float  # generating and inserting the base rows
    search_seconds: float  # build_search_structures
    seconds: float  # the whole seed, file handling included


def seed_store(
    path: Path, scale: Scale = "small", *, seed: int = DEFAULT_SEED, progress: bool = False
) -> SeedReport:
    """(Re)build the demo store at ``path``; the same seed and scale give the same rows."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.seeding-{os.getpid()}")
    _remove_database(temporary)
    try:
        with _progress_bar(progress) as bar:
            conn = sqlite3.connect(temporary, isolation_level=None)
            try:
                counts, load_seconds, search_seconds = _build(conn, scale, seed, bar)
            finally:
                conn.close()
        # The old store's WAL must not be replayed into the new file.
        _remove_database(path, keep_main=True)
        os.replace(temporary, path)
    except BaseException:
        _remove_database(temporary)
        raise
    return SeedReport(
        path=path,
        scale=scale,
        seed=seed,
        customers=counts["customer_count"],
        orders=counts["order_count"],
        returns=counts["return_count"],
        audit_entries=counts["audit_entry_count"],
        load_seconds=load_seconds,
        search_seconds=search_seconds,
        seconds=time.perf_counter() - started,
    )


def remove_stale_seeding(path: Path) -> list[Path]:
    """Remove the temporary files of seeds that were killed (kill -9 skips the cleanup).

    Call only while holding the data dir's lock (agent/data_lock.py): then no seed runs."""
    removed = []
    for temporary in path.parent.glob(f".{path.name}.seeding-*"):
        if temporary.name.endswith(("-wal", "-shm", "-journal")):
            continue
        _remove_database(temporary)
        removed.append(temporary)
    return removed


def store_is_seeded(path: Path) -> bool:
    """True when ``path`` holds a completely seeded store of the current schema."""
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return "seeded_at" in meta and meta.get("schema_version") == str(SCHEMA_VERSION)


def _build(
    conn: sqlite3.Connection, scale: Scale, seed: int, bar: Progress | None
) -> tuple[dict[str, int], float, float]:
    size = SCALES[scale]
    started = time.perf_counter()
    conn.execute("PRAGMA journal_mode = OFF")  # a crash discards the temporary file anyway
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    create_base_tables(conn)

    people = PeopleFactory(random.Random(f"{seed}:people"))
    drawing = bar.add_task("People", total=size.customers) if bar else None
    customers = Customers(
        random.Random(f"{seed}:customers"),
        people,
        size.customers,
        REFERENCE_TIME - int(3.5 * 365 * 86_400),
        REFERENCE_TIME - 86_400,
    )
    if bar and drawing is not None:
        bar.update(drawing, completed=size.customers)
    book = OrderBook(random.Random(f"{seed}:orders"), people, customers, size.orders, size.returns)
    conn.execute("BEGIN")
    conn.executemany(
        f"INSERT INTO orders ({ORDER_COLUMNS}) VALUES ({_marks(ORDER_COLUMNS)})",
        _advancing(book.rows(), bar, "Orders", size.orders),
    )
    returns = book.numbered_returns()
    conn.executemany(
        f"INSERT INTO returns ({RETURN_COLUMNS}) VALUES ({_marks(RETURN_COLUMNS)})",
        _advancing(returns, bar, "Returns", len(returns)),
    )
    customer_rows, segment_rows, audit_rows = customers.rows(
        REFERENCE_TIME, audit_detail=scale == "small"
    )
    conn.executemany(
        f"INSERT INTO customers ({CUSTOMER_COLUMNS}) VALUES ({_marks(CUSTOMER_COLUMNS)})",
        _advancing(customer_rows, bar, "Customers", len(customer_rows)),
    )
    conn.executemany(
        "INSERT INTO customer_segments (segment, customer_id) VALUES (?, ?)", segment_rows
    )
    conn.executemany(
        "INSERT INTO audit_log (kind, entity_id, at, who, action, field, old_value, new_value) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        audit_rows,
    )
    conn.execute("COMMIT")
    loaded = time.perf_counter()

    if bar is None:
        build_search_structures(conn)
    else:
        task = bar.add_task("Search index", total=search_build_steps())
        build_search_structures(conn, lambda name: bar.advance(task))
    indexed = time.perf_counter()

    counts = {
        "customer_count": len(customer_rows),
        "order_count": size.orders,
        "return_count": len(returns),
        "audit_entry_count": len(audit_rows),
    }
    meta = {
        "scale": scale,
        "seed": str(seed),
        "reference_time": str(REFERENCE_TIME),
        "seeded_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **{key: str(value) for key, value in counts.items()},
    }
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", meta.items())
    conn.execute("PRAGMA journal_mode = WAL")
    return counts, loaded - started, indexed - loaded


def _marks(columns: str) -> str:
    return ", ".join("?" * len(columns.split(",")))


def _advancing(rows: Iterable[tuple], bar: Progress | None, label: str, total: int) -> Iterable:
    if bar is None:
        return rows
    task = bar.add_task(label, total=total)

    def advance() -> Iterator[tuple]:
        done = 0
        for done, row in enumerate(rows, 1):
            yield row
            if done % PROGRESS_STEP == 0:
                bar.advance(task, PROGRESS_STEP)
        bar.update(task, completed=done)

    return advance()


@contextlib.contextmanager
def _progress_bar(enabled: bool) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("{task.description:<13}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        yield bar


def _remove_database(path: Path, *, keep_main: bool = False) -> None:
    suffixes = ("-wal", "-shm", "-journal") if keep_main else ("", "-wal", "-shm", "-journal")
    for suffix in suffixes:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
