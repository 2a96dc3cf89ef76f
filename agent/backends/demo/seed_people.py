"""People for the demo seed: names, unique emails, phones as people write them, addresses.

Everything is drawn from one ``random.Random`` so a seed gives the same people every time.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from agent.backends.demo import names
from agent.backends.demo.names import Place

NA_PHONE_STYLES = (
    "({a}) {e}-{l}",
    "({a}) {e}-{l}",
    "{a}-{e}-{l}",
    "{a}-{e}-{l}",
    "+1 {a} {e} {l}",
    "{a}.{e}.{l}",
    "{a}{e}{l}",
    "1-{a}-{e}-{l}",
)
GB_PHONE_STYLES = ("0{a} {e}", "0{a} {e}", "+44 {a} {e}", "0{a}{e_compact}", "(0{a}) {e}")
POSTCODE_LETTERS_CA = "ABCEGHJKLMNPRSTVWXYZ"
POSTCODE_LETTERS_GB = "ABDEFGHJLNPQRSTUWXYZ"
COUNTRY_TABLE = ("US",) * 14 + ("CA",) * 3 + ("GB",) * 3


class Person(NamedTuple):
    first_name: str
    last_name: str
    email: str
    phone: str
    phone_digits: str
    phone_last4: str
    address1: str
    city: str
    state: str
    postal_code: str
    country: str
    tax_rate_bp: int


def national_digits(phone: str) -> str:
    """The national significant number of a US/CA/UK phone as written in any common style.

    "+1 (512) 555-0134" -> "5125550134"; "+44 20 7946 0958" and "020 7946 0958" -> "2079460958".
    """
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.lstrip().startswith("+"):
        if digits.startswith("44"):
            return digits[2:].removeprefix("0")
        return digits.removeprefix("1")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[1:]
    if digits.startswith("0"):
        return digits[1:]
    return digits


class PeopleFactory:
    """Draws people; remembers every email handed out so none repeats."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used_emails: set[str] = set()
        self._first = [(name, names.ascii_slug(name)) for name in names.FIRST_NAMES]
        self._last = [(name, names.ascii_slug(name)) for name in names.LAST_NAMES]
        self._nicknames = {names.ascii_slug(k): v for k, v in names.NICKNAMES.items()}
        # Earlier domains in each list are the common ones: weight them up.
        self._domains = {
            country: tuple(d for rank, d in enumerate(domains) for _ in range(max(1, 6 - rank)))
            for country, domains in names.DOMAINS_BY_COUNTRY.items()
        }

    def country(self) -> str:
        return COUNTRY_TABLE[int(self._rng.random() * len(COUNTRY_TABLE))]

    def person(self, country: str) -> Person:
        rng = self._rng
        first, first_slug = self._first[int(rng.random() * len(self._first))]
        last, last_slug = self._last[int(rng.random() * len(self._last))]
        place = names.PLACES_BY_COUNTRY[country][
            int(rng.random() * len(names.PLACES_BY_COUNTRY[country]))
        ]
        email = self._email(first_slug, last_slug, country)
        phone, digits = self._phone(place)
        address1, postal = self._address(place)
        return Person(
            first,
            last,
            email,
            phone,
            digits,
            digits[-4:],
            address1,
            place.city,
            place.region,
            postal,
            country,
            place.tax_rate_bp,
        )

    def email_variant(self, email: str) -> str:
        """Another plausible address of the same person (an older email in the audit log)."""
        local, _, domain = email.partition("@")
        others = [d for d in names.US_DOMAINS if d != domain]
        return f"{local}{self._rng.randrange(1, 99)}@{others[self._rng.randrange(len(others))]}"

    def street_address(self, country: str) -> str:
        place = names.PLACES_BY_COUNTRY[country][0]
        return self._address(place)[0]

    def _email(self, first: str, last: str, country: str) -> str:
        rng = self._rng
        style = rng.random()
        nick = self._nicknames.get(first)
        if style < 0.30:
            local = f"{first}.{last}"
        elif style < 0.45:
            local = f"{first[0]}{last}"
        elif style < 0.57:
            local = f"{first}_{last}{rng.randrange(10, 100)}"
        elif style < 0.67:
            local = f"{first}{last}"
        elif style < 0.77 and nick:
            local = f"{nick}.{last}" if rng.random() < 0.5 else f"{nick}{rng.randrange(1, 100)}"
        elif style < 0.87:
            local = f"{first}{rng.randrange(1950, 2006)}"
        elif style < 0.93:
            local = f"{last}.{first}"
        else:
            local = f"{first}.{last[0]}"
        if rng.random() < 0.03:
            domain = names.COMPANY_DOMAINS[rng.randrange(len(names.COMPANY_DOMAINS))]
        else:
            domains = self._domains[country]
            domain = domains[int(rng.random() * len(domains))]
        email = f"{local}@{domain}"
        while email in self._used_emails:
            email = f"{local}{rng.randrange(2, 1000)}@{domain}"
        self._used_emails.add(email)
        return email

    def _phone(self, place: Place) -> tuple[str, str]:
        rng = self._rng
        if place.country == "GB":
            prefix = (
                names.GB_MOBILE_PREFIX
                if rng.random() < 0.35
                else place.dial_codes[int(rng.random() * len(place.dial_codes))]
            )
            area, exchange = prefix.split(" ")
            rest = f"{exchange}{rng.randrange(1000):03d}"
            spaced = rest if area.startswith("7") else f"{rest[:-4]} {rest[-4:]}"
            style = GB_PHONE_STYLES[int(rng.random() * len(GB_PHONE_STYLES))]
            return style.format(a=area, e=spaced, e_compact=rest), area + rest
        area = place.dial_codes[int(rng.random() * len(place.dial_codes))]
        exchange = f"{rng.randrange(2, 10)}{rng.randrange(100):02d}"
        if exchange[1:] == "11":
            exchange = "555"
        line = f"{rng.randrange(10000):04d}"
        style = NA_PHONE_STYLES[int(rng.random() * len(NA_PHONE_STYLES))]
        return style.format(a=area, e=exchange, l=line), f"{area}{exchange}{line}"

    def _address(self, place: Place) -> tuple[str, str]:
        rng = self._rng
        street = names.STREET_NAMES[int(rng.random() * len(names.STREET_NAMES))]
        number = int(rng.random() ** 2 * 9800) + 1
        prefix = place.postal_prefixes[int(rng.random() * len(place.postal_prefixes))]
        if place.country == "GB":
            suffix = names.GB_STREET_SUFFIXES[int(rng.random() * len(names.GB_STREET_SUFFIXES))]
            address1 = f"{number % 240 + 1} {street} {suffix}"
            if rng.random() < 0.2:
                address1 = f"Flat {rng.randrange(1, 30)}, {address1}"
            letters = POSTCODE_LETTERS_GB
            postal = (
                f"{prefix}{rng.randrange(1, 20)} {rng.randrange(10)}"
                f"{letters[rng.randrange(20)]}{letters[rng.randrange(20)]}"
            )
            return address1, postal
        suffix = names.NA_STREET_SUFFIXES[int(rng.random() * len(names.NA_STREET_SUFFIXES))]
        address1 = f"{number} {street} {suffix}"
        if rng.random() < 0.15:
            unit = ("Apt", "Unit", "Suite", "Apt")[rng.randrange(4)]
            address1 = f"{address1} {unit} {rng.randrange(1, 40)}{'ABCD'[rng.randrange(4)]}"
        if place.country == "CA":
            letters = POSTCODE_LETTERS_CA
            postal = (
                f"{prefix}{letters[rng.randrange(20)]} {rng.randrange(10)}"
                f"{letters[rng.randrange(20)]}{rng.randrange(10)}"
            )
            return address1, postal
        return address1, f"{prefix}{rng.randrange(100):02d}"
