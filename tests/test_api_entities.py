"""Entity details, related lists, unknown ids, and the refusal to create orders."""

from __future__ import annotations

import pytest

from tests.support.api import Api


async def _first(api: Api, kind: str, **params: str) -> dict:
    _, body = await api.get(f"/search/{kind}", **params)
    return body["results"][0]


async def test_order_detail_matches_its_search_row(api: Api) -> None:
    row = await _first(api, "orders", status="Processing")
    status, order = await api.get(f"/orders/{row['id']}")
    assert status == 200
    assert order["number"] == row["number"]
    assert order["status"] == "Processing"
    assert order["totals"]["total_cents"] == row["total"]
    totals = order["totals"]
    assert totals["pending_cents"] == totals["total_cents"] - totals["collected_cents"]
    assert order["billing_address"] and order["shipping_address"]
    assert isinstance(order["available_actions"], list)


async def test_customer_detail_and_related_lists(api: Api) -> None:
    row = await _first(api, "customers", sort="order_count", order="desc")
    status, customer = await api.get(f"/customers/{row['id']}")
    assert status == 200
    assert customer["id"] == row["id"]
    assert customer["full_name"] == row["name"]
    _, orders = await api.get(f"/customers/{row['id']}/orders")
    assert orders["total"] == customer["order_count"]
    _, audit = await api.get(f"/customers/{row['id']}/audit-log")
    assert "entries" in audit


async def test_return_detail_links_its_order(api: Api) -> None:
    row = await _first(api, "returns")
    status, ret = await api.get(f"/returns/{row['id']}")
    assert status == 200
    assert ret["order_number"] == row["order_number"]
    status, order = await api.get(f"/orders/{ret['order_id']}")
    assert status == 200 and order["number"] == ret["order_number"]
    _, order_returns = await api.get(f"/orders/{ret['order_id']}/returns")
    assert row["id"] in [r["id"] for r in order_returns["results"]]


@pytest.mark.parametrize(
    "path",
    [
        "/customers/999999999",
        "/customers/abc",
        "/orders/1234",
        "/orders/" + "0" * 32,
        "/returns/" + "f" * 32,
        "/customers/999999999/orders",
        "/orders/" + "0" * 32 + "/returns",
    ],
)
async def test_unknown_ids_are_404_naming_the_id(api: Api, path: str) -> None:
    status, body = await api.get(path)
    assert status == 404
    assert path.split("/")[2] in body["error"]["message"]


async def test_creating_an_order_is_refused_with_a_pointer(api: Api) -> None:
    status, body = await api.send("POST", "/orders", {"kind": "order", "id": "x"})
    assert status == 405
    assert "Orders screen" in body["error"]["message"]


async def test_order_and_return_details_carry_external_id_and_location(api: Api) -> None:
    for kind, prefix in (("orders", "MP-"), ("orders", "POS-"), ("returns", "RMA-")):
        row = await _first(api, kind, external_id=prefix)
        status, detail = await api.get(f"/{kind}/{row['id']}")
        assert status == 200
        assert detail["external_id"] == row["external_id"] and row["external_id"].startswith(prefix)
        assert detail["location"] == row["location"] and row["location"]
    _, web = await api.get("/search/orders", channel="Web", page_size="5")
    assert web["results"]
    for row in web["results"]:
        _, detail = await api.get(f"/orders/{row['id']}")
        assert (detail["external_id"], detail["location"]) == (None, row["location"])
