"""The fake tenant refuses what Kibo refuses: the strictness the backend is tested against."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tests.kibo.fake_kibo import CLIENT_ID, CLIENT_SECRET, SITE, TENANT, FakeKibo
from tests.kibo.fake_lists import RULES
from tests.kibo.fake_query import QueryError, matches_words, parse_filter, parse_sort


async def _get(
    fake: FakeKibo, path: str, site: str | None = SITE, **params: str
) -> tuple[int, Any, dict[str, str]]:
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{fake.url}/api/platform/applications/authtickets/oauth",
            json={
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "grant_type": "client_credentials",
            },
        ) as resp:
            token = (await resp.json())["access_token"]
        headers = {"Authorization": f"Bearer {token}", "x-vol-tenant": TENANT}
        if site is not None:
            headers["x-vol-site"] = site
        async with http.get(f"{fake.url}/api{path}", params=params, headers=headers) as resp:
            return resp.status, await resp.json(), dict(resp.headers)


def _ids(body: Any, key: str = "id") -> list[Any]:
    return [item[key] for item in body["items"]]


async def test_an_unknown_filter_field_gets_kibos_400_body(fake: FakeKibo) -> None:
    status, body, headers = await _get(
        fake, "/commerce/customer/accounts", filter="nickname eq 'ana'"
    )
    assert status == 400
    assert body["errorCode"] and "'nickname' is not a filterable field" in body["message"]
    assert set(body) == {"message", "errorCode", "applicationName", "additionalErrorData", "items"}
    assert headers["x-vol-correlation"].startswith("corr-")


async def test_an_unknown_sort_field_and_a_comma_list_are_refused(fake: FakeKibo) -> None:
    status, body, _ = await _get(fake, "/commerce/orders", sortBy="paymentStatus asc")
    assert status == 400 and "'paymentStatus' is not a sortable field" in body["message"]
    status, body, _ = await _get(fake, "/commerce/orders", sortBy="total asc,status desc")
    assert status == 400 and "' and '" in body["message"]
    status, body, _ = await _get(fake, "/commerce/orders", sortBy="total desc and ordernumber asc")
    assert status == 200 and _ids(body, "orderNumber") == [5001, 5002, 5003]


async def test_orders_and_returns_need_the_site(fake: FakeKibo) -> None:
    for path in ("/commerce/orders", "/commerce/returns/9f8e7d6c5b4a39281706f5e4d3c2b1a0"):
        status, body, _ = await _get(fake, path, site=None)
        assert status == 400 and "x-vol-site" in body["message"], path
        status, _, _ = await _get(fake, path, site="99999")
        assert status == 400, path
    status, _, _ = await _get(fake, "/commerce/customer/accounts", site=None)
    assert status == 200  # accounts are tenant-level


async def test_the_page_size_is_capped_at_200(fake: FakeKibo) -> None:
    accounts = fake.data["accounts"]
    from tests.kibo import fake_data

    for n in range(2000, 2250):
        accounts[n] = fake_data.account(n, "Extra", f"Person{n}", f"p{n}@x.example", "555-0100")
    status, body, _ = await _get(fake, "/commerce/customer/accounts", pageSize="500")
    assert status == 200 and body["pageSize"] == 200 and len(body["items"]) == 200
    assert body["totalCount"] == 253 and body["pageCount"] == 2


async def test_text_compares_with_case_and_field_names_without(fake: FakeKibo) -> None:
    status, body, _ = await _get(
        fake, "/commerce/customer/accounts", filter="contacts.LastNameOrSurname sw 'Sm'"
    )
    assert status == 200 and _ids(body) == [1002]
    status, body, _ = await _get(
        fake, "/commerce/customer/accounts", filter="contacts.lastnameorsurname sw 'sm'"
    )
    assert status == 200 and _ids(body) == []
    # Order status is the exception Kibo's own tests show ('accepted' finds Accepted).
    status, body, _ = await _get(fake, "/commerce/orders", filter="status eq 'accepted'")
    assert _ids(body, "orderNumber") == [5002]
    # Operators in any case, values bare or double-quoted, as Kibo's admin sends them.
    status, body, _ = await _get(
        fake, "/commerce/orders", filter='total GE 59 and type eq "Online"'
    )
    assert status == 200 and len(body["items"]) == 3


async def test_q_matches_whole_words_and_star_prefixes(fake: FakeKibo) -> None:
    status, body, _ = await _get(fake, "/commerce/orders", q="smi")
    assert status == 200 and _ids(body) == []
    status, body, _ = await _get(fake, "/commerce/orders", q="JOHN smi*")
    assert _ids(body, "orderNumber") == [5002]
    status, body, _ = await _get(fake, "/commerce/customer/accounts", q="nuñez")
    assert _ids(body) == []  # accents are not folded: neither Núñez nor the email's nunez
    status, body, _ = await _get(fake, "/commerce/customer/accounts", q="núñez")
    assert _ids(body) == [1001]


async def test_shipment_items_name_their_order_item(fake: FakeKibo) -> None:
    status, order, _ = await _get(fake, "/commerce/orders/0a1b2c3d4e5f60718293a4b5c6d7e8f9")
    assert status == 200
    items = order["shipments"][0]["items"]
    assert [(i["lineId"], i["originalOrderItemId"]) for i in items] == [
        (1, "item1"),
        (2, "item2"),
    ]


def test_the_parser_refuses_broken_filters() -> None:
    rules = RULES["orders"]
    for broken in ("status eq", "(status eq 'A'", "status like 'A'", "status eq 'A' xor x"):
        with pytest.raises(QueryError):
            parse_filter(broken, rules)
    with pytest.raises(QueryError):
        parse_sort("total sideways", rules)
    assert parse_sort("OrderNumber desc and total", rules) == [
        ("orderNumber", True),
        ("total", False),
    ]


def test_q_needs_every_word() -> None:
    item = {"firstName": "Ana", "lastName": "Núñez", "emailAddress": "ana.nunez@example.com"}
    fields = RULES["accounts"].q_fields
    assert matches_words(item, "ana* nunez*", fields)  # the email's words
    assert not matches_words(item, "ana* smith*", fields)
    assert not matches_words(item, "*", fields)


async def test_response_fields_keep_one_level(fake: FakeKibo) -> None:
    status, body, _ = await _get(
        fake, "/commerce/orders", responseFields="items(orderNumber,total),totalCount"
    )
    assert status == 200
    assert body == {
        "totalCount": 3,
        "items": [{"orderNumber": n, "total": 59.0} for n in (5001, 5002, 5003)],
    }
    status, body, _ = await _get(fake, "/commerce/orders", responseFields="items(items(quantity))")
    assert status == 400 and "one level" in body["message"]
