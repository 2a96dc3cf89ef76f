"""An order's money after a change: line totals, order totals, payments and their rollup.

The model (shared with the demo documents): ``collected`` is what was captured, ``refunded``
what went back (credits, return refunds, appeasement refunds), ``refundable`` is collected
minus refunded and ``balance`` what is still to collect. When a change lowers the total below
what was captured, the store credits the difference back to the payments (docs/kibo-reference.md
§4.2: cancelling credits captures), so no amount ever goes negative.
"""

from __future__ import annotations

from shared_schema.entities import OrderDetail, OrderItem, Payment

NOTHING_OWED = frozenset({"Cancelled", "Abandoned"})
AWAITING_COLLECTION = frozenset(
    {"New", "Pending", "Authorized", "AuthorizePending", "CapturePending"}
)


def with_tax(amount_cents: int, tax_cents: int, subtotal_cents: int) -> int:
    """``amount`` plus its share of an order's tax."""
    return amount_cents + (amount_cents * tax_cents // subtotal_cents if subtotal_cents else 0)


def charged_units(item: OrderItem) -> int:
    return item.quantity - item.quantity_cancelled


def open_units(item: OrderItem) -> int:
    """Ordered, neither shipped nor cancelled."""
    return max(0, item.quantity - item.quantity_fulfilled - item.quantity_cancelled)


def uncollected(payment: Payment) -> int:
    return max(0, payment.amount_requested_cents - payment.amount_collected_cents)


def creditable(payment: Payment) -> int:
    return max(0, payment.amount_collected_cents - payment.amount_credited_cents)


def reprice_line(item: OrderItem, unit_price_cents: int | None = None) -> None:
    """Subtotal of the charged units; the line's tax scales with its subtotal."""
    old_subtotal = item.subtotal_cents
    if unit_price_cents is not None:
        item.unit_price_cents = unit_price_cents
    item.subtotal_cents = charged_units(item) * item.unit_price_cents
    if old_subtotal > 0:
        item.tax_cents = item.tax_cents * item.subtotal_cents // old_subtotal
    elif item.subtotal_cents == 0:
        item.tax_cents = 0
    item.total_cents = item.subtotal_cents + item.tax_cents


def retotal(order: OrderDetail) -> int:
    """Recompute the order's totals from its lines; answers how much the total went down."""
    totals = order.totals
    old_total = totals.total_cents
    totals.subtotal_cents = sum(item.subtotal_cents for item in order.items)
    totals.tax_cents = sum(item.tax_cents for item in order.items)
    if totals.subtotal_cents == 0:
        totals.shipping_cents = 0
    totals.discount_cents = max(totals.discount_cents, -totals.subtotal_cents)
    totals.total_cents = (
        totals.subtotal_cents + totals.discount_cents + totals.shipping_cents + totals.tax_cents
    )
    units = sum(charged_units(item) for item in order.items)
    fulfilled = sum(item.quantity_fulfilled for item in order.items)
    order.fulfillment.items = units
    order.fulfillment.fulfilled = fulfilled
    order.fulfillment.remaining = units - fulfilled
    return old_total - totals.total_cents


def credit_payments(order: OrderDetail, amount: int, first: Payment | None = None) -> int:
    """Credit up to ``amount`` back to the payments (``first`` first); answers what was credited."""
    left = amount
    ordered = sorted(order.payments, key=lambda p: (p is not first, -creditable(p)))
    for payment in ordered:
        share = min(left, creditable(payment))
        if share > 0:
            payment.amount_credited_cents += share
            left -= share
            settle_payment_status(payment)
    credited = amount - left
    order.totals.refunded_cents += credited
    return credited


def settle_reduction(order: OrderDetail, reduction: int) -> int:
    """After the total went down by ``reduction``: shrink open authorizations to what is still
    owed and credit back what was captured beyond the new total. Answers the amount credited."""
    totals = order.totals
    owed = max(0, totals.total_cents - totals.collected_cents)
    authorized = sum(uncollected(p) for p in order.payments if p.status in AWAITING_COLLECTION)
    for payment in reversed(order.payments):
        if authorized <= owed:
            break
        if payment.status in AWAITING_COLLECTION:
            cut = min(uncollected(payment), authorized - owed)
            payment.amount_requested_cents -= cut
            authorized -= cut
            settle_payment_status(payment)
    credited = 0
    if reduction > 0:
        over = totals.collected_cents - totals.total_cents
        refundable = max(0, totals.collected_cents - totals.refunded_cents)
        credited = credit_payments(order, max(0, min(reduction, over, refundable)))
    rebalance(order)
    return credited


def settle_payment_status(payment: Payment) -> None:
    """A payment whose authorization is all captured is Collected; all credited, Credited."""
    if payment.status in {"Voided", "Declined"}:
        return
    collected = payment.amount_collected_cents
    if collected > 0 and uncollected(payment) == 0:
        payment.status = "Credited" if payment.amount_credited_cents >= collected else "Collected"
    elif collected == 0 and payment.amount_requested_cents == 0:
        payment.status = "Voided"


def rebalance(order: OrderDetail) -> None:
    """Balance, pending, refundable and the payment rollup from totals and payments."""
    totals = order.totals
    closed = order.status in NOTHING_OWED
    totals.balance_cents = 0 if closed else max(0, totals.total_cents - totals.collected_cents)
    totals.pending_cents = (
        0
        if closed
        else sum(uncollected(p) for p in order.payments if p.status in AWAITING_COLLECTION)
    )
    totals.refundable_cents = max(0, totals.collected_cents - totals.refunded_cents)
    order.payment_status = payment_rollup(order)


def payment_rollup(order: OrderDetail) -> str:
    """The order's paymentStatus (vocab.ORDER_PAYMENT_STATUSES) from its payments.

    Refunded: everything collected went back (a cancelled order's credited captures, or
    refunds of the whole amount), whatever the status was before.
    """
    statuses = {p.status for p in order.payments}
    collected = order.totals.collected_cents
    if order.status in NOTHING_OWED and collected == 0:
        return "Voided"
    if collected > 0 and order.totals.refunded_cents >= collected:
        return "Refunded"
    if collected > 0 and order.totals.balance_cents == 0:
        return "Paid"
    if order.totals.total_cents == 0 and not order.payments:
        return "Paid"  # nothing to pay (a free replacement)
    if any(
        p.status in {"Authorized", "AuthorizePending", "CapturePending"}
        for p in order.payments
        if uncollected(p) > 0
    ):
        return "Authorized"
    if statuses & {"New", "Pending"}:
        return "Pending"
    if "Declined" in statuses:
        return "Errored"
    if statuses and statuses <= {"Voided"}:
        return "Voided"
    return "Unpaid"


def fulfillment_rollup(order: OrderDetail) -> str:
    fulfilled = sum(item.quantity_fulfilled for item in order.items)
    still_open = sum(open_units(item) for item in order.items)
    if fulfilled == 0:
        return "NotFulfilled"
    return "PartiallyFulfilled" if still_open else "Fulfilled"
