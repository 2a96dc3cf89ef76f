"""Opening the demo store: the one-time upgrade of an older search layout, and the unmapped
reading mode (``[demo] map_store = false``)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from agent.backends.demo.backend import DemoBackend
from agent.backends.demo.search_schema import FACET_COLUMNS, facet_table, search_structures_current
from agent.search.params import SearchRequest

LIST = SearchRequest(sort="payment_status", filters={"status": ("Cancelled", "Completed")})


def _older_layout(path: Path) -> None:
    """The layout of an agent before facets: no facet tables, column triggers or indexes, and
    the old plain sort indexes."""
    with sqlite3.connect(path) as conn:
        for table in FACET_COLUMNS:
            for name in [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') "
                    "AND sql LIKE '%facet%' AND tbl_name = ?",
                    (table,),
                )
            ]:
                kind = conn.execute(
                    "SELECT type FROM sqlite_master WHERE name = ?", (name,)
                ).fetchone()[0]
                conn.execute(f"DROP {kind.upper()} {name}")
            conn.execute(f"DROP TABLE {facet_table(table)}")
            conn.execute(f"ALTER TABLE {table} DROP COLUMN facet")
        conn.execute("CREATE INDEX orders_by_total_cents ON orders (total_cents)")


async def test_an_older_store_is_upgraded_once_when_opened(
    seeded_store: Path, tmp_path: Path
) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(seeded_store, path)
    expected = await _page(path)
    _older_layout(path)
    with sqlite3.connect(path) as conn:
        assert not search_structures_current(conn)
        orders = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    assert await _page(path) == expected
    with sqlite3.connect(path) as conn:
        assert search_structures_current(conn)
        assert conn.execute("SELECT count(*) FROM orders WHERE facet IS NULL").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == orders
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "orders_by_total_cents" not in names  # the stale index went
    assert "orders_by_total_cents_number_facet" in names


async def test_an_unmapped_store_answers_the_same(seeded_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(seeded_store, path)
    mapped = DemoBackend.open(path)
    unmapped = DemoBackend.open(path, map_store=False)
    try:
        for request in (LIST, SearchRequest(q="an"), SearchRequest(q="555")):
            first = await mapped.search("orders", request)
            second = await unmapped.search("orders", request)
            assert first.results == second.results and first.total == second.total
        sizes = {
            await backend._run(lambda conn: conn.execute("PRAGMA mmap_size").fetchone()[0])
            for backend in (mapped, unmapped)
        }
        assert sizes == {0, 1 << 30}
    finally:
        await mapped.close()
        await unmapped.close()


async def _page(path: Path) -> list[dict[str, object]]:
    backend = DemoBackend.open(path)
    try:
        response = await backend.search("orders", LIST)
        assert response.total_exact and len(response.results) == LIST.page_size
        return response.results
    finally:
        await backend.close()
