"""Tax of an order's unshipped units when its shipping address moves (docs/kibo-reference.md §5.2:
Change Address re-prices shipments not yet fulfilled or cancelled).

The store says what a destination's tax rate is (``Lookup.tax_rate_bp``; the demo store taxes
by the rates its places carry); an address without a known rate keeps the order's tax, and
the order says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from agent.domain.order.money import charged_units, open_units
from shared_schema.entities import Address, OrderDetail


@dataclass(frozen=True)
class Repricing:
    repriced: bool
    reason: str  # what the CSR reads about the tax


def reprice_open_tax(
    order: OrderDetail, old: Address, new: Address, rate_of: Callable[[Address], int | None]
) -> Repricing:
    """Set the tax of every unshipped unit to the new destination's rate."""
    units = sum(open_units(item) for item in order.items)
    if units == 0:
        return Repricing(False, "tax unchanged: nothing left to ship")
    new_rate, old_rate = rate_of(new), rate_of(old)
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
