"""Every management action through the agent's API on the Kibo backend, carried out by the fake
tenant: what it changed in Kibo's documents and what the CSR gets back, one case per action."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent.app import create_app
from agent.backends.kibo.action_hooks import NOT_ON_KIBO
from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.client import KiboClient
from agent.config import load_config
from agent.domain import catalog
from shared_schema.common import COLLECTIONS
from tests.kibo.fake_kibo import FakeKibo
from tests.kibo.fake_write_customers import make_guest
from tests.kibo.fake_write_orders import set_order_status
from tests.kibo.fake_write_returns import set_return_status
from tests.support.api import TOKEN, Api

OPEN = "1b2c3d4e5f60718293a4b5c6d7e8f90a"  # 5002: accepted, authorized, nothing shipped
SHIPPED = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"  # 5001: completed, collected, shipped
AUTHORIZED = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # 7001: refund return of 5001
CREATED = "8e7d6c5b4a39281706f5e4d3c2b1a09f"  # 7002: replace return of 5003
DAY = (datetime.now(UTC) + timedelta(days=90)).date().isoformat()
ADDRESS = {
    "first_name": "Ana",
    "last_name": "Núñez",
    "email": "ana@example.com",
    "phone": "512-555-0134",
    "address": {
        "address1": "1 Oak St",
        "city": "Austin",
        "state": "TX",
        "postal_code": "78701",
        "country": "US",
    },
}
Data = dict[str, Any]


@dataclass
class Case:
    kind: str
    entity_id: str
    action: str
    fields: dict[str, Any]
    effect: Callable[[Data, dict[str, Any]], object]  # asserts on Kibo's data and our result
    setup: Callable[[Data], object] = lambda data: None
    key: str | None = None
    changes: bool = True  # False: an email only, nothing changes on the entity
    moves_version: bool = True  # False: what changed is not part of the entity's version


def _order(data: Data, oid: str = OPEN) -> Data:
    result: Data = data["orders"][oid]
    return result


def _ret(data: Data, rid: str = AUTHORIZED) -> Data:
    result: Data = data["returns"][rid]
    return result


def _account(data: Data, aid: int = 1001) -> Data:
    result: Data = data["accounts"][aid]
    return result


def _offer(doc: Data, *names: str) -> None:
    doc["availableActions"] = [*doc.get("availableActions", []), *names]


def _received(data: Data) -> None:
    _ret(data)["items"][0]["quantityReceived"] = 1


def _replace_authorized(data: Data) -> None:
    set_return_status(_ret(data, CREATED), "Authorized")


def _second_contact_not_primary(data: Data) -> None:
    _account(data)["contacts"][0]["types"] = [{"name": "Billing", "isPrimary": False}]


def _return_note(data: Data) -> None:
    _ret(data)["notes"] = [{"id": "rn1", "text": "Box dented"}]


def _check(condition: object) -> None:
    assert condition


CASES = [
    # -- orders --------------------------------------------------------------------------------
    Case(
        "order",
        OPEN,
        "change_billing_address",
        {"address": ADDRESS},
        lambda d, r: _check(
            _order(d)["billingInfo"]["billingContact"]["address"]["address1"] == "1 Oak St"
            and r["entity"]["billing_address"]["address"]["address1"] == "1 Oak St"
        ),
    ),
    Case(
        "order",
        OPEN,
        "change_shipping_address",
        {"address": ADDRESS},
        lambda d, r: _check(
            _order(d)["fulfillmentInfo"]["fulfillmentContact"]["email"] == "ana@example.com"
            and r["entity"]["shipping_address"]["address"]["address1"] == "1 Oak St"
        ),
    ),
    Case(
        "order",
        OPEN,
        "change_email",
        {"email": "new@example.com"},
        lambda d, r: _check(
            _order(d)["email"] == "new@example.com" and r["entity"]["email"] == "new@example.com"
        ),
    ),
    Case(
        "order",
        OPEN,
        "add_note",
        {"text": "Called"},
        lambda d, r: _check(_order(d)["notes"][-1]["text"] == "Called"),
    ),
    Case(
        "order",
        OPEN,
        "edit_note",
        {"note_id": "n1", "text": "Edited"},
        lambda d, r: _check(r["entity"]["notes"][0]["text"] == "Edited"),
    ),
    Case(
        "order",
        OPEN,
        "delete_note",
        {"note_id": "n1"},
        lambda d, r: _check(_order(d)["notes"] == [] and r["entity"]["notes"] == []),
    ),
    Case(
        "order",
        OPEN,
        "submit_order",
        {},
        lambda d, r: _check(r["entity"]["status"] == "Submitted"),
        setup=lambda d: set_order_status(_order(d), "Pending"),
    ),
    Case(
        "order",
        OPEN,
        "accept_order",
        {"note": "Checked"},
        lambda d, r: _check(
            r["entity"]["status"] == "Accepted" and _order(d)["notes"][-1]["text"] == "Checked"
        ),
        setup=lambda d: set_order_status(_order(d), "PendingReview"),
    ),
    Case(
        "order",
        OPEN,
        "set_processing",
        {},
        lambda d, r: _check(r["entity"]["status"] == "Processing"),
    ),
    Case(
        "order",
        OPEN,
        "cancel_order",
        {"reason_code": "CustomerRequest", "note": "asked"},
        lambda d, r: _check(
            r["entity"]["status"] == "Cancelled" and _order(d)["payments"][0]["status"] == "Voided"
        ),
        key="cancel-0001",
    ),
    Case(
        "order",
        OPEN,
        "cancel_items",
        {"items": [{"line_id": 1, "quantity": 1}], "reason_code": "OutOfStock"},
        lambda d, r: _check(
            _order(d)["shipments"][0]["canceledItems"][0]["quantity"] == 1
            and r["entity"]["items"][0]["quantity_cancelled"] == 1
        ),
        key="cancel-items-0001",
    ),
    Case(
        "order",
        OPEN,
        "capture_payment",
        {"payment_id": "p5002", "amount_cents": 5900},
        lambda d, r: _check(r["entity"]["totals"]["collected_cents"] == 5900),
        key="capture-0001",
    ),
    Case(
        "order",
        OPEN,
        "void_payment",
        {"payment_id": "p5002"},
        lambda d, r: _check(r["entity"]["payments"][0]["status"] == "Voided"),
        setup=lambda d: _offer(_order(d)["payments"][0], "VoidPayment"),
        key="void-0001",
    ),
    Case(
        "order",
        SHIPPED,
        "credit_payment",
        {"payment_id": "p5001", "amount_cents": 500},
        lambda d, r: _check(
            _order(d, SHIPPED)["payments"][0]["amountCredited"] == 5.0
            and r["entity"]["totals"]["refunded_cents"] == 500
        ),
        key="credit-0001",
    ),
    Case(
        "order",
        SHIPPED,
        "refund",
        {"amount_cents": 500, "reason_code": "Goodwill"},
        lambda d, r: _check(
            _order(d, SHIPPED)["refunds"][0]["amount"] == 5.0
            and r["entity"]["refunds"][0]["amount_cents"] == 500
        ),
        key="refund-0001",
    ),
    Case(
        "order",
        SHIPPED,
        "appeasement",
        {"adjustment": {"type": "shipping", "amount_cents": 300}, "reason_code": "LateDelivery"},
        lambda d, r: _check(r["entity"]["totals"]["shipping_cents"] == 200),
        key="appease-0001",
    ),
    Case(
        "order",
        SHIPPED,
        "appeasement",
        {
            "adjustment": {"type": "item_price", "line_id": 1, "unit_price_cents": 1000},
            "reason_code": "Damaged",
        },
        lambda d, r: _check(
            _order(d, SHIPPED)["shipments"][0]["items"][0]["overridePrice"] == 10.0
            and r["entity"]["items"][0]["unit_price_cents"] == 1000
        ),
        key="appease-0002",
    ),
    Case(
        "order",
        SHIPPED,
        "resend_confirmation",
        {},
        lambda d, r: _check(d["emails"] == [("order-confirmation", SHIPPED)]),
        changes=False,
    ),
    Case(
        "order",
        SHIPPED,
        "resend_shipment_email",
        {},
        lambda d, r: _check(d["emails"] == [("shipment", 50011)]),
        changes=False,
    ),
    Case(
        "order",
        SHIPPED,
        "start_return",
        {"return_type": "Refund", "items": [{"line_id": 2, "quantity": 1, "reason": "Damaged"}]},
        lambda d, r: _check(
            d["returns"][r["created"]["id"]]["items"][0]["orderItemId"] == "item2"
            and r["entity"]["items"][1]["quantity_returned"] == 1
        ),
        moves_version=False,
    ),
    # -- returns -------------------------------------------------------------------------------
    Case(
        "return",
        CREATED,
        "authorize",
        {},
        lambda d, r: _check(_ret(d, CREATED)["status"] == "Authorized"),
    ),
    Case(
        "return",
        AUTHORIZED,
        "reject",
        {"note": "Worn"},
        lambda d, r: _check(
            r["entity"]["status"] == "Rejected" and _ret(d)["notes"][-1]["text"] == "Worn"
        ),
        setup=lambda d: _offer(_ret(d), "Reject"),
    ),
    Case(
        "return",
        AUTHORIZED,
        "cancel",
        {},
        lambda d, r: _check(r["entity"]["status"] == "Cancelled"),
        key="return-cancel-0001",
    ),
    Case(
        "return",
        AUTHORIZED,
        "close",
        {},
        lambda d, r: _check(r["entity"]["status"] == "Closed"),
    ),
    Case(
        "return",
        AUTHORIZED,
        "receive_items",
        {"items": [{"item_id": "ri7001", "quantity": 1}]},
        lambda d, r: _check(
            _ret(d)["items"][0]["quantityReceived"] == 1
            and r["entity"]["items"][0]["quantity_received"] == 1
        ),
    ),
    Case(
        "return",
        AUTHORIZED,
        "restock",
        {"items": [{"item_id": "ri7001", "quantity": 1}]},
        lambda d, r: _check(r["entity"]["items"][0]["quantity_restocked"] == 1),
        setup=_received,
    ),
    Case(
        "return",
        AUTHORIZED,
        "refund",
        {"mode": "auto"},
        lambda d, r: _check(
            _ret(d)["payments"][0]["amountCredited"] == 12.5
            and r["entity"]["refunded_cents"] == 1250
        ),
        key="return-refund-0001",
    ),
    Case(
        "return",
        AUTHORIZED,
        "refund",
        {"mode": "manual", "amount_cents": 500},
        lambda d, r: _check(
            _ret(d)["payments"][0]["paymentType"] == "CreditCard"
            and r["entity"]["refunded_cents"] == 500
        ),
        key="return-refund-0002",
    ),
    Case(
        "return",
        CREATED,
        "ship_replacement",
        {},
        lambda d, r: _check(
            _ret(d, CREATED)["returnOrderId"] in d["orders"]
            and r["entity"]["replace_status"] == "Replaced"
        ),
        setup=_replace_authorized,
        key="replace-0001",
    ),
    Case(
        "return",
        AUTHORIZED,
        "add_note",
        {"text": "Box dented"},
        lambda d, r: _check(r["entity"]["notes"][-1]["text"] == "Box dented"),
    ),
    Case(
        "return",
        AUTHORIZED,
        "edit_note",
        {"note_id": "rn1", "text": "Box crushed"},
        lambda d, r: _check(_ret(d)["notes"][0]["text"] == "Box crushed"),
        setup=_return_note,
    ),
    Case(
        "return",
        AUTHORIZED,
        "delete_note",
        {"note_id": "rn1"},
        lambda d, r: _check(_ret(d)["notes"] == [] and r["entity"]["notes"] == []),
        setup=_return_note,
    ),
    Case(
        "return",
        AUTHORIZED,
        "resend_email",
        {},
        lambda d, r: _check(d["emails"] == [("return", AUTHORIZED)]),
        setup=lambda d: _offer(_ret(d), "Resend"),
        changes=False,
    ),
    # -- customers -----------------------------------------------------------------------------
    Case(
        "customer",
        "1001",
        "edit_general",
        {"first_name": "Anna", "accepts_marketing": False},
        lambda d, r: _check(
            _account(d)["firstName"] == "Anna" and r["entity"]["accepts_marketing"] is False
        ),
    ),
    Case(
        "customer",
        "1001",
        "add_address",
        {"first_name": "Ana", "address": ADDRESS["address"], "types": [{"name": "Shipping"}]},
        lambda d, r: _check(
            len(_account(d)["contacts"]) == 2 and len(r["entity"]["contacts"]) == 2
        ),
    ),
    Case(
        "customer",
        "1001",
        "edit_address",
        {"contact_id": 1, "phone": "512-555-0000"},
        lambda d, r: _check(_account(d)["contacts"][0]["phoneNumbers"]["home"] == "512-555-0000"),
    ),
    Case(
        "customer",
        "1001",
        "delete_address",
        {"contact_id": 1},
        lambda d, r: _check(_account(d)["contacts"] == [] and r["entity"]["contacts"] == []),
    ),
    Case(
        "customer",
        "1001",
        "set_primary_address",
        {"contact_id": 1, "type": "Billing"},
        lambda d, r: _check(
            _account(d)["contacts"][0]["types"] == [{"name": "Billing", "isPrimary": True}]
        ),
        setup=_second_contact_not_primary,
    ),
    Case(
        "customer",
        "1002",
        "unlock_account",
        {},
        lambda d, r: _check(
            _account(d, 1002)["isLocked"] is False and r["entity"]["account_status"] == "Active"
        ),
    ),
    Case(
        "customer",
        "1001",
        "lock_account",
        {},
        lambda d, r: _check(
            _account(d, 1001)["isLocked"] is True and r["entity"]["account_status"] == "Locked"
        ),
    ),
    Case(
        "customer",
        "1001",
        "send_password_reset",
        {},
        lambda d, r: _check(d["emails"] == [("Reset-Password", "ana.nunez@example.com")]),
        changes=False,
    ),
    Case(
        "customer",
        "1001",
        "add_note",
        {"text": "VIP caller"},
        lambda d, r: _check(_account(d)["notes"][-1]["content"] == "VIP caller"),
    ),
    Case(
        "customer",
        "1001",
        "edit_note",
        {"note_id": "1", "text": "Prefers email"},
        lambda d, r: _check(r["entity"]["notes"][0]["text"] == "Prefers email"),
    ),
    Case(
        "customer",
        "1001",
        "delete_note",
        {"note_id": "1"},
        lambda d, r: _check(_account(d)["notes"] == []),
    ),
    Case(
        "customer",
        "1001",
        "set_attribute",
        {"fqn": "tenant~preferred-contact", "values": ["Email"]},
        lambda d, r: _check(_account(d)["attributes"][0]["values"] == ["Email"]),
    ),
    Case(
        "customer",
        "1001",
        "set_attribute",
        {"fqn": "tenant~newsletter", "values": ["weekly"]},
        lambda d, r: _check(
            [a["fullyQualifiedName"] for a in _account(d)["attributes"]]
            == ["tenant~preferred-contact", "tenant~newsletter"]
        ),
    ),
    Case(
        "customer",
        "1001",
        "set_attribute",
        {"fqn": "tenant~preferred-contact", "values": []},
        lambda d, r: _check(_account(d)["attributes"] == [] and r["entity"]["attributes"] == []),
    ),
    Case(
        "customer",
        "1001",
        "add_segment",
        {"segment": "Loyalty"},
        lambda d, r: _check(r["entity"]["segments"] == ["VIP", "Loyalty"]),
    ),
    Case(
        "customer",
        "1001",
        "remove_segment",
        {"segment": "VIP"},
        lambda d, r: _check(_account(d)["segments"] == [] and r["entity"]["segments"] == []),
    ),
    Case(
        "customer",
        "1001",
        "issue_store_credit",
        {"amount_cents": 2500},
        lambda d, r: _check(
            d["credits"][-1]["customerId"] == 1001
            and d["credits"][-1]["currentBalance"] == 25.0
            and len(r["entity"]["store_credits"]) == 2
        ),
        key="issue-0001",
    ),
    Case(
        "customer",
        "1001",
        "adjust_store_credit",
        {"code": "SC-1001-A", "amount_cents": -250, "comments": "Correction"},
        lambda d, r: _check(
            d["credits"][0]["currentBalance"] == 10.0
            and r["entity"]["store_credits"][0]["current_balance_cents"] == 1000
        ),
        key="adjust-0001",
    ),
    Case(
        "customer",
        "1001",
        "require_password_change",
        {},
        lambda d, r: _check(d["login_states"][1001]["isPasswordChangeRequired"] is True),
        moves_version=False,  # the sign-in state is its own resource
    ),
    Case(
        "customer",
        "1001",
        "add_login",
        {"username": "ana.shops"},
        lambda d, r: _check(
            _account(d)["userName"] == "ana.shops" and r["entity"]["registered"] is True
        ),
        setup=lambda d: make_guest(_account(d)),
    ),
    Case(
        "customer",
        "1001",
        "edit_store_credit_expiry",
        {"code": "SC-1001-A", "expires_on": DAY},
        lambda d, r: _check(d["credits"][0]["expirationDate"] == f"{DAY}T23:59:59Z"),
    ),
    Case(
        "customer",
        "1002",
        "delete_store_credit",
        {"code": "GC-1002-B"},
        lambda d, r: _check(
            [c["code"] for c in d["credits"]] == ["SC-1001-A"]
            and r["entity"]["store_credits"] == []
        ),
        key="delete-0001",
    ),
    Case(
        "customer",
        "1002",
        "resend_store_credit_email",
        {"code": "GC-1002-B"},
        lambda d, r: _check(d["emails"] == [("Resend-Email", "GC-1002-B")]),
        changes=False,
    ),
]


@pytest.fixture
async def api(
    aiohttp_client: Callable[..., Any], tmp_path: Path, client: KiboClient
) -> AsyncIterator[Api]:
    config = load_config(tmp_path, port=0).with_overrides(backend="kibo")
    yield Api(await aiohttp_client(create_app(config, backend=KiboBackend(client), token=TOKEN)))


def test_every_action_has_an_effect_case() -> None:
    names = {(a.kind, a.name) for a in catalog.all_actions()}
    assert names - NOT_ON_KIBO == {(c.kind, c.action) for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.kind}-{c.action}")
async def test_the_action_changes_kibo_and_answers_the_change(
    api: Api, fake: FakeKibo, case: Case
) -> None:
    case.setup(fake.data)
    plural = COLLECTIONS[case.kind]
    status, before = await api.get(f"/{plural}/{case.entity_id}")
    assert status == 200, before
    assert case.action in before["available_actions"], before["available_actions"]
    headers = {"Idempotency-Key": case.key} if case.key else None
    status, result = await api.send(
        "POST",
        f"/{plural}/{case.entity_id}/actions/{case.action}",
        {"expected_version": before["version"], **case.fields},
        headers=headers,
    )
    assert status == 200, result
    assert bool(result["changes"]) is case.changes, result
    moved = result["version"] != before["version"]
    assert moved is (case.changes and case.moves_version), result
    case.effect(fake.data, result)
    status, again = await api.get(f"/{plural}/{case.entity_id}")
    assert again == result["entity"]  # nothing stale in the cache
