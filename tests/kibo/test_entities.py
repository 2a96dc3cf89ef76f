"""Kibo accounts, orders and returns as our detail documents, related lists and the cache."""

from __future__ import annotations

import pytest

from agent.backends.kibo.backend import KiboBackend
from agent.errors import NotFound
from tests.kibo.fake_kibo import FakeKibo

ORDER_5001 = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
ORDER_5002 = "1b2c3d4e5f60718293a4b5c6d7e8f90a"
ORDER_5003 = "2c3d4e5f60718293a4b5c6d7e8f90a1b"
RETURN_7001 = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
RETURN_7002 = "8e7d6c5b4a39281706f5e4d3c2b1a09f"


async def test_customer_account_with_cards_and_credits(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    customer = await backend.get_entity("customer", "1001")
    assert (customer.id, customer.full_name, customer.initials) == ("1001", "Ana Núñez", "AN")
    assert (customer.account_status, customer.registered, customer.phone) == (
        "Active",
        True,
        "(512) 555-0134",
    )
    assert customer.segments == ["VIP"] and customer.lifetime_value_cents == 11800
    assert customer.primary_address is not None and customer.primary_address.city == "Austin"
    assert [t.name for t in customer.contacts[0].types] == ["Billing", "Shipping"]
    assert customer.payment_methods[0].last4 == "4242"
    assert customer.store_credits[0].current_balance_cents == 1250
    assert customer.notes[0].text == "Prefers phone calls"
    assert customer.wishlists[0].items[0].unit_price_cents == 2500
    assert fake.calls("/commerce/wishlists")[0].query["filter"] == "customerAccountId eq 1001"
    assert customer.attributes[0].values == ["phone"]
    # No version on accounts: the account's update time and the credits stand in, so a
    # store-credit change moves the customer's version though the account is untouched.
    assert customer.version >= 1
    fake.data["credits"][0]["currentBalance"] = 10.0
    backend.invalidate("customer", "1001")
    after = await backend.get_entity("customer", "1001")
    assert after.version != customer.version
    assert after.version >> 16 == customer.version >> 16  # the account's part is the same
    # Kibo publishes no endpoint to disable/enable an account: never offered here.
    assert "disable_account" not in customer.available_actions
    assert "send_password_reset" in customer.available_actions
    credits_call = fake.calls("/customer/credits")[0]
    assert credits_call.query["filter"] == "customerId eq 1001"


async def test_the_sign_in_state_says_whether_a_password_change_is_required(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    fake.data.setdefault("login_states", {})[1002] = {
        "isPasswordChangeRequired": True,
        "isLocked": True,
    }
    required = await backend.get_entity("customer", "1002")
    assert required.password_change_required is True
    assert "require_password_change" not in required.available_actions
    assert [c.path for c in fake.calls("/loginstate")] == [
        "/api/commerce/customer/accounts/1002/loginstate"
    ]
    free = await backend.get_entity("customer", "1001")
    assert free.password_change_required is False
    assert "require_password_change" in free.available_actions


async def test_locked_and_disabled_accounts(backend: KiboBackend) -> None:
    locked = await backend.get_entity("customer", "1002")
    disabled = await backend.get_entity("customer", "1003")
    assert locked.account_status == "Locked" and "unlock_account" in locked.available_actions
    assert disabled.account_status == "Disabled"
    assert "enable_account" not in disabled.available_actions
    assert "send_password_reset" not in disabled.available_actions


async def test_order_with_payments_shipments_and_returns(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    order = await backend.get_entity("order", ORDER_5001)
    assert (order.number, order.version, order.customer_id, order.customer_name) == (
        5001,
        3,
        "1001",
        "Ana Núñez",
    )
    assert order.totals.total_cents == 5900 and order.totals.refundable_cents == 5900
    assert [i.quantity_returned for i in order.items] == [1, 0]
    assert [i.quantity_returnable for i in order.items] == [1, 1]
    shipment = order.shipments[0]
    assert (shipment.carrier, shipment.tracking_number, shipment.fulfillment_status) == (
        "UPS",
        "1Z999",
        "Fulfilled",
    )
    assert order.payments[0].card_brand == "Visa"
    assert order.payments[0].available_actions == ["credit_payment"]
    assert [r.number for r in order.returns] == [7001]
    assert order.history[0].verb == "Submitted"
    assert fake.calls("/commerce/returns")[0].query["filter"] == (
        f"originalOrderId eq '{ORDER_5001}'"
    )


async def test_kibos_available_actions_gate_ours(backend: KiboBackend) -> None:
    open_order = await backend.get_entity("order", ORDER_5002)
    # Kibo lists CancelOrder and CapturePayment only: no void although our rules allow it.
    assert "cancel_order" in open_order.available_actions
    assert "capture_payment" in open_order.available_actions
    assert "void_payment" not in open_order.available_actions
    assert open_order.payments[0].available_actions == ["capture_payment"]
    authorised = await backend.get_entity("return", RETURN_7001)
    # Kibo offers Cancel and Close, not Reject.
    assert {"cancel", "close"} <= set(authorised.available_actions)
    assert "reject" not in authorised.available_actions
    created = await backend.get_entity("return", RETURN_7002)
    assert created.available_actions[:3] == ["authorize", "reject", "cancel"]


async def test_guest_order_and_replace_return(backend: KiboBackend) -> None:
    guest = await backend.get_entity("order", ORDER_5003)
    assert guest.customer_id is None and guest.email == "guest@example.net"
    ret = await backend.get_entity("return", RETURN_7002)
    assert (ret.return_type, ret.replace_status, ret.receive_status) == (
        "Replace",
        "NotReplaced",
        "NotRequested",
    )
    assert (ret.order_id, ret.order_number, ret.customer_id) == (ORDER_5003, 5003, None)
    ref = await backend.entity_ref("return", RETURN_7002)
    assert (ref.title, ref.customer_key, ref.customer_name) == (
        "Return #7002",
        "guest@example.net",
        "Guest Shopper",
    )


@pytest.mark.parametrize(
    ("kind", "entity_id"),
    [
        ("customer", "99"),
        ("customer", "abc"),
        ("customer", "99999999999"),
        ("order", "ffffffffffffffffffffffffffffffff"),
        ("order", "../etc"),
        ("return", "nope"),
    ],
)
async def test_unknown_ids_are_404(backend: KiboBackend, kind: str, entity_id: str) -> None:
    with pytest.raises(NotFound):
        await backend.get_entity(kind, entity_id)  # type: ignore[arg-type]


async def test_related_lists(backend: KiboBackend, fake: FakeKibo) -> None:
    orders = await backend.related("customer", "1001", "orders", 1, 25)
    assert [r["number"] for r in orders.results] == [5001]
    assert fake.requests[-1].query["sortBy"] == "submitteddate desc"
    returns = await backend.related("order", ORDER_5003, "returns", 1, 25)
    assert [r["number"] for r in returns.results] == [7002]
    assert fake.requests[-1].query["filter"] == f"originalorderid eq '{ORDER_5003}'"
    log = await backend.related("customer", "1001", "audit-log", 2, 2)
    assert (log.total, [e.id for e in log.entries]) == (3, [1])
    assert log.entries[0].field == "/Customer/EmailAddress"


async def test_repeated_reads_come_from_the_cache_until_an_action_invalidates(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    await backend.get_entity("order", ORDER_5001)
    await backend.entity_ref("order", ORDER_5001)
    await backend.get_entity("order", ORDER_5001)
    assert len(fake.calls(f"/commerce/orders/{ORDER_5001}")) == 1
    backend.invalidate("order", ORDER_5001)
    await backend.get_entity("order", ORDER_5001)
    assert len(fake.calls(f"/commerce/orders/{ORDER_5001}")) == 2


async def test_a_200_without_a_document_is_a_404(backend: KiboBackend, fake: FakeKibo) -> None:
    fake.data["orders"]["emptyorder"] = {}
    with pytest.raises(NotFound):
        await backend.get_entity("order", "emptyorder")


@pytest.mark.parametrize(("kind", "entity_id"), [("order", ORDER_5001), ("return", RETURN_7001)])
async def test_external_id_and_location_come_from_the_document(
    backend: KiboBackend, fake: FakeKibo, kind: str, entity_id: str
) -> None:
    before = await backend.get_entity(kind, entity_id)  # type: ignore[arg-type]
    assert (before.external_id, before.location) == (None, None)  # type: ignore[union-attr]
    fake.data[f"{kind}s"][entity_id] |= {"externalId": "MP-123456789", "locationCode": "AUS01"}
    backend.invalidate(kind, entity_id)  # type: ignore[arg-type]
    after = await backend.get_entity(kind, entity_id)  # type: ignore[arg-type]
    assert (after.external_id, after.location) == ("MP-123456789", "AUS01")  # type: ignore[union-attr]
