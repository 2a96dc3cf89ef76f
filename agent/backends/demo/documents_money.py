"""How a demo order's total splits into shipping and tax, and the tax rate of a destination."""

from __future__ import annotations

from agent.backends.demo.names import PLACES_BY_COUNTRY
from agent.backends.demo.seed_orders import SHIPPING_BY_SITE, shipping_cents
from shared_schema.entities import Address


def order_charges(total_cents: int, subtotal_cents: int, site: str) -> tuple[int, int]:
    """(shipping, tax) of an order: the store's shipping rate, the rest of the total beyond the
    items is tax. A total below the items' subtotal holds a discount and neither."""
    beyond_items = max(total_cents - subtotal_cents, 0)
    rate = shipping_cents(subtotal_cents, site) if site in SHIPPING_BY_SITE else 0
    shipping = min(beyond_items, rate)
    return shipping, beyond_items - shipping


def tax_rate_bp(address: Address) -> int | None:
    """The destination's rate in basis points: its city's, else the one rate its whole state
    or province uses; None when unknown."""
    places = [
        p
        for p in PLACES_BY_COUNTRY.get(address.country.upper(), ())
        if p.region.casefold() == address.state.strip().casefold()
    ]
    for place in places:
        if place.city.casefold() == address.city.strip().casefold():
            return place.tax_rate_bp
    rates = {p.tax_rate_bp for p in places}
    return rates.pop() if len(rates) == 1 else None
