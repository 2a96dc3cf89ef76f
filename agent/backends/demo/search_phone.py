"""Customers found by the start of a phone number, in name order, from one covering index.

Five or six digits can match a couple of thousand customers, and relevance lists them as a
phone book does (the exact customer id first, then by last and first name). The customers'
phone index carries the names, so the page is sorted from the index alone and only its rows
are read: ~0.3 ms for 1,700 matches against ~0.9 ms sorting the rows themselves.
"""

from __future__ import annotations

import sqlite3

from agent.backends.demo.search_deadline import Deadline
from agent.backends.demo.search_kinds import KindSql
from agent.backends.demo.search_query import Query, prefix_range
from agent.search.params import SearchRequest
from agent.search.text import TextPlan

SORT_KEYS = "last_name COLLATE NOCASE AS l, first_name COLLATE NOCASE AS f"


def serves(spec: KindSql, req: SearchRequest, query: Query, plan: TextPlan) -> bool:
    """Customers by relevance, found by a phone prefix (and perhaps the id), nothing else."""
    return (
        spec.table == "customers"
        and req.sort == "relevance"
        and not query.filtered
        and not query.words
        and plan.phone_prefix is not None
        and plan.phone_last4 is None
        and plan.email_prefix is None
    )


def phone_page(
    deadline: Deadline, spec: KindSql, req: SearchRequest, plan: TextPlan
) -> list[sqlite3.Row]:
    """The page by name; the exact id, shown first by ``search.py``, is left out."""
    assert plan.phone_prefix is not None
    match, params = prefix_range("phone_digits", plan.phone_prefix)
    return deadline.run(
        float("inf"),
        f"SELECT {spec.columns} FROM (SELECT rowid AS r, {SORT_KEYS} FROM customers "
        f"WHERE {match} AND rowid <> ? ORDER BY l, f, r LIMIT ? OFFSET ?) p "
        "CROSS JOIN customers t ON t.rowid = p.r ORDER BY p.l, p.f, p.r",
        [*params, plan.number if plan.number is not None else -1, req.limit, req.offset],
    )
