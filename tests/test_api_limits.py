"""The limits GET /info serves are the ones the agent enforces: each one taken from the answer
and checked at its edge (the last value accepted, the next one refused with a named error)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import Api


@pytest.fixture
async def limits(api: Api) -> dict[str, Any]:
    info = await api.read("/info")
    return info["limits"]


async def test_search_page_size_default_and_maximum(api: Api, limits: dict[str, Any]) -> None:
    default = await api.read("/search/orders")
    assert default["page_size"] == limits["search_page_size"]
    assert len(default["results"]) == limits["search_page_size"]
    widest = await api.read("/search/orders", page_size=str(limits["search_max_page_size"]))
    assert widest["page_size"] == limits["search_max_page_size"]
    status, body = await api.get(
        "/search/orders", page_size=str(limits["search_max_page_size"] + 1)
    )
    assert status == 400 and body["error"]["details"]["param"] == "page_size", body


async def test_search_page_cap(api: Api, limits: dict[str, Any]) -> None:
    last = await api.read("/search/orders", page=str(limits["search_max_page"]))
    assert last["page"] == limits["search_max_page"]
    status, body = await api.get("/search/orders", page=str(limits["search_max_page"] + 1))
    assert status == 400 and body["error"]["details"]["param"] == "page", body
    status, body = await api.send(
        "PUT", "/landing/search-state", {"page": limits["search_max_page"] + 1}
    )
    assert status == 422, body


async def test_query_length(api: Api, limits: dict[str, Any]) -> None:
    longest = "a" * limits["search_query_max_length"]
    await api.read("/search/customers", q=longest)
    status, body = await api.get("/search/customers", q=longest + "a")
    assert status == 400 and body["error"]["details"]["param"] == "q", body
    status, _ = await api.send("PUT", "/landing/search-state", {"q": longest})
    assert status == 200
    status, body = await api.send("PUT", "/landing/search-state", {"q": longest + "a"})
    assert status == 422, body


async def test_call_notes_length(api: Api, limits: dict[str, Any]) -> None:
    found = await api.read("/search/customers", page_size="1")
    status, opened = await api.send(
        "POST", "/sessions", {"kind": "customer", "id": found["results"][0]["id"]}
    )
    assert status == 201, opened
    path = f"/sessions/{opened['session_id']}/notes"
    status, _ = await api.send("PUT", path, {"notes": "n" * limits["call_notes_max_length"]})
    assert status == 200
    status, body = await api.send(
        "PUT", path, {"notes": "n" * (limits["call_notes_max_length"] + 1)}
    )
    assert status == 422, body


async def test_customer_note_length(api: Api, limits: dict[str, Any]) -> None:
    found = await api.read("/search/customers", page_size="1")
    customer = await api.read(f"/customers/{found['results'][0]['id']}")
    path = f"/customers/{customer['id']}/actions/add_note"
    too_long = {"expected_version": customer["version"]}
    too_long["text"] = "t" * (limits["customer_note_max_length"] + 1)
    status, body = await api.send("POST", path, too_long)
    assert status == 422, body
    longest = {"expected_version": customer["version"]}
    longest["text"] = "t" * limits["customer_note_max_length"]
    status, body = await api.send("POST", path, longest)
    assert status == 200, body


@pytest.mark.parametrize("kind", ["customers", "orders", "returns"])
async def test_a_sort_without_order_starts_in_the_columns_default(api: Api, kind: str) -> None:
    described = await api.read(f"/search/{kind}/filters")
    default = await api.read(f"/search/{kind}", q="a")
    assert (default["sort"], default["order"]) == (
        described["default_sort"],
        described["default_order"],
    )
    for column in described["columns"]:
        if column["sortable"] and column["key"] != described["default_sort"]:
            body = await api.read(f"/search/{kind}", sort=column["key"])
            assert body["order"] == column["default_order"], column
