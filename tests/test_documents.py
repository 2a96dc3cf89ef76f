"""Demo-store entity documents: derived from hand-written rows in a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.backends.demo import documents, records
from agent.backends.demo.ids import order_id, return_id
from agent.backends.demo.schema import create_base_tables
from agent.errors import NotFound
from shared_schema import vocab
from shared_schema.entities import Note, OrderDetail

DAY = 86_400
T0 = 1_717_200_000  # 2024-06-01


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(tmp_path / "store.db")
    create_base_tables(connection)
    yield connection
    connection.close()


def add_customer(conn: sqlite3.Connection, customer_id: int, **overrides: Any) -> None:
    row: dict[str, Any] = {
        "id": customer_id,
        "first_name": "Zoë",
        "last_name": "Núñez",
        "email": f"c{customer_id}@example.com",
        "username": f"c{customer_id}@example.com",
        "phone": "(512) 555-0134",
        "phone_digits": "5125550134",
        "phone_last4": "0134",
        "account_status": "Active",
        "customer_set": "default",
        "segments": "VIP,Loyalty",
        "created_at": T0,
        "updated_at": T0 + 30 * DAY,
        "address1": "601 University Dr",
        "city": "San Marcos",
        "state": "TX",
        "postal_code": "78666",
        "country": "US",
        "accepts_marketing": 1,
        "tax_exempt": 0,
        "tax_id": "",
        "order_count": 2,
        "lifetime_value_cents": 17460,
        "last_order_at": T0 + 10 * DAY,
        **overrides,
    }
    _insert(conn, "customers", row)


def add_order(
    conn: sqlite3.Connection, number: int, items: list[list[Any]], **overrides: Any
) -> None:
    row: dict[str, Any] = {
        "number": number,
        "customer_id": 1,
        "customer_name": "Zoë Núñez",
        "email": "c1@example.com",
        "phone_digits": "5125550134",
        "phone_last4": "0134",
        "status": "Processing",
        "payment_status": "Authorized",
        "fulfillment_status": "NotFulfilled",
        "return_status": "None",
        "type": "Online",
        "channel": "Web",
        "site": "US Store",
        "currency": "USD",
        "submitted_at": T0 + DAY,
        "updated_at": T0 + 3 * DAY,
        "total_cents": 17460,
        "collected_cents": 0,
        "item_count": sum(line[1] for line in items),
        "items": json.dumps(items),
        **overrides,
    }
    _insert(conn, "orders", row)


def add_return(
    conn: sqlite3.Connection,
    number: int,
    order_number: int,
    items: list[list[Any]],
    **overrides: Any,
) -> None:
    row: dict[str, Any] = {
        "number": number,
        "order_number": order_number,
        "customer_id": 1,
        "customer_name": "Zoë Núñez",
        "email": "c1@example.com",
        "phone_digits": "5125550134",
        "phone_last4": "0134",
        "status": "Authorized",
        "return_type": "Refund",
        "refund_status": "NotRefunded",
        "reason": "Damaged",
        "currency": "USD",
        "created_at": T0 + 5 * DAY,
        "updated_at": T0 + 6 * DAY,
        "refund_cents": 0,
        "item_count": sum(line[2] for line in items),
        "items": json.dumps(items),
        **overrides,
    }
    _insert(conn, "returns", row)


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
    conn.commit()


TEE, JEANS = "APP-TEE-001", "APP-JEA-001"
TWO_LINES = [[TEE, 2, 2400, 0, 0], [JEANS, 1, 12800, 0, 0]]  # subtotal 17600

ORDER_STATES = [
    # status, payment_status, fulfillment, collected, lines (fulfilled per line)
    ("Pending", "Unpaid", "NotFulfilled", 0, (0, 0)),
    ("Submitted", "Pending", "NotFulfilled", 0, (0, 0)),
    ("Accepted", "Authorized", "NotFulfilled", 0, (0, 0)),
    ("Processing", "Authorized", "PartiallyFulfilled", 4800, (2, 0)),
    ("Completed", "Paid", "Fulfilled", 19000, (2, 1)),
    ("Cancelled", "Voided", "NotFulfilled", 0, (0, 0)),
    ("Cancelled", "Paid", "PartiallyFulfilled", 4800, (1, 0)),
    ("Errored", "Errored", "NotFulfilled", 0, (0, 0)),
    ("Abandoned", "Unpaid", "NotFulfilled", 0, (0, 0)),
]


def _lines(fulfilled: tuple[int, int]) -> list[list[Any]]:
    return [[TEE, 2, 2400, fulfilled[0], 0], [JEANS, 1, 12800, fulfilled[1], 0]]


@pytest.mark.parametrize(
    ("status", "payment", "fulfillment", "collected", "fulfilled"), ORDER_STATES
)
def test_derived_order_is_consistent(
    conn: sqlite3.Connection,
    status: str,
    payment: str,
    fulfillment: str,
    collected: int,
    fulfilled: tuple[int, int],
) -> None:
    add_customer(conn, 1)
    add_order(
        conn,
        10234,
        _lines(fulfilled),
        status=status,
        payment_status=payment,
        fulfillment_status=fulfillment,
        collected_cents=collected,
        total_cents=19000,
    )
    order = documents.order_detail(conn, 10234)
    totals = order.totals

    assert order.id == order_id(10234) and order.status == status
    assert totals.subtotal_cents == 17600
    assert (
        totals.subtotal_cents + totals.discount_cents + totals.shipping_cents + totals.tax_cents
        == totals.total_cents
        == 19000
    )
    assert totals.collected_cents == collected
    assert sum(p.amount_collected_cents for p in order.payments) == collected
    owes_nothing = status in {"Cancelled", "Abandoned"}
    awaiting = payment in {"Unpaid", "Pending", "Authorized"} and not owes_nothing
    assert totals.balance_cents == (0 if owes_nothing else 19000 - collected)
    assert totals.pending_cents == (19000 - collected if awaiting else 0)
    assert sum(item.tax_cents for item in order.items) == totals.tax_cents
    assert order.fulfillment.items == 3
    assert order.fulfillment.fulfilled == sum(fulfilled)
    assert order.fulfillment.remaining == 3 - sum(fulfilled)
    assert all(
        p.status in vocab.PAYMENT_STATUSES and p.type in vocab.PAYMENT_TYPES for p in order.payments
    )
    assert all(s.status in vocab.SHIPMENT_STATUSES for s in order.shipments)
    for item in order.items:
        shipped = sum(
            si.quantity
            for s in order.shipments
            if s.status == "FULFILLED"
            for si in s.items
            if si.line_id == item.line_id
        )
        assert shipped == item.quantity_fulfilled
        assert item.quantity_returnable == item.quantity_fulfilled
    for shipment in order.shipments:
        assert (shipment.tracking_number is not None) == (shipment.status == "FULFILLED")


def test_small_order_pays_the_site_shipping_rate(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1)
    add_order(conn, 11, [[TEE, 2, 2400, 0, 0]], total_cents=4800 + 795 + 480)
    totals = documents.order_detail(conn, 11).totals
    assert (totals.shipping_cents, totals.tax_cents, totals.discount_cents) == (795, 480, 0)


def test_fully_refunded_closed_return_has_nothing_left(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1)
    add_order(
        conn,
        12,
        [[TEE, 2, 2400, 2, 2]],
        total_cents=4800 + 795 + 480,
        status="Completed",
        fulfillment_status="Fulfilled",
        payment_status="Paid",
        collected_cents=6075,
        return_status="FullyReturned",
    )
    add_return(
        conn,
        30,
        12,
        [[1, TEE, 2, 2400]],
        status="Closed",
        refund_cents=5280,
        refund_status="FullyRefunded",
    )
    ret = documents.return_detail(conn, 30)
    assert ret.refundable_cents == 0 and ret.receive_status == "Received"
    assert [(i.quantity_received, i.quantity_refunded) for i in ret.items] == [(2, 2)]
    assert ret.available_actions == ["add_note", "resend_email"]
    order = documents.order_detail(conn, 12)
    assert order.items[0].quantity_returnable == 0
    assert "start_return" not in order.available_actions


def test_card_payment_shows_brand_and_last4_only_for_cards(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1)
    for number in range(500, 530):
        add_order(conn, number, TWO_LINES)
    payments = [documents.order_detail(conn, n).payments[0] for n in range(500, 530)]
    cards = [p for p in payments if p.type == "CreditCard"]
    assert cards, "most demo orders are paid by card"
    assert all(p.card_brand and p.card_last4 and len(p.card_last4) == 4 for p in cards)
    assert all(p.card_brand is None for p in payments if p.type != "CreditCard")


def test_processing_order_ships_open_units_in_a_second_shipment(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1)
    add_order(conn, 10, _lines((1, 0)), fulfillment_status="PartiallyFulfilled")
    order = documents.order_detail(conn, 10)
    open_units = {
        si.line_id: si.quantity
        for s in order.shipments
        if s.status != "FULFILLED"
        for si in s.items
    }
    assert open_units == {1: 1, 2: 1}
    assert "resend_shipment_email" in order.available_actions
    assert "cancel_order" not in order.available_actions


def test_same_row_gives_the_same_documents(conn: sqlite3.Connection, tmp_path: Path) -> None:
    add_customer(conn, 7)
    add_order(
        conn,
        10234,
        _lines((2, 1)),
        customer_id=7,
        status="Completed",
        payment_status="Paid",
        fulfillment_status="Fulfilled",
        collected_cents=17460,
    )
    add_return(conn, 5012, 10234, [[1, TEE, 1, 2400]], customer_id=7)
    first = (
        documents.customer_detail(conn, 7),
        documents.order_detail(conn, 10234),
        documents.return_detail(conn, 5012),
    )
    other = sqlite3.connect(tmp_path / "store.db")
    second = (
        documents.customer_detail(other, 7),
        documents.order_detail(other, 10234),
        documents.return_detail(other, 5012),
    )
    other.close()
    assert [d.model_dump_json() for d in first] == [d.model_dump_json() for d in second]


def test_customer_card_and_sections(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1002)
    customer = documents.customer_detail(conn, 1002)
    assert customer.id == "1002"
    assert customer.full_name == "Zoë Núñez" and customer.initials == "ZN"
    assert customer.primary_address is not None
    assert customer.primary_address.address1 == "601 University Dr"
    assert customer.segments == ["VIP", "Loyalty"]
    assert customer.lifetime_value_cents == 17460 and customer.currency == "USD"
    home = customer.contacts[0]
    assert {(t.name, t.is_primary) for t in home.types} == {("Billing", True), ("Shipping", True)}
    assert "Zoë Núñez" in customer.model_dump_json()  # accents survive JSON
    assert {"disable_account", "send_password_reset", "edit_address"} <= set(
        customer.available_actions
    )
    for credit in customer.store_credits:
        assert credit.current_balance_cents == sum(t.impact_cents for t in credit.transactions)


def test_customer_without_address_has_no_address_book(conn: sqlite3.Connection) -> None:
    add_customer(conn, 3, address1="", city="", state="", postal_code="", account_status="Disabled")
    customer = documents.customer_detail(conn, 3)
    assert customer.primary_address is None and customer.contacts == []
    assert "edit_address" not in customer.available_actions
    assert "enable_account" in customer.available_actions
    assert "send_password_reset" not in customer.available_actions


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (lambda c: documents.customer_detail(c, 404), "customer"),
        (lambda c: documents.order_detail(c, 404), "order"),
        (lambda c: documents.return_detail(c, 404), "return"),
        (lambda c: documents.order_returns(c, 404), "order"),
        (lambda c: records.audit_log(c, "customer", 404, 1, 25), "customer"),
        (lambda c: documents.entity_ref(c, "order", order_id(404)), "order"),
        (lambda c: documents.entity_ref(c, "return", "not-an-id"), "return"),
        (lambda c: documents.entity_ref(c, "customer", "12a"), "customer"),
    ],
)
def test_unknown_ids_are_not_found(conn: sqlite3.Connection, call: Any, kind: str) -> None:
    with pytest.raises(NotFound) as raised:
        call(conn)
    assert kind in raised.value.message
    assert raised.value.status == 404


def test_guest_order_uses_its_own_address_and_email_as_key(conn: sqlite3.Connection) -> None:
    address = {
        "address1": "12 Rue Saint-Denis",
        "city": "Montréal",
        "state": "QC",
        "postal_code": "H2X 3K8",
        "country": "CA",
        "phone": "514-555-0199",
    }
    add_order(
        conn,
        77,
        TWO_LINES,
        customer_id=None,
        customer_name="Hélène Côté",
        email="helene@example.ca",
        address=json.dumps(address),
        currency="CAD",
    )
    order = documents.order_detail(conn, 77)
    assert order.customer_id is None
    assert order.shipping_address.address.city == "Montréal"
    assert order.billing_address.first_name == "Hélène"
    assert order.billing_address.last_name == "Côté"
    assert order.phone == "514-555-0199"
    ref = documents.entity_ref(conn, "order", order_id(77))
    assert ref.title == "Order #77" and ref.customer_key == "helene@example.ca"
    assert ref.customer_id is None and ref.customer_name == "Hélène Côté"


def test_nameless_guest_falls_back_to_email_then_guest(conn: sqlite3.Connection) -> None:
    add_order(conn, 78, TWO_LINES, customer_id=None, customer_name="", email="x@example.com")
    add_order(conn, 79, TWO_LINES, customer_id=None, customer_name=" ", email="")
    assert documents.entity_ref(conn, "order", order_id(78)).customer_name == "x@example.com"
    assert documents.entity_ref(conn, "order", order_id(79)).customer_name == "Guest"


def test_refs_for_customer_and_return(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1)
    add_order(conn, 10234, TWO_LINES)
    add_return(conn, 5012, 10234, [[1, TEE, 1, 2400]])
    customer = documents.entity_ref(conn, "customer", "1")
    assert (customer.title, customer.customer_key, customer.customer_id) == ("Zoë Núñez", "1", "1")
    ret = documents.entity_ref(conn, "return", return_id(5012))
    assert (ret.id, ret.title, ret.customer_key) == (return_id(5012), "Return #5012", "1")


def test_return_refundable_and_order_returnable(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1)
    # subtotal 17600 ships free; the other 1760 is a 10% tax
    add_order(
        conn,
        10234,
        _lines((2, 1)),
        status="Completed",
        payment_status="Paid",
        fulfillment_status="Fulfilled",
        collected_cents=19360,
        total_cents=19360,
        return_status="ReturnRequested",
    )
    add_return(
        conn, 5012, 10234, [[1, TEE, 2, 2400]], refund_cents=2400, refund_status="PartiallyRefunded"
    )
    add_return(
        conn, 5013, 10234, [[2, JEANS, 1, 12800]], status="Cancelled", created_at=T0 + 7 * DAY
    )
    ret = documents.return_detail(conn, 5012)
    assert ret.order_id == order_id(10234) and ret.customer_name == "Zoë Núñez"
    assert ret.refunded_cents == 2400 and ret.refundable_cents == 4800 + 480 - 2400
    assert ret.items[0].quantity_refunded == 0  # 24.00 is less than one tee with its tax
    assert ret.items[0].name == "Organic Cotton Crew Tee"
    assert "refund" in ret.available_actions and "cancel" not in ret.available_actions

    order = documents.order_detail(conn, 10234)
    returnable = {item.line_id: item.quantity_returnable for item in order.items}
    assert returnable == {1: 0, 2: 1}  # the cancelled return frees the jeans again
    assert order.totals.refunded_cents == 2400
    assert order.totals.refundable_cents == 19360 - 2400
    assert [r.number for r in order.returns] == [5012, 5013]
    assert [r.number for r in documents.order_returns(conn, 10234)] == [5012, 5013]
    assert "start_return" in order.available_actions


def test_replace_return_closes_only_after_replacement(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1)
    add_order(conn, 10, _lines((2, 1)), status="Completed", fulfillment_status="Fulfilled")
    add_return(conn, 20, 10, [[2, JEANS, 1, 12800]], return_type="Replace")
    open_return = documents.return_detail(conn, 20)
    assert open_return.replace_status == "NotReplaced" and open_return.refundable_cents == 0
    assert "ship_replacement" in open_return.available_actions
    assert "close" not in open_return.available_actions


def test_stored_document_is_returned_with_fresh_actions(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1)
    add_order(conn, 10, TWO_LINES, status="Accepted")
    derived = documents.order_detail(conn, 10)
    assert "cancel_order" in derived.available_actions
    changed = derived.model_copy(deep=True)
    changed.status = "Cancelled"
    changed.notes.append(
        Note(
            id="n1",
            text="Called: cancel, café closed",
            created_by="amorgan",
            created_at="2024-06-05T10:00:00Z",
        )
    )
    changed.available_actions = ["cancel_order"]  # stale on purpose
    conn.execute(
        "UPDATE orders SET doc = ?, version = 2 WHERE number = 10", (changed.model_dump_json(),)
    )
    conn.commit()
    stored = documents.order_detail(conn, 10)
    assert isinstance(stored, OrderDetail)
    assert stored.notes[0].text == "Called: cancel, café closed"
    assert stored.status == "Cancelled" and "cancel_order" not in stored.available_actions


def test_customer_audit_log_pages_newest_first(conn: sqlite3.Connection) -> None:
    add_customer(conn, 1)
    for index in range(5):
        conn.execute(
            "INSERT INTO audit_log (kind, entity_id, at, who, session_id, action, field, "
            "old_value, new_value) VALUES ('customer', '1', ?, 'amorgan', 's1', 'edit_general', "
            "'first_name', ?, ?)",
            (T0 + index, f"v{index}", f"v{index + 1}"),
        )
    conn.execute(
        "INSERT INTO audit_log (kind, entity_id, at, who, action) "
        "VALUES ('order', '1', ?, 'x', 'add_note')",
        (T0,),
    )
    conn.commit()
    page = records.audit_log(conn, "customer", 1, 2, 2)
    assert page.total == 5 and page.page == 2 and page.page_size == 2
    assert [e.new_value for e in page.entries] == ["v3", "v2"]
    assert page.entries[0].at == "2024-06-01T00:00:02Z"
    assert records.audit_log(conn, "customer", 1, 4, 2).entries == []
