"""Customer actions end to end: HTTP in, real SQLite store, details, search and audit out."""

from __future__ import annotations

from typing import Any

from agent.config import Config
from tests.support.actions import act, count, find_customer
from tests.support.api import Api


def _registered(c: dict[str, Any]) -> bool:
    return bool(c["registered"] and c["account_status"] == "Active")


async def test_edit_then_add_address_then_note_chain_versions(api: Api) -> None:
    customer = await find_customer(api, _registered)
    cid, version = customer["id"], customer["version"]
    status, edited = await act(api, "customer", cid, "edit_general",
                               {"expected_version": version, "email": "New.Mail@Example.com",
                                "accepts_marketing": not customer["accepts_marketing"]})
    assert status == 200, edited
    assert edited["entity"]["email"] == "New.Mail@Example.com"
    _, found = await api.get("/search/customers", q="new.mail@example.com")
    assert [r["id"] for r in found["results"]] == [cid]

    address = {"address1": "77 Harbour St", "city": "Halifax", "state": "NS",
               "postal_code": "B3H", "country": "CA"}
    status, added = await act(api, "customer", cid, "add_address",
                              {"expected_version": edited["version"], "label": "Cabin",
                               "first_name": "Pat", "address": address,
                               "types": [{"name": "Shipping", "is_primary": True}]})
    assert status == 200, added
    new_contact = added["entity"]["contacts"][-1]
    assert new_contact["label"] == "Cabin"
    assert new_contact["types"] == [{"name": "Shipping", "is_primary": True}]
    shipping_primaries = [c["id"] for c in added["entity"]["contacts"]
                          for t in c["types"] if t["name"] == "Shipping" and t["is_primary"]]
    assert shipping_primaries == [new_contact["id"]]

    # the version sent with the note is the one before the address: refused, nothing added
    status, stale = await act(api, "customer", cid, "add_note",
                              {"expected_version": edited["version"], "text": "Called"})
    assert status == 409 and stale["error"]["code"] == "stale_version"
    status, noted = await act(api, "customer", cid, "add_note",
                              {"expected_version": added["version"], "text": "Called about "
                               "the cabin address"})
    assert status == 200, noted
    _, detail = await api.get(f"/customers/{cid}")
    assert detail["version"] == version + 3
    assert [n["text"] for n in detail["notes"]].count("Called about the cabin address") == 1
    assert "edit_note" in detail["available_actions"]


async def test_store_credit_issue_and_adjust_with_keys(api: Api, agent_config: Config) -> None:
    customer = await find_customer(api, _registered)
    cid = customer["id"]
    status, issued = await act(api, "customer", cid, "issue_store_credit",
                               {"expected_version": customer["version"], "amount_cents": 4000,
                                "comments": "Damaged parcel"}, key="issue-credit-1")
    assert status == 200, issued
    code = issued["entity"]["store_credits"][-1]["code"]
    assert "adjust_store_credit" in issued["entity"]["available_actions"]

    body = {"expected_version": issued["version"], "code": code, "amount_cents": -1500}
    first = await act(api, "customer", cid, "adjust_store_credit", body, key="adjust-credit-1")
    retry = await act(api, "customer", cid, "adjust_store_credit", body, key="adjust-credit-1")
    assert first[0] == retry[0] == 200
    assert retry[1]["replayed"] is True
    _, detail = await api.get(f"/customers/{cid}")
    credit = next(c for c in detail["store_credits"] if c["code"] == code)
    assert credit["current_balance_cents"] == 2500
    assert [t["impact_cents"] for t in credit["transactions"]] == [4000, -1500]

    status, below = await act(api, "customer", cid, "adjust_store_credit",
                              {"expected_version": detail["version"], "code": code,
                               "amount_cents": -2501}, key="adjust-credit-2")
    assert status == 422 and below["error"]["code"] == "balance_below_zero"
    assert below["error"]["details"]["field"] == "amount_cents"
    db = agent_config.demo_db_path
    assert count(db, "SELECT count(*) FROM idempotency") == 2


async def test_segment_change_reaches_the_segment_filter(api: Api, agent_config: Config) -> None:
    customer = await find_customer(api, lambda c: "Wholesale" not in c["segments"])
    cid = customer["id"]
    db = agent_config.demo_db_path
    in_segment = "SELECT count(*) FROM customer_segments WHERE segment = 'Wholesale' " \
                 "AND customer_id = ?"
    _, before = await api.get("/search/customers", segment="Wholesale")
    status, result = await act(api, "customer", cid, "add_segment",
                               {"expected_version": customer["version"], "segment": "Wholesale"})
    assert status == 200, result
    assert "Wholesale" in result["entity"]["segments"]
    _, added = await api.get("/search/customers", segment="Wholesale")
    assert added["total"] == before["total"] + 1
    assert count(db, in_segment, int(cid)) == 1
    status, removed = await act(api, "customer", cid, "remove_segment",
                                {"expected_version": result["version"],
                                 "segment": "Wholesale"})
    assert status == 200, removed
    _, after = await api.get("/search/customers", segment="Wholesale")
    assert after["total"] == before["total"]
    assert count(db, in_segment, int(cid)) == 0


async def test_bad_input_names_the_field(api: Api) -> None:
    customer = await find_customer(api, _registered)
    status, body = await act(api, "customer", customer["id"], "edit_general",
                             {"expected_version": customer["version"], "email": "nope"})
    assert status == 422
    assert (body["error"]["code"], body["error"]["details"]["field"]) == (
        "invalid_email", "email")
    status, body = await act(api, "customer", customer["id"], "set_attribute",
                             {"expected_version": customer["version"], "fqn": "tenant~x",
                              "values": ["1"]})
    assert status == 422 and body["error"]["code"] == "unknown_attribute"
    status, body = await act(api, "customer", customer["id"], "add_note",
                             {"expected_version": customer["version"], "text": 5})
    assert status == 422 and body["error"]["code"] == "validation_failed"


async def test_another_customers_email_or_user_name_is_refused(api: Api,
                                                             agent_config: Config) -> None:
    first = await find_customer(api, _registered)
    second = await find_customer(api, lambda c: _registered(c) and c["id"] != first["id"])
    db = agent_config.demo_db_path
    audit = "SELECT count(*) FROM audit_log WHERE kind = 'customer'"
    logged = count(db, audit)
    for login in ("email", "username"):
        status, body = await act(api, "customer", second["id"], "edit_general",
                                 {"expected_version": second["version"],
                                  login: first[login].upper()})
        assert status == 409, body
        assert (body["error"]["code"], body["error"]["details"]["field"]) == (
            f"{login}_taken", login)
        assert first["id"] in body["error"]["message"]
    _, after = await api.get(f"/customers/{second['id']}")
    assert (after["version"], after["email"], after["username"]) == (
        second["version"], second["email"], second["username"])
    assert count(db, audit) == logged


async def test_renaming_a_customer_keeps_the_contact_on_past_orders(api: Api) -> None:
    customer = await find_customer(api, lambda c: c["order_count"] > 0 and c["registered"])
    _, orders = await api.get(f"/customers/{customer['id']}/orders", page_size="100")
    before = [(await api.get(f"/orders/{row['id']}"))[1] for row in orders["results"]]
    status, result = await act(api, "customer", customer["id"], "edit_general",
                               {"expected_version": customer["version"],
                                "first_name": "Renamed", "last_name": "Afterwards"})
    assert status == 200, result
    for order in before:
        _, now = await api.get(f"/orders/{order['id']}")
        assert now["billing_address"] == order["billing_address"]
        assert now["shipping_address"] == order["shipping_address"]
        assert now["version"] == order["version"]
