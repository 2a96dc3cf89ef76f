"""Orders and returns for the demo seed, generated oldest first so numbers grow with time.

Statuses come in coherent profiles (a Completed order is Paid and Fulfilled, a Cancelled one
Voided and unfulfilled) and open states only on recent orders. Returns claim fulfilled units
only; Closed returns count as returned in the order's items and every order's return status
rolls its returns up. Money: ``total = subtotal + shipping_cents(subtotal, site) + tax``.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import NamedTuple

from agent.backends.demo.names import CURRENCY_BY_COUNTRY, SITE_BY_COUNTRY
from agent.backends.demo.products import PRODUCTS
from agent.backends.demo.seed_customers import FIRST_CUSTOMER_ID, Customers
from agent.backends.demo.seed_draw import TABLE_BITS, ExactSampler, spread_times, weighted_table
from agent.backends.demo.seed_people import PeopleFactory, Person
from shared_schema import vocab

REFERENCE_TIME = 1_795_132_800  # 2026-11-20T00:00:00Z: the newest data, whatever today is
FIRST_ORDER_NUMBER = 10001
FIRST_RETURN_NUMBER = 5001
HOUR = 3600
DAY = 86_400
ORDER_WINDOW = 3 * 365 * DAY
RECENT_ORDER = 21 * DAY
RECENT_RETURN = 30 * DAY
GUEST_SHARE = 0.10
REPEAT_GUEST_SHARE = 0.2
DOUBLE_RETURN_SHARE = 0.07
FREE_SHIPPING_FROM = 7500
SHIPPING_BY_SITE = {"US Store": 795, "CA Store": 1295, "UK Store": 495}

ORDER_COLUMNS = (
    "number, customer_id, customer_name, email, phone_digits, phone_last4, status, "
    "payment_status, fulfillment_status, return_status, type, channel, site, currency, "
    "submitted_at, updated_at, total_cents, collected_cents, item_count, items, address, "
    "restrict_edit, restrict_cancel"
)
RETURN_COLUMNS = (
    "number, order_number, customer_id, customer_name, email, phone_digits, phone_last4, "
    "currency, status, return_type, refund_status, reason, created_at, updated_at, "
    "refund_cents, item_count, items"
)


class OrderProfile(NamedTuple):
    status: str
    payment: str
    fulfillment: str


# (profile, weight among orders of the last three weeks, weight among older ones)
ORDER_PROFILES: tuple[tuple[OrderProfile, float, float], ...] = (
    (OrderProfile("Completed", "Paid", "Fulfilled"), 40, 84),
    (OrderProfile("Closed", "Paid", "Fulfilled"), 1, 3),
    (OrderProfile("Processing", "Paid", "PartiallyFulfilled"), 8, 0.6),
    (OrderProfile("Processing", "Paid", "NotFulfilled"), 8, 0.2),
    (OrderProfile("Processing", "Authorized", "NotFulfilled"), 6, 0.2),
    (OrderProfile("Accepted", "Authorized", "NotFulfilled"), 6, 0),
    (OrderProfile("Accepted", "Paid", "NotFulfilled"), 3, 0),
    (OrderProfile("Validated", "Authorized", "NotFulfilled"), 3, 0),
    (OrderProfile("Submitted", "Pending", "NotFulfilled"), 4, 0),
    (OrderProfile("PendingReview", "Pending", "NotFulfilled"), 2, 0.1),
    (OrderProfile("Pending", "Unpaid", "NotFulfilled"), 2, 0),
    (OrderProfile("Abandoned", "Unpaid", "NotFulfilled"), 1, 1.2),
    (OrderProfile("Errored", "Errored", "NotFulfilled"), 1, 0.3),
    (OrderProfile("Cancelled", "Voided", "NotFulfilled"), 6, 6),
)
ORDER_UPDATE_DELAY = {  # status -> (min, max) seconds from submission to the last change
    "Completed": (2 * DAY, 10 * DAY),
    "Closed": (10 * DAY, 40 * DAY),
    "Processing": (HOUR, 3 * DAY),
    "Cancelled": (10 * 60, 2 * DAY),
    "Abandoned": (2 * DAY, 2 * DAY + HOUR),
}


class ReturnProfile(NamedTuple):
    status: str
    return_type: str
    refund_status: str


RETURN_PROFILES: tuple[tuple[ReturnProfile, float, float], ...] = (
    (ReturnProfile("Created", "Refund", "NotRefunded"), 18, 0),
    (ReturnProfile("Created", "Replace", "NotRefunded"), 4, 0),
    (ReturnProfile("Authorized", "Refund", "NotRefunded"), 16, 0.5),
    (ReturnProfile("Authorized", "Refund", "PartiallyRefunded"), 4, 0.5),
    (ReturnProfile("Authorized", "Replace", "NotRefunded"), 4, 0),
    (ReturnProfile("Closed", "Refund", "FullyRefunded"), 28, 62),
    (ReturnProfile("Closed", "Refund", "PartiallyRefunded"), 6, 8),
    (ReturnProfile("Closed", "Replace", "NotRefunded"), 6, 12),
    (ReturnProfile("Rejected", "Refund", "NotRefunded"), 5, 6),
    (ReturnProfile("Rejected", "Replace", "NotRefunded"), 1, 1),
    (ReturnProfile("Cancelled", "Refund", "NotRefunded"), 5, 7),
    (ReturnProfile("Cancelled", "Replace", "NotRefunded"), 2, 2),
)
RETURN_UPDATE_DELAY = {
    "Created": (60, 2 * HOUR),
    "Authorized": (DAY, 4 * DAY),
    "Closed": (6 * DAY, 21 * DAY),
    "Rejected": (DAY, 5 * DAY),
    "Cancelled": (10 * 60, 3 * DAY),
}
# Statuses whose items are spoken for: they can't be claimed again by another return.
CLAIMING_RETURN_STATUSES = frozenset({"Created", "Authorized", "Closed"})

OFFLINE_CHANNELS = frozenset({"Store", "CallCenter"})
CHANNEL_TABLE = weighted_table(
    [
        ((channel, "Offline" if channel in OFFLINE_CHANNELS else "Online"), weight)
        for channel, weight in (("Web", 72), ("CallCenter", 12), ("Store", 9), ("Marketplace", 7))
    ]
)
LINE_COUNT_TABLE = weighted_table([(1, 45), (2, 28), (3, 15), (4, 8), (5, 4)])
QUANTITY_TABLE = weighted_table([(1, 80), (2, 14), (3, 4), (4, 2)])
REASON_TABLE = weighted_table(
    [
        ("Damaged", 14),
        ("Defective", 14),
        ("MissingParts", 6),
        ("DifferentExpectations", 28),
        ("Late", 6),
        ("NoLongerWanted", 26),
        ("Other", 6),
    ]
)


def shipping_cents(subtotal_cents: int, site: str) -> int:
    """The seed's shipping charge: free from 75.00, else a flat rate per site."""
    return 0 if subtotal_cents >= FREE_SHIPPING_FROM else SHIPPING_BY_SITE[site]


def _profile_tables(profiles: tuple, column: int) -> list[int]:
    return weighted_table([(index, entry[column]) for index, entry in enumerate(profiles)])


class OrderBook:
    """Generates the order rows (``rows()``) and, as a by-product, the return rows and each
    account's order totals."""

    def __init__(
        self,
        rng: random.Random,
        people: PeopleFactory,
        customers: Customers,
        order_count: int,
        return_count: int,
        reference: int = REFERENCE_TIME,
    ) -> None:
        self._rng = rng
        self._people = people
        self._customers = customers
        self._reference = reference
        self.order_count = order_count
        self.times = spread_times(rng, order_count, reference - ORDER_WINDOW, reference - HOUR)
        self._profiles = self._draw_profiles()
        eligible = [
            i
            for i, p in enumerate(self._profiles)
            if ORDER_PROFILES[p][0].fulfillment != "NotFulfilled"
        ]
        # The newest eligible orders get one return of every kind, so every status shows.
        forced = eligible[-len(RETURN_PROFILES) :]
        self._forced_returns = {order: kind for kind, order in enumerate(forced)}
        sampled = max(0, return_count - len(forced))
        doubles = int(sampled * DOUBLE_RETURN_SHARE)
        self._with_returns = ExactSampler(rng, len(eligible) - len(forced), sampled - doubles)
        self._doubles = ExactSampler(rng, sampled - doubles, doubles)
        self._guests: list[tuple[Person, str]] = []
        self._sku_table = self._popularity_table()
        self._recent_returns = _profile_tables(RETURN_PROFILES, 1)
        self._old_returns = _profile_tables(RETURN_PROFILES, 2)
        self._refused_returns = [
            i
            for i, (p, _, _) in enumerate(RETURN_PROFILES)
            if p.status not in CLAIMING_RETURN_STATUSES
        ]
        self.returns: list[tuple] = []

    def _draw_profiles(self) -> bytearray:
        bits = self._rng.getrandbits
        recent, old = _profile_tables(ORDER_PROFILES, 1), _profile_tables(ORDER_PROFILES, 2)
        recent_from = self._reference - RECENT_ORDER
        profiles = bytearray(
            (recent if t >= recent_from else old)[bits(TABLE_BITS)] for t in self.times
        )
        # The newest orders show every profile once.
        start = max(0, self.order_count - len(ORDER_PROFILES))
        for offset in range(min(self.order_count, len(ORDER_PROFILES))):
            profiles[start + offset] = offset
        return profiles

    def _popularity_table(self) -> list[tuple[str, int]]:
        skus = sorted(PRODUCTS)
        self._rng.shuffle(skus)
        return weighted_table(
            [((sku, PRODUCTS[sku][1]), 1 / (rank + 8)) for rank, sku in enumerate(skus)]
        )

    def _guest(self) -> tuple[Person, str]:
        """A shopper without an account, and the address JSON their order carries."""
        rng, guests = self._rng, self._guests
        if guests and rng.random() < REPEAT_GUEST_SHARE:
            return guests[int(rng.random() * len(guests))]
        person = self._people.person(self._people.country())
        address = {
            "address1": person.address1,
            "city": person.city,
            "state": person.state,
            "postal_code": person.postal_code,
            "country": person.country,
            "phone": person.phone,
        }
        guest = (person, json.dumps(address, ensure_ascii=False, separators=(",", ":")))
        guests.append(guest)
        return guest

    def rows(self) -> Iterator[tuple]:
        bits, rand = self._rng.getrandbits, self._rng.random
        customers = self._customers
        buyers = [
            _buyer(person, exempt)
            for person, exempt in zip(customers.people, customers.tax_exempt, strict=True)
        ]
        sku_table, forced_returns = self._sku_table, self._forced_returns
        forced_from = self.order_count - len(ORDER_PROFILES)
        cutoff = self._reference - 60
        profiles = [_ProfileFacts.of(profile) for profile, _, _ in ORDER_PROFILES]
        for i, submitted in enumerate(self.times):
            number = FIRST_ORDER_NUMBER + i
            facts = profiles[self._profiles[i]]
            buyer = -1 if rand() < GUEST_SHARE else customers.buyer_at(submitted)
            if buyer < 0:
                person, address = self._guest()
                customer_id = None
                name, email, digits, last4, site, currency, tax_bp = _buyer(person, False)
            else:
                address = None
                customer_id = FIRST_CUSTOMER_ID + buyer
                name, email, digits, last4, site, currency, tax_bp = buyers[buyer]
            channel, order_type = CHANNEL_TABLE[bits(TABLE_BITS)]
            if i >= forced_from:
                channel = vocab.CHANNELS[i % len(vocab.CHANNELS)]
                order_type = "Offline" if channel in OFFLINE_CHANNELS else "Online"

            lines: list[list] = []
            skus: list[str] = []
            subtotal = units = 0
            for _ in range(LINE_COUNT_TABLE[bits(TABLE_BITS)]):
                sku, price = sku_table[bits(TABLE_BITS)]
                if sku not in skus:
                    skus.append(sku)
                    quantity = QUANTITY_TABLE[bits(TABLE_BITS)]
                    lines.append([sku, quantity, price, quantity if facts.shipped else 0, 0])
                    subtotal += quantity * price
                    units += quantity
            if facts.partial:
                subtotal, units = _ship_partially(lines)
            total = subtotal + shipping_cents(subtotal, site) + subtotal * tax_bp // 10_000

            updated = submitted + facts.delay + int(rand() * facts.delay_spread)
            if updated > cutoff:
                updated = submitted + int((cutoff - submitted) * rand())
            return_status = "None"
            payment_status = facts.payment
            if facts.returnable:
                kind = forced_returns.get(i)
                count = 0
                if kind is not None:
                    count = 1
                elif self._with_returns.take():
                    count = 2 if self._doubles.take() else 1
                if count:
                    contact = (number, customer_id, name, email, digits, last4, currency)
                    last, open_claims, refunded = self._make_returns(
                        contact, submitted, lines, tax_bp, count, kind
                    )
                    updated = max(updated, last)
                    return_status = _return_rollup(lines, units, open_claims)
                    if facts.paid and refunded >= total:
                        payment_status = "Refunded"  # its returns gave all of it back
            if buyer >= 0:
                customers.order_count[buyer] += 1
            if buyer >= 0 and facts.counts_for_customer:
                customers.lifetime_value[buyer] += total
                customers.last_order_at[buyer] = submitted
            items = ",".join([f'["{s}",{q},{p},{f},{r}]' for s, q, p, f, r in lines])
            restrictions = bits(16)
            yield (
                number,
                customer_id,
                name,
                email,
                digits,
                last4,
                facts.status,
                payment_status,
                facts.fulfillment,
                return_status,
                order_type,
                channel,
                site,
                currency,
                submitted,
                updated,
                total,
                total if facts.paid else 0,
                units,
                f"[{items}]",
                address,
                int(restrictions & 255 < 5),
                int(restrictions >> 8 < 5),
            )

    def _make_returns(
        self,
        contact: tuple[int, int | None, str, str, str, str, str],
        submitted: int,
        lines: list[list],
        tax_bp: int,
        count: int,
        forced_kind: int | None,
    ) -> tuple[int, bool, int]:
        """Appends ``count`` returns of one order; answers the last change time among them,
        whether one of them is still open and how much they refunded."""
        rng = self._rng
        latest_created = self._reference - HOUR
        created = submitted + 2 * DAY + int(rng.random() ** 2 * 45 * DAY)
        if created > latest_created:
            created = submitted + int((latest_created - submitted) * rng.random())
        claimed = [0] * len(lines)
        open_claims = False
        last_change = created
        refunded = 0
        for n in range(count):
            if forced_kind is not None:
                kind = forced_kind
                reason = vocab.RETURN_REASONS[forced_kind % len(vocab.RETURN_REASONS)]
            else:
                if n < count - 1:  # a first attempt that was refused, then the real return
                    kind = self._refused_returns[int(rng.random() * len(self._refused_returns))]
                else:
                    table = (
                        self._recent_returns
                        if self._reference - created < RECENT_RETURN
                        else self._old_returns
                    )
                    kind = table[rng.getrandbits(TABLE_BITS)]
                reason = REASON_TABLE[rng.getrandbits(TABLE_BITS)]
            profile = RETURN_PROFILES[kind][0]
            claims = profile.status in CLAIMING_RETURN_STATUSES
            items = _pick_return_items(rng, lines, claimed if claims else [0] * len(lines))
            if claims:
                for line_index, quantity in items:
                    claimed[line_index] += quantity
                    if profile.status == "Closed":
                        lines[line_index][4] += quantity
                    else:
                        open_claims = True
            value = sum(quantity * lines[j][2] for j, quantity in items)
            refund = _refund(rng, profile.refund_status, value + value * tax_bp // 10_000)
            refunded += refund
            low, high = RETURN_UPDATE_DELAY[profile.status]
            updated = created + low + int(rng.random() * (high - low))
            if updated > self._reference - 60:
                updated = created + int((self._reference - 60 - created) * rng.random())
            last_change = max(last_change, updated)
            item_json = ",".join(
                f'[{j + 1},"{lines[j][0]}",{quantity},{lines[j][2]}]' for j, quantity in items
            )
            self.returns.append(
                (
                    created,
                    *contact,
                    profile.status,
                    profile.return_type,
                    profile.refund_status,
                    reason,
                    created,
                    updated,
                    refund,
                    sum(quantity for _, quantity in items),
                    f"[{item_json}]",
                )
            )
            created = updated + int(rng.random() * 10 * DAY)
            if created > latest_created:
                created = updated + int((latest_created - updated) * rng.random())
        return last_change, open_claims, refunded

    def numbered_returns(self) -> list[tuple]:
        """The return rows, numbered in the order they were created."""
        self.returns.sort(key=lambda row: row[0])
        return [(FIRST_RETURN_NUMBER + k, *row[1:]) for k, row in enumerate(self.returns)]


def _ship_partially(lines: list[list]) -> tuple[int, int]:
    """Ships all but the last line (a single line: half its units); answers the subtotal and
    unit count, which grow when a single unit had to become two to be split."""
    if len(lines) == 1:
        lines[0][1] = max(2, lines[0][1])
        lines[0][3] = lines[0][1] // 2
    else:
        for line in lines[:-1]:
            line[3] = line[1]
    return sum(line[1] * line[2] for line in lines), sum(line[1] for line in lines)


class _ProfileFacts(NamedTuple):
    status: str
    payment: str
    fulfillment: str
    shipped: bool  # every unit ships
    partial: bool
    returnable: bool
    paid: bool
    counts_for_customer: bool
    delay: int  # seconds from submission to the last change: delay + random * delay_spread
    delay_spread: int

    @classmethod
    def of(cls, profile: OrderProfile) -> _ProfileFacts:
        low, high = ORDER_UPDATE_DELAY.get(profile.status, (60, 6 * HOUR))
        return cls(
            *profile,
            shipped=profile.fulfillment == "Fulfilled",
            partial=profile.fulfillment == "PartiallyFulfilled",
            returnable=profile.fulfillment != "NotFulfilled",
            paid=profile.payment == "Paid",
            counts_for_customer=profile.status != "Cancelled",
            delay=low,
            delay_spread=high - low,
        )


def _buyer(person: Person, tax_exempt: bool) -> tuple[str, str, str, str, str, str, int]:
    """What an order copies from its buyer: name, email, phone digits, last four, site,
    currency and tax rate."""
    return (
        f"{person.first_name} {person.last_name}",
        person.email,
        person.phone_digits,
        person.phone_last4,
        SITE_BY_COUNTRY[person.country],
        CURRENCY_BY_COUNTRY[person.country],
        0 if tax_exempt else person.tax_rate_bp,
    )


def _pick_return_items(
    rng: random.Random, lines: list[list], claimed: list[int]
) -> list[tuple[int, int]]:
    """(line index, quantity) pairs among the units fulfilled and not yet claimed."""
    open_lines = [j for j, line in enumerate(lines) if line[3] > claimed[j]]
    size = 1 if rng.random() < 0.75 else rng.randrange(1, len(open_lines) + 1)
    chosen = sorted(rng.sample(open_lines, size))
    items = []
    for j in chosen:
        available = lines[j][3] - claimed[j]
        quantity = available if rng.random() < 0.7 else rng.randrange(1, available + 1)
        items.append((j, quantity))
    return items


def _refund(rng: random.Random, refund_status: str, refundable: int) -> int:
    if refund_status == "FullyRefunded":
        return refundable
    if refund_status == "PartiallyRefunded":
        return max(1, min(refundable - 1, int(refundable * (0.4 + 0.5 * rng.random()))))
    return 0


def _return_rollup(lines: list[list], units: int, open_claims: bool) -> str:
    returned = sum(line[4] for line in lines)
    if returned and returned == units:
        return "FullyReturned"
    if returned:
        return "PartiallyReturned"
    return "ReturnRequested" if open_claims else "None"
