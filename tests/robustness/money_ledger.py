"""The demo store's money as its SQLite file holds it, read read-only (no agent in between), for
the money crash test: which tagged actions it holds, in how many records, and whether the
amounts add up.

Every action the test sends carries one tag (``mk000123x``) three times over: as its
Idempotency-Key, as its ``X-Callcenter-Session`` (so its audit rows name it) and in its note or
comments (so the record it leaves in the entity's document names it). An action applied once
is in all three places, its record in exactly one document; an action not applied is in none.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.backends.demo import documents
from shared_schema.actions_customers import MAX_CREDIT_CENTS
from tests.security.live import integrity

TAG = re.compile(r"mk\d{6}x")
Key = tuple[str, int]  # ("order", 12968): kind and number, as the audit log names entities
READERS = {
    "customer": documents.customer_detail,
    "order": documents.order_detail,
    "return": documents.return_detail,
}
TABLES = {
    "customer": ("customers", "id"),
    "order": ("orders", "number"),
    "return": ("returns", "number"),
}


def tag(serial: int) -> str:
    return f"mk{serial:06d}x"


@dataclass
class Move:
    """One money action as sent, and what it must do to the store if it is applied."""

    tag: str
    key: Key
    path: str
    body: dict[str, Any]
    expect_ok: bool
    touches: frozenset[Key]
    deltas: dict[Key, int] = field(default_factory=dict)  # on each entity's money (metric)
    emails: int = 0
    version: int | None = None  # the version its acknowledged answer named


@dataclass
class Store:
    docs: dict[Key, Any]
    row_versions: dict[Key, int]
    keys: set[str]  # tagged Idempotency-Keys remembered
    audit: dict[str, set[Key]]  # tag -> the entities its audit rows name
    records: Counter[str]  # tag -> records carrying it in the watched documents
    outbox: int


def read_store(db: Path, watched: set[Key]) -> Store:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        docs = {key: READERS[key[0]](conn, key[1]) for key in watched}
        rows = {
            key: conn.execute(
                f"SELECT version FROM {TABLES[key[0]][0]} WHERE {TABLES[key[0]][1]} = ?", (key[1],)
            ).fetchone()[0]
            for key in watched
        }
        keys = {k for (k,) in conn.execute("SELECT key FROM idempotency") if TAG.fullmatch(k)}
        audit: dict[str, set[Key]] = {}
        for session, kind, entity in conn.execute(
            "SELECT session_id, kind, entity_id FROM audit_log WHERE session_id LIKE 'mk%'"
        ):
            audit.setdefault(session, set()).add((kind, int(entity)))
        outbox = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    finally:
        conn.close()
    records: Counter[str] = Counter()
    for doc in docs.values():
        records.update(TAG.findall(doc.model_dump_json()))
    return Store(docs, rows, keys, audit, records, outbox)


def metric(key: Key, doc: Any, appeased: Key) -> int:
    """The money each action moves: a customer's store credit, an order's or return's refunded
    amount; the appeasement order's total plus refunded (what it lowers it credits back)."""
    if key[0] == "customer":
        return sum(c.current_balance_cents for c in doc.store_credits)
    if key == appeased:
        return int(doc.totals.total_cents + doc.totals.refunded_cents)
    return int(doc.totals.refunded_cents if key[0] == "order" else doc.refunded_cents)


def limits(key: Key, doc: Any, start: Any) -> None:
    """Balances never negative, refunds never beyond what was captured or is refundable."""
    if key[0] == "customer":
        for credit in doc.store_credits:
            assert 0 <= credit.current_balance_cents <= MAX_CREDIT_CENTS, (key, credit.code)
    elif key[0] == "order":
        totals = doc.totals
        assert 0 <= totals.refunded_cents <= totals.collected_cents, key
        assert totals.refundable_cents == totals.collected_cents - totals.refunded_cents, key
        assert totals.total_cents >= 0, key
        for payment in doc.payments:
            assert 0 <= payment.amount_credited_cents <= payment.amount_collected_cents, key
    else:
        assert doc.refundable_cents >= 0, key
        assert doc.refunded_cents + doc.refundable_cents == (
            start.refunded_cents + start.refundable_cents
        ), key


def check(
    db: Path, start: Store, moves: dict[str, Move], sure: set[str], maybe: set[str], appeased: Key
) -> set[str]:
    """Asserts the store holds every action in ``sure``, perhaps those in ``maybe``, nothing
    else, each exactly once and whole; answers the tags it holds."""
    assert integrity(db) == ["ok"]
    now = read_store(db, set(start.docs))
    applied = now.keys
    assert sure <= applied, f"acknowledged, then lost: {sorted(sure - applied)}"
    assert applied <= sure | maybe, f"applied, never acknowledged: {sorted(applied - sure)}"
    assert set(now.audit) == applied, (
        f"audit rows without their action, or the reverse: {sorted(set(now.audit) ^ applied)}"
    )
    assert set(now.records) == applied, (
        f"a record without its action, or the reverse: {sorted(set(now.records) ^ applied)}"
    )
    assert {t: n for t, n in now.records.items() if n != 1} == {}, "applied more than once"
    for name in applied:
        assert now.audit[name] == moves[name].touches, (name, now.audit[name])
    for key, doc in now.docs.items():
        mine = [moves[name] for name in applied if key in moves[name].touches]
        before = start.docs[key]
        assert now.row_versions[key] == doc.version, key
        assert doc.version - before.version == len(mine), f"{key}: a version bump ≠ one action"
        moved = sum(m.deltas.get(key, 0) for m in mine)
        assert metric(key, doc, appeased) - metric(key, before, appeased) == moved, key
        limits(key, doc, before)
        if key[0] == "return":
            assert len(doc.refunds) - len(before.refunds) == len(mine), key
    lowered = sum(
        h.amount_cents
        for h in now.docs[appeased].history
        if h.verb == "Appeased" and TAG.search(h.message)
    )
    assert (
        now.docs[appeased].totals.total_cents - start.docs[appeased].totals.total_cents == lowered
    )
    assert now.outbox - start.outbox == sum(moves[name].emails for name in applied)
    return applied
