"""Every management action as Kibo calls, each call checked against Kibo's published documents
(method, path template, query parameters, body schema) — without needing the fake to carry
the action out."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from agent.backends.kibo import action_hooks
from agent.backends.kibo.action_plan import ActionPlan
from agent.backends.kibo.backend import KiboBackend
from agent.domain import catalog
from tests.kibo.fake_kibo import FakeKibo
from tests.kibo.openapi_docs import check_request

ORDER_OPEN = "1b2c3d4e5f60718293a4b5c6d7e8f90a"  # 5002: accepted, nothing shipped
ORDER_SHIPPED = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"  # 5001: fulfilled, paid
RETURN_AUTHORISED = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
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
ADDRESS_IN = ADDRESS["address"]
PAYMENT_ACTIONS = "POST /commerce/orders/{orderId}/payments/{paymentId}/actions"
NEXT_YEAR = (datetime.now(UTC) + timedelta(days=400)).date().isoformat()

# (kind, action) -> (entity id, request fields, expected first call "METHOD path")
EXAMPLES: dict[tuple[str, str], tuple[str, dict[str, Any], str]] = {
    ("order", "change_billing_address"): (
        ORDER_OPEN,
        {"address": ADDRESS},
        "PUT /commerce/orders/{orderId}/billinginfo",
    ),
    ("order", "change_shipping_address"): (
        ORDER_OPEN,
        {"address": ADDRESS},
        "PUT /commerce/orders/{orderId}/fulfillmentinfo",
    ),
    ("order", "change_email"): (
        ORDER_OPEN,
        {"email": "new@example.com"},
        "PUT /commerce/orders/{orderId}",
    ),
    ("order", "add_note"): (
        ORDER_OPEN,
        {"text": "Called"},
        "POST /commerce/orders/{orderId}/notes",
    ),
    ("order", "edit_note"): (
        ORDER_OPEN,
        {"note_id": "n1", "text": "Edited"},
        "PUT /commerce/orders/{orderId}/notes/{noteId}",
    ),
    ("order", "delete_note"): (
        ORDER_OPEN,
        {"note_id": "n1"},
        "DELETE /commerce/orders/{orderId}/notes/{noteId}",
    ),
    ("order", "submit_order"): (ORDER_OPEN, {}, "POST /commerce/orders/{orderId}/actions"),
    ("order", "accept_order"): (
        ORDER_OPEN,
        {"note": "Address verified"},
        "POST /commerce/orders/{orderId}/actions",
    ),
    ("order", "set_processing"): (ORDER_OPEN, {}, "POST /commerce/orders/{orderId}/actions"),
    ("order", "cancel_order"): (
        ORDER_OPEN,
        {"reason_code": "CustomerRequest", "note": "asked"},
        "PUT /commerce/orders/cancel/{orderId}",
    ),
    ("order", "cancel_items"): (
        ORDER_OPEN,
        {"items": [{"line_id": 1, "quantity": 1}], "reason_code": "OutOfStock"},
        "PUT /commerce/shipments/{shipmentNumber}/canceledItems",
    ),
    ("order", "capture_payment"): (
        ORDER_OPEN,
        {"payment_id": "p5002", "amount_cents": 5900},
        PAYMENT_ACTIONS,
    ),
    ("order", "void_payment"): (ORDER_OPEN, {"payment_id": "p5002"}, PAYMENT_ACTIONS),
    ("order", "credit_payment"): (
        ORDER_SHIPPED,
        {"payment_id": "p5001", "amount_cents": 500},
        PAYMENT_ACTIONS,
    ),
    ("order", "refund"): (
        ORDER_SHIPPED,
        {"amount_cents": 500, "reason_code": "Goodwill"},
        "POST /commerce/orders/{orderId}/refunds",
    ),
    ("order", "appeasement"): (
        ORDER_SHIPPED,
        {"adjustment": {"type": "shipping", "amount_cents": 300}, "reason_code": "LateDelivery"},
        "POST /commerce/orders/{orderId}/shipments/{shipmentNumber}/adjustments",
    ),
    ("order", "resend_confirmation"): (
        ORDER_SHIPPED,
        {},
        "PUT /commerce/orders/{orderId}/email/resend",
    ),
    ("order", "resend_shipment_email"): (
        ORDER_SHIPPED,
        {},
        "PUT /commerce/shipments/{shipmentNumber}/email/resend",
    ),
    ("order", "start_return"): (
        ORDER_SHIPPED,
        {"return_type": "Refund", "items": [{"line_id": 2, "quantity": 1, "reason": "Damaged"}]},
        "POST /commerce/returns",
    ),
    ("return", "authorize"): (RETURN_AUTHORISED, {}, "POST /commerce/returns/actions"),
    ("return", "reject"): (RETURN_AUTHORISED, {"note": "Worn"}, "POST /commerce/returns/actions"),
    ("return", "cancel"): (RETURN_AUTHORISED, {}, "POST /commerce/returns/actions"),
    ("return", "close"): (RETURN_AUTHORISED, {}, "POST /commerce/returns/actions"),
    ("return", "receive_items"): (
        RETURN_AUTHORISED,
        {"items": [{"item_id": "ri7001", "quantity": 1}]},
        "PUT /commerce/returns/{returnId}",
    ),
    ("return", "restock"): (
        RETURN_AUTHORISED,
        {"items": [{"item_id": "ri7001", "quantity": 1}]},
        "POST /commerce/returns/{returnId}/restock",
    ),
    ("return", "refund"): (
        RETURN_AUTHORISED,
        {"mode": "auto"},
        "POST /commerce/returns/{returnId}/autorefund",
    ),
    ("return", "ship_replacement"): (
        RETURN_AUTHORISED,
        {},
        "POST /commerce/returns/{returnId}/ship",
    ),
    ("return", "add_note"): (
        RETURN_AUTHORISED,
        {"text": "Box dented"},
        "POST /commerce/returns/{returnId}/notes",
    ),
    ("return", "edit_note"): (
        RETURN_AUTHORISED,
        {"note_id": "rn1", "text": "x"},
        "PUT /commerce/returns/{returnId}/notes/{noteId}",
    ),
    ("return", "delete_note"): (
        RETURN_AUTHORISED,
        {"note_id": "rn1"},
        "DELETE /commerce/returns/{returnId}/notes/{noteId}",
    ),
    ("return", "resend_email"): (RETURN_AUTHORISED, {}, "PUT /commerce/returns/email/resend"),
    ("customer", "edit_general"): (
        "1001",
        {"first_name": "Anna", "accepts_marketing": False},
        "PUT /commerce/customer/accounts/{accountId}",
    ),
    ("customer", "add_address"): (
        "1001",
        {"first_name": "Ana", "address": ADDRESS_IN, "types": [{"name": "Shipping"}]},
        "POST /commerce/customer/accounts/{accountId}/contacts",
    ),
    ("customer", "edit_address"): (
        "1001",
        {"contact_id": 1, "phone": "512-555-0000"},
        "PUT /commerce/customer/accounts/{accountId}/contacts/{contactId}",
    ),
    ("customer", "delete_address"): (
        "1001",
        {"contact_id": 1},
        "DELETE /commerce/customer/accounts/{accountId}/contacts/{contactId}",
    ),
    ("customer", "set_primary_address"): (
        "1001",
        {"contact_id": 1, "type": "Billing"},
        "PUT /commerce/customer/accounts/{accountId}/contacts/{contactId}",
    ),
    ("customer", "unlock_account"): (
        "1002",
        {},
        "POST /commerce/customer/accounts/{accountId}/Set-Login-Locked",
    ),
    ("customer", "lock_account"): (
        "1001",
        {},
        "POST /commerce/customer/accounts/{accountId}/Set-Login-Locked",
    ),
    ("customer", "send_password_reset"): (
        "1001",
        {},
        "POST /commerce/customer/accounts/Reset-Password",
    ),
    ("customer", "add_note"): (
        "1001",
        {"text": "VIP caller"},
        "POST /commerce/customer/accounts/{accountId}/notes",
    ),
    ("customer", "edit_note"): (
        "1001",
        {"note_id": "1", "text": "x"},
        "PUT /commerce/customer/accounts/{accountId}/notes/{noteId}",
    ),
    ("customer", "delete_note"): (
        "1001",
        {"note_id": "1"},
        "DELETE /commerce/customer/accounts/{accountId}/notes/{noteId}",
    ),
    ("customer", "set_attribute"): (
        "1001",
        {"fqn": "tenant~preferred-contact", "values": ["Email"]},
        "PUT /commerce/customer/accounts/{accountId}/attributes/{attributeFQN}",
    ),
    ("customer", "add_segment"): (
        "1001",
        {"segment": "VIP"},
        "POST /commerce/customer/segments/{id}/accounts",
    ),
    ("customer", "remove_segment"): (
        "1001",
        {"segment": "VIP"},
        "DELETE /commerce/customer/segments/{id}/accounts/{accountId}",
    ),
    ("customer", "issue_store_credit"): (
        "1001",
        {"amount_cents": 2500},
        "POST /commerce/customer/credits",
    ),
    ("customer", "adjust_store_credit"): (
        "1001",
        {"code": "SC-1001-A", "amount_cents": -250},
        "POST /commerce/customer/credits/{code}/transactions",
    ),
    ("customer", "require_password_change"): (
        "1001",
        {},
        "POST /commerce/customer/accounts/{accountId}/Set-Password-Change-Required",
    ),
    ("customer", "add_login"): (
        "1001",
        {"username": "ana.nunez"},
        "POST /commerce/customer/accounts/{accountId}/Create-Login",
    ),
    ("customer", "edit_store_credit_expiry"): (
        "1001",
        {"code": "SC-1001-A", "expires_on": NEXT_YEAR},
        "PUT /commerce/customer/credits/{code}",
    ),
    ("customer", "delete_store_credit"): (
        "1002",
        {"code": "GC-1002-B"},
        "DELETE /commerce/customer/credits/{code}",
    ),
    ("customer", "resend_store_credit_email"): (
        "1002",
        {"code": "GC-1002-B"},
        "PUT /commerce/customer/credits/{code}/Resend-Email",
    ),
}


def test_every_declared_action_has_a_kibo_hook_or_is_not_on_kibo() -> None:
    assert action_hooks.missing() == []


def test_a_declaration_without_a_hook_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    action = catalog.find("order", "add_note")
    assert action is not None
    new = replace(action, name="add_sticker")
    monkeypatch.setitem(catalog._ACTIONS, new.key, new)
    assert action_hooks.missing() == [
        "order action 'add_sticker' has no Kibo hook: map it or add it to NOT_ON_KIBO"
    ]


def test_every_mapped_action_has_an_example() -> None:
    assert set(EXAMPLES) == action_hooks.PLANNED, "give the new Kibo mapping an example here"


async def test_what_is_not_on_kibo_is_never_offered(backend: KiboBackend) -> None:
    _, detail = await backend.load("customer", "1001")
    assert action_hooks.NOT_ON_KIBO
    assert not {name for _, name in action_hooks.NOT_ON_KIBO} & set(detail.available_actions)


@pytest.mark.parametrize("key", sorted(EXAMPLES), ids=lambda k: f"{k[0]}-{k[1]}")
async def test_each_action_maps_to_documented_kibo_calls(
    backend: KiboBackend, key: tuple[str, str]
) -> None:
    kind, name = key
    entity_id, fields, first = EXAMPLES[key]
    action = catalog.find(kind, name)
    assert action is not None
    request = action.request.model_validate({"expected_version": 1, **fields})
    raw, detail = await backend.load(kind, entity_id)  # type: ignore[arg-type]
    plan: ActionPlan = await backend._plan(kind, name, request, raw, detail)  # type: ignore[arg-type]
    assert plan.calls and plan.message
    templates = []
    for call in plan.calls:
        body = None if call.body is None else json.dumps(call.body).encode()
        op = check_request(
            call.method,
            f"/api{call.path}",
            {k: str(v) for k, v in call.params.items()},
            {"Authorization": "Bearer x"},
            body,
        )
        templates.append(f"{op.method} {op.template}")
    assert templates[0] == first


async def test_order_edits_carry_kibos_version(backend: KiboBackend) -> None:
    action = catalog.find("order", "change_shipping_address")
    assert action is not None
    raw, detail = await backend.load("order", ORDER_OPEN)
    request = action.request.model_validate({"expected_version": 3, "address": ADDRESS})
    plan = await backend._plan("order", "change_shipping_address", request, raw, detail)
    assert plan.calls[0].params == {"updateMode": "ApplyAndCommit", "version": "3"}
    contact = plan.calls[0].body["fulfillmentContact"]
    assert contact["address"]["address1"] == "1 Oak St" and contact["firstName"] == "Ana"


async def test_unknown_references_are_422(backend: KiboBackend) -> None:
    from agent.errors import Unprocessable

    action = catalog.find("order", "capture_payment")
    assert action is not None
    raw, detail = await backend.load("order", ORDER_OPEN)
    request = action.request.model_validate(
        {"expected_version": 3, "payment_id": "nope", "amount_cents": 1}
    )
    with pytest.raises(Unprocessable, match="no payment 'nope'"):
        await backend._plan("order", "capture_payment", request, raw, detail)


@pytest.mark.parametrize(
    ("name", "kibo_name"),
    [
        ("submit_order", "SubmitOrder"),
        ("accept_order", "AcceptOrder"),
        ("set_processing", "SetOrderAsProcessing"),
    ],
)
async def test_status_moves_send_the_order_action_and_the_note(
    backend: KiboBackend, name: str, kibo_name: str
) -> None:
    action = catalog.find("order", name)
    assert action is not None
    raw, detail = await backend.load("order", ORDER_OPEN)
    bare = await backend._plan(
        "order", name, action.request.model_validate({"expected_version": 3}), raw, detail
    )
    assert [(c.method, c.path, c.body) for c in bare.calls] == [
        ("POST", f"/commerce/orders/{ORDER_OPEN}/actions", {"actionName": kibo_name})
    ]
    noted = await backend._plan(
        "order",
        name,
        action.request.model_validate({"expected_version": 3, "note": "x" * 300}),
        raw,
        detail,
    )
    assert [c.path for c in noted.calls] == [
        f"/commerce/orders/{ORDER_OPEN}/actions",
        f"/commerce/orders/{ORDER_OPEN}/notes",
    ]
    assert noted.calls[1].body == {"text": "x" * 250}  # Kibo's order notes hold 250


async def test_a_note_on_a_locked_order_is_refused_before_anything_is_sent(
    backend: KiboBackend,
) -> None:
    from agent.errors import Unprocessable

    action = catalog.find("order", "accept_order")
    assert action is not None
    raw, detail = await backend.load("order", ORDER_OPEN)
    locked = detail.model_copy(update={"restrict_edit": True})
    request = action.request.model_validate({"expected_version": 3, "note": "ok"})
    with pytest.raises(Unprocessable, match="restrictEdit") as caught:
        await backend._plan("order", "accept_order", request, raw, locked)
    assert caught.value.details == {"field": "note"}
    plain = action.request.model_validate({"expected_version": 3})
    plan = await backend._plan("order", "accept_order", plain, raw, locked)
    assert len(plan.calls) == 1


async def _customer_plan(
    backend: KiboBackend, entity_id: str, name: str, fields: dict[str, Any], **detail_changes: Any
) -> ActionPlan:
    action = catalog.find("customer", name)
    assert action is not None
    raw, detail = await backend.load("customer", entity_id)
    request = action.request.model_validate({"expected_version": detail.version, **fields})
    return await backend._plan(
        "customer", name, request, raw, detail.model_copy(update=detail_changes)
    )


async def test_a_forced_password_change_sends_true_for_the_shoppers_login(
    backend: KiboBackend,
) -> None:
    plan = await _customer_plan(backend, "1001", "require_password_change", {})
    assert [(c.method, c.path, c.body, c.params) for c in plan.calls] == [
        (
            "POST",
            "/commerce/customer/accounts/1001/Set-Password-Change-Required",
            True,
            {"userId": "u1001"},
        )
    ]


async def test_a_lock_sends_true_for_the_shoppers_login(backend: KiboBackend) -> None:
    plan = await _customer_plan(backend, "1001", "lock_account", {})
    assert [(c.method, c.path, c.body, c.params) for c in plan.calls] == [
        ("POST", "/commerce/customer/accounts/1001/Set-Login-Locked", True, {"userId": "u1001"})
    ]


async def test_a_new_login_gets_a_password_nobody_knows_then_the_reset_email(
    backend: KiboBackend,
) -> None:
    plan = await _customer_plan(backend, "1001", "add_login", {"username": " ana.shops "})
    create, reset = plan.calls
    assert (create.method, create.path) == ("POST", "/commerce/customer/accounts/1001/Create-Login")
    password = create.body.pop("password")
    assert create.body == {"emailAddress": "ana.nunez@example.com", "username": "ana.shops"}
    assert len(password) >= 32 and any(c.isdigit() for c in password)
    assert any(c.isalpha() for c in password) and password not in plan.message
    again = await _customer_plan(backend, "1001", "add_login", {"username": "ana.shops"})
    assert again.calls[0].body["password"] != password  # random every time
    assert (reset.method, reset.path, reset.body) == (
        "POST",
        "/commerce/customer/accounts/Reset-Password",
        {
            "emailAddress": "ana.nunez@example.com",
            "userName": "ana.shops",
            "customerSetCode": "default",
        },
    )
    own = await _customer_plan(
        backend, "1001", "add_login", {"username": "ana.shops", "email": "ana@shop.example"}
    )
    assert (
        own.calls[0].body["emailAddress"] == own.calls[1].body["emailAddress"] == "ana@shop.example"
    )


@pytest.mark.parametrize(
    ("name", "fields", "code", "field"),
    [
        ("add_login", {"username": "has space"}, "invalid_username", "username"),
        ("add_login", {"username": "ana.shops", "email": "nope"}, "invalid_email", "email"),
        (
            "edit_store_credit_expiry",
            {"code": "SC-1001-A", "expires_on": "2020-01-01"},
            "expiry_in_past",
            "expires_on",
        ),
        (
            "edit_store_credit_expiry",
            {"code": "SC-404", "expires_on": NEXT_YEAR},
            "invalid_reference",
            "code",
        ),
        ("delete_store_credit", {"code": "SC-404"}, "invalid_reference", "code"),
        ("resend_store_credit_email", {"code": "SC-404"}, "invalid_reference", "code"),
    ],
)
async def test_our_checks_refuse_before_anything_is_written(
    backend: KiboBackend, fake: FakeKibo, name: str, fields: dict[str, Any], code: str, field: str
) -> None:
    from agent.errors import ApiError

    with pytest.raises(ApiError) as caught:
        await _customer_plan(backend, "1001", name, fields)
    assert (caught.value.status, caught.value.code, caught.value.details) == (
        422,
        code,
        {"field": field},
    )
    assert not fake.calls("/credits/SC-404")  # an unknown code is not read


async def test_the_expiry_change_puts_the_credit_as_kibo_has_it(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    plan = await _customer_plan(
        backend, "1001", "edit_store_credit_expiry", {"code": "SC-1001-A", "expires_on": NEXT_YEAR}
    )
    [put] = plan.calls
    assert (put.method, put.path) == ("PUT", "/commerce/customer/credits/SC-1001-A")
    stored = fake.data["credits"][0]
    assert put.body == stored | {"expirationDate": f"{NEXT_YEAR}T23:59:59Z"}
    assert stored["expirationDate"] == "2027-02-01T00:00:00Z"  # nothing sent yet


async def test_a_credit_spent_on_an_order_is_not_deleted(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    from agent.errors import ApiError

    with pytest.raises(ApiError) as caught:
        await _customer_plan(backend, "1001", "delete_store_credit", {"code": "SC-1001-A"})
    assert (caught.value.status, caught.value.code) == (409, "credit_used")
    assert [c.query for c in fake.calls("/credits/SC-1001-A/transactions")] == [{"pageSize": "200"}]
    plan = await _customer_plan(backend, "1002", "delete_store_credit", {"code": "GC-1002-B"})
    assert [(c.method, c.path) for c in plan.calls] == [
        ("DELETE", "/commerce/customer/credits/GC-1002-B")
    ]


async def test_the_credit_email_is_not_resent_for_an_expired_credit(backend: KiboBackend) -> None:
    from agent.errors import ApiError

    _, detail = await backend.load("customer", "1002")
    expired = [
        c.model_copy(update={"expires_at": "2026-01-01T00:00:00Z"}) for c in detail.store_credits
    ]
    with pytest.raises(ApiError) as caught:
        await _customer_plan(
            backend,
            "1002",
            "resend_store_credit_email",
            {"code": "GC-1002-B"},
            store_credits=expired,
        )
    assert (caught.value.status, caught.value.code) == (409, "credit_expired")
    plan = await _customer_plan(backend, "1002", "resend_store_credit_email", {"code": "GC-1002-B"})
    assert [(c.method, c.path, c.body, c.params) for c in plan.calls] == [
        ("PUT", "/commerce/customer/credits/GC-1002-B/Resend-Email", None, {})
    ]


async def test_a_manual_return_refund_names_the_orders_payment(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    action = catalog.find("return", "refund")
    assert action is not None
    raw, detail = await backend.load("return", RETURN_AUTHORISED)
    request = action.request.model_validate(
        {"expected_version": detail.version, "mode": "manual", "amount_cents": 500}
    )
    plan = await backend._plan("return", "refund", request, raw, detail)
    assert plan.calls[0].body == {
        "actionName": "CreditPayment",
        "amount": 5.0,
        "currencyCode": "USD",
        "referenceSourcePaymentId": "p5001",  # the original order's card
    }
    assert fake.calls(f"/commerce/orders/{ORDER_SHIPPED}")  # read for it


async def test_an_item_price_appeasement_names_the_shipment_item_by_its_line(
    backend: KiboBackend,
) -> None:
    action = catalog.find("order", "appeasement")
    assert action is not None
    raw, detail = await backend.load("order", ORDER_SHIPPED)
    request = action.request.model_validate(
        {
            "expected_version": detail.version,
            "adjustment": {"type": "item_price", "line_id": 2, "unit_price_cents": 2000},
            "reason_code": "Damaged",
        }
    )
    plan = await backend._plan("order", "appeasement", request, raw, detail)
    assert (
        plan.calls[0].path == f"/commerce/orders/{ORDER_SHIPPED}/shipments/50011/item/2/adjustments"
    )


@pytest.mark.parametrize(
    ("kind", "entity_id", "name", "fields"),
    [
        ("customer", "1001", "add_note", {"text": "  "}),
        ("order", ORDER_OPEN, "add_note", {"text": "\t"}),
        ("order", ORDER_OPEN, "edit_note", {"note_id": "n1", "text": " "}),
        ("return", RETURN_AUTHORISED, "add_note", {"text": "  "}),
    ],
)
async def test_a_blank_note_is_refused_as_the_demo_store_does(
    backend: KiboBackend, kind: str, entity_id: str, name: str, fields: dict[str, Any]
) -> None:
    from agent.errors import ApiError

    action = catalog.find(kind, name)
    assert action is not None
    raw, detail = await backend.load(kind, entity_id)  # type: ignore[arg-type]
    request = action.request.model_validate({"expected_version": detail.version, **fields})
    with pytest.raises(ApiError) as caught:
        await backend._plan(kind, name, request, raw, detail)  # type: ignore[arg-type]
    assert (caught.value.status, caught.value.code, caught.value.details) == (
        422,
        "blank_note",
        {"field": "text"},
    )
