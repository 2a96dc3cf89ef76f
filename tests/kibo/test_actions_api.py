"""Actions through the agent's API on the Kibo backend, carried out by the fake tenant:
stale versions, Kibo's availableActions, idempotency keys and the cache."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent.api.common import BACKEND
from agent.app import create_app
from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.client import KiboClient
from agent.config import load_config
from tests.kibo import fake_write_customers, fake_write_orders, fake_writes
from tests.kibo.fake_kibo import FakeKibo, Fault
from tests.support.api import TOKEN, Api

ORDER_OPEN = "1b2c3d4e5f60718293a4b5c6d7e8f90a"
ORDER_SHIPPED = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
RETURN_CREATED = "8e7d6c5b4a39281706f5e4d3c2b1a09f"


@pytest.fixture
async def api(
    aiohttp_client: Callable[..., Any], tmp_path: Path, client: KiboClient
) -> AsyncIterator[Api]:
    config = load_config(tmp_path, port=0).with_overrides(backend="kibo")
    yield Api(await aiohttp_client(create_app(config, backend=KiboBackend(client), token=TOKEN)))


async def act(api: Api, path: str, body: dict[str, Any], key: str | None = None) -> tuple[int, Any]:
    headers = {"Idempotency-Key": key} if key else None
    return await api.send("POST", path, body, headers=headers)


async def test_an_order_note_goes_to_kibo_and_the_fresh_order_comes_back(
    api: Api, fake: FakeKibo
) -> None:
    _, order = await api.get(f"/orders/{ORDER_OPEN}")
    status, result = await act(
        api,
        f"/orders/{ORDER_OPEN}/actions/add_note",
        {"expected_version": order["version"], "text": "Will call back"},
    )
    assert status == 200, result
    assert fake.calls("/notes")[0].body == {"text": "Will call back"}
    assert result["version"] == order["version"] + 1
    assert result["entity"]["notes"][-1]["text"] == "Will call back"
    assert {"field": "notes.count", "old": 1, "new": 2} in result["changes"]
    _, again = await api.get(f"/orders/{ORDER_OPEN}")  # the cache was invalidated
    assert again["notes"][-1]["text"] == "Will call back"


async def test_a_stale_version_is_refused_before_kibo_is_called(api: Api, fake: FakeKibo) -> None:
    status, body = await act(
        api, f"/orders/{ORDER_OPEN}/actions/add_note", {"expected_version": 2, "text": "late"}
    )
    assert status == 409 and body["error"]["code"] == "stale_version"
    assert body["error"]["details"]["current_version"] == 3
    assert not fake.calls("/notes")


async def test_what_kibo_does_not_offer_is_refused(api: Api, fake: FakeKibo) -> None:
    status, body = await act(
        api,
        f"/orders/{ORDER_OPEN}/actions/void_payment",
        {"expected_version": 3, "payment_id": "p5002"},
        key="void-0001",
    )
    assert status == 409 and body["error"]["code"] == "action_not_allowed"
    assert not fake.calls("/payments/")


async def test_a_repeated_idempotency_key_is_answered_without_charging_twice(
    api: Api, fake: FakeKibo
) -> None:
    body = {"expected_version": 3, "payment_id": "p5002", "amount_cents": 5900}
    path = f"/orders/{ORDER_OPEN}/actions/capture_payment"
    status, first = await act(api, path, body, key="capture-0001")
    assert status == 200, first
    assert fake.calls("/payments/p5002/actions")[0].body == {
        "actionName": "CapturePayment",
        "currencyCode": "USD",
        "amount": 59.0,
    }
    assert first["entity"]["totals"]["collected_cents"] == 5900
    status, second = await act(api, path, body, key="capture-0001")
    assert status == 200 and second["replayed"] is True
    assert len(fake.calls("/payments/p5002/actions")) == 1


async def test_an_unknown_outcome_blocks_a_blind_retry(api: Api, fake: FakeKibo) -> None:
    fake.faults.append(Fault(503, "/commerce/orders/cancel/"))
    body = {"expected_version": 3, "reason_code": "CustomerRequest"}
    path = f"/orders/{ORDER_OPEN}/actions/cancel_order"
    status, first = await act(api, path, body, key="cancel-0001")
    assert status == 503
    assert first["error"]["details"]["outcome"] == "unknown"
    status, again = await act(api, path, body, key="cancel-0001")
    assert status == 409 and again["error"]["code"] == "outcome_unknown"
    assert len(fake.calls("/commerce/orders/cancel/")) == 1
    status, fresh = await act(api, path, body, key="cancel-0002")
    assert status == 200 and fresh["entity"]["status"] == "Cancelled"
    assert "cancel_order" not in fresh["entity"]["available_actions"]


async def test_return_authorize_and_start_return(api: Api, fake: FakeKibo) -> None:
    _, ret = await api.get(f"/returns/{RETURN_CREATED}")
    status, result = await act(
        api, f"/returns/{RETURN_CREATED}/actions/authorize", {"expected_version": ret["version"]}
    )
    assert status == 200, result
    assert fake.calls("/returns/actions")[0].body == {
        "actionName": "Authorize",
        "returnIds": [RETURN_CREATED],
    }
    assert result["entity"]["status"] == "Authorized"
    assert [(r["kind"], r["id"]) for r in result["related"]] == [
        ("order", "2c3d4e5f60718293a4b5c6d7e8f90a1b")
    ]
    _, order = await api.get(f"/orders/{ORDER_SHIPPED}")
    status, started = await act(
        api,
        f"/orders/{ORDER_SHIPPED}/actions/start_return",
        {
            "expected_version": order["version"],
            "return_type": "Refund",
            "items": [{"line_id": 2, "quantity": 1, "reason": "Damaged"}],
        },
    )
    assert status == 200, started
    assert started["created"]["kind"] == "return"
    status, created = await api.get(f"/returns/{started['created']['id']}")
    assert status == 200 and created["status"] == "Created"


async def test_customer_note_through_kibo(api: Api, fake: FakeKibo) -> None:
    _, customer = await api.get("/customers/1001")
    status, result = await act(
        api,
        "/customers/1001/actions/add_note",
        {"expected_version": customer["version"], "text": "Prefers SMS"},
    )
    assert status == 200, result
    assert result["entity"]["notes"][-1]["text"] == "Prefers SMS"
    assert fake.calls("/accounts/1001/notes")[0].body == {"content": "Prefers SMS"}


async def test_accept_a_pending_review_order_then_set_it_processing(
    api: Api, fake: FakeKibo
) -> None:
    fake_write_orders.set_order_status(fake.data["orders"][ORDER_OPEN], "PendingReview")
    _, order = await api.get(f"/orders/{ORDER_OPEN}")
    assert order["status"] == "PendingReview"
    assert "accept_order" in order["available_actions"]
    assert not {"submit_order", "set_processing"} & set(order["available_actions"])
    status, accepted = await act(
        api,
        f"/orders/{ORDER_OPEN}/actions/accept_order",
        {"expected_version": order["version"], "note": "Fraud check cleared"},
    )
    assert status == 200, accepted
    assert [(c.path, c.body) for c in fake.calls(f"/orders/{ORDER_OPEN}/")] == [
        (f"/api/commerce/orders/{ORDER_OPEN}/actions", {"actionName": "AcceptOrder"}),
        (f"/api/commerce/orders/{ORDER_OPEN}/notes", {"text": "Fraud check cleared"}),
    ]
    assert accepted["entity"]["status"] == "Accepted"
    assert accepted["version"] > order["version"]
    assert {"field": "status", "old": "PendingReview", "new": "Accepted"} in accepted["changes"]
    assert "set_processing" in accepted["entity"]["available_actions"]
    status, processing = await act(
        api,
        f"/orders/{ORDER_OPEN}/actions/set_processing",
        {"expected_version": accepted["version"]},
    )
    assert status == 200, processing
    assert fake.calls("/actions")[-1].body == {"actionName": "SetOrderAsProcessing"}
    assert processing["entity"]["status"] == "Processing"
    assert "set_processing" not in processing["entity"]["available_actions"]


async def test_submit_a_pending_order(api: Api, fake: FakeKibo) -> None:
    fake_write_orders.set_order_status(fake.data["orders"][ORDER_OPEN], "Pending")
    _, order = await api.get(f"/orders/{ORDER_OPEN}")
    assert "submit_order" in order["available_actions"]
    status, result = await act(
        api, f"/orders/{ORDER_OPEN}/actions/submit_order", {"expected_version": order["version"]}
    )
    assert status == 200, result
    assert [c.body for c in fake.calls(f"/orders/{ORDER_OPEN}/actions")] == [
        {"actionName": "SubmitOrder"}
    ]
    assert result["entity"]["status"] == "Submitted"
    assert result["entity"]["submitted_at"] == fake_writes.NOW


async def test_a_status_move_kibo_does_not_list_is_refused_before_kibo_is_called(
    api: Api, fake: FakeKibo
) -> None:
    doc = fake.data["orders"][ORDER_OPEN]
    fake_write_orders.set_order_status(doc, "PendingReview")
    doc["availableActions"] = ["CancelOrder"]  # Kibo holds the order: no AcceptOrder
    _, order = await api.get(f"/orders/{ORDER_OPEN}")
    assert "accept_order" not in order["available_actions"]
    status, body = await act(
        api, f"/orders/{ORDER_OPEN}/actions/accept_order", {"expected_version": order["version"]}
    )
    assert status == 409 and body["error"]["code"] == "action_not_allowed"
    assert not fake.calls("/actions")
    # The shipped order (Completed) offers none of the moves either.
    _, shipped = await api.get(f"/orders/{ORDER_SHIPPED}")
    status, body = await act(
        api,
        f"/orders/{ORDER_SHIPPED}/actions/set_processing",
        {"expected_version": shipped["version"]},
    )
    assert status == 409 and not fake.calls("/actions")


async def test_kibo_refusing_the_move_changes_nothing_and_frees_the_key(
    api: Api, fake: FakeKibo
) -> None:
    doc = fake.data["orders"][ORDER_OPEN]
    fake_write_orders.set_order_status(doc, "PendingReview")
    _, order = await api.get(f"/orders/{ORDER_OPEN}")
    fake.faults.append(
        Fault(
            409,
            f"/orders/{ORDER_OPEN}/actions",
            body={
                "message": "Order action AcceptOrder is not available",
                "errorCode": "VALIDATION_CONFLICT",
                "correlationId": "corr-x",
            },
        )
    )
    path = f"/orders/{ORDER_OPEN}/actions/accept_order"
    status, body = await act(api, path, {"expected_version": order["version"]}, key="accept-0001")
    assert status == 409 and body["error"]["code"] == "kibo_conflict", body
    assert body["error"]["details"]["outcome"] == "refused"
    assert doc["status"] == "PendingReview"
    status, body = await act(api, path, {"expected_version": order["version"]}, key="accept-0001")
    assert status == 200 and body["entity"]["status"] == "Accepted"
    # The fake itself refuses an action the order does not list, as Kibo does.
    with pytest.raises(fake_writes.Refusal):
        fake_write_orders.order_action(doc, {"actionName": "AcceptOrder"})
    assert doc["status"] == "Accepted"


async def test_a_guest_gets_a_login_and_then_the_registered_actions(
    api: Api, fake: FakeKibo
) -> None:
    fake_write_customers.make_guest(fake.data["accounts"][1001])
    _, guest = await api.get("/customers/1001")
    # Kibo has no sign-in state for a guest: not a missing section, just none.
    assert guest["registered"] is False and guest["unavailable_sections"] == []
    assert "add_login" in guest["available_actions"]
    assert "require_password_change" not in guest["available_actions"]
    status, result = await act(
        api,
        "/customers/1001/actions/add_login",
        {"expected_version": guest["version"], "username": "ana.shops"},
    )
    assert status == 200, result
    [create] = fake.calls("/Create-Login")
    password = create.body["password"]
    assert create.body == {
        "emailAddress": "ana.nunez@example.com",
        "username": "ana.shops",
        "password": password,
    }
    assert [c.body for c in fake.calls("/Reset-Password")] == [
        {
            "emailAddress": "ana.nunez@example.com",
            "userName": "ana.shops",
            "customerSetCode": "default",
        }
    ]
    entity = result["entity"]
    assert (entity["registered"], entity["username"]) == (True, "ana.shops")
    assert {"send_password_reset", "require_password_change"} <= set(entity["available_actions"])
    assert "add_login" not in entity["available_actions"]
    assert result["version"] != guest["version"]
    # Neither the password nor the shopper's tokens Kibo answered leave the agent.
    assert password not in json.dumps(result) and "shopper-" not in json.dumps(result)


async def test_kibo_refusing_a_taken_user_name_sends_no_email(api: Api, fake: FakeKibo) -> None:
    fake_write_customers.make_guest(fake.data["accounts"][1003])
    _, guest = await api.get("/customers/1003")
    status, body = await act(
        api,
        "/customers/1003/actions/add_login",
        {"expected_version": guest["version"], "username": "ANA.NUNEZ@example.com"},
    )
    assert status == 409 and body["error"]["code"] == "kibo_conflict", body
    assert body["error"]["details"]["outcome"] == "refused"
    assert not fake.calls("/Reset-Password")
    assert fake.data["accounts"][1003]["isAnonymous"] is True


async def test_require_a_password_change_through_kibo(api: Api, fake: FakeKibo) -> None:
    _, customer = await api.get("/customers/1001")
    assert customer["password_change_required"] is False
    status, result = await act(
        api,
        "/customers/1001/actions/require_password_change",
        {"expected_version": customer["version"]},
    )
    assert status == 200, result
    [call] = fake.calls("/Set-Password-Change-Required")
    assert (call.body, call.query) == (True, {"userId": "u1001"})
    assert result["entity"]["password_change_required"] is True
    assert "require_password_change" not in result["entity"]["available_actions"]
    assert {"field": "password_change_required", "old": False, "new": True} in result["changes"]


async def test_store_credit_expiry_email_and_delete_through_kibo(api: Api, fake: FakeKibo) -> None:
    _, ana = await api.get("/customers/1001")
    day = (datetime.now(UTC) + timedelta(days=90)).date().isoformat()
    status, moved = await act(
        api,
        "/customers/1001/actions/edit_store_credit_expiry",
        {"expected_version": ana["version"], "code": "SC-1001-A", "expires_on": day},
    )
    assert status == 200, moved
    assert fake.data["credits"][0]["expirationDate"] == f"{day}T23:59:59Z"
    assert moved["entity"]["store_credits"][0]["expires_at"] == f"{day}T23:59:59Z"
    # Spent on order 5001: never deleted, and nothing is sent to Kibo.
    status, body = await act(
        api,
        "/customers/1001/actions/delete_store_credit",
        {"expected_version": moved["version"], "code": "SC-1001-A"},
        key="delete-0001",
    )
    assert status == 409 and body["error"]["code"] == "credit_used", body
    assert not [c for c in fake.calls("/credits/SC-1001-A") if c.method == "DELETE"]

    _, john = await api.get("/customers/1002")
    status, sent = await act(
        api,
        "/customers/1002/actions/resend_store_credit_email",
        {"expected_version": john["version"], "code": "GC-1002-B"},
    )
    assert status == 200, sent
    assert fake.data["emails"] == [("Resend-Email", "GC-1002-B")]
    status, deleted = await act(
        api,
        "/customers/1002/actions/delete_store_credit",
        {"expected_version": john["version"], "code": "GC-1002-B"},
        key="delete-0002",
    )
    assert status == 200, deleted
    assert deleted["entity"]["store_credits"] == []
    assert not {"delete_store_credit", "resend_store_credit_email"} & set(
        deleted["entity"]["available_actions"]
    )
    status, again = await act(
        api,
        "/customers/1002/actions/delete_store_credit",
        {"expected_version": john["version"], "code": "GC-1002-B"},
        key="delete-0002",
    )
    assert status == 200 and again["replayed"] is True
    assert len([c for c in fake.calls("/credits/GC-1002-B") if c.method == "DELETE"]) == 1


async def test_a_write_whose_answer_is_lost_leaves_nothing_stale_in_the_cache(
    api: Api, fake: FakeKibo
) -> None:
    _, order = await api.get(f"/orders/{ORDER_OPEN}")  # now cached
    fake.faults.append(Fault(503, "/notes", applied=True))
    status, body = await act(
        api,
        f"/orders/{ORDER_OPEN}/actions/add_note",
        {"expected_version": order["version"], "text": "Did this land?"},
    )
    assert status == 503 and body["error"]["details"]["outcome"] == "unknown"
    _, again = await api.get(f"/orders/{ORDER_OPEN}")
    assert again["notes"][-1]["text"] == "Did this land?"  # read from Kibo, not the cache
    assert again["version"] != order["version"]


async def test_a_store_credit_issued_under_an_unknown_outcome_is_not_issued_twice(
    api: Api, fake: FakeKibo
) -> None:
    """The credit is issued but its answer is lost; a retry with a new key and the version the
    CSR saw is refused, since the credit moved the customer's version."""
    _, customer = await api.get("/customers/1001")
    body = {"expected_version": customer["version"], "amount_cents": 2500}
    path = "/customers/1001/actions/issue_store_credit"
    fake.faults.append(Fault(504, "/commerce/customer/credits", applied=True, method="POST"))
    status, first = await act(api, path, body, key="issue-credit-0001")
    assert status == 502 and first["error"]["details"]["outcome"] == "unknown", first
    assert len(fake.data["credits"]) == 3
    status, again = await act(api, path, body, key="issue-credit-0002")
    assert status == 409 and again["error"]["code"] == "stale_version", again
    assert len(fake.data["credits"]) == 3
    _, reloaded = await api.get("/customers/1001")
    assert len(reloaded["store_credits"]) == 2 and reloaded["version"] != customer["version"]


async def test_the_return_email_is_offered_only_when_kibo_lists_resend(
    api: Api, fake: FakeKibo
) -> None:
    _, ret = await api.get(f"/returns/{RETURN_CREATED}")
    assert "resend_email" not in ret["available_actions"]  # Kibo's list has no Resend
    status, body = await act(
        api, f"/returns/{RETURN_CREATED}/actions/resend_email", {"expected_version": ret["version"]}
    )
    assert status == 409 and body["error"]["code"] == "action_not_allowed"
    assert not fake.calls("/email/resend")
    fake.data["returns"][RETURN_CREATED]["availableActions"].append("Resend")
    api.app[BACKEND].cache.clear()  # as if opened again after the cache's few seconds
    _, ret = await api.get(f"/returns/{RETURN_CREATED}")
    assert "resend_email" in ret["available_actions"]
    status, body = await act(
        api, f"/returns/{RETURN_CREATED}/actions/resend_email", {"expected_version": ret["version"]}
    )
    assert status == 200, body
    assert fake.calls("/email/resend")[0].body == {
        "actionName": "Resend",
        "returnIds": [RETURN_CREATED],
    }
