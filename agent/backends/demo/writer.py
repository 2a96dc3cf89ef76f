"""The demo store's one write path: every management action, one transaction each.

A single writer thread with its own connection (WAL, ``synchronous=FULL``) runs the actions
one after another, so two requests never interleave. Per action, under ``BEGIN IMMEDIATE``:

1. an ``Idempotency-Key`` seen before answers its stored result (same request) or 422;
2. the entity is loaded; a different ``expected_version`` is 409 ``stale_version``;
3. an action its state does not offer is 409 ``action_not_available``;
4. the pure rule runs (``ActionRefused`` becomes its 409/422) and its outcome is written:
   documents, row columns, audit rows, outbox rows and the idempotency row — all or nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from agent.backends.demo import documents
from agent.backends.demo.documents_money import tax_rate_bp
from agent.backends.demo.rows import unix
from agent.backends.demo.schema import create_action_tables
from agent.backends.demo.writer_rows import (
    api_id,
    insert_new,
    load_document,
    next_number,
    write_audit,
    write_existing,
    write_outbox,
)
from agent.domain import catalog
from agent.domain.outcome import ActionContext, ActionOutcome, ActionRefused
from agent.errors import ApiError, BackendUnavailable, Conflict, Unprocessable
from shared_schema.actions import ActionRequest, ActionResult, EntityKey, FieldChange
from shared_schema.common import EntityKind
from shared_schema.entities import Address

KEY_RETENTION = 7 * 24 * 3600  # seconds an Idempotency-Key is remembered; retries come sooner
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionJob:
    kind: EntityKind
    number: int
    action: str
    request: ActionRequest
    ctx: ActionContext
    idempotency_key: str | None


class WriterLookup:
    """Current documents of other entities, read inside the action's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def customer(self, customer_id: int) -> BaseModel:
        return documents.customer_detail(self._conn, customer_id)

    def order(self, number: int) -> BaseModel:
        return documents.order_detail(self._conn, number)

    def customer_holding(self, login: str, value: str, other_than: int) -> int | None:
        # Emails are stored lower-case (and indexed); user names are compared without case.
        column = {"email": "email", "username": "lower(username)"}[login]
        row = self._conn.execute(
            f"SELECT id FROM customers WHERE {column} = lower(?) AND id <> ? LIMIT 1",
            (value, other_than),
        ).fetchone()
        return None if row is None else int(row[0])

    def entity_id(self, kind: EntityKind, number: int) -> str:
        return api_id(kind, number)

    def tax_rate_bp(self, address: Address) -> int | None:
        return tax_rate_bp(address)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


class ActionWriter:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="demo-writer")
        self._conn = self._pool.submit(_open, path).result()
        self._identity = _identity(path)

    def _check_store(self) -> None:
        """A write into a store file that was removed or replaced would vanish at the next
        start: refuse it (docs/actions.md, "Answers")."""
        now = _identity(self._path)
        if now == self._identity:
            return
        what = "removed" if now is None else "replaced by another file"
        log.error(
            "%s was %s while the agent ran; refusing writes until a restart", self._path, what
        )
        raise BackendUnavailable(
            f"The demo store {self._path} was {what} while the agent ran; nothing was "
            "written. Restart the agent to serve the store that is there now",
            code="store_replaced",
            details={"path": str(self._path)},
        )

    def _perform(self, job: ActionJob) -> ActionResult:
        self._check_store()
        return perform(self._conn, job)

    async def perform(self, job: ActionJob) -> ActionResult:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._perform, job)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._pool, self._conn.close)
        self._pool.shutdown(wait=True)


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    create_action_tables(conn)
    return conn


def perform(conn: sqlite3.Connection, job: ActionJob) -> ActionResult:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = _perform(conn, job)
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


def fingerprint(job: ActionJob) -> str:
    body = {
        "kind": job.kind,
        "number": job.number,
        "action": job.action,
        "request": job.request.model_dump(mode="json"),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _replay(conn: sqlite3.Connection, job: ActionJob, print_: str) -> ActionResult | None:
    if job.idempotency_key is None:
        return None
    row = conn.execute(
        "SELECT fingerprint, result FROM idempotency WHERE key = ?", (job.idempotency_key,)
    ).fetchone()
    if row is None:
        return None
    if row[0] != print_:
        raise Unprocessable(
            "This Idempotency-Key was already used for a different request; "
            "send a new key for a new action",
            code="idempotency_key_reused",
            details={"header": "Idempotency-Key"},
        )
    stored = json.loads(row[1])
    # Rows written by older agents still carry the whole entity; newer ones leave it out.
    if "entity" not in stored:
        stored["entity"] = load_document(conn, job.kind, job.number)
    return ActionResult.model_validate({**stored, "replayed": True})


def describe_state(kind: EntityKind, doc: BaseModel) -> str:
    """'order #10234 is Completed', for the message of a refused action."""
    if kind == "customer":
        guest = "" if getattr(doc, "registered", True) else " (a guest account)"
        status = getattr(doc, "account_status", "?")
        return f"customer {getattr(doc, 'id', '?')} is {status}{guest}"
    state = f"{kind} #{getattr(doc, 'number', '?')} is {getattr(doc, 'status', '?')}"
    locks = [
        name
        for name, flag in (
            ("restrictEdit", "restrict_edit"),
            ("restrictCancellation", "restrict_cancellation"),
        )
        if getattr(doc, flag, False)
    ]
    return f"{state} and locked ({', '.join(locks)} is set)" if locks else state


def _check_state(job: ActionJob, current: BaseModel) -> None:
    version = version_of(current)
    if job.request.expected_version != version:
        raise Conflict(
            f"This {job.kind} changed since you loaded it (you had version "
            f"{job.request.expected_version}, it is now {version}); reload it and try again",
            code="stale_version",
            details={"current_version": version, "expected_version": job.request.expected_version},
        )
    available = list(getattr(current, "available_actions", []))
    if job.action not in available:
        raise Conflict(
            f"Cannot {job.action}: {describe_state(job.kind, current)}",
            code="action_not_available",
            details={"action": job.action, "available_actions": available},
        )


def _run_rule(conn: sqlite3.Connection, job: ActionJob, current: BaseModel) -> ActionOutcome:
    action = catalog.find(job.kind, job.action)
    if action is None:
        raise Conflict(
            f"Cannot {job.action}: the demo store has no rule for it yet",
            code="action_not_implemented",
            details={"action": job.action},
        )
    try:
        return action.rule(current.model_copy(deep=True), job.request, job.ctx, WriterLookup(conn))
    except ActionRefused as refused:
        details = {"action": job.action}
        if refused.field:
            details["field"] = refused.field
        raise ApiError(
            refused.message, code=refused.code, status=refused.status, details=details
        ) from None


def _perform(conn: sqlite3.Connection, job: ActionJob) -> ActionResult:
    print_ = fingerprint(job)
    replayed = _replay(conn, job, print_)
    if replayed is not None:
        return replayed
    current = load_document(conn, job.kind, job.number)
    _check_state(job, current)
    outcome = _run_rule(conn, job, current)
    result = _apply(conn, job, current, outcome)
    if job.idempotency_key is not None:
        now = unix(job.ctx.now)
        conn.execute("DELETE FROM idempotency WHERE created_at < ?", (now - KEY_RETENTION,))
        conn.execute(
            "INSERT INTO idempotency (key, fingerprint, result, created_at) VALUES (?, ?, ?, ?)",
            (job.idempotency_key, print_, result.model_dump_json(exclude={"entity"}), now),
        )
    return result


def _apply(
    conn: sqlite3.Connection, job: ActionJob, current: BaseModel, outcome: ActionOutcome
) -> ActionResult:
    ctx, now = job.ctx, job.ctx.now
    # Created entities first: a build may link its number into the target or an update
    # (the return an order lists, the replacement order a return names).
    created: list[EntityKey] = []
    for create in outcome.creates:
        number = next_number(conn, create.kind)
        insert_new(conn, create.kind, number, create.build(number), now)
        write_audit(conn, create.kind, number, job.action, ctx, [])
        created.append(_key(create.kind, number))
    target = current
    if outcome.changes or outcome.document.model_dump() != current.model_dump():
        target = write_existing(conn, job.kind, job.number, outcome.document, now)
    write_audit(conn, job.kind, job.number, job.action, ctx, outcome.changes)
    write_outbox(conn, job.kind, job.number, ctx, outcome.emails)
    related: list[EntityKey] = []
    for update in outcome.updates:
        write_existing(conn, update.kind, update.number, update.document, now)
        write_audit(conn, update.kind, update.number, job.action, ctx, update.changes)
        related.append(_key(update.kind, update.number))
    return ActionResult(
        kind=job.kind,
        id=api_id(job.kind, job.number),
        action=job.action,
        version=version_of(target),
        message=outcome.message,
        changes=[FieldChange(field=c.field, old=c.old, new=c.new) for c in outcome.changes],
        entity=target,
        related=related + created[1:],
        created=created[0] if created else None,
        at=now,
        by=ctx.who,
    )


def version_of(doc: BaseModel) -> int:
    return int(doc.model_dump(include={"version"})["version"])


def _key(kind: EntityKind, number: int) -> EntityKey:
    title = {
        "customer": f"Customer {number}",
        "order": f"Order #{number}",
        "return": f"Return #{number}",
    }[kind]
    return EntityKey(kind=kind, id=api_id(kind, number), title=title)
