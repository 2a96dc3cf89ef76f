"""Kibo's list-filter language: ``field op value`` joined with ``and`` / ``or``.

Operators ``eq ne gt lt ge le sw cont`` (docs/kibo-reference.md §6.4). Numbers, booleans and dates
go bare; text goes in single quotes with ``'`` and ``\\`` escaped (quoting style inferred from
Kibo's docs: verify on a sandbox tenant). Grouping with parentheses is inferred too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

Operator = str
OPERATORS = frozenset({"eq", "ne", "gt", "lt", "ge", "le", "sw", "cont"})
Value = str | int | float | bool | dt.datetime


def _literal(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def term(field: str, op: Operator, value: Value) -> str:
    if op not in OPERATORS:
        raise ValueError(f"unknown Kibo filter operator {op!r}")
    return f"{field} {op} {_literal(value)}"


def any_of(terms: Iterable[str]) -> str:
    parts = [t for t in terms if t]
    if len(parts) == 1:
        return parts[0]
    return f"({' or '.join(parts)})" if parts else ""


def all_of(terms: Iterable[str]) -> str:
    return " and ".join(t for t in terms if t)


def from_epoch(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)
