"""Search over HTTP: every kind, filters, sorts, paging and the errors that name the problem."""

from __future__ import annotations

import pytest

from agent.search.catalog import CATALOG
from tests.support.api import Api


@pytest.mark.parametrize("kind", ["customers", "orders", "returns"])
async def test_each_kind_answers_with_columns_and_rows(api: Api, kind: str) -> None:
    status, body = await api.get(f"/search/{kind}")
    assert status == 200
    assert body["kind"] == kind
    assert [c["key"] for c in body["columns"]] == [c.key for c in CATALOG[kind].columns]
    assert 0 < len(body["results"]) <= 25
    for row in body["results"]:
        assert set(row) == {"id", "currency"} | {c["key"] for c in body["columns"]}


async def test_rows_carry_their_records_currency(api: Api) -> None:
    """Money cells are in the record's own currency: each row names it, as its detail does."""
    seen: set[str] = set()
    for kind, detail in (("orders", "orders"), ("returns", "returns"), ("customers", "customers")):
        body = await api.read(f"/search/{kind}", page_size="100")
        for row in body["results"][:40]:
            entity = await api.read(f"/{detail}/{row['id']}")
            assert row["currency"] == entity["currency"], (kind, row["id"])
            seen.add(row["currency"])
    assert {"USD", "CAD", "GBP"} <= seen


@pytest.mark.parametrize("kind", ["customers", "orders", "returns"])
async def test_filters_describe_every_catalog_filter(api: Api, kind: str) -> None:
    status, body = await api.get(f"/search/{kind}/filters")
    assert status == 200
    assert [f["key"] for f in body["filters"]] == [f.key for f in CATALOG[kind].filters]
    enums = [f for f in body["filters"] if f["type"] == "enum"]
    assert enums and all(f["options"] for f in enums)


@pytest.mark.parametrize("kind", ["customers", "orders", "returns"])
async def test_every_sortable_column_sorts_both_ways(api: Api, kind: str) -> None:
    for column in CATALOG[kind].columns:
        if not column.sortable:
            continue
        for order in ("asc", "desc"):
            status, body = await api.get(
                f"/search/{kind}", sort=column.key, order=order, page_size="50"
            )
            assert status == 200, body
            values = [row[column.key] for row in body["results"] if row[column.key] is not None]
            if column.type == "text":
                values = [v.casefold() for v in values]
            assert values == sorted(values, reverse=order == "desc"), (column.key, order)


async def test_exact_order_number_ranks_first(api: Api) -> None:
    _, listing = await api.get("/search/orders", page_size="5")
    number = listing["results"][3]["number"]
    for q in (str(number), f"#{number}"):
        status, body = await api.get("/search/orders", q=q)
        assert status == 200
        assert body["results"][0]["number"] == number


async def test_status_filter_and_paging(api: Api) -> None:
    status, first = await api.get("/search/orders", status="Completed", page_size="10")
    assert status == 200
    assert first["total"] > 10
    assert all(row["status"] == "Completed" for row in first["results"])
    _, second = await api.get("/search/orders", status="Completed", page_size="10", page="2")
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])


async def test_several_values_of_one_filter_are_ored(api: Api) -> None:
    _, both = await api.get("/search/returns", status="Created,Authorized", page_size="100")
    statuses = {row["status"] for row in both["results"]}
    assert statuses == {"Created", "Authorized"}


async def test_customer_orders_filter_matches_related_list(api: Api) -> None:
    _, customers = await api.get("/search/customers", sort="order_count", order="desc")
    customer = customers["results"][0]
    _, related = await api.get(f"/customers/{customer['id']}/orders", page_size="100")
    _, filtered = await api.get("/search/orders", customer_id=customer["id"], page_size="100")
    assert related["total"] == filtered["total"] == customer["order_count"] > 0
    assert [r["id"] for r in related["results"]] == [r["id"] for r in filtered["results"]]


@pytest.mark.parametrize(
    ("params", "status", "code", "named"),
    [
        ({"bogus": "1"}, 400, "unknown_parameter", "bogus"),
        ({"sort": "password"}, 400, "invalid_sort", "password"),
        ({"order": "sideways"}, 400, "invalid_parameter", "order"),
        ({"page": "0"}, 400, "invalid_parameter", "page"),
        ({"page": "abc"}, 400, "invalid_parameter", "page"),
        ({"page_size": "101"}, 400, "invalid_parameter", "page_size"),
        ({"page_size": "-1"}, 400, "invalid_parameter", "page_size"),
        ({"status": "Shipped"}, 400, "invalid_parameter", "Shipped"),
        ({"submitted_from": "yesterday"}, 400, "invalid_parameter", "submitted_from"),
        (
            {"submitted_from": "2024-05-02", "submitted_to": "2024-05-01"},
            400,
            "invalid_parameter",
            "submitted_from",
        ),
        ({"total_min": "1.5"}, 400, "invalid_parameter", "total_min"),
        ({"q": "x" * 201}, 400, "invalid_parameter", "q"),
    ],
)
async def test_bad_parameters_are_named(
    api: Api, params: dict[str, str], status: int, code: str, named: str
) -> None:
    got, body = await api.get("/search/orders", **params)
    assert got == status
    assert body["error"]["code"] == code
    assert named in body["error"]["message"]


async def test_unknown_kind_is_404_naming_it(api: Api) -> None:
    status, body = await api.get("/search/shoppers")
    assert status == 404
    assert "shoppers" in body["error"]["message"]


async def test_four_digits_find_the_cards_ending_in_them(api: Api) -> None:
    """The last four of a saved card (customers) or of the card an order was paid with, as the
    record's own details show them."""
    customers = (await api.read("/search/customers", page_size=100))["results"]
    for row in customers:
        detail = await api.read(f"/customers/{row['id']}")
        if detail["payment_methods"]:
            break
    last4 = detail["payment_methods"][0]["last4"]
    found = await api.read("/search/customers", q=last4, page_size=100)
    assert detail["id"] in [r["id"] for r in found["results"]]
    assert f"card ending {last4}" in found["interpretation"]
    orders = (await api.read("/search/orders", page_size=100))["results"]
    for row in orders:
        order = await api.read(f"/orders/{row['id']}")
        if order["payments"] and order["payments"][0]["card_last4"]:
            break
    paid = order["payments"][0]["card_last4"]
    found = await api.read("/search/orders", q=paid, page_size=100)
    assert order["id"] in [r["id"] for r in found["results"]]
    for hit in found["results"][:10]:  # every hit ends in it: a phone or a card
        detail = await api.read(f"/orders/{hit['id']}")
        cards = [p["card_last4"] for p in detail["payments"]]
        assert paid in cards or detail["phone"].replace("-", "").endswith(paid), detail
    returns = await api.read("/search/returns", q=paid)
    assert "card" not in returns["interpretation"]  # returns carry no card
