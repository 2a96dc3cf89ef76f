"""Kibo's list parameters as the fake reads them: ``filter``, ``sortBy`` and ``q``.

- ``filter``: ``field op value`` joined with ``and`` / ``or`` and parentheses; values bare,
  ``'single'`` or ``"double"`` quoted (Kibo's admin sends all three). Fields must be in the
  list's rules (tests/kibo/fake_lists.py); operators ``eq ne gt lt ge le sw cont`` in any case
  (the admin sends ``total GE``). Text compares with case unless the field folds it.
- ``sortBy``: ``field [asc|desc]`` terms joined with `` and `` (Kibo's admin joins them so).
- ``responseFields``: the top-level fields to keep, with one level of ``items(a,b)`` for each
  listed entry, as Kibo's own sample sends it; deeper nesting is refused (unverified).
- ``q``: every word must match a whole word of the list's quick-search fields, without case;
  ``word*`` matches words starting with ``word`` (Kibo's admin appends the ``*``). Accents are
  kept: ``nunez`` does not find ``Núñez`` here, since nothing says Kibo folds them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from tests.kibo.fake_lists import ListRules

TOKEN = re.compile(r"\s*(\(|\)|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|[^\s()]+)")
OPERATORS = frozenset({"eq", "ne", "gt", "lt", "ge", "le", "sw", "cont"})
WORD = re.compile(r"\w+")
Predicate = Callable[[dict[str, Any]], bool]


class QueryError(ValueError):
    """A list parameter Kibo would refuse (answered 400 by the fake)."""


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while text[pos:].strip():
        match = TOKEN.match(text, pos)
        if not match:
            raise QueryError(f"cannot read the filter at {text[pos : pos + 20]!r}")
        out.append(match.group(1))
        pos = match.end()
    return out


def values_at(item: Any, path: str) -> list[Any]:
    current = [item]
    for key in path.split("."):
        nxt: list[Any] = []
        for value in current:
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, dict) and key in v:
                    inner = v[key]
                    nxt.extend(inner if isinstance(inner, list) else [inner])
        current = nxt
    return current


def _literal(raw: str) -> Any:
    if raw[:1] in ("'", '"'):
        if len(raw) < 2 or raw[-1] != raw[0]:
            raise QueryError(f"unterminated text {raw!r}")
        return re.sub(r"\\(.)", r"\1", raw[1:-1])
    if raw in ("true", "false"):
        return raw == "true"
    try:
        return float(raw) if "." in raw else int(raw)
    except ValueError:
        return raw


def _as_time(value: Any) -> dt.datetime | None:
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-":
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return None


def _compare(actual: Any, op: str, wanted: Any, fold: bool) -> bool:
    if actual is None:
        return op == "ne"
    if isinstance(actual, bool) or isinstance(wanted, bool):
        a: Any = str(actual).lower()
        w: Any = str(wanted).lower()
    elif (ta := _as_time(actual)) and (tw := _as_time(str(wanted))):
        a, w = ta, tw
    elif isinstance(actual, int | float) and isinstance(wanted, int | float):
        a, w = actual, wanted
    else:
        a, w = str(actual), str(wanted)
        if fold:
            a, w = a.lower(), w.lower()
    if op == "sw":
        return isinstance(a, str) and a.startswith(w)
    if op == "cont":
        return isinstance(a, str) and w in a
    return {"eq": a == w, "ne": a != w, "gt": a > w, "lt": a < w, "ge": a >= w, "le": a <= w}[op]


class _Parser:
    def __init__(self, text: str, rules: ListRules) -> None:
        self.tokens = _tokens(text)
        self.rules = rules
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        if self.pos >= len(self.tokens):
            raise QueryError("the filter ends too early")
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
                raise QueryError("missing ) in the filter")
            return inner
        name, op, raw = self.take(), self.take().lower(), self.take()
        found = self.rules.filter_field(name)
        if found is None:
            raise QueryError(f"'{name}' is not a filterable field of {self.rules.name}")
        if op not in OPERATORS:
            raise QueryError(f"unknown filter operator '{op}'")
        wanted = _literal(raw)
        if op in ("sw", "cont") and not isinstance(wanted, str):
            wanted = str(wanted)

        def test(item: dict[str, Any]) -> bool:
            found_values = values_at(item, found.path)
            if op == "ne":
                return all(_compare(v, op, wanted, found.fold_case) for v in found_values)
            return any(_compare(v, op, wanted, found.fold_case) for v in found_values)

        return test


def parse_filter(text: str, rules: ListRules) -> Predicate:
    parser = _Parser(text, rules)
    predicate = parser.expr()
    if parser.peek() is not None:
        raise QueryError(f"unexpected {parser.peek()!r} in the filter")
    return predicate


def matches_words(item: dict[str, Any], q: str, fields: tuple[str, ...]) -> bool:
    words = [w.lower() for w in q.split()]
    if not words:
        return True
    tokens = [
        token.lower()
        for f in fields
        for value in values_at(item, f)
        for token in WORD.findall(str(value))
    ]

    def hit(word: str) -> bool:
        if word.endswith("*"):
            stem = word.rstrip("*")
            return bool(stem) and any(t.startswith(stem) for t in tokens)
        return word in tokens

    return all(hit(w) for w in words)


def parse_sort(text: str, rules: ListRules) -> list[tuple[str, bool]]:
    """``[(document path, descending)]``; several terms are joined with `` and ``."""
    if "," in text:
        raise QueryError(f"sortBy '{text}': join several sort terms with ' and '")
    out = []
    for part in text.split(" and "):
        name, _, direction = part.strip().partition(" ")
        found = rules.sort_field(name)
        if found is None:
            raise QueryError(f"'{name}' is not a sortable field of {rules.name}")
        direction = direction.strip().lower() or "asc"
        if direction not in ("asc", "desc"):
            raise QueryError(f"sortBy '{part.strip()}': the direction is asc or desc")
        out.append((found.path, direction == "desc"))
    return out


def sort_items(found: list[dict[str, Any]], terms: list[tuple[str, bool]]) -> list[dict[str, Any]]:
    for path, descending in reversed(terms):

        def key(item: dict[str, Any], path: str = path) -> tuple[int, Any]:
            values = values_at(item, path)
            value = values[0] if values else None
            return (value is None, str(value).lower() if isinstance(value, str) else value)

        found = sorted(found, key=key, reverse=descending)
    return found


def parse_response_fields(text: str) -> dict[str, set[str] | None]:
    """``{field: None | {inner fields}}`` from ``a,b,items(c,d)``."""
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if not 0 <= depth <= 1:
            raise QueryError(f"responseFields '{text}': one level of field(inner,...) only")
    out: dict[str, set[str] | None] = {}
    for part in re.findall(r"[^,(]+(?:\([^)]*\))?", text):
        name, _, inner = part.strip().partition("(")
        if not re.fullmatch(r"[A-Za-z]\w*", name):
            raise QueryError(f"responseFields '{text}': cannot read '{part.strip()}'")
        inner_fields = {f.strip() for f in inner.rstrip(")").split(",") if f.strip()}
        out[name] = inner_fields if inner else None
    return out


def project(payload: dict[str, Any], fields: dict[str, set[str] | None]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, inner in fields.items():
        if name not in payload:
            continue
        value = payload[name]
        if inner is not None and isinstance(value, list):
            value = [
                {k: v for k, v in e.items() if k in inner} for e in value if isinstance(e, dict)
            ]
        out[name] = value
    return out
