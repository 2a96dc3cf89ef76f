"""The pieces of one search: the search box and the filters, read into SQL conditions.

Numbers, phones and emails become capped "hit sources" (rowid sets found by a B-tree); words
become FTS5 MATCH expressions; filters become WHERE conditions and ranges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.backends.demo.search_cards import card_hit
from agent.backends.demo.search_kinds import KINDS
from agent.backends.demo.search_schema import FACET_COLUMNS
from agent.search import catalog
from agent.search.text import TextPlan, interpret


def prefix_range(column: str, prefix: str) -> tuple[str, list[Any]]:
    """``column`` starts with ``prefix``, as an index range (no LIKE, no collation surprises)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return f"({column} >= ? AND {column} < ?)", [prefix, upper]


def _phone_condition(plan: TextPlan) -> tuple[str, list[Any]] | None:
    parts: list[str] = []
    params: list[Any] = []
    if plan.phone_prefix:
        sql, args = prefix_range("t.phone_digits", plan.phone_prefix)
        parts.append(sql)
        params += args
    if plan.phone_last4:
        parts.append("t.phone_last4 = ?")
        params.append(plan.phone_last4)
    return (f"({' OR '.join(parts)})", params) if parts else None


@dataclass
class Query:
    """The pieces of one search, filled in by the text plan and the filters."""

    words: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    ranges: list[tuple[str, str, int]] = field(default_factory=list)
    hit_sources: list[tuple[str, list[Any]]] = field(default_factory=list)
    exact: int | None = None  # the number typed: its record is shown first when it matches
    only_exact: bool = False  # nothing but that record can match
    equal_columns: set[str] = field(default_factory=set)
    # The hit sources as conditions on a row (``+column``: no index), for walking another index.
    hit_rows: list[tuple[str, list[Any]]] = field(default_factory=list)
    # The same conditions on their indexes: OR-ed, SQLite reads each index and merges rowids.
    hit_conditions: list[tuple[str, list[Any]]] = field(default_factory=list)

    def add_hit(
        self,
        source: tuple[str, list[Any]],
        column: str,
        condition: str | None,
        params: list[Any],
        besides: str = "",
    ) -> None:
        """A hit source, and its condition on ``t.column`` (``condition`` holds ``{c}``), or a
        prefix range of ``params[0]`` when ``condition`` is None; ``besides`` (holding
        ``{plus}``) is added to the condition."""
        self.hit_sources.append(source)
        for plus in ("+", ""):
            target = self.hit_rows if plus else self.hit_conditions
            if condition is None:
                sql, args = prefix_range(f"{plus}t.{column}", params[0])
            else:
                sql, args = condition.format(c=f"{plus}t.{column}"), params
            if besides:
                sql = f"({sql}{besides.format(plus=plus)})"
            target.append((sql, args))

    # Each equality/enum filter alone (every one has an index): its count bounds the matches.
    indexed: list[tuple[str, list[Any]]] = field(default_factory=list)
    # Filters on the columns coded in ``facet`` (column, allowed values).
    enums: list[tuple[str, list[Any]]] = field(default_factory=list)

    @property
    def filtered(self) -> bool:
        return bool(self.where or self.enums or self.ranges)

    def add(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.where.append(sql)
        self.params.extend(params)

    def add_range(self, column: str, bounds: tuple[int | None, int | None]) -> None:
        low, high = bounds
        if low is not None:
            self.ranges.append((column, ">=", low))
        if high is not None:
            self.ranges.append((column, "<=", high))

    def clauses(
        self,
        walk_index_of: str | None = None,
        lead: Sequence[tuple[str, list[Any]]] = (),
        facets: str | None = None,
        facet_index: bool = False,
    ) -> tuple[str, list[Any]]:
        """WHERE clause and its parameters, ``lead`` conditions first.

        With ``walk_index_of`` (the first sort column), a range on another column is written
        ``+column`` so the planner walks the sort's index instead of sorting a wide range.
        With ``facets`` (the facet table), the enum filters are one check of ``t.facet``,
        which a sort index ending in ``facet`` answers without reading the row; with
        ``facet_index`` the condition may also drive the ``(facet, date)`` index.
        """
        ranges = [
            f"{'+' if walk_index_of not in (None, column) else ''}{column} {op} ?"
            for column, op, _ in self.ranges
        ]
        if facets and self.enums:
            enums = [facet_condition(facets, self.enums, facet_index)]
        else:
            enums = [(value_condition(column, values), values) for column, values in self.enums]
        conditions = [*(sql for sql, _ in lead), *self.where, *(sql for sql, _ in enums), *ranges]
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        lead_params = [p for _, params in lead for p in params]
        enum_params = [p for _, params in enums for p in params]
        return where, [
            *lead_params,
            *self.params,
            *enum_params,
            *(value for *_, value in self.ranges),
        ]


def value_condition(column: str, values: Sequence[Any]) -> str:
    if len(values) == 1:
        return f"{column} = ?"
    return f"{column} IN ({','.join('?' * len(values))})"


def facet_codes(facets: str, enums: Sequence[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    """The codes of the combinations the enum filters allow, as a SELECT and its parameters."""
    where = " AND ".join(
        value_condition(column.removeprefix("t."), values) for column, values in enums
    )
    return (
        f"SELECT code FROM {facets} WHERE {where or 1}",
        [v for _, values in enums for v in values],
    )


def facet_condition(
    facets: str, enums: Sequence[tuple[str, list[Any]]], indexed: bool = False
) -> tuple[str, list[Any]]:
    codes, params = facet_codes(facets, enums)
    return f"{'' if indexed else '+'}t.facet IN ({codes})", params


def add_text(query: Query, kind: str, plan: TextPlan) -> None:
    """Route the search box: phones and emails become capped hit sources, words FTS terms.

    The exact number is not a hit: it is ``query.exact``, looked up on its own and shown first
    (``search.py``); the other hit sources leave it out, so it is never listed twice.
    """
    table = KINDS[kind].table
    limit = f"LIMIT {catalog.COUNT_CAP + 1}"
    query.exact = plan.number
    besides = "" if plan.number is None else f" AND rowid <> {int(plan.number)}"
    on_row = "" if plan.number is None else f" AND {{plus}}t.rowid <> {int(plan.number)}"
    if plan.phone_prefix:
        sql, args = prefix_range("phone_digits", plan.phone_prefix)
        query.add_hit(
            (f"SELECT rowid AS rid FROM {table} WHERE {sql}{besides} {limit}", args),
            "phone_digits",
            None,
            [plan.phone_prefix],
            on_row,
        )
    if plan.phone_last4:
        query.add_hit(
            (
                f"SELECT rowid AS rid FROM {table} WHERE phone_last4 = ?{besides} {limit}",
                [plan.phone_last4],
            ),
            "phone_last4",
            "{c} = ?",
            [plan.phone_last4],
            on_row,
        )
    card = card_hit(table)
    if plan.phone_last4 and card:
        not_typed = "" if plan.number is None else f" AND number <> {int(plan.number)}"
        query.add_hit(
            (f"SELECT number AS rid FROM ({card}{not_typed}) {limit}", [plan.phone_last4]),
            "rowid",
            f"{{c}} IN ({card})",
            [plan.phone_last4],
            on_row,
        )
    other = KINDS[kind].other_number
    if plan.other_number is not None and other:
        query.add_hit(
            (
                f"SELECT rowid AS rid FROM {table} WHERE {other[1]} = ?{besides} {limit}",
                [plan.other_number],
            ),
            other[1],
            "{c} = ?",
            [plan.other_number],
            on_row,
        )
    if plan.email_prefix:
        sql, args = prefix_range("email", plan.email_prefix)
        query.add_hit(
            (f"SELECT rowid AS rid FROM {table} WHERE {sql} {limit}", args),
            "email",
            None,
            [plan.email_prefix],
        )
    if plan.words:
        query.words.append(plan.fts_query() or "")
    searched = plan.kind in ("number", "digits", "phone")
    if plan.kind == "nothing" or (searched and not query.hit_sources):
        if plan.number is None:
            query.add("0")
        else:
            query.only_exact = True


def add_filters(query: Query, kind: str, filters: dict[str, Any]) -> None:
    spec = KINDS[kind]
    for key, value in filters.items():
        if key in spec.dates:
            query.add_range(spec.dates[key], value)
        elif key == "total":
            query.add_range("t.total_cents", value)
        elif key == "segment":
            marks = ",".join("?" * len(value))
            members = f"SELECT customer_id FROM customer_segments WHERE segment IN ({marks})"
            query.add(f"t.rowid IN ({members})", value)
        elif key == "email":
            prefix = "".join(str(value).split()).lower()
            if prefix:
                query.add(*prefix_range("t.email", prefix))
        elif key == "name":
            words = interpret(str(value)).words
            if words:
                query.words.append("name : (" + " ".join(f'"{w}"*' for w in words) + ")")
        elif key == "phone":
            digits = "".join(ch for ch in str(value) if ch.isdigit())
            plan = interpret(digits) if digits else TextPlan()
            condition = _phone_condition(plan)
            query.add(*(condition or ("0", [])))
        elif key == "customer":
            add_customer_filter(query, str(value))
        elif key == "external_id":
            typed = "".join(str(value).split()).upper()
            query.add(*(prefix_range("t.external_id", typed) if typed else ("0", [])))
        elif key in ("first_name", "last_name", "name_match"):
            continue  # search_names.py: they need the store's index vocabulary
        else:
            column = spec.filters[key]
            values = list(value) if isinstance(value, tuple) else [value]
            if column.removeprefix("t.") in FACET_COLUMNS.get(spec.table, ()):
                query.enums.append((column, values))
            else:
                query.add(value_condition(column, values), values)
            query.indexed.append((value_condition(column, values), values))
            if len(values) == 1:
                query.equal_columns.add(column)


def add_customer_filter(query: Query, text: str) -> None:
    """Returns' Customer filter: a customer id, the start of an email, or name words."""
    plan = interpret(text)
    if text.strip().isascii() and text.strip().isdigit():
        query.add("t.customer_id = ?", [int(text.strip())])
    elif plan.email_prefix:
        query.add(*prefix_range("t.email", plan.email_prefix))
    elif plan.words:
        query.words.append(plan.fts_query() or "")
    else:
        query.add("0")
