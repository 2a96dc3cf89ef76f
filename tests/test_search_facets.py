"""Facet lists against plain SQL on the seeded store: the same rows, order and totals.

Every list filtered by the coded filters (status, payment, type, channel…) with a facet or date
sort is served by ``search_facets``; here each one is compared with the obvious statement over
the plain columns, and the triggers are shown to keep the codes right after writes.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.backends.demo.search import run_search
from agent.backends.demo.search_schema import FACET_COLUMNS
from agent.search.params import SearchRequest

DATE = {"orders": "submitted_at", "returns": "created_at"}
FILTER_KEYS = {"orders": "submitted", "returns": "created"}


@pytest.fixture
def store(seeded_store: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "demo.db"
    shutil.copy(seeded_store, path)
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def _values(conn: sqlite3.Connection, table: str, column: str) -> list[str]:
    return [row[0] for row in conn.execute(f"SELECT DISTINCT {column} FROM {table} ORDER BY 1")]


def _reference(conn: sqlite3.Connection, table: str, req: SearchRequest) -> tuple[list[int], int]:
    """The page and the total by the plain columns, as anyone would write it."""
    date = DATE[table]
    where, params = [], []
    for key, value in req.filters.items():
        if key == FILTER_KEYS[table]:
            low, high = value
            where += [f"{date} >= ?", f"{date} <= ?"]
            params += [low, high]
        else:
            where.append(f"{key} IN ({','.join('?' * len(value))})")
            params += list(value)
    direction = "ASC" if req.order == "asc" and req.sort != "relevance" else "DESC"
    keys = [f"{date} {direction}", f"number {direction}"]
    if req.sort in FACET_COLUMNS[table]:
        keys.insert(0, f"{req.sort} {direction}")
    sql = f"SELECT number FROM {table} WHERE {' AND '.join(where) or 1}"
    total = conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    page = conn.execute(
        f"{sql} ORDER BY {', '.join(keys)} LIMIT ? OFFSET ?", [*params, req.page_size, req.offset]
    ).fetchall()
    return [row[0] for row in page], total


def _random_request(conn: sqlite3.Connection, table: str, rng: random.Random) -> SearchRequest:
    columns = FACET_COLUMNS[table]
    filters: dict[str, Any] = {}
    for column in rng.sample(columns, rng.randint(0, 3)):
        values = _values(conn, table, column)
        filters[column] = tuple(rng.sample(values, min(len(values), rng.randint(1, 2))))
    if not filters or rng.random() < 0.4:
        low, high = conn.execute(
            f"SELECT min({DATE[table]}), max({DATE[table]}) FROM {table}"
        ).fetchone()
        start = rng.randint(low, high)
        filters[FILTER_KEYS[table]] = (start, start + rng.randint(30, 400) * 86_400)
    sort = rng.choice([*columns, DATE[table], "number", "relevance"])
    return SearchRequest(
        sort=sort,
        order=rng.choice(["asc", "desc"]),
        filters=filters,
        page=rng.choice([1, 1, 2, 3, 7]),
        page_size=rng.choice([5, 25]),
    )


@pytest.mark.parametrize("table", ["orders", "returns"])
def test_facet_lists_equal_plain_sql(store: sqlite3.Connection, table: str) -> None:
    rng = random.Random(f"facets:{table}")
    for _ in range(150):
        req = _random_request(store, table, rng)
        response = run_search(store, table, req)
        expected, total = _reference(store, table, req)
        assert [row["number"] for row in response.results] == expected, req
        assert (response.total, response.total_exact) == (total, True), req
        assert response.sort == req.sort and response.interpretation == "", req


def test_triggers_code_new_combinations_and_changed_rows(store: sqlite3.Connection) -> None:
    number = store.execute("SELECT min(number) FROM orders WHERE status = 'Completed'").fetchone()[
        0
    ]
    codes_before = store.execute("SELECT count(*) FROM order_facets").fetchone()[0]
    store.execute(
        "UPDATE orders SET status = 'Errored', site = 'brand-new-site' WHERE number = ?", (number,)
    )
    assert store.execute("SELECT count(*) FROM order_facets").fetchone()[0] == codes_before + 1
    found = run_search(store, "orders", SearchRequest(filters={"site": ("brand-new-site",)}))
    assert [row["number"] for row in found.results] == [number]
    completed = run_search(
        store,
        "orders",
        SearchRequest(
            filters={"status": ("Completed",)}, page_size=100, sort="number", order="asc"
        ),
    )
    assert number not in [row["number"] for row in completed.results]
    row = store.execute(
        "SELECT o.status, o.site FROM orders o JOIN order_facets f "
        "ON f.code = o.facet WHERE o.number = ? AND f.status = o.status "
        "AND f.site = o.site",
        (number,),
    ).fetchone()
    assert row == ("Errored", "brand-new-site")


def _counted(conn: sqlite3.Connection, table: str) -> dict[int, int]:
    kept = dict(conn.execute(f"SELECT code, rows FROM {table[:-1]}_facets WHERE rows <> 0"))
    actual = dict(conn.execute(f"SELECT facet, count(*) FROM {table} GROUP BY facet"))
    assert kept == actual, table
    return kept


def test_each_code_counts_its_rows_through_writes(store: sqlite3.Connection) -> None:
    before = _counted(store, "orders")
    store.execute(
        "UPDATE orders SET status = 'Cancelled' WHERE number IN "
        "(SELECT number FROM orders WHERE status = 'Completed' LIMIT 7)"
    )
    store.execute("UPDATE orders SET channel = channel WHERE number < 1100")  # no change
    store.execute("DELETE FROM orders WHERE number IN (SELECT number FROM orders LIMIT 3)")
    after = _counted(store, "orders")
    assert after != before and sum(after.values()) == sum(before.values()) - 3
    store.execute("DELETE FROM returns WHERE number IN (SELECT number FROM returns LIMIT 2)")
    _counted(store, "returns")


def test_every_row_is_coded_after_a_fresh_insert(store: sqlite3.Connection) -> None:
    columns = [
        row[1]
        for row in store.execute("PRAGMA table_info(returns)")
        if row[1] not in ("number", "facet")
    ]
    store.execute(
        f"INSERT INTO returns (number, {', '.join(columns)}) "
        f"SELECT 999999, {', '.join(columns)} FROM returns ORDER BY number LIMIT 1"
    )
    assert store.execute("SELECT count(*) FROM returns WHERE facet IS NULL").fetchone()[0] == 0
    assert store.execute("SELECT count(*) FROM orders WHERE facet IS NULL").fetchone()[0] == 0
    _counted(store, "returns")


def test_phone_prefixes_list_customers_as_a_phone_book(store: sqlite3.Connection) -> None:
    # search_phone: the exact id first, then by last and first name, sorted from the index.
    rng = random.Random("phones")
    phones = [
        row[0]
        for row in store.execute(
            "SELECT phone_digits FROM customers WHERE phone_digits <> '' ORDER BY id"
        )
    ]
    for _ in range(60):
        digits = rng.choice(phones)[: rng.randint(5, 7)]
        req = SearchRequest(q=digits, page=rng.choice([1, 1, 2, 3]), page_size=rng.choice([1, 5]))
        number = int(digits)
        expected = [
            row[0]
            for row in store.execute(
                "SELECT id FROM customers WHERE id = ? OR substr(phone_digits, 1, ?) = ? "
                "ORDER BY (id = ?) DESC, last_name COLLATE NOCASE, first_name COLLATE NOCASE, id "
                "LIMIT ? OFFSET ?",
                (
                    number,
                    len(digits.lstrip("0")),
                    digits.lstrip("0"),
                    number,
                    req.page_size,
                    req.offset,
                ),
            )
        ]
        response = run_search(store, "customers", req)
        assert [int(row["id"]) for row in response.results] == expected, req


def test_a_facet_list_out_of_time_is_a_search_timeout(
    store: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    import agent.backends.demo.search as search_module
    from agent.errors import BackendUnavailable

    monkeypatch.setattr(search_module, "REQUEST_BUDGET_S", 0.0)
    req = SearchRequest(
        sort="payment_status", page=7, page_size=25, filters={"status": ("Completed", "Closed")}
    )
    with pytest.raises(BackendUnavailable) as stopped:
        run_search(store, "orders", req, deadline_s=0.0)
    assert stopped.value.code == "search_timeout"


def test_a_search_out_of_time_once_gets_a_second_budget(
    store: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first try's clock can run for reasons outside the search (a VM's host, page faults).
    import agent.backends.demo.search as search_module

    real, tries = search_module._answer, []

    def slow_once(*args: Any) -> Any:
        tries.append(1)
        if len(tries) == 1:
            raise sqlite3.OperationalError("interrupted")
        return real(*args)

    monkeypatch.setattr(search_module, "_answer", slow_once)
    req = SearchRequest(sort="payment_status", filters={"status": ("Cancelled",)})
    response = run_search(store, "orders", req)
    expected, total = _reference(store, "orders", req)
    assert len(tries) == 2
    assert [row["number"] for row in response.results] == expected and response.total == total
