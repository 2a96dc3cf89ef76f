"""The path every management action takes, through the HTTP API on a real seeded store:
versions, idempotency (also under concurrent duplicates), availability, atomicity, audit,
live events, and visibility in details and search."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from agent.app import create_app
from agent.backends.demo.ids import order_id
from agent.backends.demo.writer import ActionJob, ActionWriter
from agent.config import Config
from agent.domain import catalog
from agent.domain.outcome import (
    ActionContext,
    ActionOutcome,
    ActionRefused,
    Change,
    Create,
    Lookup,
    Update,
)
from shared_schema.actions_customers import AddCustomerNoteRequest
from shared_schema.entities import CustomerDetail, Note, OrderDetail
from tests.support.actions import act, count, find_customer, snapshot
from tests.support.api import TOKEN, Api

CSR = "Dana Reyes"


@pytest.fixture
async def api(aiohttp_client: Callable[..., Any], agent_config: Config) -> Api:
    config = dataclasses.replace(agent_config, csr_name=CSR)
    return Api(await aiohttp_client(create_app(config, token=TOKEN)))


def _registered_active(c: dict[str, Any]) -> bool:
    return bool(c["registered"] and c["account_status"] == "Active")


async def _credit(
    api: Api, customer: dict[str, Any], key: str, cents: int = 2500
) -> tuple[int, Any]:
    body = {"expected_version": customer["version"], "amount_cents": cents}
    return await act(api, "customer", customer["id"], "issue_store_credit", body, key=key)


async def test_stale_version_is_409_and_changes_nothing(api: Api, agent_config: Config) -> None:
    customer = await find_customer(api, _registered_active)
    before = snapshot(agent_config.demo_db_path, "customers", "id", int(customer["id"]))
    status, body = await act(
        api,
        "customer",
        customer["id"],
        "edit_general",
        {"expected_version": customer["version"] + 1, "first_name": "X"},
    )
    assert status == 409
    assert body["error"]["code"] == "stale_version"
    assert body["error"]["details"]["current_version"] == customer["version"]
    assert snapshot(agent_config.demo_db_path, "customers", "id", int(customer["id"])) == before
    assert (await api.get(f"/customers/{customer['id']}"))[1] == customer


async def test_replayed_key_answers_the_first_result_and_moves_money_once(
    api: Api, agent_config: Config
) -> None:
    customer = await find_customer(api, _registered_active)
    first_status, first = await _credit(api, customer, "key-replay-0001")
    again_status, again = await _credit(api, customer, "key-replay-0001")
    assert (first_status, again_status) == (200, 200)
    assert first["replayed"] is False and again["replayed"] is True
    assert {**again, "replayed": False} == first
    _, now = await api.get(f"/customers/{customer['id']}")
    assert len(now["store_credits"]) == len(customer["store_credits"]) + 1
    assert now["version"] == customer["version"] + 1
    db = agent_config.demo_db_path
    assert count(db, "SELECT count(*) FROM audit_log WHERE action = 'issue_store_credit'") == 1


async def test_concurrent_duplicates_apply_once(api: Api, agent_config: Config) -> None:
    customer = await find_customer(api, _registered_active)
    results = await asyncio.gather(
        *(_credit(api, customer, "key-concurrent-1", 1234) for _ in range(5))
    )
    assert [status for status, _ in results] == [200] * 5
    bodies = [body for _, body in results]
    assert sorted(b["replayed"] for b in bodies) == [False, True, True, True, True]
    assert len({str({**b, "replayed": None}) for b in bodies}) == 1
    _, now = await api.get(f"/customers/{customer['id']}")
    issued = [c for c in now["store_credits"] if c["initial_balance_cents"] == 1234]
    assert len(issued) == 1 and now["version"] == customer["version"] + 1


async def test_key_reused_for_another_request_is_422(api: Api) -> None:
    customer = await find_customer(api, _registered_active)
    assert (await _credit(api, customer, "key-reuse-0001", 1000))[0] == 200
    status, body = await _credit(api, customer, "key-reuse-0001", 2000)
    assert status == 422
    assert body["error"]["code"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("key", "code"),
    [
        (None, "idempotency_key_required"),
        ("short", "invalid_idempotency_key"),
        ("has space in it", "invalid_idempotency_key"),
    ],
)
async def test_money_action_needs_a_valid_key(
    api: Api, agent_config: Config, key: str | None, code: str
) -> None:
    customer = await find_customer(api, _registered_active)
    before = snapshot(agent_config.demo_db_path, "customers", "id", int(customer["id"]))
    body = {"expected_version": customer["version"], "amount_cents": 100}
    status, answer = await act(api, "customer", customer["id"], "issue_store_credit", body, key=key)
    assert status == 400
    assert answer["error"]["code"] == code
    assert "Idempotency-Key" in answer["error"]["message"]
    assert snapshot(agent_config.demo_db_path, "customers", "id", int(customer["id"])) == before


async def test_action_the_state_does_not_offer_is_409_naming_it(api: Api) -> None:
    customer = await find_customer(api, _registered_active)
    assert "unlock_account" not in customer["available_actions"]
    status, body = await act(
        api, "customer", customer["id"], "unlock_account", {"expected_version": customer["version"]}
    )
    assert status == 409
    assert body["error"]["code"] == "action_not_available"
    assert body["error"]["message"] == (
        f"Cannot unlock_account: customer {customer['id']} is Active"
    )


async def test_unknown_action_is_404_naming_it(api: Api) -> None:
    customer = await find_customer(api, _registered_active)
    status, body = await act(api, "customer", customer["id"], "teleport", {"expected_version": 1})
    assert status == 404
    assert body["error"]["code"] == "action_not_found" and "teleport" in body["error"]["message"]


async def test_audit_rows_carry_who_when_session_and_values(api: Api) -> None:
    customer = await find_customer(api, _registered_active)
    status, result = await act(
        api,
        "customer",
        customer["id"],
        "edit_general",
        {"expected_version": customer["version"], "first_name": "Quillon", "tax_exempt": True},
        session="sess-42",
    )
    assert status == 200, result
    _, log = await api.get(f"/customers/{customer['id']}/audit-log")
    mine = [e for e in log["entries"] if e["action"] == "edit_general"]
    by_field = {e["field"]: e for e in mine}
    assert set(by_field) == {"first_name", "tax_exempt"} - (
        {"tax_exempt"} if customer["tax_exempt"] else set()
    )
    entry = by_field["first_name"]
    assert (entry["who"], entry["session_id"], entry["at"]) == (CSR, "sess-42", result["at"])
    assert (entry["old_value"], entry["new_value"]) == (customer["first_name"], "Quillon")
    assert result["by"] == CSR


async def test_rename_is_visible_in_details_search_and_a_live_event(api: Api) -> None:
    customer = await find_customer(api, _registered_active)
    ws = await api.client.ws_connect(
        "/api/v1/events", protocols=("callcenter.v1", f"bearer.{TOKEN}")
    )
    await _receive(ws, "hello")
    status, result = await act(
        api,
        "customer",
        customer["id"],
        "edit_general",
        {"expected_version": customer["version"], "last_name": "Zanzibarova"},
    )
    assert status == 200, result
    event = await _receive(ws, "entity")
    assert event["data"] == {
        "kind": "customer",
        "id": customer["id"],
        "version": customer["version"] + 1,
        "action": "edit_general",
    }
    await ws.close()
    _, detail = await api.get(f"/customers/{customer['id']}")
    assert detail["last_name"] == "Zanzibarova" and detail["version"] == result["version"]
    assert detail["full_name"] == f"{customer['first_name']} Zanzibarova"
    _, found = await api.get("/search/customers", q="Zanzibarova")
    assert [r["id"] for r in found["results"]] == [customer["id"]]
    _, old = await api.get(
        "/search/customers", q=f"{customer['first_name']} {customer['last_name']}"
    )
    assert customer["id"] not in [r["id"] for r in old["results"]]


async def _receive(ws: Any, type_: str) -> dict[str, Any]:
    while True:
        message = await asyncio.wait_for(ws.receive_json(), timeout=5)
        if message["type"] == type_:
            return dict(message)


# --- outcomes that touch other entities, and failures in the middle of writing -------------


async def _customer_with_order(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    def has_orders(c: dict[str, Any]) -> bool:
        return bool(_registered_active(c) and c["order_count"] > 0)

    customer = await find_customer(api, has_orders)
    _, orders = await api.get(f"/customers/{customer['id']}/orders")
    _, order = await api.get(f"/orders/{orders['results'][0]['id']}")
    return customer, order


def _fan_out_rule(order_number: int, failure: str = "") -> catalog.Rule:
    """A stand-in for add_note that also updates an order and creates one (copying it).

    ``failure``: "build" raises while building the new order; "update" names a missing
    order to update, which fails after the new order and the customer were written.
    """

    def fan_out(
        doc: CustomerDetail, request: Any, ctx: ActionContext, lookup: Lookup
    ) -> ActionOutcome:
        doc.notes.append(
            Note(id="n-test", text=request.text, created_at=ctx.now, created_by=ctx.who)
        )
        order = lookup.order(order_number)
        assert isinstance(order, OrderDetail)
        old_email = order.email
        order.email = "moved@example.com"

        def build(number: int) -> OrderDetail:
            if failure == "build":
                raise RuntimeError("the rule failed while building the new order")
            return order.model_copy(update={"id": order_id(number), "number": number})

        return ActionOutcome(
            doc,
            [Change("notes[n-test]", None, request.text)],
            "fanned out",
            updates=[
                Update(
                    "order",
                    10**9 if failure == "update" else order_number,
                    order,
                    [Change("email", old_email, "moved@example.com")],
                )
            ],
            creates=[Create("order", build)],
        )

    return fan_out


def _use_rule(monkeypatch: pytest.MonkeyPatch, rule: catalog.Rule) -> None:
    action = catalog.find("customer", "add_note")
    assert action is not None
    monkeypatch.setitem(catalog._ACTIONS, action.key, dataclasses.replace(action, rule=rule))


async def test_updates_and_creates_are_written_audited_and_announced(
    api: Api, agent_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer, order = await _customer_with_order(api)
    _use_rule(monkeypatch, _fan_out_rule(order["number"]))
    ws = await api.client.ws_connect(
        "/api/v1/events", protocols=("callcenter.v1", f"bearer.{TOKEN}")
    )
    await _receive(ws, "hello")
    status, result = await act(
        api,
        "customer",
        customer["id"],
        "add_note",
        {"expected_version": customer["version"], "text": "hello"},
    )
    assert status == 200, result
    created = result["created"]
    assert result["related"] == [
        {"kind": "order", "id": order["id"], "title": f"Order #{order['number']}"}
    ]
    announced = [(await _receive(ws, "entity"))["data"] for _ in range(3)]
    assert [(e["kind"], e["id"], e["version"]) for e in announced] == [
        ("customer", customer["id"], customer["version"] + 1),
        ("order", order["id"], None),
        ("order", created["id"], None),
    ]
    await ws.close()
    _, updated = await api.get(f"/orders/{order['id']}")
    assert updated["email"] == "moved@example.com"
    assert updated["version"] == order["version"] + 1
    _, new = await api.get(f"/orders/{created['id']}")
    assert new["version"] == 1 and new["number"] > order["number"]
    _, found = await api.get("/search/orders", q=f"#{new['number']}")
    assert [r["id"] for r in found["results"]] == [created["id"]]
    _, order_log = await api.get(f"/orders/{order['id']}/audit-log")
    assert order_log["entries"][0]["field"] == "email"
    assert order_log["entries"][0]["new_value"] == "moved@example.com"


@pytest.mark.parametrize(("failure", "status"), [("build", 500), ("update", 404)])
async def test_failure_while_writing_leaves_the_store_unchanged(
    api: Api, agent_config: Config, monkeypatch: pytest.MonkeyPatch, failure: str, status: int
) -> None:
    customer, order = await _customer_with_order(api)
    db = agent_config.demo_db_path
    before = (
        snapshot(db, "customers", "id", int(customer["id"])),
        snapshot(db, "orders", "number", order["number"]),
    )
    _use_rule(monkeypatch, _fan_out_rule(order["number"], failure))
    answer = await act(
        api,
        "customer",
        customer["id"],
        "add_note",
        {"expected_version": customer["version"], "text": "hello"},
    )
    assert answer[0] == status
    after = (
        snapshot(db, "customers", "id", int(customer["id"])),
        snapshot(db, "orders", "number", order["number"]),
    )
    assert after == before
    assert (await api.get(f"/orders/{order['id']}"))[1]["email"] == order["email"]


async def test_refusal_after_the_rule_changed_its_copy_changes_nothing(
    api: Api, agent_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = await find_customer(api, _registered_active)

    def refuse_late(
        doc: CustomerDetail, request: Any, ctx: ActionContext, lookup: Lookup
    ) -> ActionOutcome:
        doc.first_name = "Changed"
        raise ActionRefused("Refused after changing its copy", code="late_refusal", field="text")

    _use_rule(monkeypatch, refuse_late)
    db = agent_config.demo_db_path
    before = snapshot(db, "customers", "id", int(customer["id"]))
    status, body = await act(
        api,
        "customer",
        customer["id"],
        "add_note",
        {"expected_version": customer["version"], "text": "x"},
    )
    assert status == 409
    assert body["error"] == {
        "code": "late_refusal",
        "message": "Refused after changing its copy",
        "details": {"action": "add_note", "field": "text"},
    }
    assert snapshot(db, "customers", "id", int(customer["id"])) == before


async def test_storage_failure_mid_transaction_rolls_back_row_and_search(
    api: Api, agent_config: Config
) -> None:
    customer = await find_customer(api, _registered_active)
    db = agent_config.demo_db_path
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit log is full'); END"
        )
    before = snapshot(db, "customers", "id", int(customer["id"]))
    status, body = await act(
        api,
        "customer",
        customer["id"],
        "edit_general",
        {"expected_version": customer["version"], "last_name": "Ozymandiasson"},
    )
    assert status == 503 and body["error"]["code"] == "storage_error"
    assert snapshot(db, "customers", "id", int(customer["id"])) == before
    _, found = await api.get("/search/customers", q="Ozymandiasson")
    assert found["total"] == 0


async def test_catalog_and_outbox(api: Api) -> None:
    status, catalog = await api.get("/actions")
    assert status == 200
    by_name = {(a["kind"], a["name"]): a for a in catalog["actions"]}
    credit = by_name[("customer", "issue_store_credit")]
    assert credit["needs_idempotency_key"] and credit["confirm"]
    assert credit["request_schema"] == "IssueStoreCreditRequest"
    customer = await find_customer(api, _registered_active)
    status, result = await act(
        api,
        "customer",
        customer["id"],
        "send_password_reset",
        {"expected_version": customer["version"]},
    )
    assert status == 200, result
    assert result["version"] == customer["version"]
    _, outbox = await api.get("/outbox", limit="5")
    message = outbox["messages"][0]
    assert (message["to"], message["template"], message["entity_id"], message["by"]) == (
        customer["email"],
        "password_reset",
        customer["id"],
        CSR,
    )
    assert (await api.get("/outbox", limit="0"))[0] == 400


async def test_order_and_return_audit_logs_exist(api: Api) -> None:
    _, orders = await api.get("/search/orders", page_size="1")
    status, log = await api.get(f"/orders/{orders['results'][0]['id']}/audit-log")
    assert status == 200 and log["page"] == 1
    _, returns = await api.get("/search/returns", page_size="1")
    assert (await api.get(f"/returns/{returns['results'][0]['id']}/audit-log"))[0] == 200
    assert (await api.get("/returns/0123/audit-log"))[0] == 404
    assert (await api.send("POST", "/orders", {"kind": "order", "id": "1"}))[0] == 405


async def test_bad_session_header_is_400_before_anything_changes(api: Api) -> None:
    customer = await find_customer(api, _registered_active)
    status, body = await act(
        api,
        "customer",
        customer["id"],
        "add_note",
        {"expected_version": customer["version"], "text": "x"},
        session="not a session!",
    )
    assert status == 400 and body["error"]["code"] == "invalid_session_header"
    assert (await api.get(f"/customers/{customer['id']}"))[1]["version"] == customer["version"]


async def test_keys_are_forgotten_after_a_week(agent_config: Config) -> None:
    db = agent_config.demo_db_path
    writer = ActionWriter(db)
    with sqlite3.connect(db) as conn:
        cid = conn.execute("SELECT min(id) FROM customers").fetchone()[0]
    try:
        for version, (key, now) in enumerate(
            [("week-old-key", "2026-01-01T00:00:00Z"), ("fresh-key-01", "2026-01-08T00:00:01Z")], 1
        ):
            ctx = ActionContext(who=CSR, session_id=None, now=now)
            request = AddCustomerNoteRequest(expected_version=version, text=key)
            await writer.perform(ActionJob("customer", cid, "add_note", request, ctx, key))
    finally:
        await writer.close()
    assert count(db, "SELECT count(*) FROM idempotency WHERE key = 'week-old-key'") == 0
    assert count(db, "SELECT count(*) FROM idempotency WHERE key = 'fresh-key-01'") == 1


async def test_key_records_keep_the_answer_not_the_document(api: Api, agent_config: Config) -> None:
    """A record is the answer without its entity; the replay still carries the entity."""
    customer = await find_customer(api, _registered_active)
    status, first = await _credit(api, customer, "key-small-record-1")
    assert status == 200
    db = agent_config.demo_db_path
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        stored = conn.execute(
            "SELECT result FROM idempotency WHERE key = 'key-small-record-1'"
        ).fetchone()[0]
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                "EXPLAIN QUERY PLAN DELETE FROM idempotency WHERE created_at < 0"
            )
        )
    assert '"entity"' not in stored and customer["id"] in stored
    assert len(stored) < len(json.dumps(first)) / 4
    assert "idempotency_created" in plan
    again_status, again = await _credit(api, customer, "key-small-record-1")
    assert again_status == 200 and {**again, "replayed": False} == first
