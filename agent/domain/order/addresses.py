"""Order contact edits: billing address, shipping address (re-prices unshipped tax), email."""

from __future__ import annotations

from agent.domain.common import (
    changes_between,
    money,
    record,
    refuse,
    reject_input,
    working_copy,
)
from agent.domain.order.guards import require_editable, require_offered
from agent.domain.order.money import retotal, settle_reduction
from agent.domain.order.offers import ORDER_CLOSED
from agent.domain.order.tax import reprice_open_tax
from agent.domain.outcome import ActionContext, ActionOutcome, Lookup
from shared_schema.actions_orders import ChangeOrderAddressRequest, ChangeOrderEmailRequest
from shared_schema.entities import OrderDetail, PartyAddress


def _require_address_editable(order: OrderDetail) -> None:
    require_editable(order)
    if order.status in ORDER_CLOSED:
        refuse(
            f"Order #{order.number} is {order.status}: its addresses can no longer change",
            "order_closed",
        )
    if order.fulfillment_status == "Fulfilled":
        refuse(
            f"Order #{order.number} has shipped in full: its addresses can no longer change",
            "order_shipped",
        )


def _one_line(party: PartyAddress) -> str:
    a = party.address
    return (
        f"{party.first_name} {party.last_name}, {a.address1}, {a.city} {a.state} "
        f"{a.postal_code} {a.country}"
    )


def change_billing_address(
    order: OrderDetail, request: ChangeOrderAddressRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    _require_address_editable(order)
    require_offered(order, "change_billing_address")
    after = working_copy(order)
    after.billing_address = request.address.to_party()
    record(
        after,
        ctx,
        "Order",
        "BillingChanged",
        "Billing address changed",
        old=_one_line(order.billing_address),
        new=_one_line(after.billing_address),
    )
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message="Billing address changed; tax follows the shipping address and was not re-priced.",
    )


def change_shipping_address(
    order: OrderDetail, request: ChangeOrderAddressRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    _require_address_editable(order)
    require_offered(order, "change_shipping_address")
    after = working_copy(order)
    after.shipping_address = request.address.to_party()
    pricing = reprice_open_tax(
        after, order.shipping_address.address, after.shipping_address.address, lookup.tax_rate_bp
    )
    if pricing.repriced:
        settle_reduction(after, retotal(after))
    record(
        after,
        ctx,
        "Order",
        "ShippingChanged",
        f"Shipping address changed; {pricing.reason}",
        old=_one_line(order.shipping_address),
        new=_one_line(after.shipping_address),
        amount_cents=after.totals.total_cents if pricing.repriced else None,
    )
    message = f"Shipping address changed; {pricing.reason}."
    if pricing.repriced and after.totals.total_cents != order.totals.total_cents:
        message = (
            f"Shipping address changed; {pricing.reason}: total "
            f"{money(order.totals.total_cents, order.currency)} → "
            f"{money(after.totals.total_cents, order.currency)}."
        )
    if after.totals.balance_cents > order.totals.balance_cents:
        message += (
            f" The order now owes {money(after.totals.balance_cents, order.currency)}"
            " beyond its payments."
        )
    return ActionOutcome(document=after, changes=changes_between(order, after), message=message)


def change_email(
    order: OrderDetail, request: ChangeOrderEmailRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    require_editable(order)
    require_offered(order, "change_email")
    if request.email.casefold() == order.email.casefold():
        reject_input(f"Order #{order.number} already uses {order.email}", "unchanged", "email")
    after = working_copy(order)
    after.email = request.email
    record(
        after,
        ctx,
        "Order",
        "EmailChanged",
        "Order email changed",
        old=order.email,
        new=request.email,
    )
    return ActionOutcome(
        document=after,
        changes=changes_between(order, after),
        message=f"Order emails now go to {request.email}.",
    )
