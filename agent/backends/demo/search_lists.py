"""Filter-only lists: walk the sort's index, or find the few matches and sort them.

A filter list sorted by a column no equality filter leads has two plans: walk the sort's
index checking the filters (wide filters: the first page is near), or find the rows by a
filter's index and sort them (selective filters). Neither is safe on 1M orders when the filter
and the sort are correlated (cancelled orders by payment status: all ``Voided``, at the end of
that index); such a list is served newest first, within the request's budget.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import replace

from agent.backends.demo.search_deadline import Deadline, is_interrupt
from agent.backends.demo.search_kinds import KindSql
from agent.backends.demo.search_plan import Source, facets_of, order_clause, select, sort_columns
from agent.backends.demo.search_query import Query
from agent.backends.demo.search_schema import INDEXES
from agent.search import catalog
from agent.search.params import SearchRequest

WALK_SHARE = 0.2
MAX_SORTED_ROWS = 40_000  # scattered rows cost ~1 µs each to fetch and sort
# A filter list that cannot be sorted in time is served newest first: this much of the budget
# is kept for that, and this is the sort it gets.
FALLBACK_RESERVE_S = 0.015
SLOW_ATTEMPT_S = 0.04
FALLBACK_SORT = {"orders": "submitted_at", "returns": "created_at", "customers": "created_at"}


def filter_page(
    deadline: Deadline,
    deadline_s: float,
    spec: KindSql,
    req: SearchRequest,
    query: Query,
    source: Source,
    counted: int | None,
) -> tuple[list[sqlite3.Row], SearchRequest]:
    """A filter list sorted by a column no equality filter leads; the rows and the sort used.

    It either walks the sort's index (wide filters: the first page is near) or finds its rows
    by the filters and sorts them (selective filters: at most the cap of rows). When a walk
    takes more than ``WALK_SHARE`` of the deadline (matches are rare or far along the index,
    e.g. an old date range while walking newest first), the filter-driven plan takes over if
    it has at most ``MAX_SORTED_ROWS`` rows to sort; otherwise the walk goes on. Either runs for
    at most ``SLOW_ATTEMPT_S`` (and ``FALLBACK_RESERVE_S`` before the end of the request's
    budget); then the page is served
    newest first instead (an index walk), and the response says so: a sort correlated with
    the filter (cancelled orders by payment status: all ``Voided``, at the end of that index)
    can cost 100+ ms on the large store.
    """
    driven = (source.clauses(query), order_clause(spec, req, query, drive_by_filters=True))
    if counted is not None and counted <= catalog.COUNT_CAP:
        return select(deadline, spec, req, source, *driven), req
    sort_column = sort_columns(spec, req, query)[0].split()[0]
    walk = (
        source.clauses(query, sort_column, facets_of(spec)),
        order_clause(spec, req, query, source=source),
    )
    try:
        return select(deadline, spec, req, source, *walk, seconds=deadline_s * WALK_SHARE), req
    except sqlite3.OperationalError as error:
        if not is_interrupt(error):
            raise
    few = _matches_at_most(deadline, deadline_s, source, query, MAX_SORTED_ROWS)
    slow = driven if few else walk
    try:
        seconds = min(SLOW_ATTEMPT_S, deadline.remaining() - FALLBACK_RESERVE_S)
        return select(deadline, spec, req, source, *slow, seconds=seconds), req
    except sqlite3.OperationalError as error:
        if not is_interrupt(error):
            raise
    newest = replace(req, sort=FALLBACK_SORT[spec.table], order="desc")
    order_by = order_clause(spec, newest, query, source=source)
    return select(deadline, spec, newest, source, source.clauses(query), order_by), newest


def _matches_at_most(
    deadline: Deadline, deadline_s: float, source: Source, query: Query, limit: int
) -> bool:
    """True when at most ``limit`` rows match; first tries one filter alone on its index."""
    for condition, condition_params in query.indexed:  # an upper bound, without row lookups
        bound = f"SELECT count(*) FROM (SELECT 1 FROM {source.sql} WHERE {condition} LIMIT ?)"
        with contextlib.suppress(sqlite3.OperationalError):
            if deadline.run(deadline_s, bound, [*condition_params, limit + 1])[0][0] <= limit:
                return True
    where, params = source.clauses(query)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {source.sql} {where} LIMIT ?)"
    try:
        return int(deadline.run(deadline_s, sql, [*params, limit + 1])[0][0]) <= limit
    except sqlite3.OperationalError as error:
        if not is_interrupt(error):
            raise
        return False


def sort_needs_a_walk(spec: KindSql, req: SearchRequest, query: Query) -> bool:
    """True when a filter-only list would walk a sort index that no equality filter leads."""
    if not query.filtered or query.words or query.hit_sources:
        return False
    first = sort_columns(spec, req, query)[0].split()[0].removeprefix("t.")
    if first in {column.removeprefix("t.") for column, _, _ in query.ranges}:
        return False  # the range is a stretch of the sort's own index
    for columns in INDEXES[spec.table]:
        names = [c.split()[0] for c in columns.split(",")]
        if len(names) == 2 and f"t.{names[0]}" in query.equal_columns and names[1] == first:
            return False
    return True
