"""Helpers for action tests: post an action, find a seeded entity with a given state, read
the store file directly to prove what did (not) change."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.api import Api

COLLECTIONS = {"customer": "customers", "order": "orders", "return": "returns"}


async def act(api: Api, kind: str, entity_id: str, action: str, body: dict[str, Any],
              key: str | None = None, session: str | None = None) -> tuple[int, Any]:
    headers = {}
    if key is not None:
        headers["Idempotency-Key"] = key
    if session is not None:
        headers["X-Callcenter-Session"] = session
    return await api.send("POST", f"/{COLLECTIONS[kind]}/{entity_id}/actions/{action}", body,
                          headers=headers)


async def find_customer(api: Api, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The first seeded customer (in id order) whose details satisfy ``wanted``."""
    for page in range(1, 21):
        found = await api.read("/search/customers", sort="id", order="asc", page=str(page),
                               page_size="100")
        for row in found["results"]:
            detail = await api.read(f"/customers/{row['id']}")
            if wanted(detail):
                return detail
        if page * 100 >= found["total"]:
            break
    raise AssertionError("no seeded customer matches")


def snapshot(db: Path, table: str, key: str, number: int) -> tuple[Any, ...]:
    """The row exactly as stored, plus the counts that every action adds to."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute(f"SELECT * FROM {table} WHERE {key} = ?", (number,)).fetchone()
        counts = tuple(conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                       for name in ("audit_log", "outbox", "idempotency", "orders", "returns",
                                    "customer_segments"))
    return row, counts


def count(db: Path, sql: str, *params: Any) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute(sql, params).fetchone()[0])
