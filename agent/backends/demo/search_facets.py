"""Lists filtered by the coded list filters (status, type, channel…), merged code by code.

When every filter of a list is a facet column (plus the date range) and the sort is a facet
column, the date or the number, the list needs neither a sort nor a long walk: the rows of one
facet code are a range of the ``(facet, date)`` index, already in date order. A page is the
merge of the first rows of each allowed code, taken group by group of the sort column's values
(groups before the page are skipped by their capped counts). The count is the same ranges,
capped. Pages deeper than ``MAX_DEPTH``, or whose merge would read more than ``MERGE_BUDGET``
index entries, go through the general plans.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Sequence
from typing import Any

from agent.backends.demo.search_deadline import Deadline, is_interrupt
from agent.backends.demo.search_kinds import KindSql
from agent.backends.demo.search_plan import sort_columns
from agent.backends.demo.search_query import Query, facet_codes
from agent.backends.demo.search_schema import FACET_COLUMNS, facet_table
from agent.search import catalog
from agent.search.params import SearchRequest

MAX_DEPTH = 10_100  # offset + page size (page 400 of 25)
# A group's merge reads up to (offset + page size) entries per code (~0.2 µs each), fewer for
# codes with fewer rows (``rows`` of the facet table); past this many the general plans (a
# walk of the sort's index) serve the page.
MERGE_BUDGET = 130_000


def facet_list(
    deadline: Deadline, deadline_s: float, spec: KindSql, req: SearchRequest, query: Query
) -> tuple[list[sqlite3.Row], int | None] | None:
    """The page and its capped count (None when counting ran out of time); None when the
    list is not one this plan serves."""
    group_by = _grouping(spec, req, query)
    if group_by is None:
        return None
    time_column = (spec.time_column or "").removeprefix("t.")
    descending = req.sort == "relevance" or req.order == "desc"
    ranges = "".join(f" AND {column.removeprefix('t.')} {op} ?" for column, op, _ in query.ranges)
    range_params = [value for *_, value in query.ranges]
    sized = _groups(deadline, spec, query, group_by, descending)
    reach = req.offset + req.limit
    if max((sum(min(rows, reach) for _, rows in codes) for codes in sized), default=0) > (
        MERGE_BUDGET
    ):
        return None
    groups = [[code for code, _ in codes] for codes in sized]

    def within(codes: Sequence[int]) -> tuple[str, list[Any]]:
        marks = ",".join("?" * len(codes))
        return f"facet IN ({marks}){ranges}", [*codes, *range_params]

    def capped_count(codes: Sequence[int], cap: int, seconds: float) -> int:
        where, params = within(codes)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {spec.table} WHERE {where} LIMIT ?)"
        return int(deadline.run(seconds, sql, [*params, cap])[0][0])

    every_code = [code for codes in groups for code in codes]
    try:
        counted: int | None = (
            capped_count(every_code, catalog.COUNT_CAP + 1, deadline_s) if every_code else 0
        )
    except sqlite3.OperationalError as error:
        if not is_interrupt(error):
            raise
        counted = None
    direction = "DESC" if descending else "ASC"
    skip, wanted = req.offset, req.limit
    numbers: list[int] = []
    for codes in groups:
        if wanted == 0:
            break
        if skip and (size := capped_count(codes, skip + 1, float("inf"))) <= skip:
            skip -= size
            continue
        merged: list[tuple[int, int]] = []
        for code in codes:  # each code's first rows, in order: sorting the runs merges them
            merged += deadline.run(
                float("inf"),
                f"SELECT {time_column}, rowid FROM {spec.table} WHERE facet = ?{ranges} "
                f"ORDER BY {time_column} {direction}, rowid {direction} LIMIT ?",
                [code, *range_params, skip + wanted],
                tuples=True,
            )
        merged.sort(reverse=descending)
        taken = [number for _, number in merged[skip : skip + wanted]]
        numbers += taken
        wanted -= len(taken)
        skip = 0
    return _rows(deadline, spec, numbers), counted


def _grouping(spec: KindSql, req: SearchRequest, query: Query) -> str | None:
    """The facet column the page is grouped by ('' for date order); None when not served."""
    facets = FACET_COLUMNS.get(spec.table)
    if facets is None or query.where or query.words or query.hit_sources:
        return None
    if not (query.enums or query.ranges):
        return None  # a whole-table list streams from its sort index
    if any(column != spec.time_column for column, _, _ in query.ranges):
        return None
    if not query.enums and req.sort in ("relevance", "number", "submitted_at", "created_at"):
        return None  # a date range in date order is one stretch of the date index
    if req.offset + req.limit > MAX_DEPTH:
        return None
    if req.sort == "relevance":  # newest first, when that is the kind's relevance
        if not spec.relevance[0].startswith(f"{spec.time_column} "):
            return None
        columns: tuple[str, ...] = (str(spec.time_column), "t.rowid")
    else:
        columns = sort_columns(spec, req, query)
    if columns in (("t.rowid",), (spec.time_column, "t.rowid")):
        if len(query.enums) == 1 and len(query.enums[0][1]) == 1 and not query.ranges:
            return None  # one value of one filter: its (column, date) index streams the list
        return ""  # numbers rise with the date: the same order
    first = columns[0].removeprefix("t.")
    if first in facets and columns[1:] == (spec.time_column, "t.rowid"):
        return first
    return None


def _groups(
    deadline: Deadline, spec: KindSql, query: Query, group_by: str, descending: bool
) -> list[list[tuple[int, int]]]:
    """The allowed codes and their row counts, grouped by the sort column's value, groups in
    the page's order."""
    codes, params = facet_codes(facet_table(spec.table), query.enums)
    value = group_by or "NULL"
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT {value}, code, rows FROM {facet_table(spec.table)} WHERE code IN ({codes}) "
        f"ORDER BY {value} {direction}, code"
    )
    rows = deadline.run(float("inf"), sql, params)
    return [
        [(row[1], row[2]) for row in members]
        for _, members in itertools.groupby(rows, key=lambda row: row[0])
    ]


def _rows(deadline: Deadline, spec: KindSql, numbers: list[int]) -> list[sqlite3.Row]:
    if not numbers:
        return []
    sql = (
        f"SELECT {spec.columns} FROM {spec.table} t "
        f"WHERE t.rowid IN ({','.join('?' * len(numbers))})"
    )
    found = {row[0]: row for row in deadline.run(float("inf"), sql, numbers)}
    return [found[number] for number in numbers if number in found]
