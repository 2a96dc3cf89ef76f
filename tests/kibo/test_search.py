"""Our kinds, free text, filters, sorts and paging as Kibo list calls, answered by the strict
fake (tests/kibo/fake_lists.py): what a CSR types must find the right records."""

from __future__ import annotations

import copy
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


def found(kind: str, result: Any) -> list[Any]:
    return [r["id" if kind == "customers" else "number"] for r in result.results]


# What a CSR types, and what it must find on a tenant that keeps phones as typed
# ((512) 555-0134, 512-555-0199, +44 20 7946 0958, 555-0100) and compares text with case.
TYPED = [
    ("customers", "Ana Núñez", ["1001"]),
    ("customers", "ana nunez", ["1001"]),  # the email's words
    ("customers", "smi", ["1002"]),
    ("customers", "JOHN", ["1002"]),
    ("customers", "(512) 555-0134", ["1001"]),
    ("customers", "5125550134", ["1001"]),
    ("customers", "512-555-0199", ["1002"]),
    ("customers", "555-0199", ["1002"]),
    ("customers", "+44 20 7946 0958", ["1003"]),
    ("customers", "020 7946 0958", ["1003"]),
    ("customers", "0134", ["1001"]),  # the last four
    ("customers", "1002", ["1002"]),  # the customer id
    ("customers", "Ana.Nunez@", ["1001"]),
    ("customers", "mei.chen@example.co.uk", ["1003"]),
    ("orders", "#5002", [5002]),
    ("orders", "5002", [5002]),
    ("orders", "John Smith", [5002]),
    ("orders", "smi", [5002]),
    ("orders", "(512) 555-0134", [5001]),
    ("orders", "5125550134", [5001]),
    ("orders", "0100", [5003]),
    ("orders", "guest@example", [5003]),
    ("returns", "7001", [7001]),
    ("returns", "#7002", [7002]),
    ("returns", "ana", [7001]),
    ("returns", "guest shop", [7002]),
    ("returns", "555-0100", [7002]),
    ("returns", "0134", [7001]),
    ("returns", "Ana.Nunez@", [7001]),
]


@pytest.mark.parametrize(("kind", "typed", "expected"), TYPED, ids=lambda v: str(v))
async def test_what_a_csr_types_finds_the_record(
    backend: KiboBackend, fake: FakeKibo, kind: str, typed: str, expected: list[Any]
) -> None:
    _, result = await sent(backend, fake, kind, q=typed)
    assert found(kind, result) == expected, fake.requests[-1].query
    assert result.total == len(expected) and result.total_exact


@pytest.mark.parametrize(
    ("kind", "q", "kibo_filter"),
    [
        ("customers", "#1002", "customeraccountid eq 1002"),
        ("orders", "#5002", "ordernumber eq 5002"),
        ("returns", "#7001", "returnnumber eq 7001"),
        ("returns", "ana.nunez@", "contact.email sw 'ana.nunez@'"),
        (
            "orders",
            "Guest@",
            "(email sw 'Guest@' or email sw 'guest@' or "
            "billinginfo.billingcontact.email sw 'Guest@' or "
            "billinginfo.billingcontact.email sw 'guest@')",
        ),
    ],
)
async def test_numbers_and_emails_are_exact_terms(
    backend: KiboBackend, fake: FakeKibo, kind: str, q: str, kibo_filter: str
) -> None:
    query, _ = await sent(backend, fake, kind, q=q)
    assert query["filter"] == kibo_filter and "q" not in query


async def test_bare_digits_are_the_number_or_a_phone(backend: KiboBackend, fake: FakeKibo) -> None:
    query, _ = await sent(backend, fake, "customers", q="0134")
    assert fake.requests[-2].query["filter"] == "customeraccountid eq 134"  # the record typed
    assert query["filter"] == (
        "(contacts.phonenumbers.home cont '0134' or contacts.phonenumbers.mobile cont '0134' "
        "or contacts.phonenumbers.work cont '0134') and customeraccountid ne 134"
    )
    query, _ = await sent(backend, fake, "customers", q="5125550134")
    assert "customeraccountid" not in query["filter"]  # beyond Kibo's 32-bit ids
    for form in ("(512) 555-0134", "512-555-0134", "512.555.0134", "512 555 0134", "5125550134"):
        assert f"contacts.phonenumbers.home cont '{form}'" in query["filter"]


def _newer_order_whose_phone_holds(fake: FakeKibo, number: int, digits: str) -> None:
    orders = fake.data["orders"]
    newer = copy.deepcopy(next(o for o in orders.values() if o["orderNumber"] == 5001))
    newer |= {"id": "f" * 32, "orderNumber": number, "submittedDate": "2026-12-01T10:00:00Z"}
    newer["billingInfo"]["billingContact"]["phoneNumbers"] = {"home": f"555-{digits}"}
    orders[newer["id"]] = newer


@pytest.mark.parametrize(
    ("sort", "order"), [("submitted_at", "desc"), ("number", "desc"), ("relevance", "desc")]
)
async def test_the_order_typed_comes_first_whatever_the_sort(
    backend: KiboBackend, fake: FakeKibo, sort: str, order: str
) -> None:
    _newer_order_whose_phone_holds(fake, 5009, "5002")
    _, result = await sent(backend, fake, "orders", q="5002", sort=sort, order=order)
    assert found("orders", result) == [5002, 5009]
    assert (result.total, result.total_exact) == (2, True)
    assert fake.requests[-1].query["filter"].endswith("and ordernumber ne 5002")
    _, second = await sent(backend, fake, "orders", q="5002", page="2", page_size="1")
    assert (found("orders", second), fake.requests[-1].query["startIndex"]) == ([5009], "0")
    _, filtered = await sent(backend, fake, "orders", q="5002", status="Cancelled")
    assert found("orders", filtered) == []


async def test_words_go_to_quick_search_as_prefixes(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(backend, fake, "orders", q="John Smi")
    assert query["q"] == "john* smi*" and "filter" not in query
    assert found("orders", result) == [5002]
    query, _ = await sent(backend, fake, "customers", q="Núñez")
    assert query["q"] == "núñez*"  # accents as typed: Kibo may not fold them


async def test_filters_sorts_and_paging(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(
        backend,
        fake,
        "orders",
        status="Completed,Accepted",
        customer_id="1001",
        submitted_from="2026-09-01",
        total_min="1000",
        sort="customer_name",
        order="asc",
        page="1",
        page_size="2",
    )
    assert query["filter"] == (
        "(status eq 'Completed' or status eq 'Accepted') and customeraccountid eq 1001 and "
        "submitteddate ge 2026-09-01T00:00:00Z and total ge 10.00"
    )
    assert query["sortBy"] == "billingcontact.lastname asc and billingcontact.firstname asc"
    assert (query["startIndex"], query["pageSize"]) == ("0", "2")
    assert query["responseFields"].startswith("items(id,orderNumber,")
    assert found("orders", result) == [5001]


async def test_second_page_and_exact_total(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(
        backend, fake, "customers", sort="id", order="asc", page="2", page_size="2"
    )
    assert (query["startIndex"], query["sortBy"]) == ("2", "id asc")
    assert found("customers", result) == ["1003"]
    assert (result.total, result.total_exact, result.page) == (3, True, 2)


async def test_customer_filters(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(
        backend, fake, "customers", name="chen", segment="VIP,Loyalty", sort="name", order="desc"
    )
    assert query["q"] == "chen*" and query["filter"] == "(segments.id eq 1 or segments.id eq 2)"
    assert query["sortBy"] == "lastname desc and firstname desc"
    assert result.results == []  # Mei Chen is in no segment
    query, result = await sent(backend, fake, "customers", segment="VIP", phone="555 0134")
    assert found("customers", result) == ["1001"]
    assert [c.query["filter"] for c in fake.calls("/customer/segments")] == [
        "(code eq 'VIP' or code eq 'Loyalty')"
    ]
    await sent(backend, fake, "customers", segment="VIP")
    assert len(fake.calls("/customer/segments")) == 1  # the tenant's segment ids are kept
    _, result = await sent(backend, fake, "customers", segment="Newsletter")
    assert result.results == [] and result.total_exact


async def test_bare_digits_find_returns_by_their_original_order_number(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    query, result = await sent(backend, fake, "returns", q="5003")
    assert found("returns", result) == [7002]
    assert "original order number 5003" in result.interpretation
    assert query["filter"].startswith("(originalorderid eq '2c3d4e5f60718293a4b5c6d7e8f90a1b' or ")
    assert query["filter"].endswith("and returnnumber ne 5003")
    looked_up = [c.query.get("filter") for c in fake.calls("/commerce/orders")]
    assert looked_up == ["ordernumber eq 5003"]  # the order's id, by its number
    _, none = await sent(backend, fake, "returns", q="5003", status="Closed")
    assert found("returns", none) == []
    _, hashed = await sent(backend, fake, "returns", q="#5003")
    assert found("returns", hashed) == []  # '#' is the return number alone
    _, unknown = await sent(backend, fake, "returns", q="9999")
    assert found("returns", unknown) == []
    assert "originalorderid" not in fake.requests[-1].query["filter"]  # no such order


NAMES = [
    ("customers", {"first_name": "jo"}, ["1002"], "firstname sw 'jo'"),
    ("customers", {"first_name": "JOHN", "name_match": "exact"}, ["1002"], "firstname eq 'John'"),
    ("customers", {"first_name": "jo", "name_match": "exact"}, [], "firstname eq 'Jo'"),
    ("customers", {"last_name": "ñe", "name_match": "contains"}, ["1001"], "lastname cont 'ñe'"),
    ("customers", {"last_name": "smith", "first_name": "mei"}, [], "lastname sw 'Smith'"),
    (
        "orders",
        {"last_name": "smith", "name_match": "exact"},
        [5002],
        "billinginfo.billingcontact.lastnameorsurname eq 'Smith'",
    ),
    ("orders", {"first_name": "ues", "name_match": "contains"}, [5003], "firstname cont 'ues'"),
    ("returns", {"first_name": "an"}, [7001], "contact.firstname sw 'An'"),
    ("returns", {"last_name": "opp", "name_match": "contains"}, [7002], "lastnameorsurname cont"),
]


@pytest.mark.parametrize(("kind", "filters", "expected", "sent_term"), NAMES, ids=str)
async def test_first_and_last_name_filters_with_their_match(
    backend: KiboBackend, fake: FakeKibo, kind: str, filters: dict[str, str], expected, sent_term
) -> None:
    query, result = await sent(backend, fake, kind, **filters)
    assert found(kind, result) == expected
    assert sent_term in query["filter"]


async def test_name_match_takes_one_known_value(backend: KiboBackend) -> None:
    for bad in ("exact,contains", "fuzzy"):
        with pytest.raises(BadRequest) as refused:
            request("customers", first_name="jo", name_match=bad)
        assert refused.value.details["param"] == "name_match"


async def test_return_filters(backend: KiboBackend, fake: FakeKibo) -> None:
    query, result = await sent(
        backend, fake, "returns", order_number="5003", status="Created", customer="guest@"
    )
    assert query["filter"] == (
        "originalorderid eq '2c3d4e5f60718293a4b5c6d7e8f90a1b' and returnstatus eq 'Created' "
        "and contact.email sw 'guest@'"
    )
    assert query["sortBy"] == "returnnumber desc"  # Kibo's admin default; no createdate sort
    row = result.results[0]
    assert (row["number"], row["reason"], row["item_count"]) == (7002, "Defective", 1)
    _, result = await sent(backend, fake, "returns", customer="shop")
    assert found("returns", result) == [7002]  # Guest Shopper, a name's start
    # An order number that names no order: the lookup answers, and no returns list is asked.
    lists_before = len(fake.calls("/commerce/returns"))
    _, result = await sent(backend, fake, "returns", order_number="9999")
    assert result.results == []
    assert len(fake.calls("/commerce/returns")) == lists_before
    assert fake.requests[-1].query["filter"] == "ordernumber eq 9999"


async def test_quotes_in_text_cannot_break_out_of_the_filter(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    query, result = await sent(backend, fake, "customers", email="x' or id ne '0")
    assert query["filter"] == (  # an email holds no spaces: they are dropped
        "(emailaddress sw 'x\\'oridne\\'0' or contacts.email sw 'x\\'oridne\\'0')"
    )
    assert result.results == []


async def test_text_that_matches_nothing_skips_the_call(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    result = await backend.search("orders", request("orders", q="#99999999999999999"))
    assert result.total == 0 and result.total_exact and not fake.calls("/commerce/orders")


async def test_what_kibo_cannot_do_is_a_clear_400_and_marked_in_the_panel(
    backend: KiboBackend,
) -> None:
    with pytest.raises(BadRequest, match="sort orders by 'item_count'"):
        await backend.search("orders", request("orders", sort="item_count"))
    with pytest.raises(BadRequest, match="'site': the store filters orders by site number"):
        await backend.search("orders", request("orders", site="US Store"))
    with pytest.raises(BadRequest) as caught:
        await backend.search("customers", request("customers", account_status="Locked"))
    assert caught.value.code == "filter_not_supported"
    assert caught.value.details == {"param": "account_status"}
    filters = {f.key: f for f in backend.filters("orders").filters}
    assert filters["site"].unavailable.startswith("the store filters orders by site number")
    assert filters["status"].unavailable == ""
    columns = {c.key: c for c in backend.filters("orders").columns}
    assert not columns["item_count"].sortable and columns["number"].sortable
    # Returns cannot be sorted by their creation date on Kibo: newest number first instead.
    returns = backend.filters("returns")
    assert (returns.default_sort, returns.default_order) == ("number", "desc")


@pytest.mark.parametrize("kind", ["orders", "returns"])
async def test_external_id_and_location_are_unavailable_and_shown_from_the_documents(
    backend: KiboBackend, fake: FakeKibo, kind: str
) -> None:
    for key, value in (("external_id", "MP-1"), ("location", "Austin DC")):
        with pytest.raises(BadRequest) as caught:
            await backend.search(kind, request(kind, **{key: value}))  # type: ignore[arg-type]
        assert (caught.value.code, caught.value.details) == ("filter_not_supported", {"param": key})
        marked = {f.key: f for f in backend.filters(kind).filters}[key]  # type: ignore[arg-type]
        assert marked.unavailable.startswith("the store's search has no")
    collection = "orders" if kind == "orders" else "returns"
    first = next(iter(fake.data[collection].values()))
    first |= {"externalId": "MP-123456789", "locationCode": "AUS01"}
    _, result = await sent(
        backend, fake, kind, sort="number", order="asc" if kind == "orders" else "desc"
    )
    row = next(r for r in result.results if r["id"] == first["id"])
    assert (row["external_id"], row["location"]) == ("MP-123456789", "AUS01")


def test_a_list_without_total_count_is_reported_as_estimated() -> None:
    from agent.backends.kibo import search_rows

    rows, total = search_rows.rows("orders", {"items": [{"id": "a", "orderNumber": 1}]})
    assert total is None and [r["number"] for r in rows] == [1]


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


def test_payment_status_offers_only_words_kibo_reports(backend: KiboBackend) -> None:
    """The demo store's own "Refunded" would always find nothing on a tenant: not offered."""
    offered = backend.filters("orders")
    payment = next(f for f in offered.filters if f.key == "payment_status")
    values = [o.value for o in payment.options]
    assert "Refunded" not in values
    assert "Paid" in values
    demo = next(f for f in CATALOG["orders"].filters if f.key == "payment_status")
    assert "Refunded" in [o.value for o in demo.options]
