"""Search the demo store: free text, every catalog filter and sort, paging and capped counts.

Every plan is bounded so a page completes quickly even on the 1M-order store:

- Word searches are driven by the FTS table. When more than ``COUNT_CAP`` records match, the
  search keeps to the newest ``COUNT_CAP`` matches (a rowid window, so it still streams):
  filters, sorts and the count apply within it and the total reads "10,000+".
- Number, phone and email searches gather their hits from B-tree indexes, each source capped.
- A page of many hits in an order the hits do not stream in (customers by name, any column
  sort) walks the sort's index and keeps the rows whose rowid is in the hit set; few hits are
  gathered and sorted (see ``_walk_beats_sorting``).
- Filter-only lists walk the index of their sort, or find their rows by the filters' index
  and sort them when the count shows they are few (``search_lists.filter_page``).

The count runs first, within ``deadline_s``; past it the count stops and the total becomes a
lower bound (``total_exact`` false), never an error. The whole search has ``REQUEST_BUDGET_S``
of its thread's CPU time (at least ``deadline_s``): a search still running then gets one more
budget, and after that raises ``BackendUnavailable`` (503 ``search_timeout``). ``cancel``
stops the search at once (``SearchCancelled``). The connection's progress handler is replaced
for the duration of the call.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from dataclasses import replace
from typing import Any

from agent.backends.demo.search_cards import card_hit
from agent.backends.demo.search_deadline import Deadline, SearchCancelled, is_interrupt
from agent.backends.demo.search_facets import facet_list
from agent.backends.demo.search_kinds import KINDS, KindSql
from agent.backends.demo.search_lists import filter_page, sort_needs_a_walk
from agent.backends.demo.search_names import add_name_filters
from agent.backends.demo.search_phone import phone_page
from agent.backends.demo.search_phone import serves as phone_serves
from agent.backends.demo.search_plan import Source, facets_of, order_clause, select, sort_columns
from agent.backends.demo.search_query import Query, add_filters, add_text
from agent.errors import BackendUnavailable
from agent.search import catalog
from agent.search.params import SearchRequest
from agent.search.text import TextPlan, interpret
from shared_schema.search import SearchResponse

__all__ = ["SearchCancelled", "run_search"]

log = logging.getLogger(__name__)

COUNT_DEADLINE_S = 0.025
REQUEST_BUDGET_S = 0.09
ATTEMPTS = 2
# Cost of one index entry walked (with its hit-set probe) and of one hit gathered, joined and
# sorted; measured on the large store (~0.25 µs and ~0.35 µs).
WALK_ROW_COST = 0.25e-6
SORT_ROW_COST = 0.35e-6
# Hits can cluster along the sort (``park`` sorted by last name): a walk that runs past this
# many times the sort's estimated cost hands over to sorting.
WALK_GUARD_FACTOR = 2.0
WALK_GUARD_MIN_S = 0.001


def run_search(
    conn: sqlite3.Connection,
    kind: str,
    req: SearchRequest,
    *,
    deadline_s: float = COUNT_DEADLINE_S,
    cancel: threading.Event | None = None,
) -> SearchResponse:
    spec = KINDS[kind]
    cap = catalog.COUNT_CAP
    plan = interpret(req.q, spec.number_label, spec.other_number and spec.other_number[0])
    query = Query()
    add_text(query, kind, plan)
    add_filters(query, kind, dict(req.filters))
    add_name_filters(conn, query, kind, dict(req.filters))
    notes = [plan.interpretation] if plan.interpretation else []
    if plan.phone_last4 and card_hit(spec.table):
        notes[0] += f", or card ending {plan.phone_last4}"
    row_factory = conn.row_factory
    conn.row_factory = sqlite3.Row
    try:
        rows, counted, source, served = _within_budget(
            conn, deadline_s, cancel, spec, req, query, plan
        )
    finally:
        conn.row_factory = row_factory
    if counted is None:
        total, exact = req.offset + len(rows), False
    elif counted > cap or source.truncated:
        total, exact = min(counted, cap), False
    else:
        total, exact = counted, True
    if source.truncated:
        notes.append(f"more than {cap:,} matches: showing the newest {cap:,}")
    if served.sort != req.sort:
        column = catalog.CATALOG[kind].column(req.sort)
        label = column.label if column else req.sort
        notes.append(f"too many matches to sort by {label} in time: newest first")
    return SearchResponse(
        kind=kind,
        q=req.q,
        total=total,
        total_exact=exact,
        page=req.page,
        page_size=req.page_size,
        sort=served.sort,
        order=served.order,
        interpretation="; ".join(notes),
        columns=list(catalog.CATALOG[kind].columns),
        results=[spec.row(r) for r in rows],
    )


def _within_budget(
    conn: sqlite3.Connection,
    deadline_s: float,
    cancel: threading.Event | None,
    spec: KindSql,
    req: SearchRequest,
    query: Query,
    plan: TextPlan,
) -> tuple[list[sqlite3.Row], int | None, Source, SearchRequest]:
    """``_answer`` within the request's budget; a search out of time gets a second budget
    before it is refused.

    On a virtual machine the thread's CPU clock also runs while the host holds the vCPU or the
    kernel faults the store's pages in: a 100-row page of the small store was once measured at
    286 ms CPU on a fresh copy. A second try finds the pages in memory; a truly slow search
    costs two budgets before its 503.
    """
    for attempt in range(1, ATTEMPTS + 1):
        started = (time.thread_time(), time.perf_counter())
        with Deadline(conn, max(REQUEST_BUDGET_S, deadline_s), cancel) as deadline:
            try:
                return _answer(deadline, deadline_s, spec, req, query, plan)
            except sqlite3.OperationalError as error:
                if not is_interrupt(error):
                    raise
        log.warning(
            "search over budget, try %d of %d (%.0f ms CPU, %.0f ms in all): %s %r",
            attempt,
            ATTEMPTS,
            (time.thread_time() - started[0]) * 1000,
            (time.perf_counter() - started[1]) * 1000,
            spec.table,
            req,
        )
    raise BackendUnavailable(
        "This search took too long; add a filter or more words", code="search_timeout"
    )


def _answer(
    deadline: Deadline,
    deadline_s: float,
    spec: KindSql,
    req: SearchRequest,
    query: Query,
    plan: TextPlan,
) -> tuple[list[sqlite3.Row], int | None, Source, SearchRequest]:
    """The page, its capped count (None: ran out of time), where its rows came from and the
    sort it was served in, by the cheapest plan that serves the search; the record whose
    number was typed first, whatever the sort."""
    exact = _exact_row(deadline, spec, query)
    if query.only_exact:
        rows = [exact] if exact is not None and req.page == 1 else []
        return rows, int(exact is not None), Source(f"{spec.table} t"), req
    if exact is None:
        return _answer_rest(deadline, deadline_s, spec, req, query, plan)
    rows, counted, source, served = _answer_rest(
        deadline, deadline_s, spec, replace(req, pinned=1), query, plan
    )
    rows = [exact, *rows] if req.page == 1 else rows
    return rows, None if counted is None else counted + 1, source, replace(served, pinned=0)


def _exact_row(deadline: Deadline, spec: KindSql, query: Query) -> sqlite3.Row | None:
    """The record numbered as typed, when it passes the filters."""
    if query.exact is None:
        return None
    lead: list[tuple[str, list[Any]]] = [("t.rowid = ?", [query.exact])]
    lead += [
        (f"t.rowid IN (SELECT rowid FROM {spec.fts} WHERE {spec.fts} MATCH ?)", [words])
        for words in query.words
    ]
    where, params = query.clauses(lead=lead)
    sql = f"SELECT {spec.columns} FROM {spec.table} t {where}"
    found = deadline.run(float("inf"), sql, params)
    return found[0] if found else None


def _answer_rest(
    deadline: Deadline,
    deadline_s: float,
    spec: KindSql,
    req: SearchRequest,
    query: Query,
    plan: TextPlan,
) -> tuple[list[sqlite3.Row], int | None, Source, SearchRequest]:
    listed = facet_list(deadline, deadline_s, spec, req, query)
    if listed is not None:
        rows, counted = listed
        return rows, counted, Source(f"{spec.table} t"), req
    source = _source(deadline, spec, query)
    counted = _count(deadline, deadline_s, spec, query, source)
    if not source.truncated and phone_serves(spec, req, query, plan):
        return phone_page(deadline, spec, req, plan), counted, source, req
    rows, served = _page(deadline, deadline_s, spec, req, query, source, counted)
    return rows, counted, source, served


def _source(deadline: Deadline, spec: KindSql, query: Query) -> Source:
    cap = catalog.COUNT_CAP
    truncated = False
    if query.words:
        match = " AND ".join(f"({w})" for w in query.words)
        # One pass over the newest cap + 1 matches: their number, and the oldest of them.
        found, floor = deadline.run(
            float("inf"),
            f"SELECT count(*), min(rowid) FROM (SELECT rowid FROM {spec.fts} "
            f"WHERE {spec.fts} MATCH ? ORDER BY rowid DESC LIMIT ?)",
            [match, cap + 1],
        )[0]
        window, params = "", [match]
        if found > cap:
            truncated = True
            window = f" AND {spec.fts}.rowid > ?"
            params.append(floor)
        if query.hit_sources:
            exists = (
                f"EXISTS (SELECT 1 FROM {spec.fts} WHERE {spec.fts} MATCH ? "
                f"AND {spec.fts}.rowid = t.rowid{window})"
            )
            return _hit_sources(deadline, spec, query, truncated, [(exists, params)])
        condition = f"{spec.fts} MATCH ?{window}"
        return Source(
            f"{spec.fts} CROSS JOIN {spec.table} t ON t.rowid = {spec.fts}.rowid",
            lead=[(condition, params)],
            hits=(f"SELECT rowid FROM {spec.fts} WHERE {condition}", params),
            fts_driven=True,
            truncated=truncated,
            fts_total=min(found, cap + 1),
        )
    if query.hit_sources:
        return _hit_sources(deadline, spec, query, truncated, [])
    return Source(f"{spec.table} t")


def _hit_sources(
    deadline: Deadline,
    spec: KindSql,
    query: Query,
    truncated: bool,
    lead: list[tuple[str, list[Any]]],
) -> Source:
    """The union of the number/phone/email hit sets, each capped at the count cap."""
    selects = [f"SELECT * FROM ({sql})" for sql, _ in query.hit_sources]
    union = " UNION ".join(selects)
    params = [p for _, source_params in query.hit_sources for p in source_params]
    for sql, source_params in query.hit_sources:
        if "LIMIT" in sql:
            size = deadline.run(float("inf"), f"SELECT count(*) FROM ({sql})", source_params)
            truncated = truncated or size[0][0] > catalog.COUNT_CAP
    if not truncated and not lead and not query.filtered:
        # Every hit set is whole: one OR of indexed conditions finds them with no UNION to
        # build (SQLite merges the indexes' rowids), for the count and the page alike. With
        # filters the union stays: its CROSS JOIN keeps the planner off a filter's index.
        any_hit = " OR ".join(sql for sql, _ in query.hit_conditions)
        any_params = [p for _, condition_params in query.hit_conditions for p in condition_params]
        return Source(
            f"{spec.table} t",
            lead=[(f"({any_hit})", any_params)],
            hits=(" UNION ALL ".join(selects), params),
        )
    return Source(
        f"({union}) AS hits CROSS JOIN {spec.table} t ON t.rowid = hits.rid",
        params=params,
        lead=lead,
        hits=None if lead else (" UNION ALL ".join(selects), params),  # IN drops repeats
        truncated=truncated,
    )


def _count(
    deadline: Deadline, deadline_s: float, spec: KindSql, query: Query, source: Source
) -> int | None:
    """Matches up to the cap plus one; None when the count ran out of time."""
    cap = catalog.COUNT_CAP
    unfiltered = not query.filtered
    if unfiltered and source.truncated:
        return cap + 1
    if unfiltered and source.fts_total is not None:  # counted while finding the window
        return source.fts_total
    if unfiltered and source.hits is not None and not source.lead:  # no join needed
        sql = f"SELECT min(count(DISTINCT rid), ?) FROM ({source.hits[0]})"
        params = [cap + 1, *source.hits[1]]
    else:
        # A plain list counts its coded filters on the (facet, date) index: no row reads.
        facets = facets_of(spec) if source.sql == f"{spec.table} t" else None
        where, where_params = source.clauses(query, facets=facets, facet_index=True)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {source.sql} {where} LIMIT ?)"
        params = [*where_params, cap + 1]
    try:
        return int(deadline.run(deadline_s, sql, params)[0][0])
    except sqlite3.OperationalError as error:
        if not is_interrupt(error):
            raise
        return None


def _page(
    deadline: Deadline,
    deadline_s: float,
    spec: KindSql,
    req: SearchRequest,
    query: Query,
    source: Source,
    counted: int | None,
) -> tuple[list[sqlite3.Row], SearchRequest]:
    """One page of rows, by the plan the count says is cheapest; and the sort it has."""
    if source.hits is not None and _walk_beats_sorting(deadline, spec, req, source, counted):
        assert counted is not None
        guard = max(WALK_GUARD_MIN_S, WALK_GUARD_FACTOR * SORT_ROW_COST * counted)
        try:
            return _walk_hits(deadline, spec, req, query, source, guard), req
        except sqlite3.OperationalError as error:
            if not is_interrupt(error):
                raise
    if sort_needs_a_walk(spec, req, query):
        return filter_page(deadline, deadline_s, spec, req, query, source, counted)
    order_by = order_clause(spec, req, query, source=source)
    return select(deadline, spec, req, source, source.clauses(query), order_by), req


def _streams(spec: KindSql, req: SearchRequest, source: Source) -> bool:
    """True when the hits come out of the FTS doclist already in the page's order."""
    if not source.fts_driven:
        return False
    first = sort_columns(spec, req, Query())[0]
    by_time = first == spec.time_column  # numbers rise with it: the same order
    relevance = req.sort == "relevance" and spec.time_column is not None
    return first == "t.rowid" or by_time or relevance


def _walk_beats_sorting(
    deadline: Deadline, spec: KindSql, req: SearchRequest, source: Source, counted: int | None
) -> bool:
    """Walking the sort's index costs ~rows walked; gathering and sorting costs ~hits.

    At ``counted`` hits spread over the table, a page at ``offset`` walks about
    ``(offset + page_size) * table_rows / counted`` index entries.
    """
    if counted is None or counted == 0 or _streams(spec, req, source):
        return False
    top = deadline.run(float("inf"), f"SELECT max(rowid) FROM {spec.table}", [])[0][0] or 0
    walked = (req.offset + req.limit) * top / counted
    return walked * WALK_ROW_COST < min(counted, catalog.COUNT_CAP + 1) * SORT_ROW_COST


def _walk_hits(
    deadline: Deadline,
    spec: KindSql,
    req: SearchRequest,
    query: Query,
    source: Source,
    seconds: float,
) -> list[sqlite3.Row]:
    """Walk the sort's index, keeping rows in the hit set."""
    assert source.hits is not None
    hits_sql, hits_params = source.hits
    member = (f"+t.rowid IN ({hits_sql})", hits_params)
    if not source.fts_driven and query.hit_rows:  # a number/phone/email test on the row itself
        rows = " OR ".join(sql for sql, _ in query.hit_rows)
        member = (f"({rows})", [p for _, params in query.hit_rows for p in params])
    walk = Source(f"{spec.table} t", lead=[member])
    order_by = order_clause(spec, req, query)
    sort_column = sort_columns(spec, req, query)[0].split()[0]
    clauses = walk.clauses(query, sort_column, facets_of(spec))
    return select(deadline, spec, req, walk, clauses, order_by, seconds=seconds)
