"""Search over the demo store: text routing, every filter and sort, paging, caps, sync, plans.

The small store is written out row by row, so each expectation can be checked by eye.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from agent.backends.demo import search_lists
from agent.backends.demo.ids import order_id, parse_order_id, return_id
from agent.backends.demo.schema import create_base_tables
from agent.backends.demo.search import SearchCancelled, run_search
from agent.backends.demo.search_cancel import run_cancellable
from agent.backends.demo.search_schema import build_search_structures
from agent.errors import BadRequest
from agent.search import catalog
from agent.search.catalog import CATALOG
from agent.search.params import SearchRequest
from shared_schema.search import SearchResponse


def ts(day: str) -> int:
    return int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp())


# id, first, last, email, phone as written, national digits, status, set, segments, created,
# city, state, country, order_count, lifetime_value_cents
# fmt: off
CUSTOMERS = [
    (1, "Zoë", "Müller", "zoe.muller@example.com", "(512) 555-0134", "5125550134", "Active",
     "default", "VIP,Loyalty", "2024-01-10", "Austin", "TX", "US", 3, 15000),
    (2, "José", "Núñez", "jose.nunez@mail.co.uk", "+44 20 7946 0958", "2079460958", "Disabled",
     "wholesale", "Wholesale", "2024-02-01", "London", "LND", "GB", 1, 5000),
    (3, "Zoe", "Adams", "zadams@example.org", "512.555.0199", "5125550199", "Active", "employees",
     "", "2023-06-01", "Austin", "TX", "US", 0, 0),
    (4, "Anna", "Smith", "anna.s@shop.com", "1 (303) 555-1234", "3035551234", "Locked", "default",
     "Newsletter", "2024-03-15", "Denver", "CO", "US", 2, 9000),
    (5, "Mark", "Lee", "mlee@example.com", "(555) 013-4567", "5550134567", "Active", "default", "",
     "2022-11-30", "Toronto", "ON", "CA", 1, 2500),
    (1234, "Bob", "Stone", "bob.stone@example.com", "212-555-9876", "2125559876", "Active",
     "default", "VIP", "2024-04-01", "New York", "NY", "US", 1, 12000),
]
# fmt: on

# number, customer_id, name, email, digits, status, payment, fulfillment, return status, type,
# channel, site, submitted, total_cents, item_count
# fmt: off
ORDERS = [
    (1001, 1, "Zoë Müller", "zoe.muller@example.com", "5125550134", "Completed", "Paid",
     "Fulfilled", "None", "Online", "Web", "US Store", "2024-01-11", 5000, 2),
    (1002, 2, "José Núñez", "jose.nunez@mail.co.uk", "2079460958", "Cancelled", "Voided",
     "NotFulfilled", "None", "Online", "Web", "UK Store", "2024-02-02", 5000, 1),
    (1003, 1, "Zoë Müller", "zoe.muller@example.com", "5125550134", "Processing", "Authorized",
     "PartiallyFulfilled", "None", "Offline", "CallCenter", "US Store", "2024-03-01", 7500, 3),
    (1004, 4, "Anna Smith", "anna.s@shop.com", "3035551234", "Accepted", "Paid", "NotFulfilled",
     "None", "Online", "Store", "US Store", "2024-03-20", 2000, 1),
    (1234, 1234, "Bob Stone", "bob.stone@example.com", "2125559876", "Completed", "Paid",
     "Fulfilled", "PartiallyReturned", "Online", "Web", "US Store", "2024-04-02", 12000, 4),
    (1235, 4, "Anna Smith", "anna.s@shop.com", "3035551234", "Completed", "Paid", "Fulfilled",
     "FullyReturned", "Online", "Marketplace", "CA Store", "2024-05-05", 7000, 2),
    (1236, None, "Guest Zoey", "zoey.guest@example.net", "5550134999", "Submitted", "Pending",
     "NotFulfilled", "None", "Online", "Web", "US Store", "2024-06-01", 1500, 1),
    (1237, 1, "Zoë Müller", "zoe.muller@example.com", "5125550134", "Completed", "Paid",
     "Fulfilled", "ReturnRequested", "Online", "Web", "US Store", "2024-07-04", 2500, 1),
]
# fmt: on

# number, order_number, customer_id, name, email, digits, status, type, refund status, reason,
# created, refund_cents, item_count
# fmt: off
RETURNS = [
    (501, 1234, 1234, "Bob Stone", "bob.stone@example.com", "2125559876", "Closed", "Refund",
     "FullyRefunded", "Damaged", "2024-04-10", 3000, 1),
    (502, 1235, 4, "Anna Smith", "anna.s@shop.com", "3035551234", "Authorized", "Replace",
     "NotRefunded", "Defective", "2024-05-10", 0, 2),
    (503, 1237, 1, "Zoë Müller", "zoe.muller@example.com", "5125550134", "Created", "Refund",
     "NotRefunded", "NoLongerWanted", "2024-07-06", 0, 1),
    (504, 1235, 4, "Anna Smith", "anna.s@shop.com", "3035551234", "Rejected", "Refund",
     "PartiallyRefunded", "Late", "2024-05-20", 1500, 1),
]
# fmt: on


# fmt: off
CUSTOMER_FIELDS = (
    "id", "first_name", "last_name", "email", "phone", "phone_digits", "account_status",
    "customer_set", "segments", "created_at", "city", "state", "country", "order_count",
    "lifetime_value_cents",
)
ORDER_FIELDS = (
    "number", "customer_id", "customer_name", "email", "phone_digits", "status", "payment_status",
    "fulfillment_status", "return_status", "type", "channel", "site", "submitted_at", "total_cents",
    "item_count",
)
RETURN_FIELDS = (
    "number", "order_number", "customer_id", "customer_name", "email", "phone_digits", "status",
    "return_type", "refund_status", "reason", "created_at", "refund_cents", "item_count",
)
# fmt: on


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    marks = ", ".join("?" * len(values))
    conn.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})", [*values.values()])


def insert_customer(conn: sqlite3.Connection, row: tuple) -> None:
    c = dict(zip(CUSTOMER_FIELDS, row, strict=True))
    created = ts(c["created_at"])
    extra = {
        "username": c["email"],
        "phone_last4": c["phone_digits"][-4:],
        "created_at": created,
        "updated_at": created,
        "address1": "1 Main St",
        "postal_code": "00000",
        "accepts_marketing": 0,
        "tax_exempt": 0,
    }
    _insert(conn, "customers", {**c, **extra})
    for segment in filter(None, c["segments"].split(",")):
        conn.execute("INSERT INTO customer_segments VALUES (?, ?)", (segment, c["id"]))


def insert_order(conn: sqlite3.Connection, row: tuple) -> None:
    o = dict(zip(ORDER_FIELDS, row, strict=True))
    submitted = ts(o["submitted_at"])
    extra = {
        "phone_last4": o["phone_digits"][-4:],
        "submitted_at": submitted,
        "updated_at": submitted,
        "currency": "USD",
        "collected_cents": 0,
        "items": "[]",
    }
    _insert(conn, "orders", {**o, **extra})


def insert_return(conn: sqlite3.Connection, row: tuple) -> None:
    r = dict(zip(RETURN_FIELDS, row, strict=True))
    created = ts(r["created_at"])
    extra = {
        "phone_last4": r["phone_digits"][-4:],
        "created_at": created,
        "updated_at": created,
        "currency": "USD",
        "items": "[]",
    }
    _insert(conn, "returns", {**r, **extra})


def build_store(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    create_base_tables(conn)
    for customer in CUSTOMERS:
        insert_customer(conn, customer)
    for order in ORDERS:
        insert_order(conn, order)
    for return_ in RETURNS:
        insert_return(conn, return_)
    conn.commit()
    build_search_structures(conn)
    return conn


@pytest.fixture(scope="module")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.db"
    build_store(str(path)).close()
    return path


@pytest.fixture
def store(template_store: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A fresh copy of the small store per test, so tests that write cannot leak."""
    path = tmp_path / "demo.db"
    shutil.copy(template_store, path)
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def search(conn: sqlite3.Connection, kind: str, q: str = "", **kwargs: Any) -> SearchResponse:
    return run_search(conn, kind, SearchRequest(q=q, **kwargs))


def keys(response: SearchResponse) -> list[Any]:
    return [row["number"] if "number" in row else int(str(row["id"])) for row in response.results]


# --- free text -------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["zoe", "Zoë", "ZOË", "zoë", "ZOE", "Zoe\u0308"])
def test_accents_and_case_fold_both_ways(store, q):
    assert sorted(keys(search(store, "customers", q))) == [1, 3]


def test_accented_surname_found_without_accents(store):
    assert keys(search(store, "customers", "nunez")) == [2]
    assert keys(search(store, "customers", "Núñ")) == [2]


def test_every_word_is_a_prefix_and_all_are_required(store):
    assert keys(search(store, "customers", "zo mu")) == [1]
    assert keys(search(store, "customers", "zo ada")) == [3]
    assert keys(search(store, "customers", "zo smith")) == []


def test_words_match_the_email_local_part_not_the_domain(store):
    assert keys(search(store, "customers", "zadams")) == [3]
    assert keys(search(store, "customers", "example")) == []
    assert keys(search(store, "orders", "zoey")) == [1236]


@pytest.mark.parametrize(
    "q",
    [
        "(512) 555-0134",
        "512-555-0134",
        "512.555.0134",
        "+1 512 555 0134",
        "5125550134",
        "15125550134",
        "1 512 555 0134",
    ],
)
def test_us_phone_formats_find_the_same_customer(store, q):
    assert keys(search(store, "customers", q)) == [1]


@pytest.mark.parametrize(
    "q",
    ["+44 20 7946 0958", "020 7946 0958", "0044 20 7946 0958", "2079460958", "+44 (0)20 7946 0958"],
)
def test_uk_phone_formats_find_the_same_customer(store, q):
    assert keys(search(store, "customers", q)) == [2]


def test_phone_prefix_matches_several(store):
    assert sorted(keys(search(store, "customers", "512 555"))) == [1, 3]
    assert keys(search(store, "customers", "555.0134")) == [5]


def test_last_four_digits_match_phones_after_the_exact_id(store):
    response = search(store, "customers", "1234")
    assert keys(response) == [1234, 4]
    assert response.interpretation.startswith("customer id 1234")


def test_exact_order_number_ranks_first_then_newest(store):
    assert keys(search(store, "orders", "1234")) == [1234, 1235, 1004]


def test_hash_number_is_exact_only(store):
    assert keys(search(store, "orders", "#1234")) == [1234]
    assert keys(search(store, "returns", "#502")) == [502]
    assert keys(search(store, "orders", "#999")) == []


def test_email_prefix(store):
    assert keys(search(store, "customers", "Zoe.Muller@")) == [1]
    assert keys(search(store, "orders", "zoe.muller@ex")) == [1237, 1003, 1001]
    assert keys(search(store, "customers", "zoe.muller@other")) == []


def test_word_relevance_is_newest_first_for_orders_and_returns(store):
    assert keys(search(store, "orders", "zoë müller")) == [1237, 1003, 1001]
    assert keys(search(store, "returns", "anna")) == [504, 502]


def test_customer_relevance_is_exact_id_then_last_and_first_name(store):
    assert keys(search(store, "customers", "zoe")) == [3, 1]  # Adams before Müller
    assert keys(search(store, "customers")) == [3, 5, 1, 2, 4, 1234]


def test_nothing_searchable_finds_nothing(store):
    response = search(store, "orders", "?!")
    assert (response.total, response.results) == (0, [])


# --- rows --------------------------------------------------------------------------------------


def test_customer_row_has_every_column(store):
    row = search(store, "customers", "#1").results[0]
    assert row == {
        "id": "1",
        "name": "Zoë Müller",
        "email": "zoe.muller@example.com",
        "phone": "(512) 555-0134",
        "account_status": "Active",
        "location": "Austin, TX, US",
        "customer_set": "default",
        "segments": "VIP,Loyalty",
        "order_count": 3,
        "lifetime_value": 15000,
        "created_at": "2024-01-10T00:00:00Z",
        "currency": "USD",
    }
    assert set(row) == {"id", "currency"} | {c.key for c in CATALOG["customers"].columns}


def test_order_and_return_rows_have_opaque_ids_and_every_column(store):
    order = search(store, "orders", "#1003").results[0]
    assert order["id"] == order_id(1003) and parse_order_id(str(order["id"])) == 1003
    assert (order["total"], order["submitted_at"], order["site"]) == (
        7500,
        "2024-03-01T00:00:00Z",
        "US Store",
    )
    assert set(order) == {"id", "currency"} | {c.key for c in CATALOG["orders"].columns}
    ret = search(store, "returns", "#504").results[0]
    assert ret["id"] == return_id(504)
    assert (ret["order_number"], ret["refund_total"], ret["reason"]) == (1235, 1500, "Late")
    assert set(ret) == {"id", "currency"} | {c.key for c in CATALOG["returns"].columns}


def test_rows_carry_the_currency_of_their_money(store):
    # Customers by their country (their orders are in its currency); orders and returns
    # by their own column.
    assert [search(store, "customers", f"#{n}").results[0]["currency"] for n in (1, 2, 5)] == [
        "USD",
        "GBP",
        "CAD",
    ]
    store.execute("UPDATE orders SET currency = 'CAD' WHERE number = 1003")
    store.execute("UPDATE returns SET currency = 'GBP' WHERE number = 504")
    order = search(store, "orders", "#1003").results[0]
    assert (order["total"], order["currency"]) == (7500, "CAD")
    assert search(store, "orders", "#1001").results[0]["currency"] == "USD"
    assert search(store, "returns", "#504").results[0]["currency"] == "GBP"


# --- filters -----------------------------------------------------------------------------------

ORDER_FILTERS = [
    ({"status": ("Completed",)}, [1237, 1235, 1234, 1001]),
    ({"status": ("Cancelled", "Accepted")}, [1004, 1002]),
    ({"payment_status": ("Authorized",)}, [1003]),
    ({"fulfillment_status": ("NotFulfilled",)}, [1236, 1004, 1002]),
    ({"return_status": ("FullyReturned", "ReturnRequested")}, [1237, 1235]),
    ({"type": ("Offline",)}, [1003]),
    ({"channel": ("Marketplace", "Store")}, [1235, 1004]),
    ({"site": ("UK Store",)}, [1002]),
    ({"number": 1004}, [1004]),
    ({"email": "Anna.S"}, [1235, 1004]),
    ({"customer_id": 1}, [1237, 1003, 1001]),
    ({"submitted": (ts("2024-03-01"), ts("2024-04-02") + 86399)}, [1234, 1004, 1003]),
    ({"submitted": (None, ts("2024-01-11"))}, [1001]),
    ({"total": (5000, 7500)}, [1235, 1003, 1002, 1001]),
    ({"total": (None, 2000)}, [1236, 1004]),
    ({"status": ("Completed",), "channel": ("Web",), "total": (3000, None)}, [1234, 1001]),
]


@pytest.mark.parametrize(("filters", "expected"), ORDER_FILTERS)
def test_order_filters(store, filters, expected):
    response = search(store, "orders", filters=filters, sort="submitted_at")
    assert keys(response) == expected
    assert (response.total, response.total_exact) == (len(expected), True)


CUSTOMER_FILTERS = [
    ({"name": "zo"}, [3, 1]),
    ({"name": "Müller zo"}, [1]),
    ({"name": "zadams"}, []),  # the name filter looks at names only
    ({"email": "z"}, [3, 1]),
    ({"phone": "(303) 555"}, [4]),
    ({"phone": "0958"}, [2]),
    ({"account_status": ("Disabled", "Locked")}, [2, 4]),
    ({"customer_set": ("employees",)}, [3]),
    ({"segment": ("VIP",)}, [1, 1234]),
    ({"segment": ("Wholesale", "Newsletter")}, [2, 4]),
    ({"created": (ts("2024-01-01"), ts("2024-02-01") + 86399)}, [1, 2]),
]


@pytest.mark.parametrize(("filters", "expected"), CUSTOMER_FILTERS)
def test_customer_filters(store, filters, expected):
    assert sorted(keys(search(store, "customers", filters=filters))) == sorted(expected)


RETURN_FILTERS = [
    ({"number": 503}, [503]),
    ({"order_number": 1235}, [504, 502]),
    ({"status": ("Closed", "Rejected")}, [504, 501]),
    ({"return_type": ("Replace",)}, [502]),
    ({"refund_status": ("NotRefunded",)}, [503, 502]),
    ({"reason": ("Damaged", "Late")}, [504, 501]),
    ({"customer": "4"}, [504, 502]),
    ({"customer": "bob.stone@"}, [501]),
    ({"customer": "Zoë"}, [503]),
    ({"customer_id": 1234}, [501]),
    ({"created": (ts("2024-05-01"), None)}, [503, 504, 502]),
]


@pytest.mark.parametrize(("filters", "expected"), RETURN_FILTERS)
def test_return_filters(store, filters, expected):
    assert keys(search(store, "returns", filters=filters, sort="created_at")) == expected


def test_text_and_filters_combine(store):
    assert keys(search(store, "orders", "zoe", filters={"status": ("Completed",)})) == [1237, 1001]
    assert keys(search(store, "orders", "1234", filters={"channel": ("Store",)})) == [1004]
    assert keys(search(store, "customers", "512", filters={"name": "adams"})) == [3]


# --- sorting and paging -------------------------------------------------------------------------


def _expected_order(
    kind: str, sort_key: str, rows: list[dict[str, Any]], descending: bool
) -> list[Any]:
    def value(row: dict[str, Any]) -> Any:
        if sort_key == "name":
            return str(row["name"]).lower()
        return int(str(row["id"])) if sort_key == "id" else row[sort_key]

    ident = "number" if kind != "customers" else "id"
    ordered = sorted(rows, key=lambda r: int(str(r[ident])), reverse=descending)
    ordered = sorted(ordered, key=value, reverse=descending)
    return [r["number"] if kind != "customers" else int(str(r["id"])) for r in ordered]


@pytest.mark.parametrize("kind", ["customers", "orders", "returns"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sortable_column_sorts_both_ways(store, kind, order):
    everything = search(store, kind, page_size=100).results
    for column in CATALOG[kind].columns:
        if not column.sortable or column.key in (
            "status",
            "payment_status",
            "fulfillment_status",
            "return_status",
            "type",
            "channel",
            "site",
            "return_type",
            "refund_status",
            "reason",
        ):
            continue
        response = search(store, kind, sort=column.key, order=order)
        assert keys(response) == _expected_order(kind, column.key, everything, order == "desc"), (
            column.key
        )


@pytest.mark.parametrize(
    "column",
    ["status", "payment_status", "fulfillment_status", "return_status", "type", "channel", "site"],
)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_order_status_like_sorts_break_ties_by_submission(store, column, order):
    rows = search(store, "orders", page_size=100).results
    expected = sorted(
        rows, key=lambda r: (r[column], r["submitted_at"], r["number"]), reverse=order == "desc"
    )
    assert keys(search(store, "orders", sort=column, order=order)) == [
        r["number"] for r in expected
    ]


@pytest.mark.parametrize("column", ["status", "return_type", "refund_status", "reason"])
def test_return_status_like_sorts(store, column):
    rows = search(store, "returns", page_size=100).results
    expected = sorted(rows, key=lambda r: (r[column], r["created_at"], r["number"]))
    assert keys(search(store, "returns", sort=column, order="asc")) == [
        r["number"] for r in expected
    ]


def test_word_search_sorted_by_a_column(store):
    assert keys(search(store, "orders", "zoe", sort="total", order="asc")) == [
        1236,
        1237,
        1001,
        1003,
    ]
    assert keys(search(store, "orders", "zoe", sort="number", order="asc")) == [
        1001,
        1003,
        1236,
        1237,
    ]


def test_paging_walks_every_row_once_with_exact_totals(store):
    pages = [search(store, "orders", page=p, page_size=3) for p in (1, 2, 3, 4)]
    assert [keys(p) for p in pages] == [[1237, 1236, 1235], [1234, 1004, 1003], [1002, 1001], []]
    assert {(p.total, p.total_exact) for p in pages} == {(8, True)}


# --- the record typed comes first (docs/search.md) --------------------------------------------

# kind, typed, the record typed, every record the digits find (small store; returns: bulk)
CASES = [
    ("orders", "1234", 1234, {1234, 1235, 1004}),
    ("customers", "1234", 1234, {1234, 4}),
]


def _sorts(kind: str) -> list[tuple[str, str]]:
    return [(key, order) for key in CATALOG[kind].sort_keys for order in ("asc", "desc")]


@pytest.mark.parametrize(("kind", "typed", "exact", "found"), CASES)
def test_the_record_typed_leads_every_sort_once(store, kind, typed, exact, found):
    for sort, order in _sorts(kind):
        response = search(store, kind, typed, sort=sort, order=order)
        assert keys(response)[0] == exact, (sort, order, keys(response))
        assert sorted(keys(response)) == sorted(found), (sort, order)
        assert (response.total, response.total_exact) == (len(found), True)


def test_the_return_typed_leads_even_when_older_matches_sort_first(bulk_store):
    # Return 300's number is also the start of customer 100's phone (300 555 0100).
    for sort, order in _sorts("returns"):
        response = search(bulk_store, "returns", "300", sort=sort, order=order)
        assert keys(response)[0] == 300, (sort, order, keys(response))
        assert 100 in keys(response) and keys(response).count(300) == 1


@pytest.mark.parametrize("page_size", [1, 2])
def test_pages_go_on_after_the_record_typed_without_repeats(store, page_size):
    pages = [
        keys(search(store, "orders", "1234", page=p, page_size=page_size, sort="submitted_at"))
        for p in range(1, 5)
    ]
    walked = [n for page in pages for n in page]
    assert walked == [1234, 1235, 1004], pages
    assert all(len(page) <= page_size for page in pages)


def test_a_filter_the_record_fails_leaves_it_out(store):
    response = search(store, "orders", "1234", filters={"status": ("Accepted",)})
    assert (keys(response), response.total) == ([1004], 1)


def test_a_filter_the_record_passes_keeps_it_first(store):
    by_site = search(store, "orders", "1234", filters={"site": ("US Store",)}, sort="total")
    assert keys(by_site) == [1234, 1004]


def test_bare_digits_find_returns_by_their_original_order_number(store):
    response = search(store, "returns", "1235")
    assert keys(response) == [504, 502] and response.total == 2
    assert "original order number 1235" in response.interpretation
    assert keys(search(store, "returns", "1235", sort="number", order="asc")) == [502, 504]
    assert keys(search(store, "returns", "1235", filters={"status": ("Rejected",)})) == [504]
    # 1234 is also the last four of Anna Smith's phone: her returns come too, each once.
    assert keys(search(store, "returns", "1234")) == [504, 502, 501]
    assert search(store, "returns", "#1235").total == 0  # '#' is the return number alone
    assert keys(search(store, "orders", "1235")) == [1235]  # orders are not affected


def test_hash_number_is_the_record_alone(store):
    assert keys(search(store, "orders", "#1234", sort="total", order="asc")) == [1234]
    assert search(store, "orders", "#999").total == 0


# --- caps, deadline and sync ----------------------------------------------------------------


def test_counts_are_capped(store, monkeypatch):
    monkeypatch.setattr(catalog, "COUNT_CAP", 3)
    response = search(store, "orders", page_size=2)
    assert (response.total, response.total_exact, len(response.results)) == (3, False, 2)
    exact = search(store, "orders", filters={"customer_id": 1}, page_size=2)
    assert (exact.total, exact.total_exact) == (3, True)


def test_broad_word_search_keeps_to_the_newest_matches_at_the_cap(store, monkeypatch):
    monkeypatch.setattr(catalog, "COUNT_CAP", 2)
    response = search(store, "orders", "z", sort="total", order="asc")
    assert keys(response) == [1236, 1237]  # the two newest "z" orders, sorted by total
    assert (response.total, response.total_exact) == (2, False)
    assert "showing the newest 2" in response.interpretation


@pytest.mark.parametrize("sort", ["item_count", "number", "customer_name"])
def test_wide_range_filters_walking_the_sort_index_give_the_same_rows(store, monkeypatch, sort):
    request = {
        "filters": {"total": (2000, 7500), "submitted": (ts("2024-02-01"), None)},
        "sort": sort,
        "order": "asc",
        "page_size": 3,
    }
    expected = keys(search(store, "orders", **request))
    monkeypatch.setattr(catalog, "COUNT_CAP", 2)  # now the filters count as wide
    walked = search(store, "orders", **request)
    assert keys(walked) == expected and len(expected) == 3
    assert (walked.total, walked.total_exact) == (2, False)


def test_count_past_its_deadline_is_a_lower_bound_not_an_error(bulk_store):
    response = run_search(bulk_store, "orders", SearchRequest(page_size=2), deadline_s=0.0)
    assert len(response.results) == 2
    assert (response.total, response.total_exact) == (2, False)


def test_triggers_keep_search_in_sync(store):
    store.execute("UPDATE customers SET first_name = 'Chloé', email = 'chloe@x.com' WHERE id = 3")
    assert keys(search(store, "customers", "chloe")) == [3]
    assert keys(search(store, "customers", "zadams")) == []
    assert keys(search(store, "customers", "zoe")) == [1]
    store.execute(
        "UPDATE orders SET customer_name = 'Zed Rowe', email = 'zr@x.com' WHERE number = 1004"
    )
    assert keys(search(store, "orders", "rowe")) == [1004]
    assert keys(search(store, "orders", "anna")) == [1235]
    store.execute("DELETE FROM returns WHERE number = 502")
    assert keys(search(store, "returns", "anna")) == [504]
    insert_customer(
        store,
        (
            77,
            "Åsa",
            "Öberg",
            "asa@x.se",
            "+1 206 555 0100",
            "2065550100",
            "Active",
            "default",
            "",
            "2024-08-01",
            "Seattle",
            "WA",
            "US",
            0,
            0,
        ),
    )
    assert keys(search(store, "customers", "asa oberg")) == [77]


def test_build_is_idempotent(store, tmp_path):
    build_search_structures(store)
    assert keys(search(store, "customers", "zoe")) == [3, 1]
    matches = "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'zoe*'"
    assert store.execute(matches).fetchone()[0] == 2


# --- query plans at a size where the planner has real choices ------------------------------------

STATUSES = ("Completed", "Processing", "Cancelled", "Accepted", "Submitted")
FIRST = ("Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ida", "Jo")
LAST = ("Smith", "Jones", "Brown", "Lopez", "Nguyen", "Kim", "Patel", "Olsen", "Diaz", "Wu")


@pytest.fixture(scope="module")
def bulk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(str(tmp_path_factory.mktemp("bulk") / "bulk.db"))
    create_base_tables(conn)
    for cid in range(1, 601):
        first, last = FIRST[cid % 10], LAST[cid // 10 % 10]
        digits = f"{200 + cid % 700:03d}555{cid:04d}"
        insert_customer(
            conn,
            (
                cid,
                first,
                last,
                f"{first}.{last}{cid}@example.com".lower(),
                digits,
                digits,
                "Active",
                "default",
                "",
                "2023-01-01",
                "Austin",
                "TX",
                "US",
                5,
                100,
            ),
        )
        for k in range(5):
            number = 10_000 + cid * 5 + k
            day = dt.date(2023, 1, 1) + dt.timedelta(days=(cid * 5 + k) // 10)
            insert_order(
                conn,
                (
                    number,
                    cid,
                    f"{first} {last}",
                    f"{first}.{last}{cid}@example.com".lower(),
                    digits,
                    STATUSES[number % 5],
                    "Paid",
                    "Fulfilled",
                    "None",
                    "Online",
                    "Web",
                    "US Store",
                    day.isoformat(),
                    number % 997 * 100,
                    1,
                ),
            )
            if k == 0:
                insert_return(
                    conn,
                    (
                        cid,
                        number,
                        cid,
                        f"{first} {last}",
                        "x@y.z",
                        digits,
                        "Created",
                        "Refund",
                        "NotRefunded",
                        "Late",
                        day.isoformat(),
                        0,
                        1,
                    ),
                )
    conn.commit()
    build_search_structures(conn)
    yield conn
    conn.close()


def plans_of(conn: sqlite3.Connection, kind: str, req: SearchRequest) -> list[str]:
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        run_search(conn, kind, req)
    finally:
        conn.set_trace_callback(None)
    # A general page has LIMIT and OFFSET; a facet list reads each code's range (LIMIT only).
    page = next(s for s in statements if "LIMIT" in s and ("OFFSET" in s or "WHERE facet = " in s))
    return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + page)]


PLAN_CASES = [
    ("orders", SearchRequest(q="smi"), "VIRTUAL TABLE INDEX"),
    ("orders", SearchRequest(q="smi", filters={"status": ("Completed",)}), "VIRTUAL TABLE INDEX"),
    (
        "orders",
        SearchRequest(sort="submitted_at", filters={"status": ("Completed",)}),
        "orders_by_status_submitted_at",
    ),
    (
        "orders",
        SearchRequest(
            sort="payment_status", filters={"status": ("Cancelled",), "channel": ("Web",)}
        ),
        "orders_by_facet_submitted_at",
    ),
    (
        "orders",
        SearchRequest(sort="total", filters={"status": ("Completed",)}),
        "orders_by_status_total_cents",
    ),
    (
        "orders",
        SearchRequest(sort="submitted_at", filters={"customer_id": 7}),
        "orders_by_customer_id_submitted_at",
    ),
    ("orders", SearchRequest(sort="submitted_at"), "orders_by_submitted_at"),
    ("orders", SearchRequest(sort="total", order="asc"), "orders_by_total_cents"),
    ("orders", SearchRequest(sort="customer_name"), "orders_by_customer_name_nocase"),
    ("orders", SearchRequest(sort="channel", order="asc"), "orders_by_channel_submitted_at"),
    (
        "customers",
        SearchRequest(sort="name", order="asc"),
        "customers_by_first_name_nocase_last_name_nocase",
    ),
    (
        "returns",
        SearchRequest(sort="created_at", filters={"order_number": 10_005}),
        "returns_by_order_number_created_at",
    ),
    (
        "returns",
        SearchRequest(sort="created_at", filters={"customer_id": 9}),
        "returns_by_customer_id_created_at",
    ),
]


@pytest.mark.parametrize(("kind", "req", "expected"), PLAN_CASES)
def test_hot_queries_use_their_index_and_never_sort_the_table(bulk_store, kind, req, expected):
    plan = plans_of(bulk_store, kind, req)
    assert any(expected in step for step in plan), plan
    assert not any(step == "SCAN t" for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


@pytest.mark.parametrize(
    ("q", "index"),
    [
        ("2075550007", "orders_by_phone_digits"),
        ("0007", "orders_by_phone_last4"),
        ("ann.smith10@", "orders_by_email"),
    ],
)
def test_number_phone_and_email_lookups_use_indexes(bulk_store, q, index):
    plan = plans_of(bulk_store, "orders", SearchRequest(q=q))
    assert not any(step == "SCAN t" or step.startswith("SCAN orders") for step in plan), plan
    assert any(index in step for step in plan), plan


def test_bulk_lookups_find_the_right_rows(bulk_store):
    by_phone = run_search(bulk_store, "orders", SearchRequest(q="(207) 555-0007"))
    assert sorted(r["number"] for r in by_phone.results) == [10_035, 10_036, 10_037, 10_038, 10_039]
    words = run_search(bulk_store, "orders", SearchRequest(q="ann smi", page_size=100))
    assert words.total == 30 and all(r["customer_name"] == "Ann Smith" for r in words.results)


def test_selective_filters_drive_and_sort_their_few_rows(bulk_store):
    plan = plans_of(
        bulk_store, "orders", SearchRequest(sort="item_count", filters={"status": ("Submitted",)})
    )
    assert any(step.startswith("SEARCH t USING INDEX orders_by_status") for step in plan), plan
    assert "USE TEMP B-TREE FOR ORDER BY" in plan


def test_wide_filters_walk_the_sort_index(bulk_store, monkeypatch):
    monkeypatch.setattr(catalog, "COUNT_CAP", 50)
    plan = plans_of(
        bulk_store, "orders", SearchRequest(sort="item_count", filters={"total": (100, 90_000)})
    )
    assert plan == ["SCAN t USING INDEX orders_by_item_count_number_facet"]


@pytest.mark.parametrize("max_sorted", [0, 1_000_000])
def test_an_abandoned_walk_still_returns_the_same_page(bulk_store, monkeypatch, max_sorted):
    request = SearchRequest(
        sort="item_count", order="desc", page=3, page_size=10, filters={"total": (20_000, 60_000)}
    )
    expected = keys(run_search(bulk_store, "orders", request))
    monkeypatch.setattr(catalog, "COUNT_CAP", 50)
    monkeypatch.setattr(search_lists, "WALK_SHARE", 0.0)  # every walk runs out of time
    monkeypatch.setattr(search_lists, "MAX_SORTED_ROWS", max_sorted)
    statements: list[str] = []
    bulk_store.set_trace_callback(statements.append)
    try:
        assert keys(run_search(bulk_store, "orders", request, deadline_s=0.05)) == expected
    finally:
        bulk_store.set_trace_callback(None)
    pages = [s for s in statements if "OFFSET" in s]
    walk, retry = pages
    assert "+t.total_cents >=" in walk and "ORDER BY t.item_count" in walk
    if max_sorted:  # few enough matches: found by the total index and sorted
        assert "ORDER BY +t.item_count" in retry and "+t.total_cents" not in retry
    else:  # too many to sort: the walk goes on
        assert retry == walk


# --- cancellation ---------------------------------------------------------------------------

ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


async def test_cancelling_the_awaiting_task_interrupts_the_running_statement():
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    running = threading.Event()  # set from inside the statement, so interrupt() meets it
    safety_stop = threading.Event()  # only so a broken cancellation cannot hang the suite
    deadline = time.monotonic() + 60

    def progress() -> bool:
        running.set()
        if time.monotonic() > deadline:
            safety_stop.set()
            return True
        return False

    conn.set_progress_handler(progress, 10_000)
    outcome: list[str] = []

    def work(conn: sqlite3.Connection, cancel: threading.Event) -> None:
        try:
            conn.execute(ENDLESS).fetchone()
        except sqlite3.OperationalError as error:
            outcome.append(str(error))
        outcome.append(f"cancel set: {cancel.is_set()}")

    pool = ThreadPoolExecutor(1)
    task = asyncio.ensure_future(run_cancellable(pool, lambda: conn, work))
    await asyncio.to_thread(running.wait)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.to_thread(pool.shutdown, True)
    assert outcome == ["interrupted", "cancel set: True"]
    assert not safety_stop.is_set()
    conn.close()


def test_a_cancelled_search_stops_instead_of_answering(bulk_store):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SearchCancelled):
        run_search(bulk_store, "orders", SearchRequest(q="ann"), cancel=cancel)
    assert run_search(bulk_store, "orders", SearchRequest(q="ann")).total == 300


def test_a_list_that_cannot_be_sorted_in_time_is_served_newest_first(bulk_store, monkeypatch):
    filters = {"total": (20_000, 60_000)}
    newest = run_search(bulk_store, "orders", SearchRequest(sort="submitted_at", filters=filters))
    monkeypatch.setattr(catalog, "COUNT_CAP", 50)
    monkeypatch.setattr(search_lists, "WALK_SHARE", 0.0)  # every walk runs out of time
    monkeypatch.setattr(search_lists, "MAX_SORTED_ROWS", 0)
    monkeypatch.setattr(search_lists, "SLOW_ATTEMPT_S", 0.0)
    request = SearchRequest(sort="item_count", order="asc", filters=filters)
    served = run_search(bulk_store, "orders", request)
    assert (served.sort, served.order) == ("submitted_at", "desc")
    assert "too many matches to sort by Items in time: newest first" in served.interpretation
    assert keys(served) == keys(newest)


# --- first and last name, Name Match ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "filters", "expected"),
    [
        ("customers", {"first_name": "zo"}, [3, 1]),  # Zoe Adams, Zoë Müller
        ("customers", {"first_name": "ZOE", "name_match": "exact"}, [3, 1]),
        ("customers", {"first_name": "zo", "name_match": "exact"}, []),
        ("customers", {"last_name": "muller", "name_match": "exact"}, [1]),
        ("customers", {"last_name": "ll", "name_match": "contains"}, [1]),
        ("customers", {"first_name": "nn", "name_match": "contains"}, [4]),  # Anna
        ("customers", {"last_name": "anna"}, []),  # Anna is a first name
        ("customers", {"first_name": "anna", "last_name": "smi"}, [4]),
        ("orders", {"first_name": "zoë", "name_match": "exact"}, [1237, 1003, 1001]),
        ("orders", {"last_name": "smith", "name_match": "exact"}, [1235, 1004]),
        ("orders", {"last_name": "zoey", "name_match": "exact"}, [1236]),  # Guest Zoey
        ("orders", {"first_name": "zoey"}, []),
        ("orders", {"first_name": "ues", "name_match": "contains"}, [1236]),
        ("returns", {"last_name": "ton", "name_match": "contains"}, [501]),
        ("returns", {"first_name": "a", "status": ("Rejected",)}, [504]),
    ],
)
def test_first_and_last_name_filters_and_their_match(store, kind, filters, expected):
    assert keys(search(store, kind, filters=filters)) == expected


def test_contains_too_many_names_is_a_clear_400(store, monkeypatch):
    from agent.backends.demo import search_names

    monkeypatch.setattr(search_names, "MAX_CONTAINED", 1)
    with pytest.raises(BadRequest) as refused:
        search(store, "customers", filters={"first_name": "o", "name_match": "contains"})
    assert refused.value.code == "too_broad" and refused.value.details["param"] == "first_name"


@pytest.fixture
def seeded(seeded_store: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "seeded.db"
    shutil.copy(seeded_store, path)
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def _folded_last_names(conn: sqlite3.Connection) -> dict[int, str]:
    from agent.backends.demo.search_names import fold_text

    rows = conn.execute("SELECT id, last_name FROM customers").fetchall()
    return {int(cid): fold_text(last) for cid, last in rows}


def _all_ids(conn: sqlite3.Connection, filters: dict[str, Any]) -> set[int]:
    found = search(conn, "customers", filters=filters, page_size=200)
    assert found.total_exact and found.total <= 200, found.total
    return {int(str(row["id"])) for row in found.results}


def test_starts_with_takes_the_words_before_the_last_as_whole(seeded):
    """Starting "O'B" is the word "o", then a word starting "b" (O'Brien)."""
    names = _folded_last_names(seeded)
    for typed, folded in (("O'B", "o b"), ("van der", "van der"), ("de v", "de v")):
        *whole, part = folded.split()
        expected = {
            cid
            for cid, name in names.items()
            if all(f" {w} " in f" {name} " for w in whole) and f" {part}" in f" {name}"
        }
        assert _all_ids(seeded, {"last_name": typed}) == expected, typed
    assert _all_ids(seeded, {"last_name": "O'B"}), "the seeded store has O'Brien customers"


def test_contains_leaves_a_broad_word_to_the_row_check_when_another_narrows(seeded, monkeypatch):
    from agent.backends.demo import search_names

    names = _folded_last_names(seeded)
    expected = {cid for cid, name in names.items() if "e" in name and "vr" in name}
    assert expected, "the seeded store has de Vries customers"
    monkeypatch.setattr(search_names, "MAX_CONTAINED", 8)  # "e" is in more names than that
    assert _all_ids(seeded, {"last_name": "e Vr", "name_match": "contains"}) == expected
    with pytest.raises(BadRequest) as refused:  # every word broad: still a clear 400
        search(seeded, "customers", filters={"last_name": "e a", "name_match": "contains"})
    assert refused.value.code == "too_broad"
