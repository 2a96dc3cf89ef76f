"""What the search's plans share: the row source, the page statement and its ORDER BY."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from agent.backends.demo.search_deadline import Deadline
from agent.backends.demo.search_kinds import KindSql
from agent.backends.demo.search_query import Query
from agent.backends.demo.search_schema import FACET_COLUMNS, facet_table
from agent.search.params import SearchRequest


@dataclass
class Source:
    """Where the rows come from: the FROM clause and what is known about the hit set."""

    sql: str
    params: list[Any] = field(default_factory=list)
    lead: list[tuple[str, list[Any]]] = field(default_factory=list)
    hits: tuple[str, list[Any]] | None = None
    fts_driven: bool = False
    truncated: bool = False
    fts_total: int | None = None  # matches of the words alone, up to the cap plus one

    def clauses(
        self,
        query: Query,
        walk_index_of: str | None = None,
        facets: str | None = None,
        facet_index: bool = False,
    ) -> tuple[str, list[Any]]:
        where, params = query.clauses(walk_index_of, self.lead, facets, facet_index)
        return where, [*self.params, *params]


def facets_of(spec: KindSql) -> str | None:
    """The facet table a walk checks the list filters in (see ``search_schema``)."""
    return facet_table(spec.table) if spec.table in FACET_COLUMNS else None


def select(
    deadline: Deadline,
    spec: KindSql,
    req: SearchRequest,
    source: Source,
    clauses: tuple[str, list[Any]],
    order_by: str,
    *,
    seconds: float = float("inf"),
    limit: int | None = None,
    offset: int | None = None,
) -> list[sqlite3.Row]:
    where, params = clauses
    sql = f"SELECT {spec.columns} FROM {source.sql} {where} ORDER BY {order_by} LIMIT ? OFFSET ?"
    paging = [req.limit if limit is None else limit, req.offset if offset is None else offset]
    return deadline.run(seconds, sql, [*params, *paging])


def sort_columns(spec: KindSql, req: SearchRequest, query: Query) -> tuple[str, ...]:
    """The sort's columns, less those a filter fixes; by number within a date range, by date
    (numbers rise with it)."""
    columns = spec.sorts.get(req.sort, spec.relevance)
    if req.sort == "relevance":
        return columns
    while len(columns) > 1 and columns[0] in query.equal_columns:
        columns = columns[1:]  # one value by the filter: sorted by its tie-breakers
    ranged = {column for column, _, _ in query.ranges}
    if columns == ("t.rowid",) and spec.time_column in ranged:
        return (spec.time_column, "t.rowid")
    return columns


def order_clause(
    spec: KindSql,
    req: SearchRequest,
    query: Query,
    *,
    source: Source | None = None,
    drive_by_filters: bool = False,
) -> str:
    """ORDER BY; with ``drive_by_filters`` written ``+column`` so no sort index is walked.

    Selective filters (at most the cap of rows) are cheapest to find by their own index and
    sort; the planner cannot tell them from common values when they are bound parameters.
    Relevance lists orders and returns newest first, customers by name (the exact number is
    shown ahead of any sort, ``search.py``).
    """
    plus = "+" if drive_by_filters else ""
    fts_number = f"{spec.fts}.rowid" if source is not None and source.fts_driven else None
    if req.sort == "relevance":
        if fts_number and spec.time_column:
            keys = [f"{fts_number} DESC"]
        else:
            keys = [plus + k for k in spec.relevance]
        return ", ".join(keys)
    direction = "DESC" if req.order == "desc" else "ASC"
    columns = sort_columns(spec, req, query)
    if fts_number and columns[0] in ("t.rowid", spec.time_column):
        columns = (fts_number,)  # numbers rise with time: both stream from the doclist
    return ", ".join(f"{plus}{column} {direction}" for column in columns)
