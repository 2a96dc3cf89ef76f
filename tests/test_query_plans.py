"""The query plans of the hot searches, on a seeded small store (after its ANALYZE).

A new index, a changed statistic or a rewritten query can silently turn a 0.05 ms page into a
scan of 1M orders; these tests read ``EXPLAIN QUERY PLAN`` of every statement a search runs
and fail when a hot page stops using its index, sorts what should stream, or scans a table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.backends.demo.search import run_search
from agent.backends.demo.search_kinds import KINDS
from agent.backends.demo.search_plan import Source, facets_of, order_clause, sort_columns
from agent.backends.demo.search_query import Query, add_filters
from agent.search.params import SearchRequest

FTS = "VIRTUAL TABLE INDEX"
SORTS = "USE TEMP B-TREE FOR ORDER BY"


@pytest.fixture(scope="module")
def store(seeded_store: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{seeded_store}?mode=ro", uri=True)
    yield conn
    conn.close()


def plans(conn: sqlite3.Connection, kind: str, req: SearchRequest) -> list[list[str]]:
    """The plan of every statement ``run_search`` runs, in order (FTS5 internals left out)."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        run_search(conn, kind, req)
    finally:
        conn.set_trace_callback(None)
    ours = [s for s in statements if s.startswith("SELECT") and "_fts_config" not in s]
    return [[row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + s)] for s in ours]


def page_plan(conn: sqlite3.Connection, kind: str, req: SearchRequest) -> list[str]:
    return plans(conn, kind, req)[-1]


def assert_no_table_scan(all_plans: list[list[str]]) -> None:
    for plan in all_plans:
        for step in plan:
            assert not (step.startswith("SCAN t") and "INDEX" not in step), all_plans
            assert not step.startswith(("SCAN orders", "SCAN customers ", "SCAN returns")), plan


@pytest.mark.parametrize("kind", ["orders", "returns"])
def test_typeahead_streams_newest_first_from_the_fts_index(store, kind):
    plan = page_plan(store, kind, SearchRequest(q="a"))
    assert plan[0].startswith(f"SCAN {kind}_fts {FTS}"), plan
    assert "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)" in plan
    assert SORTS not in plan


def test_typeahead_counts_on_the_fts_table_alone(store):
    count, page = plans(store, "orders", SearchRequest(q="ma"))
    # One pass over the newest cap + 1 matches (rowid DESC streams from the doclist), no join.
    assert count == [
        "CO-ROUTINE (subquery-1)",
        f"SCAN orders_fts {FTS} 192:M2",
        "SCAN (subquery-1)",
    ], count
    assert page[0].startswith(f"SCAN orders_fts {FTS}") and SORTS not in page


@pytest.mark.parametrize(("kind", "sort"), [("orders", "submitted_at"), ("returns", "created_at")])
def test_typeahead_by_date_streams_too(store, kind, sort):
    # The panel's default sort; numbers rise with the date, so it is the doclist's order.
    plan = page_plan(store, kind, SearchRequest(q="a", sort=sort))
    assert plan[0].startswith(f"SCAN {kind}_fts {FTS}") and SORTS not in plan, plan


def test_few_customer_hits_are_gathered_and_sorted(store):
    plan = page_plan(store, "customers", SearchRequest(q="smi"))
    assert plan[0].startswith(f"SCAN customers_fts {FTS}") and SORTS in plan, plan


def test_many_customer_hits_walk_the_name_index(store):
    # A page of one makes the walk the cheaper plan even on the small store.
    plan = page_plan(store, "customers", SearchRequest(q="a", page_size=1))
    assert plan[0] == "SCAN t USING INDEX customers_by_last_name_nocase_first_name_nocase"
    assert "LIST SUBQUERY 1" in plan and SORTS not in plan, plan


def test_text_with_a_filter_is_driven_by_the_fts_table(store):
    plan = page_plan(store, "orders", SearchRequest(q="a", filters={"status": ("Completed",)}))
    assert plan[0].startswith(f"SCAN orders_fts {FTS}"), plan


@pytest.mark.parametrize(
    ("q", "lookups"),
    [
        ("#1200", ["USING INTEGER PRIMARY KEY (rowid=?)"]),
        ("5125550134", ["USING COVERING INDEX orders_by_phone_digits (phone_digits>? AND"]),
        (
            "0134",
            [
                "USING COVERING INDEX orders_by_phone_last4 (phone_last4=?)",
                "USING INTEGER PRIMARY KEY (rowid=?)",
            ],
        ),
        ("ann@", ["USING COVERING INDEX orders_by_email_number_facet (email>? AND email<?)"]),
    ],
)
def test_numbers_phones_and_emails_are_index_lookups(store, q, lookups):
    all_plans = plans(store, "orders", SearchRequest(q=q))
    steps = [step for plan in all_plans for step in plan]
    for lookup in lookups:
        assert any(lookup in step for step in steps), all_plans
    assert_no_table_scan(all_plans)


def test_the_typed_number_is_looked_up_alone_and_the_phones_on_their_index(store):
    exact, *_, page = plans(store, "orders", SearchRequest(q="5125550134"))
    assert exact == ["SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"]
    assert page[0].startswith("SEARCH t USING INDEX orders_by_phone_digits"), page


def test_returns_of_the_order_typed_are_an_index_lookup(store):
    all_plans = plans(store, "returns", SearchRequest(q="12000"))
    steps = [step for plan in all_plans for step in plan]
    assert any("returns_by_order_number_created_at (order_number=?)" in s for s in steps), steps
    assert_no_table_scan(all_plans)


@pytest.mark.parametrize("match", ["starts", "exact", "contains"])
@pytest.mark.parametrize("kind", ["customers", "orders", "returns"])
def test_name_filters_are_driven_by_the_fts_index(store, kind, match):
    filters = {"first_name": "an", "last_name": "son", "name_match": match}
    all_plans = plans(store, kind, SearchRequest(filters=filters))
    assert all_plans[-1][0].startswith(f"SCAN {kind}_fts {FTS}"), all_plans
    steps = [step for plan in all_plans for step in plan]
    assert not [s for s in steps if s.startswith(("SCAN t ", f"SCAN {kind} "))], all_plans


@pytest.mark.parametrize("q", ["0134"])
def test_whole_hit_sets_are_one_or_of_their_indexes(store, q):
    # No UNION to build: SQLite reads each index and merges the rowids, for count and page.
    *before, page = plans(store, "orders", SearchRequest(q=q))
    count = next(plan for plan in before if "MULTI-INDEX OR" in plan)
    assert count[0].startswith("CO-ROUTINE (subquery-") and "MULTI-INDEX OR" in page, (count, page)
    # The cards ending in the digits are a third index of the OR: card_last4's primary key.
    card = "SEARCH card_last4 USING PRIMARY KEY (kind=? AND last4=?)"
    assert card in count and card in page, (count, page)
    with_filter = page_plan(store, "orders", SearchRequest(q=q, filters={"status": ("Completed",)}))
    assert "MULTI-INDEX OR" not in with_filter and with_filter[0] == "CO-ROUTINE hits", with_filter


LISTS = [
    ("orders", SearchRequest(sort="submitted_at"), "SCAN t USING INDEX orders_by_submitted_at"),
    (
        "orders",
        SearchRequest(sort="submitted_at", filters={"status": ("Completed",)}),
        "SEARCH t USING INDEX orders_by_status_submitted_at (status=?)",
    ),
    (
        "returns",
        SearchRequest(filters={"status": ("Created",)}),
        "SEARCH t USING INDEX returns_by_status_created_at (status=?)",
    ),
    (
        "orders",
        SearchRequest(sort="total", order="asc"),
        "SCAN t USING INDEX orders_by_total_cents_number_facet",
    ),
    (
        "orders",
        SearchRequest(sort="customer_name"),
        "SCAN t USING INDEX orders_by_customer_name_nocase_number_facet",
    ),
    (
        "orders",
        SearchRequest(sort="channel", order="asc"),
        "SCAN t USING INDEX orders_by_channel_submitted_at",
    ),
    (
        "orders",
        SearchRequest(sort="total", filters={"status": ("Completed",)}),
        "SEARCH t USING INDEX orders_by_status_total_cents (status=?)",
    ),
    (
        "orders",
        SearchRequest(sort="submitted_at", filters={"customer_id": 7}),
        "SEARCH t USING INDEX orders_by_customer_id_submitted_at (customer_id=?)",
    ),
    (
        "orders",
        SearchRequest(sort="number", filters={"submitted": (1_700_000_000, 1_750_000_000)}),
        "SEARCH t USING INDEX orders_by_submitted_at (submitted_at>? AND submitted_at<?)",
    ),
    (
        "customers",
        SearchRequest(sort="name", order="asc"),
        "SCAN t USING INDEX customers_by_first_name_nocase_last_name_nocase",
    ),
    (
        "returns",
        SearchRequest(sort="created_at", filters={"order_number": 1005}),
        "SEARCH t USING INDEX returns_by_order_number_created_at (order_number=?)",
    ),
]


@pytest.mark.parametrize(("kind", "req", "expected"), LISTS)
def test_filter_and_sort_lists_walk_their_index_and_never_sort(store, kind, req, expected):
    all_plans = plans(store, kind, req)
    assert all_plans[-1] == [expected], all_plans
    assert_no_table_scan(all_plans)


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"total": (1000, 20000)}, "orders_by_total_cents"),
        ({"customer_id": 7}, "orders_by_customer_id_submitted_at"),
    ],
)
def test_list_counts_read_a_covering_index(store, filters, index):
    count = plans(store, "orders", SearchRequest(filters=filters))[0]
    assert any(f"USING COVERING INDEX {index}" in step for step in count), count


FACET_LISTS = [
    ("orders", SearchRequest(sort="submitted_at", filters={"status": ("Completed", "Closed")})),
    ("orders", SearchRequest(filters={"channel": ("Web",), "type": ("Online",)})),
    ("orders", SearchRequest(sort="payment_status", filters={"status": ("Cancelled",)})),
    (
        "orders",
        SearchRequest(
            sort="channel",
            order="asc",
            page=3,
            filters={
                "status": ("Completed", "Cancelled"),
                "submitted": (1_700_000_000, 1_750_000_000),
            },
        ),
    ),
    ("returns", SearchRequest(sort="refund_status", filters={"status": ("Created",)})),
    ("orders", SearchRequest(sort="type", filters={"submitted": (1_700_000_000, 1_750_000_000)})),
]


@pytest.mark.parametrize(("kind", "req"), FACET_LISTS)
def test_facet_lists_read_one_index_range_per_code(store, kind, req):
    codes, count, *streams, rows = plans(store, kind, req)
    facets = f"{kind.removesuffix('s')}_facets"
    assert any(step.startswith((f"SEARCH {facets}", f"SCAN {facets}")) for step in codes), codes
    assert any(f"COVERING INDEX {kind}_by_facet_" in step for step in count), count
    assert streams and all(
        plan
        == [
            f"SEARCH {kind} USING COVERING INDEX {kind}_by_facet_"
            f"{'submitted_at' if kind == 'orders' else 'created_at'} (facet=?"
            + (" AND submitted_at>? AND submitted_at<?)" if "submitted" in req.filters else ")")
        ]
        for plan in streams
        if "CO-ROUTINE (subquery-1)" not in plan
    ), streams
    assert rows == ["SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"], rows


@pytest.mark.parametrize("sort", ["customer_name", "total", "item_count", "email"])
def test_enum_filters_are_checked_on_the_sort_index_while_walking(store, sort):
    # The statement a wide filter list walks (search_lists.filter_page; on 1M orders): the
    # sort indexes end in (number, facet), so the walk reads no row to test a filter.
    spec = KINDS["orders"]
    req = SearchRequest(sort=sort, filters={"status": ("Completed",), "channel": ("Web",)})
    query = Query()
    add_filters(query, "orders", dict(req.filters))
    source = Source("orders t")
    where, params = source.clauses(
        query, sort_columns(spec, req, query)[0].split()[0], facets_of(spec)
    )
    order_by = order_clause(spec, req, query, source=source)
    sql = f"SELECT {spec.columns} FROM orders t {where} ORDER BY {order_by} LIMIT 25"
    plan = [row[3] for row in store.execute("EXPLAIN QUERY PLAN " + sql, params)]
    column = {"total": "total_cents"}.get(sort, sort)
    assert plan[0].startswith(f"SCAN t USING INDEX orders_by_{column}"), plan
    assert plan[0].endswith("_number_facet") and SORTS not in plan, plan
    assert "t.status" not in where and "+t.facet IN (SELECT code FROM order_facets" in where


def test_a_phone_prefix_sorts_customers_from_the_covering_index(store):
    # search_phone: names come from the phone index; only the page's rows are read.
    page = page_plan(store, "customers", SearchRequest(q="51255"))
    assert (
        "SEARCH customers USING COVERING INDEX customers_by_phone_digits_last_name_nocase_"
        "first_name_nocase (phone_digits>? AND phone_digits<?)"
    ) in page, page
    assert "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)" in page, page
