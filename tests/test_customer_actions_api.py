"""Customer actions end to end: HTTP in, real SQLite store, details, search and audit out."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agent.config import Config
from tests.support.actions import act, count, find_customer, make_guest, snapshot
from tests.support.api import Api


def _registered(c: dict[str, Any]) -> bool:
    return bool(c["registered"] and c["account_status"] == "Active")


async def test_edit_then_add_address_then_note_chain_versions(api: Api) -> None:
    customer = await find_customer(api, _registered)
    cid, version = customer["id"], customer["version"]
    status, edited = await act(
        api,
        "customer",
        cid,
        "edit_general",
        {
            "expected_version": version,
            "email": "New.Mail@Example.com",
            "accepts_marketing": not customer["accepts_marketing"],
        },
    )
    assert status == 200, edited
    assert edited["entity"]["email"] == "New.Mail@Example.com"
    _, found = await api.get("/search/customers", q="new.mail@example.com")
    assert [r["id"] for r in found["results"]] == [cid]

    address = {
        "address1": "77 Harbour St",
        "city": "Halifax",
        "state": "NS",
        "postal_code": "B3H",
        "country": "CA",
    }
    status, added = await act(
        api,
        "customer",
        cid,
        "add_address",
        {
            "expected_version": edited["version"],
            "label": "Cabin",
            "first_name": "Pat",
            "address": address,
            "types": [{"name": "Shipping", "is_primary": True}],
        },
    )
    assert status == 200, added
    new_contact = added["entity"]["contacts"][-1]
    assert new_contact["label"] == "Cabin"
    assert new_contact["types"] == [{"name": "Shipping", "is_primary": True}]
    shipping_primaries = [
        c["id"]
        for c in added["entity"]["contacts"]
        for t in c["types"]
        if t["name"] == "Shipping" and t["is_primary"]
    ]
    assert shipping_primaries == [new_contact["id"]]

    # the version sent with the note is the one before the address: refused, nothing added
    status, stale = await act(
        api, "customer", cid, "add_note", {"expected_version": edited["version"], "text": "Called"}
    )
    assert status == 409 and stale["error"]["code"] == "stale_version"
    status, noted = await act(
        api,
        "customer",
        cid,
        "add_note",
        {"expected_version": added["version"], "text": "Called about the cabin address"},
    )
    assert status == 200, noted
    _, detail = await api.get(f"/customers/{cid}")
    assert detail["version"] == version + 3
    assert [n["text"] for n in detail["notes"]].count("Called about the cabin address") == 1
    assert "edit_note" in detail["available_actions"]


async def test_store_credit_issue_and_adjust_with_keys(api: Api, agent_config: Config) -> None:
    customer = await find_customer(api, _registered)
    cid = customer["id"]
    status, issued = await act(
        api,
        "customer",
        cid,
        "issue_store_credit",
        {
            "expected_version": customer["version"],
            "amount_cents": 4000,
            "comments": "Damaged parcel",
        },
        key="issue-credit-1",
    )
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

    status, below = await act(
        api,
        "customer",
        cid,
        "adjust_store_credit",
        {"expected_version": detail["version"], "code": code, "amount_cents": -2501},
        key="adjust-credit-2",
    )
    assert status == 422 and below["error"]["code"] == "balance_below_zero"
    assert below["error"]["details"]["field"] == "amount_cents"
    db = agent_config.demo_db_path
    assert count(db, "SELECT count(*) FROM idempotency") == 2


async def test_segment_change_reaches_the_segment_filter(api: Api, agent_config: Config) -> None:
    customer = await find_customer(api, lambda c: "Wholesale" not in c["segments"])
    cid = customer["id"]
    db = agent_config.demo_db_path
    in_segment = (
        "SELECT count(*) FROM customer_segments WHERE segment = 'Wholesale' AND customer_id = ?"
    )
    _, before = await api.get("/search/customers", segment="Wholesale")
    status, result = await act(
        api,
        "customer",
        cid,
        "add_segment",
        {"expected_version": customer["version"], "segment": "Wholesale"},
    )
    assert status == 200, result
    assert "Wholesale" in result["entity"]["segments"]
    _, added = await api.get("/search/customers", segment="Wholesale")
    assert added["total"] == before["total"] + 1
    assert count(db, in_segment, int(cid)) == 1
    status, removed = await act(
        api,
        "customer",
        cid,
        "remove_segment",
        {"expected_version": result["version"], "segment": "Wholesale"},
    )
    assert status == 200, removed
    _, after = await api.get("/search/customers", segment="Wholesale")
    assert after["total"] == before["total"]
    assert count(db, in_segment, int(cid)) == 0


async def test_bad_input_names_the_field(api: Api) -> None:
    customer = await find_customer(api, _registered)
    status, body = await act(
        api,
        "customer",
        customer["id"],
        "edit_general",
        {"expected_version": customer["version"], "email": "nope"},
    )
    assert status == 422
    assert (body["error"]["code"], body["error"]["details"]["field"]) == ("invalid_email", "email")
    status, body = await act(
        api,
        "customer",
        customer["id"],
        "set_attribute",
        {"expected_version": customer["version"], "fqn": "tenant~x", "values": ["1"]},
    )
    assert status == 422 and body["error"]["code"] == "unknown_attribute"
    status, body = await act(
        api,
        "customer",
        customer["id"],
        "add_note",
        {"expected_version": customer["version"], "text": 5},
    )
    assert status == 422 and body["error"]["code"] == "validation_failed"


async def test_another_customers_email_or_user_name_is_refused(
    api: Api, agent_config: Config
) -> None:
    first = await find_customer(api, _registered)
    second = await find_customer(api, lambda c: _registered(c) and c["id"] != first["id"])
    db = agent_config.demo_db_path
    audit = "SELECT count(*) FROM audit_log WHERE kind = 'customer'"
    logged = count(db, audit)
    for login in ("email", "username"):
        status, body = await act(
            api,
            "customer",
            second["id"],
            "edit_general",
            {"expected_version": second["version"], login: first[login].upper()},
        )
        assert status == 409, body
        assert (body["error"]["code"], body["error"]["details"]["field"]) == (
            f"{login}_taken",
            login,
        )
        assert first["id"] in body["error"]["message"]
    _, after = await api.get(f"/customers/{second['id']}")
    assert (after["version"], after["email"], after["username"]) == (
        second["version"],
        second["email"],
        second["username"],
    )
    assert count(db, audit) == logged


async def test_renaming_a_customer_keeps_the_contact_on_past_orders(api: Api) -> None:
    customer = await find_customer(api, lambda c: c["order_count"] > 0 and c["registered"])
    _, orders = await api.get(f"/customers/{customer['id']}/orders", page_size="100")
    before = [(await api.get(f"/orders/{row['id']}"))[1] for row in orders["results"]]
    status, result = await act(
        api,
        "customer",
        customer["id"],
        "edit_general",
        {
            "expected_version": customer["version"],
            "first_name": "Renamed",
            "last_name": "Afterwards",
        },
    )
    assert status == 200, result
    for order in before:
        _, now = await api.get(f"/orders/{order['id']}")
        assert now["billing_address"] == order["billing_address"]
        assert now["shipping_address"] == order["shipping_address"]
        assert now["version"] == order["version"]


def _audit(db: Path, cid: str, action: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT field, old_value, new_value, who FROM audit_log WHERE kind = 'customer' "
            "AND entity_id = ? AND action = ? ORDER BY id",
            (cid, action),
        ).fetchall()


def _outbox(db: Path, cid: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT template, recipient, subject FROM outbox WHERE kind = "
            "'customer' AND entity_id = ? ORDER BY id",
            (cid,),
        ).fetchall()


async def test_add_login_to_a_guest_account(api: Api, agent_config: Config) -> None:
    db = agent_config.demo_db_path
    first = await find_customer(api, _registered)
    second = await find_customer(api, lambda c: _registered(c) and c["id"] != first["id"])
    for guest in (first, second):
        make_guest(db, int(guest["id"]))
    _, guest = await api.get(f"/customers/{first['id']}")
    assert guest["registered"] is False and guest["username"] == ""
    assert "add_login" in guest["available_actions"]
    assert not {"send_password_reset", "require_password_change"} & set(guest["available_actions"])

    status, result = await act(
        api,
        "customer",
        guest["id"],
        "add_login",
        {"expected_version": guest["version"], "username": "Guest.Login.One"},
        session="sess-1",
    )
    assert status == 200, result
    entity = result["entity"]
    assert (entity["registered"], entity["username"], entity["email"]) == (
        True,
        "Guest.Login.One",
        guest["email"],
    )
    assert result["version"] == guest["version"] + 1
    assert {"send_password_reset", "require_password_change", "disable_account"} <= set(
        entity["available_actions"]
    )
    assert "add_login" not in entity["available_actions"]
    assert [row[:3] for row in _audit(db, guest["id"], "add_login")] == [
        ("username", "", "Guest.Login.One"),
        ("registered", "false", "true"),
    ]
    [(template, recipient, subject)] = _outbox(db, guest["id"])
    assert (template, recipient) == ("set_password", guest["email"])
    assert "set your password" in subject

    # Another guest asking for the same user name (any case) is refused; nothing changes.
    _, other = await api.get(f"/customers/{second['id']}")
    before = snapshot(db, "customers", "id", int(other["id"]))
    status, body = await act(
        api,
        "customer",
        other["id"],
        "add_login",
        {"expected_version": other["version"], "username": "guest.login.one"},
    )
    assert status == 409, body
    assert (body["error"]["code"], body["error"]["details"]["field"]) == (
        "username_taken",
        "username",
    )
    assert guest["id"] in body["error"]["message"]
    status, body = await act(
        api,
        "customer",
        other["id"],
        "add_login",
        {"expected_version": other["version"], "username": "x y z"},
    )
    assert status == 422 and body["error"]["details"]["field"] == "username"
    assert snapshot(db, "customers", "id", int(other["id"])) == before
    # A registered account is not offered a second login.
    status, body = await act(
        api,
        "customer",
        guest["id"],
        "add_login",
        {"expected_version": result["version"], "username": "again"},
    )
    assert status == 409 and body["error"]["code"] == "action_not_available"


async def test_require_password_change(api: Api, agent_config: Config) -> None:
    db = agent_config.demo_db_path
    customer = await find_customer(api, _registered)
    cid = customer["id"]
    assert customer["password_change_required"] is False
    assert "require_password_change" in customer["available_actions"]
    status, result = await act(
        api, "customer", cid, "require_password_change", {"expected_version": customer["version"]}
    )
    assert status == 200, result
    assert result["entity"]["password_change_required"] is True
    assert result["version"] == customer["version"] + 1
    assert "require_password_change" not in result["entity"]["available_actions"]
    assert [row[:3] for row in _audit(db, cid, "require_password_change")] == [
        ("password_change_required", "false", "true")
    ]
    assert _outbox(db, cid) == []
    before = snapshot(db, "customers", "id", int(cid))
    status, body = await act(
        api, "customer", cid, "require_password_change", {"expected_version": result["version"]}
    )
    assert status == 409 and body["error"]["code"] == "action_not_available"
    assert snapshot(db, "customers", "id", int(cid)) == before
    _, again = await api.get(f"/customers/{cid}")
    assert again["password_change_required"] is True


async def test_store_credit_expiry_email_and_delete(api: Api, agent_config: Config) -> None:
    db = agent_config.demo_db_path
    customer = await find_customer(api, _registered)
    cid = customer["id"]
    status, issued = await act(
        api,
        "customer",
        cid,
        "issue_store_credit",
        {"expected_version": customer["version"], "amount_cents": 3000},
        key="issue-credit-9",
    )
    assert status == 200, issued
    code = issued["entity"]["store_credits"][-1]["code"]
    assert {"edit_store_credit_expiry", "delete_store_credit", "resend_store_credit_email"} <= set(
        issued["entity"]["available_actions"]
    )

    day = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    status, moved = await act(
        api,
        "customer",
        cid,
        "edit_store_credit_expiry",
        {"expected_version": issued["version"], "code": code, "expires_on": day},
    )
    assert status == 200, moved
    credit = next(c for c in moved["entity"]["store_credits"] if c["code"] == code)
    assert credit["expires_at"] == f"{day}T23:59:59Z"
    assert credit["current_balance_cents"] == 3000
    assert moved["version"] == issued["version"] + 1
    [(field, old, new, _)] = _audit(db, cid, "edit_store_credit_expiry")
    assert (field, new) == (f"store_credits[{code}].expires_at", f"{day}T23:59:59Z")
    assert old == issued["entity"]["store_credits"][-1]["expires_at"]

    before = snapshot(db, "customers", "id", int(cid))
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    status, body = await act(
        api,
        "customer",
        cid,
        "edit_store_credit_expiry",
        {"expected_version": moved["version"], "code": code, "expires_on": yesterday},
    )
    assert status == 422, body
    assert (body["error"]["code"], body["error"]["details"]["field"]) == (
        "expiry_in_past",
        "expires_on",
    )
    assert snapshot(db, "customers", "id", int(cid)) == before

    status, sent = await act(
        api,
        "customer",
        cid,
        "resend_store_credit_email",
        {"expected_version": moved["version"], "code": code},
    )
    assert status == 200, sent
    assert sent["version"] == moved["version"] and sent["changes"] == []  # nothing changed
    [(template, recipient, subject)] = _outbox(db, cid)
    assert (template, recipient) == ("store_credit", customer["email"]) and code in subject
    assert [row[0] for row in _audit(db, cid, "resend_store_credit_email")] == [None]

    body = {"expected_version": sent["version"], "code": code}
    status, missing_key = await act(api, "customer", cid, "delete_store_credit", body)
    assert status == 400 and missing_key["error"]["code"] == "idempotency_key_required"
    status, deleted = await act(
        api, "customer", cid, "delete_store_credit", body, key="delete-credit-1"
    )
    assert status == 200, deleted
    assert code not in [c["code"] for c in deleted["entity"]["store_credits"]]
    assert deleted["version"] == sent["version"] + 1
    [(field, old, new, _)] = _audit(db, cid, "delete_store_credit")
    assert (field, new) == (f"store_credits[{code}]", None)
    history = json.loads(old)
    assert history["current_balance_cents"] == 3000
    assert [t["impact_cents"] for t in history["transactions"]] == [3000]
    status, replay = await act(
        api, "customer", cid, "delete_store_credit", body, key="delete-credit-1"
    )
    assert status == 200 and replay["replayed"] is True


async def test_a_credit_spent_on_an_order_is_not_deleted(api: Api, agent_config: Config) -> None:
    db = agent_config.demo_db_path

    def spent(c: dict[str, Any]) -> bool:
        return any(
            t["transaction_type"] == "Debit" for s in c["store_credits"] for t in s["transactions"]
        )

    customer = await find_customer(api, spent)
    credit = next(
        s
        for s in customer["store_credits"]
        if any(t["transaction_type"] == "Debit" for t in s["transactions"])
    )
    before = snapshot(db, "customers", "id", int(customer["id"]))
    status, body = await act(
        api,
        "customer",
        customer["id"],
        "delete_store_credit",
        {"expected_version": customer["version"], "code": credit["code"]},
        key="delete-spent-1",
    )
    assert status == 409 and body["error"]["code"] == "credit_used", body
    assert snapshot(db, "customers", "id", int(customer["id"])) == before
    _, after = await api.get(f"/customers/{customer['id']}")
    assert after["store_credits"] == customer["store_credits"]


async def test_an_address_country_comes_from_the_iso_list(api: Api) -> None:
    """'ZZ' fits the two-letter pattern but names no country: refused, nothing saved; any real
    country (not only the demo store's three) is accepted."""
    found = await api.read("/search/customers", page_size="1")
    cid = found["results"][0]["id"]
    customer = await api.read(f"/customers/{cid}")
    body = {
        "expected_version": customer["version"],
        "first_name": "Pat",
        "address": {"address1": "1 Rue X", "city": "Lyon", "postal_code": "69001", "country": "ZZ"},
        "types": [{"name": "Shipping", "is_primary": False}],
    }
    status, refused = await act(api, "customer", cid, "add_address", body)
    assert status == 422, refused
    assert refused["error"]["details"]["field"] == "address.country"
    assert "'ZZ' is not a country" in refused["error"]["message"]
    assert (await api.read(f"/customers/{cid}"))["version"] == customer["version"]
    body["address"]["country"] = "FR"
    status, added = await act(api, "customer", cid, "add_address", body)
    assert status == 200, added
    assert added["entity"]["contacts"][-1]["address"]["country"] == "FR"


async def test_lock_then_unlock_an_account(api: Api) -> None:
    customer = await find_customer(api, _registered)
    cid = customer["id"]
    status, locked = await act(
        api, "customer", cid, "lock_account", {"expected_version": customer["version"]}
    )
    assert status == 200, locked
    assert locked["entity"]["account_status"] == "Locked"
    assert "lock_account" not in locked["entity"]["available_actions"]
    assert "unlock_account" in locked["entity"]["available_actions"]
    found = await api.read("/search/customers", q=cid, account_status="Locked")
    assert cid in [r["id"] for r in found["results"]]
    entry = (await api.read(f"/customers/{cid}/audit-log"))["entries"][0]
    assert (entry["action"], entry["field"], entry["old_value"], entry["new_value"]) == (
        "lock_account",
        "account_status",
        "Active",
        "Locked",
    )
    # Once locked it is not offered again: the same request is refused, nothing changes.
    status, again = await act(
        api, "customer", cid, "lock_account", {"expected_version": locked["version"]}
    )
    assert status == 409 and again["error"]["code"] == "action_not_available"
    status, unlocked = await act(
        api, "customer", cid, "unlock_account", {"expected_version": locked["version"]}
    )
    assert status == 200 and unlocked["entity"]["account_status"] == "Active"
