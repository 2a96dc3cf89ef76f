"""How a demo order's total splits into shipping and tax, and what a refund gives back."""

from __future__ import annotations

from agent.backends.demo.seed_orders import SHIPPING_BY_SITE, shipping_cents


def order_charges(total_cents: int, subtotal_cents: int, site: str) -> tuple[int, int]:
    """(shipping, tax) of an order: the store's shipping rate, the rest of the total beyond the
    items is tax. A total below the items' subtotal holds a discount and neither."""
    beyond_items = max(total_cents - subtotal_cents, 0)
    rate = shipping_cents(subtotal_cents, site) if site in SHIPPING_BY_SITE else 0
    shipping = min(beyond_items, rate)
    return shipping, beyond_items - shipping


def with_tax(amount_cents: int, tax_cents: int, subtotal_cents: int) -> int:
    """``amount`` plus its share of an order's tax."""
    return amount_cents + (amount_cents * tax_cents // subtotal_cents if subtotal_cents else 0)
