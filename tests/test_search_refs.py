"""External ID and Location of orders and returns (the filters Kibo's dashboards have): the
demo store derives, keeps and filters them, an older store gains them once when opened, and the
Kibo backend marks them unavailable (no evidence that its lists filter by them)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from agent.backends.demo.backend import update_search_structures
from agent.backends.demo.search import run_search
from agent.backends.demo.search_refs import order_refs, return_external_id
from agent.backends.demo.search_schema import search_structures_current
from agent.search.params import SearchRequest
from shared_schema import vocab


@pytest.fixture
def store(seeded_store: Path, tmp_path: Path) -> sqlite3.Connection:
    path = tmp_path / "demo.db"
    shutil.copy(seeded_store, path)
    return sqlite3.connect(path)


def numbers(conn: sqlite3.Connection, kind: str, **filters: object) -> list[int]:
    found = run_search(conn, kind, SearchRequest(filters=filters, page_size=100))
    return [row["number"] for row in found.results]


def test_orders_carry_derived_external_ids_and_locations(store: sqlite3.Connection) -> None:
    rows = store.execute("SELECT number, channel, site, external_id, location FROM orders")
    for number, channel, site, external, location in rows:
        assert (external, location) == order_refs(number, channel, site)
        assert location in vocab.LOCATIONS_BY_SITE[site]
        assert external.startswith({"Marketplace": "MP-", "Store": "POS-"}.get(channel, ""))
    used = {row[0] for row in store.execute("SELECT DISTINCT location FROM orders")}
    assert used == set(vocab.LOCATIONS)
    returns = store.execute(
        "SELECT r.number, r.external_id, r.location, o.channel, o.location FROM returns r "
        "JOIN orders o ON o.number = r.order_number"
    )
    for number, external, location, channel, order_location in returns:
        assert external == return_external_id(number, channel)
        assert location == order_location


def test_external_id_and_location_filter_orders_and_returns(store: sqlite3.Connection) -> None:
    number, external = store.execute(
        "SELECT number, external_id FROM orders WHERE external_id LIKE 'MP-%' LIMIT 1"
    ).fetchone()
    assert numbers(store, "orders", external_id=external.lower()) == [number]
    assert numbers(store, "orders", external_id=external[:6]) == [
        n
        for (n,) in store.execute(
            "SELECT number FROM orders WHERE substr(external_id, 1, 6) = ? "
            "ORDER BY submitted_at DESC, number DESC LIMIT 100",
            (external[:6],),
        )
    ]
    assert numbers(store, "orders", external_id="XX-") == []
    wanted = ("Toronto DC", "London DC")
    found = run_search(store, "orders", SearchRequest(filters={"location": wanted}))
    expected = store.execute(
        "SELECT count(*) FROM orders WHERE location IN (?, ?)", wanted
    ).fetchone()[0]
    assert found.total == expected and {r["location"] for r in found.results} <= set(wanted)
    rma = store.execute(
        "SELECT number, external_id FROM returns WHERE external_id <> '' LIMIT 1"
    ).fetchone()
    assert numbers(store, "returns", external_id=rma[1]) == [rma[0]]
    located = run_search(store, "returns", SearchRequest(filters={"location": ("Austin DC",)}))
    assert located.total and {r["location"] for r in located.results} == {"Austin DC"}


def test_an_older_store_gains_them_once_when_opened(store: sqlite3.Connection) -> None:
    path = Path(store.execute("PRAGMA database_list").fetchone()[2])
    before = store.execute("SELECT external_id, location FROM orders ORDER BY number").fetchall()
    for table, date in (("orders", "submitted_at"), ("returns", "created_at")):
        store.execute(f"DROP INDEX {table}_by_external_id")
        store.execute(f"DROP INDEX {table}_by_location_{date}")
        store.execute(f"ALTER TABLE {table} DROP COLUMN external_id")
        store.execute(f"ALTER TABLE {table} DROP COLUMN location")
    store.commit()
    assert not search_structures_current(store)
    update_search_structures(path)
    again = sqlite3.connect(path)
    assert search_structures_current(again)
    assert again.execute("SELECT external_id, location FROM orders ORDER BY number").fetchall() == (
        before
    )
