"""Opening the demo store: the one-time upgrade of an older search layout, and the unmapped
reading mode (``[demo] map_store = false``)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from agent.backends.demo.backend import DemoBackend
from agent.backends.demo.search_schema import FACET_COLUMNS, facet_table, search_structures_current
from agent.domain.outcome import ActionContext
from agent.search.params import SearchRequest
from shared_schema.actions_customers import AddCustomerNoteRequest

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


async def test_a_store_that_cannot_be_used_is_kept_aside_and_said_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "demo.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '0')")
    original = path.read_bytes()
    backend = DemoBackend.open(path)
    await backend.close()
    kept = list(tmp_path.glob("demo.db.unusable-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == original
    assert any(str(kept[0]) in record.getMessage() for record in caplog.records)


async def test_a_key_record_of_an_older_agent_still_replays(
    seeded_store: Path, tmp_path: Path
) -> None:
    """Older agents kept the whole answer, entity included; the index comes on open."""
    path = tmp_path / "demo.db"
    shutil.copy(seeded_store, path)
    backend = DemoBackend.open(path)
    try:
        customer = await backend.get_entity("customer", "1001")
        request = AddCustomerNoteRequest(expected_version=customer.version, text="older agent")
        ctx = ActionContext(who="CSR", session_id=None, now="2026-03-01T00:00:00Z")
        first = await backend.perform("customer", "1001", "add_note", request, ctx, "older-key-1")
        with sqlite3.connect(path) as conn:
            conn.execute(
                "UPDATE idempotency SET result = ? WHERE key = 'older-key-1'",
                (first.model_dump_json(),),
            )
            conn.execute("DROP INDEX idempotency_created")
    finally:
        await backend.close()
    backend = DemoBackend.open(path)
    try:
        again = await backend.perform("customer", "1001", "add_note", request, ctx, "older-key-1")
    finally:
        await backend.close()
    assert again.replayed and again.model_copy(update={"replayed": False}) == first
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "idempotency_created" in names
