"""Search the demo store: free text, every catalog filter and sort, paging and capped counts.

Every plan is bounded so a page completes quickly even on the 1M-order store:

- Word searches are driven by the FTS table. When more than ``COUNT_CAP`` records match, the
  search keeps to the newest ``COUNT_CAP`` matches (a rowid window, so it still streams):
  filters, sorts and the count apply within it and the total reads "10,000+".
- Number, phone and email searches gather their hits from B-tree indexes, each source capped.
- Filter-only lists walk the index of their sort, or find their rows by the filters' index
  and sort them when the count shows they are few (see ``_page``).

The count runs first, with ``deadline_s``; past it the count stops and the total becomes a
lower bound (``total_exact`` false), never an error. A page that runs past
``PAGE_DEADLINE_FACTOR * deadline_s`` (at least ``PAGE_DEADLINE_MIN_S``) raises
``BackendUnavailable`` (503 ``search_timeout``). The connection's progress handler is replaced
for the duration of the call.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.backends.demo.ids import order_id, return_id
from agent.backends.demo.search_schema import INDEXES
from agent.errors import BackendUnavailable
from agent.search import catalog
from agent.search.params import SearchRequest
from agent.search.text import TextPlan, interpret
from shared_schema.search import SearchResponse

PAGE_DEADLINE_FACTOR = 10
PAGE_DEADLINE_MIN_S = 0.5
WALK_SHARE = 0.2
MAX_SORTED_ROWS = 50_000
PROGRESS_STEPS = 1000


@dataclass(frozen=True)
class KindSql:
    table: str
    fts: str
    number_label: str
    columns: str
    row: Callable[[sqlite3.Row], dict[str, Any]]
    sorts: dict[str, tuple[str, ...]]
    relevance: tuple[str, ...]
    filters: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)


def _iso(ts: int | None) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _customer_row(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": str(r["id"]),
        "name": f"{r['first_name']} {r['last_name']}",
        "email": r["email"],
        "phone": r["phone"],
        "account_status": r["account_status"],
        "location": f"{r['city']}, {r['state']}, {r['country']}",
        "customer_set": r["customer_set"],
        "segments": r["segments"],
        "order_count": r["order_count"],
        "lifetime_value": r["lifetime_value_cents"],
        "created_at": _iso(r["created_at"]),
    }


def _order_row(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": order_id(r["number"]),
        "number": r["number"],
        "customer_name": r["customer_name"],
        "email": r["email"],
        "status": r["status"],
        "payment_status": r["payment_status"],
        "fulfillment_status": r["fulfillment_status"],
        "return_status": r["return_status"],
        "type": r["type"],
        "channel": r["channel"],
        "site": r["site"],
        "item_count": r["item_count"],
        "total": r["total_cents"],
        "submitted_at": _iso(r["submitted_at"]),
    }


def _return_row(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": return_id(r["number"]),
        "number": r["number"],
        "order_number": r["order_number"],
        "customer_name": r["customer_name"],
        "email": r["email"],
        "status": r["status"],
        "return_type": r["return_type"],
        "refund_status": r["refund_status"],
        "reason": r["reason"],
        "item_count": r["item_count"],
        "refund_total": r["refund_cents"],
        "created_at": _iso(r["created_at"]),
    }


# Relevance lists customers as a phone book does; the Name column sorts as it reads.
CUSTOMER_NAME_ORDER = ("t.last_name COLLATE NOCASE", "t.first_name COLLATE NOCASE", "t.rowid")
DISPLAY_NAME_ORDER = ("t.first_name COLLATE NOCASE", "t.last_name COLLATE NOCASE", "t.rowid")

# Sort keys list their tie-breakers; all take the requested direction, matching the indexes.
KINDS: dict[str, KindSql] = {
    "customers": KindSql(
        table="customers",
        fts="customers_fts",
        number_label="customer id",
        columns="t.id, t.first_name, t.last_name, t.email, t.phone, t.account_status, t.city, "
        "t.state, t.country, t.customer_set, t.segments, t.order_count, "
        "t.lifetime_value_cents, t.created_at",
        row=_customer_row,
        sorts={
            "id": ("t.rowid",),
            "name": DISPLAY_NAME_ORDER,
            "email": ("t.email", "t.rowid"),
            "account_status": ("t.account_status", "t.rowid"),
            "customer_set": ("t.customer_set", "t.rowid"),
            "order_count": ("t.order_count", "t.rowid"),
            "lifetime_value": ("t.lifetime_value_cents", "t.rowid"),
            "created_at": ("t.created_at", "t.rowid"),
        },
        relevance=CUSTOMER_NAME_ORDER,
        filters={"account_status": "t.account_status", "customer_set": "t.customer_set"},
        dates={"created": "t.created_at"},
    ),
    "orders": KindSql(
        table="orders",
        fts="orders_fts",
        number_label="order number",
        columns="t.number, t.customer_name, t.email, t.status, t.payment_status, "
        "t.fulfillment_status, t.return_status, t.type, t.channel, t.site, t.item_count, "
        "t.total_cents, t.submitted_at",
        row=_order_row,
        sorts={
            "number": ("t.rowid",),
            "customer_name": ("t.customer_name COLLATE NOCASE", "t.rowid"),
            "email": ("t.email", "t.rowid"),
            "status": ("t.status", "t.submitted_at", "t.rowid"),
            "payment_status": ("t.payment_status", "t.submitted_at", "t.rowid"),
            "fulfillment_status": ("t.fulfillment_status", "t.submitted_at", "t.rowid"),
            "return_status": ("t.return_status", "t.submitted_at", "t.rowid"),
            "type": ("t.type", "t.submitted_at", "t.rowid"),
            "channel": ("t.channel", "t.submitted_at", "t.rowid"),
            "site": ("t.site", "t.submitted_at", "t.rowid"),
            "item_count": ("t.item_count", "t.rowid"),
            "total": ("t.total_cents", "t.rowid"),
            "submitted_at": ("t.submitted_at", "t.rowid"),
        },
        relevance=("t.submitted_at DESC", "t.rowid DESC"),
        filters={
            "status": "t.status",
            "payment_status": "t.payment_status",
            "fulfillment_status": "t.fulfillment_status",
            "return_status": "t.return_status",
            "type": "t.type",
            "channel": "t.channel",
            "site": "t.site",
            "number": "t.rowid",
            "customer_id": "t.customer_id",
        },
        dates={"submitted": "t.submitted_at"},
    ),
    "returns": KindSql(
        table="returns",
        fts="returns_fts",
        number_label="return number",
        columns="t.number, t.order_number, t.customer_name, t.email, t.status, t.return_type, "
        "t.refund_status, t.reason, t.item_count, t.refund_cents, t.created_at",
        row=_return_row,
        sorts={
            "number": ("t.rowid",),
            "order_number": ("t.order_number", "t.rowid"),
            "customer_name": ("t.customer_name COLLATE NOCASE", "t.rowid"),
            "email": ("t.email", "t.rowid"),
            "status": ("t.status", "t.created_at", "t.rowid"),
            "return_type": ("t.return_type", "t.created_at", "t.rowid"),
            "refund_status": ("t.refund_status", "t.created_at", "t.rowid"),
            "reason": ("t.reason", "t.created_at", "t.rowid"),
            "item_count": ("t.item_count", "t.rowid"),
            "refund_total": ("t.refund_cents", "t.rowid"),
            "created_at": ("t.created_at", "t.rowid"),
        },
        relevance=("t.created_at DESC", "t.rowid DESC"),
        filters={
            "status": "t.status",
            "return_type": "t.return_type",
            "refund_status": "t.refund_status",
            "reason": "t.reason",
            "number": "t.rowid",
            "order_number": "t.order_number",
            "customer_id": "t.customer_id",
        },
        dates={"created": "t.created_at"},
    ),
}


def _prefix_range(column: str, prefix: str) -> tuple[str, list[Any]]:
    """``column`` starts with ``prefix``, as an index range (no LIKE, no collation surprises)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return f"({column} >= ? AND {column} < ?)", [prefix, upper]


def _phone_condition(plan: TextPlan) -> tuple[str, list[Any]] | None:
    parts: list[str] = []
    params: list[Any] = []
    if plan.phone_prefix:
        sql, args = _prefix_range("t.phone_digits", plan.phone_prefix)
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
    exact_rank: list[tuple[str, int]] = field(default_factory=list)
    equal_columns: set[str] = field(default_factory=set)

    def add(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.where.append(sql)
        self.params.extend(params)

    def add_range(self, column: str, bounds: tuple[int | None, int | None]) -> None:
        low, high = bounds
        if low is not None:
            self.ranges.append((column, ">=", low))
        if high is not None:
            self.ranges.append((column, "<=", high))

    def clauses(self, walk_index_of: str | None = None) -> tuple[str, list[Any]]:
        """WHERE clause and its parameters.

        With ``walk_index_of`` (the first sort column), a range on another column is written
        ``+column`` so the planner walks the sort's index instead of sorting a wide range.
        """
        ranges = [
            f"{'+' if walk_index_of not in (None, column) else ''}{column} {op} ?"
            for column, op, _ in self.ranges
        ]
        conditions = [*self.where, *ranges]
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return where, [*self.params, *(value for *_, value in self.ranges)]


def _add_text(query: Query, kind: str, plan: TextPlan) -> None:
    """Route the search box: exact numbers, phones and emails become capped hit sources."""
    table = KINDS[kind].table
    limit = f"LIMIT {catalog.COUNT_CAP + 1}"
    if plan.number is not None:
        query.hit_sources.append(
            (f"SELECT rowid AS rid FROM {table} WHERE rowid = ?", [plan.number])
        )
        query.exact_rank.append(("t.rowid", plan.number))
    if plan.phone_prefix:
        sql, args = _prefix_range("phone_digits", plan.phone_prefix)
        query.hit_sources.append((f"SELECT rowid AS rid FROM {table} WHERE {sql} {limit}", args))
    if plan.phone_last4:
        query.hit_sources.append(
            (f"SELECT rowid AS rid FROM {table} WHERE phone_last4 = ? {limit}", [plan.phone_last4])
        )
    if plan.email_prefix:
        sql, args = _prefix_range("email", plan.email_prefix)
        query.hit_sources.append((f"SELECT rowid AS rid FROM {table} WHERE {sql} {limit}", args))
    if plan.words:
        query.words.append(plan.fts_query() or "")
    if plan.kind == "nothing" or (plan.kind in ("digits", "phone") and not query.hit_sources):
        query.add("0")


def _add_filters(query: Query, kind: str, filters: dict[str, Any]) -> None:
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
                query.add(*_prefix_range("t.email", prefix))
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
            _add_customer_filter(query, str(value))
        elif isinstance(value, tuple):
            marks = ",".join("?" * len(value))
            query.add(f"{spec.filters[key]} IN ({marks})", value)
            if len(value) == 1:
                query.equal_columns.add(spec.filters[key])
        else:
            query.add(f"{spec.filters[key]} = ?", [value])
            query.equal_columns.add(spec.filters[key])


def _add_customer_filter(query: Query, text: str) -> None:
    """Returns' Customer filter: a customer id, the start of an email, or name words."""
    plan = interpret(text)
    if text.strip().isascii() and text.strip().isdigit():
        query.add("t.customer_id = ?", [int(text.strip())])
    elif plan.email_prefix:
        query.add(*_prefix_range("t.email", plan.email_prefix))
    elif plan.words:
        query.words.append(plan.fts_query() or "")
    else:
        query.add("0")


class _Deadline:
    """Interrupts the running statement once its deadline has passed."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.until = float("inf")

    def __enter__(self) -> _Deadline:
        self.conn.set_progress_handler(lambda: time.monotonic() > self.until, PROGRESS_STEPS)
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.set_progress_handler(None, 0)

    def run(self, seconds: float, sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        self.until = time.monotonic() + seconds
        try:
            return self.conn.execute(sql, params).fetchall()
        finally:
            self.until = float("inf")


def _is_interrupt(error: sqlite3.OperationalError) -> bool:
    return "interrupt" in str(error).lower()


@dataclass
class _Source:
    """Where the rows come from: the FROM clause and what is known about the hit set."""

    sql: str
    fts_driven: bool = False
    truncated: bool = False
    fts_count: tuple[str, list[Any]] | None = None


def run_search(
    conn: sqlite3.Connection, kind: str, req: SearchRequest, *, deadline_s: float = 0.1
) -> SearchResponse:
    spec = KINDS[kind]
    cap = catalog.COUNT_CAP
    plan = interpret(req.q, spec.number_label)
    query = Query()
    _add_text(query, kind, plan)
    _add_filters(query, kind, dict(req.filters))
    notes = [plan.interpretation] if plan.interpretation else []
    row_factory = conn.row_factory
    conn.row_factory = sqlite3.Row
    try:
        with _Deadline(conn) as deadline:
            source = _source(deadline, spec, query)
            counted = _count(deadline, deadline_s, query, source)
            try:
                rows = _page(deadline, deadline_s, spec, req, query, source, counted)
            except sqlite3.OperationalError as error:
                if not _is_interrupt(error):
                    raise
                raise BackendUnavailable(
                    "This search took too long; add a filter or more words",
                    code="search_timeout",
                ) from None
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
    return SearchResponse(
        kind=kind,
        q=req.q,
        total=total,
        total_exact=exact,
        page=req.page,
        page_size=req.page_size,
        sort=req.sort,
        order=req.order,
        interpretation="; ".join(notes),
        columns=list(catalog.CATALOG[kind].columns),
        results=[spec.row(r) for r in rows],
    )


def _page(
    deadline: _Deadline,
    deadline_s: float,
    spec: KindSql,
    req: SearchRequest,
    query: Query,
    source: _Source,
    counted: int | None,
) -> list[sqlite3.Row]:
    """One page of rows, by the plan the count says is cheapest.

    A filter list sorted by a column no equality filter leads either walks the sort's index
    (wide filters: the first page is near) or finds its rows by the filters and sorts them
    (selective filters: at most the cap of rows). When a walk takes more than ``WALK_SHARE``
    of the deadline (matches are rare or far along the index, e.g. an old date range while
    walking newest first), the filter-driven plan takes over if it has at most
    ``MAX_SORTED_ROWS`` rows to sort; otherwise the walk goes on to the page deadline.
    """
    page_deadline = max(PAGE_DEADLINE_MIN_S, deadline_s * PAGE_DEADLINE_FACTOR)
    paging = [req.page_size, req.offset]

    def select(clauses: tuple[str, list[Any]], order_by: str) -> tuple[str, list[Any]]:
        where, params = clauses
        sql = f"SELECT {spec.columns} FROM {source.sql} {where} ORDER BY {order_by}"
        return f"{sql} LIMIT ? OFFSET ?", [*params, *paging]

    if not _sort_needs_a_walk(spec, req, query):
        plain = select(query.clauses(), _order_by(spec, req, query, source))
        return deadline.run(page_deadline, *plain)
    driven = select(query.clauses(), _order_by(spec, req, query, source, drive_by_filters=True))
    if counted is not None and counted <= catalog.COUNT_CAP:
        return deadline.run(page_deadline, *driven)
    sort_column = spec.sorts.get(req.sort, spec.relevance)[0].split()[0]
    walk = select(query.clauses(sort_column), _order_by(spec, req, query, source))
    try:
        return deadline.run(deadline_s * WALK_SHARE, *walk)
    except sqlite3.OperationalError as error:
        if not _is_interrupt(error):
            raise
    if _matches_at_most(deadline, deadline_s, source, query, MAX_SORTED_ROWS):
        return deadline.run(page_deadline, *driven)
    return deadline.run(page_deadline, *walk)


def _matches_at_most(
    deadline: _Deadline, deadline_s: float, source: _Source, query: Query, limit: int
) -> bool:
    where, params = query.clauses()
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {source.sql} {where} LIMIT ?)"
    try:
        return int(deadline.run(deadline_s, sql, [*params, limit + 1])[0][0]) <= limit
    except sqlite3.OperationalError as error:
        if not _is_interrupt(error):
            raise
        return False


def _source(deadline: _Deadline, spec: KindSql, query: Query) -> _Source:
    cap = catalog.COUNT_CAP
    truncated = False
    if query.words:
        match = " AND ".join(f"({w})" for w in query.words)
        floor = deadline.run(
            float("inf"),
            f"SELECT rowid FROM {spec.fts} WHERE {spec.fts} MATCH ? "
            "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [match, cap],
        )
        window, params = "", [match]
        if floor:
            truncated = True
            window = f" AND {spec.fts}.rowid > ?"
            params.append(floor[0][0])
        if query.hit_sources:
            query.where.insert(
                0,
                f"EXISTS (SELECT 1 FROM {spec.fts} WHERE {spec.fts} MATCH ? "
                f"AND {spec.fts}.rowid = t.rowid{window})",
            )
            query.params[:0] = params
        else:
            condition = f"{spec.fts} MATCH ?{window}"
            fts_count = (f"SELECT count(*) FROM {spec.fts} WHERE {condition}", list(params))
            query.where.insert(0, condition)
            query.params[:0] = params
            return _Source(
                f"{spec.fts} CROSS JOIN {spec.table} t ON t.rowid = {spec.fts}.rowid",
                fts_driven=True,
                truncated=truncated,
                fts_count=fts_count,
            )
    if query.hit_sources:
        union = " UNION ".join(f"SELECT * FROM ({sql})" for sql, _ in query.hit_sources)
        for sql, params in query.hit_sources:
            if "LIMIT" in sql:
                size = deadline.run(float("inf"), f"SELECT count(*) FROM ({sql})", params)
                truncated = truncated or size[0][0] > cap
        query.params[:0] = [p for _, params in query.hit_sources for p in params]
        return _Source(
            f"({union}) AS hits CROSS JOIN {spec.table} t ON t.rowid = hits.rid",
            truncated=truncated,
        )
    return _Source(f"{spec.table} t")


def _order_by(
    spec: KindSql,
    req: SearchRequest,
    query: Query,
    source: _Source,
    *,
    drive_by_filters: bool = False,
) -> str:
    """ORDER BY; with ``drive_by_filters`` written ``+column`` so no sort index is walked.

    Selective filters (at most the cap of rows) are cheapest to find by their own index and
    sort; the planner cannot tell them from common values when they are bound parameters.
    """
    plus = "+" if drive_by_filters else ""
    if req.sort == "relevance":
        rank = [f"({column} = {int(value)}) DESC" for column, value in query.exact_rank]
        newest = source.fts_driven and spec.table != "customers"
        keys = [f"{spec.fts}.rowid DESC"] if newest else [plus + k for k in spec.relevance]
        return ", ".join([*rank, *keys])
    direction = "DESC" if req.order == "desc" else "ASC"
    columns = spec.sorts[req.sort]
    if source.fts_driven and columns == ("t.rowid",):
        columns = (f"{spec.fts}.rowid",)
    return ", ".join(f"{plus}{column} {direction}" for column in columns)


def _sort_needs_a_walk(spec: KindSql, req: SearchRequest, query: Query) -> bool:
    """True when a filter-only list would walk a sort index that no equality filter leads."""
    if not (query.where or query.ranges) or query.words or query.hit_sources:
        return False
    first = spec.sorts.get(req.sort, spec.relevance)[0].split()[0].removeprefix("t.")
    for columns in INDEXES[spec.table]:
        names = [c.split()[0] for c in columns.split(",")]
        if len(names) == 2 and f"t.{names[0]}" in query.equal_columns and names[1] == first:
            return False
    return True


def _count(deadline: _Deadline, deadline_s: float, query: Query, source: _Source) -> int | None:
    """Matches up to the cap plus one; None when the count ran out of time."""
    cap = catalog.COUNT_CAP
    only_words = source.fts_count is not None and len(query.where) == 1 and not query.ranges
    if only_words and source.truncated:
        return cap + 1
    if only_words and source.fts_count:
        sql, params = source.fts_count
    else:
        where, where_params = query.clauses()
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {source.sql} {where} LIMIT ?)"
        params = [*where_params, cap + 1]
    try:
        return int(deadline.run(deadline_s, sql, params)[0][0])
    except sqlite3.OperationalError as error:
        if not _is_interrupt(error):
            raise
        return None
