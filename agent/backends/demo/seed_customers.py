"""Customer accounts for the demo seed: who they are, who buys how much, and their final rows
(with order totals, segments and a short audit trail).
"""

from __future__ import annotations

import random

from agent.backends.demo.names import CSR_NAMES
from agent.backends.demo.seed_draw import TABLE_BITS, spread_times, weighted_table
from agent.backends.demo.seed_people import PeopleFactory, Person
from shared_schema import vocab

FIRST_CUSTOMER_ID = 1001
DAY = 86_400
YEAR = 365 * DAY
SYSTEM_USER = "system"

ACCOUNT_STATUS_TABLE = weighted_table([("Active", 95), ("Disabled", 3), ("Locked", 2)])
CUSTOMER_SET_TABLE = weighted_table([("default", 91), ("wholesale", 5), ("employees", 4)])
# How many tickets a customer holds in the order draw: none never orders, heavy buyers often.
BUYER_WEIGHT_TABLE = weighted_table([(0, 18), (1, 55), (3, 20), (12, 7)])

CUSTOMER_COLUMNS = (
    "id, first_name, last_name, email, username, phone, phone_digits, phone_last4, "
    "account_status, customer_set, segments, created_at, updated_at, address1, city, state, "
    "postal_code, country, accepts_marketing, tax_exempt, tax_id, order_count, "
    "lifetime_value_cents, last_order_at"
)


class Customers:
    """All accounts, created in id order over ``[start, end)``. The order generator picks
    buyers with ``buyer_at`` and adds each order to ``order_count``, ``lifetime_value`` and
    ``last_order_at``."""

    def __init__(
        self, rng: random.Random, people: PeopleFactory, count: int, start: int, end: int
    ) -> None:
        self._rng = rng
        self._people = people
        self.count = count
        self.people: list[Person] = [people.person(people.country()) for _ in range(count)]
        self.created_at = spread_times(rng, count, start, end)
        bits = rng.getrandbits
        self.status = [ACCOUNT_STATUS_TABLE[bits(TABLE_BITS)] for _ in range(count)]
        self.customer_set = [CUSTOMER_SET_TABLE[bits(TABLE_BITS)] for _ in range(count)]
        # Every vocabulary word appears even in the smallest store.
        for i, status in enumerate(vocab.ACCOUNT_STATUSES[1:]):
            self.status[min(count - 1, 3 + i)] = status
        for i, code in enumerate(vocab.CUSTOMER_SETS[1:]):
            self.customer_set[min(count - 1, 7 + i)] = code
        self.marketing = [rng.random() < 0.45 for _ in range(count)]
        self.tax_exempt = [code == "wholesale" or rng.random() < 0.01 for code in self.customer_set]
        self._weight = [BUYER_WEIGHT_TABLE[bits(TABLE_BITS)] for _ in range(count)]
        self.order_count = [0] * count
        self.lifetime_value = [0] * count
        self.last_order_at: list[int | None] = [None] * count
        self._tickets: list[int] = []
        self._joined = 0

    def buyer_at(self, when: int) -> int:
        """The index of an account that exists at ``when`` and places an order then; -1 if
        none can (the very first orders of the store may come before any account)."""
        created, tickets, weight = self.created_at, self._tickets, self._weight
        while self._joined < self.count and created[self._joined] <= when:
            tickets.extend([self._joined] * weight[self._joined])
            self._joined += 1
        if not tickets:
            return -1
        return tickets[int(self._rng.random() * len(tickets))]

    def vip_floor(self) -> int:
        """The lifetime value that puts a buyer among the top 5%: VIPs."""
        values = sorted(value for value in self.lifetime_value if value > 0)
        return values[int(len(values) * 0.95)] if values else 1

    def segments(self, index: int, reference: int, vip_floor: int) -> list[str]:
        count, value = self.order_count[index], self.lifetime_value[index]
        last = self.last_order_at[index]
        member = {
            "VIP": value >= vip_floor,
            "Loyalty": count >= 2 and self._rng.random() < 0.3,
            "Newsletter": self.marketing[index] and self._rng.random() < 0.85,
            "Wholesale": self.customer_set[index] == "wholesale",
            "AtRisk": count >= 2 and last is not None and last < reference - YEAR,
            "FirstTimeBuyer": count == 1,
        }
        return [code for code in vocab.SEGMENTS if member[code]]

    def rows(
        self, reference: int, audit_detail: bool
    ) -> tuple[list[tuple], list[tuple[str, int]], list[tuple]]:
        """Customer rows, (segment, customer id) rows and audit-log rows."""
        customers: list[tuple] = []
        segment_rows: list[tuple[str, int]] = []
        audit: list[tuple] = []
        rng = self._rng
        vip_floor = self.vip_floor()
        for i, person in enumerate(self.people):
            customer_id = FIRST_CUSTOMER_ID + i
            codes = self.segments(i, reference, vip_floor)
            segment_rows.extend((code, customer_id) for code in codes)
            tax_exempt = self.tax_exempt[i]
            tax_id = _tax_id(rng, person.country) if tax_exempt else ""
            username = person.email
            if rng.random() < 0.25:
                username = f"{person.email.partition('@')[0]}{customer_id}"
            entries = self._audit(i, person, reference, audit_detail)
            audit.extend(("customer", str(customer_id), *entry) for entry in entries)
            customers.append(
                (
                    customer_id,
                    person.first_name,
                    person.last_name,
                    person.email,
                    username,
                    person.phone,
                    person.phone_digits,
                    person.phone_last4,
                    self.status[i],
                    self.customer_set[i],
                    ",".join(codes),
                    self.created_at[i],
                    max(entry[0] for entry in entries),
                    person.address1,
                    person.city,
                    person.state,
                    person.postal_code,
                    person.country,
                    int(self.marketing[i]),
                    int(tax_exempt),
                    tax_id,
                    self.order_count[i],
                    self.lifetime_value[i],
                    self.last_order_at[i],
                )
            )
        return customers, segment_rows, audit

    def _audit(
        self, index: int, person: Person, reference: int, detail: bool
    ) -> list[tuple[int, str, str, str | None, str | None, str | None]]:
        """(at, who, action, field, old, new) entries; the last change of a field leaves it
        at the value the row holds."""
        rng = self._rng
        created = self.created_at[index]
        entries: list[tuple[int, str, str, str | None, str | None, str | None]] = [
            (created, SYSTEM_USER, "account_created", None, None, None)
        ]

        def later() -> int:
            return created + int(rng.random() * max(1, reference - created))

        def staff() -> str:
            return CSR_NAMES[int(rng.random() * len(CSR_NAMES))]

        status = self.status[index]
        if status == "Disabled":
            entries.append(
                (later(), staff(), "account_disabled", "account_status", "Active", "Disabled")
            )
        elif status == "Locked":
            entries.append(
                (later(), SYSTEM_USER, "account_locked", "account_status", "Active", "Locked")
            )
        if detail:
            if rng.random() < 0.35:
                old = self._people.street_address(person.country)
                entries.append(
                    (later(), staff(), "address_changed", "address1", old, person.address1)
                )
            if rng.random() < 0.2:
                old = self._people.email_variant(person.email)
                entries.append((later(), staff(), "email_changed", "email", old, person.email))
            if rng.random() < 0.25:
                new = "true" if self.marketing[index] else "false"
                old = "false" if new == "true" else "true"
                entries.append(
                    (later(), SYSTEM_USER, "marketing_changed", "accepts_marketing", old, new)
                )
            if rng.random() < 0.1:
                entries.append((later(), staff(), "password_reset_sent", None, None, None))
        entries.sort(key=lambda entry: entry[0])
        return entries


def _tax_id(rng: random.Random, country: str) -> str:
    if country == "GB":
        return f"GB{rng.randrange(10**8, 10**9)}"
    if country == "CA":
        return f"{rng.randrange(10**8, 10**9)}RT0001"
    return f"{rng.randrange(10, 100)}-{rng.randrange(10**6, 10**7)}"
