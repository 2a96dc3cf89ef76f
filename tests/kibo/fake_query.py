"""The fake's reading of Kibo list parameters: ``filter``, ``q``, ``sortBy``, paging.

Just enough of Kibo's filter language for the expressions our backend writes:
``field op value`` with ``and`` / ``or`` and parentheses; values bare or single-quoted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

TOKEN = re.compile(r"\s*(\(|\)|'(?:\\.|[^'\\])*'|[^\s()]+)")
Predicate = Callable[[dict[str, Any]], bool]


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match:
            break
        out.append(match.group(1))
        pos = match.end()
        if not text[pos:].strip():
            break
    return out


def values_at(item: Any, path: str) -> list[Any]:
    current = [item]
    for key in path.split("."):
        nxt: list[Any] = []
        for value in current:
            value_list = value if isinstance(value, list) else [value]
            for v in value_list:
                if isinstance(v, dict) and key in v:
                    inner = v[key]
                    nxt.extend(inner if isinstance(inner, list) else [inner])
        current = nxt
    return current


def _literal(raw: str) -> Any:
    if raw.startswith("'"):
        return re.sub(r"\\(.)", r"\1", raw[1:-1])
    if raw in ("true", "false"):
        return raw == "true"
    try:
        return float(raw) if "." in raw else int(raw)
    except ValueError:
        return raw


def _as_time(value: Any) -> dt.datetime | None:
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-":
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def _compare(actual: Any, op: str, wanted: Any) -> bool:
    if actual is None:
        return op == "ne"
    if op in ("sw", "cont"):
        a, w = str(actual).lower(), str(wanted).lower()
        return a.startswith(w) if op == "sw" else w in a
    if isinstance(actual, bool) or isinstance(wanted, bool):
        a, w = str(actual).lower(), str(wanted).lower()
    elif (ta := _as_time(actual)) and (tw := _as_time(str(wanted))):
        a, w = ta, tw
    elif isinstance(actual, int | float) and isinstance(wanted, int | float):
        a, w = actual, wanted
    else:
        a, w = str(actual).lower(), str(wanted).lower()
    return {"eq": a == w, "ne": a != w, "gt": a > w, "lt": a < w, "ge": a >= w, "le": a <= w}[op]


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expr(self) -> Predicate:
        parts = [self.conj()]
        while self.peek() == "or":
            self.take()
            parts.append(self.conj())
        return lambda item: any(p(item) for p in parts)

    def conj(self) -> Predicate:
        parts = [self.atom()]
        while self.peek() == "and":
            self.take()
            parts.append(self.atom())
        return lambda item: all(p(item) for p in parts)

    def atom(self) -> Predicate:
        if self.peek() == "(":
            self.take()
            inner = self.expr()
            if self.take() != ")":
                raise ValueError("missing )")
            return inner
        field, op, raw = self.take(), self.take(), self.take()
        if op not in ("eq", "ne", "gt", "lt", "ge", "le", "sw", "cont"):
            raise ValueError(f"unknown operator {op}")
        wanted = _literal(raw)

        def test(item: dict[str, Any]) -> bool:
            found = values_at(item, field)
            if op == "ne":
                return all(_compare(v, op, wanted) for v in found)
            return any(_compare(v, op, wanted) for v in found)

        return test


def parse_filter(text: str) -> Predicate:
    parser = _Parser(text)
    predicate = parser.expr()
    if parser.peek() is not None:
        raise ValueError(f"unexpected {parser.peek()!r} in filter")
    return predicate


def matches_words(item: dict[str, Any], q: str, fields: tuple[str, ...]) -> bool:
    words = [w.lower() for w in q.split()]
    haystack = [str(v).lower() for f in fields for v in values_at(item, f)]
    tokens = [t for h in haystack for t in re.split(r"[^a-z0-9]+", h) if t]
    return all(any(t.startswith(w) for t in tokens) for w in words)


def sort_items(found: list[dict[str, Any]], sort_by: str) -> list[dict[str, Any]]:
    for part in reversed([p.strip() for p in sort_by.split(",") if p.strip()]):
        field, _, direction = part.partition(" ")

        def key(item: dict[str, Any], field: str = field) -> tuple[int, Any]:
            values = values_at(item, field)
            value = values[0] if values else None
            return (value is None, str(value).lower() if isinstance(value, str) else value)

        found = sorted(found, key=key, reverse=direction.strip().lower() == "desc")
    return found
