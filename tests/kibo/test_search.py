"""Our kinds, free text, filters, sorts and paging as Kibo list calls, answered by the fake."""

from __future__ import annotations

from typing import Any

import pytest

from agent.backends.kibo.backend import KiboBackend
from agent.errors import BadRequest
from agent.search.catalog import CATALOG
from agent.search.params import parse_search_request
from tests.kibo.fake_kibo import FakeKibo


def request(kind: str, **params: str) -> Any:
    return parse_search_request(CATALOG[kind], {k: [v] for k, v in params.items()})


async def sent(
    backend: KiboBackend, fake: FakeKibo, kind: str, **params: str
) -> tuple[dict[str, str], Any]:
    result = await backend.search(kind, request(kind, **params))  # type: ignore[arg-type]
    return fake.requests[-1].query, result


@pytest.mark.parametrize(
    ("kind", "q", "kibo_filter", "found"),
    [
        ("customers", "1002", "id eq 1002", ["1002"]),
        ("orders", "#5002", "orderNumber eq 5002", [5002]),
        ("returns", "7001", "returnNumber eq 7001", [7001]),
        ("customers", "Ana.Nunez@", "emailAddress sw 'ana.nunez@'", ["1001"]),
        ("orders", "guest@example", "email sw 'guest@example'", [5003]),
        ("returns", "ana.nunez@", "contact.email sw 'ana.nunez@'", [7001]),
    ],
)
async def test_numbers_and_emails_become_exact_filters(
    backend: KiboBackend, fake: FakeKibo, kind: str, q: str, kibo_filter: str, found: list[Any]
) -> None:
    query, result = await sent(backend, fake, kind, q=q)
    assert query["filter"] == kibo_filter
    assert "q" not in query
    key = "id" if kind == "customers" else "number"
    assert [r[key] for r in result.results] == found
    assert result.total == len(found) and result.total_exact


async def test_a_phone_searches_the_phone_fields(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(backend, fake, "customers", q="+44 20 7946 0958")
    assert query["filter"] == (
        "(contacts.phoneNumbers.home cont '2079460958' or "
        "contacts.phoneNumbers.mobile cont '2079460958' or "
        "contacts.phoneNumbers.work cont '2079460958')"
    )
    assert result.interpretation.startswith("phone digits")


async def test_words_go_to_kibos_quick_search(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(backend, fake, "orders", q="John Smi")
    assert query["q"] == "john smi" and "filter" not in query
    assert [r["number"] for r in result.results] == [5002]
    assert result.results[0]["customer_name"] == "John Smith"


async def test_filters_sorts_and_paging(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(
        backend,
        fake,
        "orders",
        status="Completed,Accepted",
        customer_id="1001",
        submitted_from="2026-09-01",
        total_min="1000",
        sort="number",
        order="asc",
        page="1",
        page_size="2",
    )
    assert query["filter"] == (
        "(status eq 'Completed' or status eq 'Accepted') and customerAccountId eq 1001 and "
        "submittedDate ge 2026-09-01T00:00:00Z and total ge 10.00"
    )
    assert query["sortBy"] == "orderNumber asc"
    assert (query["startIndex"], query["pageSize"]) == ("0", "2")
    assert "responseFields" in query
    assert [r["number"] for r in result.results] == [5001]


async def test_second_page_and_exact_total(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(
        backend, fake, "customers", sort="id", order="asc", page="2", page_size="2"
    )
    assert (query["startIndex"], query["sortBy"]) == ("2", "id asc")
    assert [r["id"] for r in result.results] == ["1003"]
    assert (result.total, result.total_exact, result.page) == (3, True, 2)


async def test_customer_filters(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(
        backend,
        fake,
        "customers",
        account_status="Locked,Disabled",
        name="chen",
        sort="name",
        order="desc",
    )
    assert query["filter"] == (
        "(firstName sw 'chen' or lastName sw 'chen') and (isLocked eq true or isActive eq false)"
    )
    assert query["sortBy"] == "lastName desc,firstName desc"
    assert [(r["id"], r["account_status"]) for r in result.results] == [("1003", "Disabled")]


async def test_return_filters(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(
        backend, fake, "returns", order_number="5003", return_type="Replace", customer="guest@"
    )
    assert query["filter"] == (
        "originalOrderNumber eq 5003 and returnType eq 'Replace' and contact.email sw 'guest@'"
    )
    row = result.results[0]
    assert (row["number"], row["reason"], row["item_count"]) == (7002, "Defective", 1)


async def test_quotes_in_text_cannot_break_out_of_the_filter(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    query, result = await sent(backend, fake, "customers", email="x' or id ne '0")
    assert query["filter"] == "emailAddress sw 'x\\' or id ne \\'0'"
    assert result.results == []


async def test_text_that_matches_nothing_skips_the_call(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    result = await backend.search("orders", request("orders", q="#99999999999999999"))
    assert result.total == 0 and result.total_exact and not fake.calls("/commerce/orders")


async def test_what_kibo_cannot_do_is_a_clear_400(backend: KiboBackend) -> None:
    with pytest.raises(BadRequest, match="sort orders by 'item_count'"):
        await backend.search("orders", request("orders", sort="item_count"))
    with pytest.raises(BadRequest, match="filter orders by 'site'"):
        await backend.search("orders", request("orders", site="US Store"))
    filters = backend.filters("orders")
    assert "site" not in [f.key for f in filters.filters]
    assert not next(c for c in filters.columns if c.key == "item_count").sortable


def test_a_list_without_total_count_is_reported_as_estimated() -> None:
    from agent.backends.kibo import search_rows

    found, total = search_rows.rows("orders", {"items": [{"id": "a", "orderNumber": 1}]})
    assert total is None and [r["number"] for r in found] == [1]


async def test_rows_carry_the_records_currency(backend: KiboBackend, fake: FakeKibo) -> None:
    """Money cells are in each record's own currency (Kibo's currencyCode), never assumed USD."""
    fake.data["orders"]["2c3d4e5f60718293a4b5c6d7e8f90a1b"]["currencyCode"] = "GBP"
    fake.data["returns"]["8e7d6c5b4a39281706f5e4d3c2b1a09f"]["currencyCode"] = "CAD"
    fake.data["accounts"][1003]["commerceSummary"]["totalOrderAmount"]["currencyCode"] = "GBP"
    query, orders = await sent(backend, fake, "orders", sort="number", order="asc")
    assert "currencyCode" in query["responseFields"]  # the trimmed order list keeps it
    assert [(r["number"], r["currency"]) for r in orders.results] == [
        (5001, "USD"),
        (5002, "USD"),
        (5003, "GBP"),
    ]
    _, returns = await sent(backend, fake, "returns", sort="number", order="asc")
    assert [(r["number"], r["currency"]) for r in returns.results] == [(7001, "USD"), (7002, "CAD")]
    _, customers = await sent(backend, fake, "customers", sort="id", order="asc")
    assert [(r["id"], r["currency"]) for r in customers.results] == [
        ("1001", "USD"),
        ("1002", "USD"),
        ("1003", "GBP"),
    ]
