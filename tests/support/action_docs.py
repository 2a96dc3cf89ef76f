"""Hand-built order, return and customer documents for the pure rule tests, an in-memory
Lookup over them, and a helper that validates a request and runs a rule."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from agent.backends.demo.documents_money import tax_rate_bp
from agent.backends.demo.writer_rows import api_id
from agent.domain import catalog
from agent.domain.customer.offers import refresh_customer_actions
from agent.domain.order.offers import refresh_order_actions
from agent.domain.outcome import ActionContext, ActionOutcome, Lookup
from agent.domain.return_.offers import refresh_return_actions
from shared_schema.common import EntityKind
from shared_schema.entities import (
    Address,
    CustomerDetail,
    FulfillmentSummary,
    OrderDetail,
    OrderItem,
    OrderTotals,
    PartyAddress,
    Payment,
    ReturnDetail,
    ReturnItem,
    ReturnReason,
    ReturnSummary,
    Shipment,
    ShipmentItem,
)

CTX = ActionContext(who="Dana Reyes", session_id="s-1", now="2026-11-26T12:00:00Z")
AUSTIN = Address(
    address1="1 Congress Ave", city="Austin", state="TX", postal_code="78701", country="US"
)
PORTLAND = Address(
    address1="9 Burnside St", city="Portland", state="OR", postal_code="97201", country="US"
)
TEE, MUG = "APP-TEE-001", "HOM-MUG-001"
# Two lines: 2 x 25.00 and 1 x 40.00; 8.25% Austin tax; free shipping from 75.00.
SUBTOTAL, TAX = 9000, 742
TOTAL = SUBTOTAL + TAX


def party(address: Address = AUSTIN, email: str = "zoe@example.com") -> PartyAddress:
    return PartyAddress(
        first_name="Zoë", last_name="Núñez", email=email, phone="(512) 555-0134", address=address
    )


def order_doc(
    *,
    status: str = "Processing",
    payment_status: str = "Authorized",
    collected: int = 0,
    fulfilled: tuple[int, int] = (0, 0),
    returnable: tuple[int, int] | None = None,
    restrict_edit: bool = False,
    restrict_cancellation: bool = False,
    customer_id: str | None = "42",
) -> OrderDetail:
    """Order #10001 of two lines; ``fulfilled`` units per line shipped in one shipment."""
    lines = [(1, TEE, "Tee", 2, 2500, 412), (2, MUG, "Mug", 1, 4000, TAX - 412)]
    items = [
        OrderItem(
            line_id=line_id,
            product_code=sku,
            name=name,
            quantity=qty,
            unit_price_cents=price,
            subtotal_cents=qty * price,
            tax_cents=tax,
            total_cents=qty * price + tax,
            quantity_fulfilled=fulfilled[line_id - 1],
            quantity_returned=0,
            quantity_cancelled=0,
            quantity_returnable=(returnable or fulfilled)[line_id - 1],
        )
        for line_id, sku, name, qty, price, tax in lines
    ]
    shipments = []
    if any(fulfilled):
        shipments.append(_shipment(100011, "FULFILLED", items, lambda i: i.quantity_fulfilled))
    if status not in {"Completed", "Cancelled", "Closed"}:
        shipments.append(
            _shipment(100012, "READY", items, lambda i: i.quantity - i.quantity_fulfilled)
        )
    units, shipped = 3, sum(fulfilled)
    payment_state = (
        "Collected"
        if collected >= TOTAL
        else ("Authorized" if payment_status in {"Authorized", "Paid"} else "Pending")
    )
    order = OrderDetail(
        id="order-10001",
        number=10001,
        version=3,
        status=status,
        payment_status=payment_status,
        fulfillment_status=(
            "Fulfilled" if shipped == units else "PartiallyFulfilled" if shipped else "NotFulfilled"
        ),
        return_status="None",
        type="Online",
        channel="Web",
        site="US Store",
        currency="USD",
        customer_id=customer_id,
        customer_name="Zoë Núñez",
        email="zoe@example.com",
        phone="(512) 555-0134",
        submitted_at="2026-11-20T10:00:00Z",
        updated_at="2026-11-21T10:00:00Z",
        restrict_edit=restrict_edit,
        restrict_cancellation=restrict_cancellation,
        totals=OrderTotals(
            subtotal_cents=SUBTOTAL,
            discount_cents=0,
            shipping_cents=0,
            tax_cents=TAX,
            total_cents=TOTAL,
            collected_cents=collected,
            pending_cents=TOTAL - collected,
            balance_cents=TOTAL - collected,
            refunded_cents=0,
            refundable_cents=collected,
        ),
        fulfillment=FulfillmentSummary(items=units, fulfilled=shipped, remaining=units - shipped),
        billing_address=party(),
        shipping_address=party(),
        shipping_method="Standard Ground",
        items=items,
        payments=[
            Payment(
                id="pay-1",
                type="CreditCard",
                status=payment_state,
                card_brand="Visa",
                card_last4="4242",
                amount_requested_cents=TOTAL,
                amount_collected_cents=collected,
                amount_credited_cents=0,
            )
        ],
        shipments=shipments,
        returns=[],
        notes=[],
        history=[],
    )
    return refresh_order_actions(order)


def _shipment(number: int, status: str, items: list[OrderItem], quantity: Any) -> Shipment:
    return Shipment(
        number=number,
        status=status,
        fulfillment_status="Fulfilled" if status == "FULFILLED" else "NotFulfilled",
        shipping_method="Standard Ground",
        carrier="UPS",
        tracking_number="1Z999" if status == "FULFILLED" else None,
        items=[
            ShipmentItem(
                line_id=i.line_id, product_code=i.product_code, name=i.name, quantity=quantity(i)
            )
            for i in items
            if quantity(i) > 0
        ],
        fulfilled_at="2026-11-22T10:00:00Z" if status == "FULFILLED" else None,
    )


def shipped_paid_order(**overrides: Any) -> OrderDetail:
    """Completed, paid in full, every unit shipped and returnable."""
    values: dict[str, Any] = {
        "status": "Completed",
        "payment_status": "Paid",
        "collected": TOTAL,
        "fulfilled": (2, 1),
    }
    return order_doc(**(values | overrides))


def return_doc(
    order: OrderDetail,
    *,
    status: str = "Authorized",
    return_type: str = "Refund",
    quantities: tuple[int, int] = (2, 0),
    refundable: int | None = None,
) -> ReturnDetail:
    """Return #5001 of ``order``; its units are taken out of the order's returnable ones and
    its summary is listed on the order."""
    lines = [(item, q) for item, q in zip(order.items, quantities, strict=True) if q]
    value = sum(item.unit_price_cents * q for item, q in lines)
    value += value * order.totals.tax_cents // order.totals.subtotal_cents
    ret = ReturnDetail(
        id="return-5001",
        number=5001,
        version=2,
        status=status,
        return_type=return_type,
        refund_status="NotRefunded",
        receive_status="Waiting",
        replace_status="NotReplaced" if return_type == "Replace" else "NotRequested",
        reason="Damaged",
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        customer_name=order.customer_name,
        email=order.email,
        created_at="2026-11-23T10:00:00Z",
        updated_at="2026-11-23T10:00:00Z",
        currency="USD",
        items=[
            ReturnItem(
                id=f"5001-{n + 1}",
                order_line_id=item.line_id,
                product_code=item.product_code,
                name=item.name,
                quantity=q,
                quantity_received=0,
                quantity_restocked=0,
                quantity_refunded=0,
                quantity_replaced=0,
                reasons=[ReturnReason(reason="Damaged", quantity=q)],
                unit_price_cents=item.unit_price_cents,
            )
            for n, (item, q) in enumerate(lines)
        ],
        refundable_cents=(0 if return_type == "Replace" else value)
        if refundable is None
        else refundable,
        refunded_cents=0,
        refunds=[],
        notes=[],
        history=[],
    )
    for item, q in lines:
        item.quantity_returnable -= q
    order.returns.append(
        ReturnSummary(
            id=ret.id,
            number=ret.number,
            status=status,
            return_type=return_type,
            refund_status="NotRefunded",
            reason="Damaged",
            item_count=sum(quantities),
            refunded_cents=0,
            created_at=ret.created_at,
            updated_at=ret.updated_at,
        )
    )
    order.return_status = "ReturnRequested"
    refresh_order_actions(order)
    return refresh_return_actions(ret)


def customer_doc(customer_id: str = "42") -> CustomerDetail:
    return refresh_customer_actions(
        CustomerDetail(
            id=customer_id,
            version=5,
            first_name="Zoë",
            last_name="Núñez",
            full_name="Zoë Núñez",
            initials="ZN",
            email="zoe@example.com",
            username="zoe@example.com",
            phone="(512) 555-0134",
            registered=True,
            account_status="Active",
            customer_set="default",
            segments=[],
            created_at="2024-01-01T00:00:00Z",
            updated_at="2026-01-01T00:00:00Z",
            accepts_marketing=False,
            tax_exempt=False,
            tax_id="",
            currency="USD",
            lifetime_value_cents=TOTAL,
            order_count=1,
            last_order_at="2026-11-20T10:00:00Z",
            primary_address=AUSTIN,
            contacts=[],
            payment_methods=[],
            notes=[],
            attributes=[],
            store_credits=[],
            wishlists=[],
        )
    )


class MemoryLookup:
    """The Lookup over a few documents held in memory, with the demo store's ids and tax
    rates."""

    def __init__(self, *docs: BaseModel) -> None:
        self.docs: dict[tuple[str, int], BaseModel] = {}
        for doc in docs:
            self.put(doc)

    def put(self, doc: BaseModel) -> None:
        if isinstance(doc, CustomerDetail):
            self.docs[("customer", int(doc.id))] = doc
        elif isinstance(doc, OrderDetail):
            self.docs[("order", doc.number)] = doc
        else:
            assert isinstance(doc, ReturnDetail)
            self.docs[("return", doc.number)] = doc

    def customer(self, customer_id: int) -> BaseModel:
        return self.docs[("customer", customer_id)]

    def order(self, number: int) -> BaseModel:
        return self.docs[("order", number)]

    def return_(self, number: int) -> BaseModel:
        return self.docs[("return", number)]

    def customer_holding(self, login: str, value: str, other_than: int) -> int | None:
        return next(
            (
                number
                for (kind, number), doc in self.docs.items()
                if kind == "customer"
                and number != other_than
                and str(getattr(doc, login)).lower() == value.lower()
            ),
            None,
        )

    def entity_id(self, kind: EntityKind, number: int) -> str:
        return api_id(kind, number)

    def tax_rate_bp(self, address: Address) -> int | None:
        return tax_rate_bp(address)


def run(
    kind: str, action: str, doc: BaseModel, body: dict[str, Any], lookup: Lookup | None = None
) -> ActionOutcome:
    """Validate ``body`` with the action's request model, then apply its rule to ``doc``."""
    definition = catalog.find(kind, action)
    assert definition is not None, (kind, action)
    request = definition.request.model_validate({"expected_version": doc.version, **body})
    return definition.rule(doc, request, CTX, lookup or MemoryLookup(doc))


def settle(outcome: ActionOutcome, lookup: MemoryLookup, new_number: int = 7001) -> BaseModel:
    """Apply an outcome to the in-memory store as the writer does: created entities first
    (numbered from ``new_number``), then every changed document with its actions refreshed
    and version + 1. Answers the target document."""
    for offset, create in enumerate(outcome.creates):
        lookup.put(create.build(new_number + offset))
    for update in outcome.updates:
        lookup.put(_stamp(update.document))
    target = _stamp(outcome.document)
    lookup.put(target)
    return target


def _stamp(doc: BaseModel) -> BaseModel:
    doc = doc.model_copy(update={"version": getattr(doc, "version") + 1}, deep=True)  # noqa: B009
    if isinstance(doc, OrderDetail):
        return refresh_order_actions(doc)
    if isinstance(doc, ReturnDetail):
        return refresh_return_actions(doc)
    assert isinstance(doc, CustomerDetail)
    return refresh_customer_actions(doc)
