"""Tax of an order's unshipped units when its shipping address moves (docs/kibo-reference.md §5.2:
Change Address re-prices shipments not yet fulfilled or cancelled).

The demo store taxes by destination with the rates its places carry; an address outside
them has no known rate, and the order then keeps its tax and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.backends.demo.names import PLACES_BY_COUNTRY
from agent.domain.order.money import charged_units, open_units
from shared_schema.entities import Address, OrderDetail


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


@dataclass(frozen=True)
class Repricing:
    repriced: bool
    reason: str  # what the CSR reads about the tax


def reprice_open_tax(order: OrderDetail, old: Address, new: Address) -> Repricing:
    """Set the tax of every unshipped unit to the new destination's rate."""
    units = sum(open_units(item) for item in order.items)
    if units == 0:
        return Repricing(False, "tax unchanged: nothing left to ship")
    new_rate, old_rate = tax_rate_bp(new), tax_rate_bp(old)
    if new_rate is None:
        return Repricing(
            False, f"tax not re-priced: no tax rate known for {new.city}, {new.state} {new.country}"
        )
    if order.totals.tax_cents == 0 and (old_rate or 0) > 0:
        return Repricing(False, "tax not re-priced: the order is tax exempt")
    for item in order.items:
        units_open = open_units(item)
        charged = charged_units(item)
        if units_open == 0 or charged == 0:
            continue
        open_share = item.tax_cents * units_open // charged
        new_share = units_open * item.unit_price_cents * new_rate // 10_000
        item.tax_cents += new_share - open_share
        item.total_cents = item.subtotal_cents + item.tax_cents
    return Repricing(True, f"tax of {units} unshipped unit(s) re-priced at {new_rate / 100:g}%")
