"""The naive baseline: the same requests as ``LIKE '%q%'`` scans with a full count.

What a first implementation would do: no FTS, no routing, no caps. It runs the same queries
over the same tables and existing indexes, straight through ``sqlite3`` (no HTTP, so the
ratio against the engine over HTTP is conservative).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from bench.workloads import Request

TEXT_COLUMNS = {
    "orders": ("customer_name", "email", "CAST(number AS TEXT)", "phone_digits"),
    "customers": ("first_name || ' ' || last_name", "email", "CAST(id AS TEXT)", "phone_digits"),
    "returns": ("customer_name", "email", "CAST(number AS TEXT)", "phone_digits"),
}
NEWEST = {
    "orders": "submitted_at DESC",
    "customers": "last_name, first_name",
    "returns": "created_at DESC",
}
SORT_COLUMNS = {"total": "total_cents", "number": "number"}
FILTERS = ("status", "type", "channel", "location")
NAME_COLUMNS = {
    "customers": {"first_name": "first_name", "last_name": "last_name"},
    "orders": {"first_name": "customer_name", "last_name": "customer_name"},
    "returns": {"first_name": "customer_name", "last_name": "customer_name"},
}


def naive_sql(kind: str, params: dict[str, str]) -> tuple[str, list[Any], str]:
    """FROM … WHERE clause, its arguments and the ORDER BY of one request."""
    where: list[str] = []
    args: list[Any] = []
    q = params.get("q", "").lstrip("#")
    if q:
        columns = TEXT_COLUMNS[kind]
        where.append("(" + " OR ".join(f"{c} LIKE ?" for c in columns) + ")")
        args += [f"%{q}%"] * len(columns)
    for key in FILTERS:
        if key in params:
            where.append(f"{key} = ?")
            args.append(params[key])
    for key, column in NAME_COLUMNS[kind].items():
        if key in params:
            where.append(f"{column} LIKE ?")
            args.append(f"%{params[key]}%")
    if "external_id" in params:
        where.append("external_id LIKE ?")
        args.append(f"{params['external_id']}%")
    if "submitted_from" in params:
        where.append("date(submitted_at, 'unixepoch') BETWEEN ? AND ?")
        args += [params["submitted_from"], params["submitted_to"]]
    sort = params.get("sort", "relevance")
    if sort == "relevance":
        order = NEWEST[kind]
    else:
        column = SORT_COLUMNS.get(sort, sort)
        order = f"{column} {params.get('order', 'asc').upper()}"
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return f"FROM {kind} {clause}", args, order


def run_naive(conn: sqlite3.Connection, request: Request) -> int:
    """One page of 25 and the full count; returns the count."""
    kind, params = request
    source, args, order = naive_sql(kind, params)
    page = int(params.get("page", "1"))
    conn.execute(
        f"SELECT * {source} ORDER BY {order} LIMIT 25 OFFSET ?", [*args, (page - 1) * 25]
    ).fetchall()
    return int(conn.execute(f"SELECT count(*) {source}", args).fetchone()[0])
