"""Helpers for action tests: post an action, find a seeded entity with a given state, read
the store file directly to prove what did (not) change."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shared_schema.common import COLLECTIONS
from tests.support.api import Api


async def act(
    api: Api,
    kind: str,
    entity_id: str,
    action: str,
    body: dict[str, Any],
    key: str | None = None,
    session: str | None = None,
) -> tuple[int, Any]:
    headers = {}
    if key is not None:
        headers["Idempotency-Key"] = key
    if session is not None:
        headers["X-Callcenter-Session"] = session
    return await api.send(
        "POST", f"/{COLLECTIONS[kind]}/{entity_id}/actions/{action}", body, headers=headers
    )


async def find_customer(api: Api, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The first seeded customer (in id order) whose details satisfy ``wanted``."""
    for page in range(1, 21):
        found = await api.read(
            "/search/customers", sort="id", order="asc", page=str(page), page_size="100"
        )
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
        counts = tuple(
            conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in (
                "audit_log",
                "outbox",
                "idempotency",
                "orders",
                "returns",
                "customer_segments",
            )
        )
    return row, counts


def count(db: Path, sql: str, *params: Any) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def make_guest(db: Path, customer_id: int) -> None:
    """Turn a seeded (registered) customer into a guest account: no user name, no login.

    The demo seed has registered accounts only; guest accounts come from guest checkout in a
    real store. Writes the store file directly, as a store would have it."""
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT doc FROM customers WHERE id = ?", (customer_id,)).fetchone()
        assert row is not None, customer_id
        doc = row[0]
        if doc is not None:
            data = json.loads(doc)
            data.update(
                username="",
                registered=False,
                password_change_required=False,
                payment_methods=[],
                wishlists=[],
            )
            doc = json.dumps(data)
        conn.execute("UPDATE customers SET username = '', doc = ? WHERE id = ?", (doc, customer_id))
