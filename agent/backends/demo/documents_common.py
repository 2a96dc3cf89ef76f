"""Helpers shared by the demo store's document builders.

Derived details must be the same on every read and every machine, so every "random" choice
is a hash of the entity's number and a purpose string (``Picker``), never module state.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from agent.backends.demo.names import CSR_NAMES
from agent.errors import NotFound

T = TypeVar("T")

SYSTEM_USER = "system"


class Picker:
    """Deterministic choices for one entity, e.g. ``Picker("order", 10234).pick("carrier", …)``."""

    def __init__(self, kind: str, number: int) -> None:
        self._seed = f"{kind}:{number}"

    def number(self, purpose: str, modulo: int) -> int:
        digest = hashlib.sha256(f"{self._seed}:{purpose}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % modulo

    def pick(self, purpose: str, choices: Sequence[T]) -> T:
        return choices[self.number(purpose, len(choices))]

    def chance(self, purpose: str, percent: int) -> bool:
        return self.number(purpose, 100) < percent

    def digits(self, purpose: str, count: int) -> str:
        return str(self.number(purpose, 10**count)).zfill(count)

    def between(self, purpose: str, start: int, end: int) -> int:
        """A whole number in [start, end] (start when the range is empty)."""
        return start + self.number(purpose, end - start + 1) if end > start else start


def iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fetch_row(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> dict[str, Any] | None:
    """One row as a dict, whatever the connection's row_factory."""
    cursor = conn.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], tuple(row), strict=True))


def fetch_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, tuple(row), strict=True)) for row in cursor.fetchall()]


def not_found(kind: str, entity_id: object) -> NotFound:
    return NotFound(
        f"No {kind} with id '{entity_id}'",
        details={"kind": kind, "id": str(entity_id)},
        code=f"{kind}_not_found",
    )


def display_name(name: str, email: str) -> str:
    """A person's name as a session or tab shows it: the name, else the email, else Guest."""
    return name.strip() or email.strip() or "Guest"


def split_name(full_name: str) -> tuple[str, str]:
    """'Ana María Núñez' -> ('Ana María', 'Núñez'); one word is a first name."""
    first, _, last = full_name.strip().rpartition(" ")
    return (first, last) if first else (last, "")


CURRENCY_BY_COUNTRY = {"US": "USD", "CA": "CAD", "GB": "GBP"}
CARD_BRANDS = ("Visa", "Visa", "Mastercard", "Mastercard", "AmericanExpress", "Discover")
STAFF = CSR_NAMES
