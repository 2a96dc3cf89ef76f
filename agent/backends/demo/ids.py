"""Kibo-like opaque ids for demo orders and returns.

Kibo addresses an order by a 32-hex id distinct from the order number the CSR reads. Ours embed
the number in the last 12 hex digits, so turning an id back into a rowid needs no index, and
derive the first 20 from a hash, so only ids the store handed out are accepted.
"""

from __future__ import annotations

import hashlib
import re

_HEX32 = re.compile(r"^[0-9a-f]{32}$")


def _make(prefix: str, number: int) -> str:
    head = hashlib.sha256(f"{prefix}:{number}".encode()).hexdigest()[:20]
    return f"{head}{number:012x}"


def _parse(prefix: str, entity_id: str) -> int | None:
    if not _HEX32.match(entity_id):
        return None
    number = int(entity_id[20:], 16)
    return number if _make(prefix, number) == entity_id else None


def order_id(number: int) -> str:
    return _make("order", number)


def return_id(number: int) -> str:
    return _make("return", number)


def parse_order_id(entity_id: str) -> int | None:
    return _parse("order", entity_id)


def parse_return_id(entity_id: str) -> int | None:
    return _parse("return", entity_id)


def parse_customer_id(entity_id: str) -> int | None:
    if not entity_id.isascii() or not entity_id.isdigit() or len(entity_id) > 12:
        return None
    return int(entity_id)
