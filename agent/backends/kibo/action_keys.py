"""What the Kibo backend remembers of each Idempotency-Key, kept across agent restarts.

Where: a small SQLite file of its own in the data dir (``kibo-actions.db``), not the agent's
state database. The state database holds the CSR's sessions, tabs and drafts, is opened by
the CLI as well, and carries a schema version that older agents refuse to open; a table that
only the Kibo backend uses would bump that version for every install, demo ones included. The
demo store likewise keeps its keys beside its own data (its ``idempotency`` table). These
records belong to the backend that moved the money, expire on their own after a week, and must
not go away when sessions are reset — a file of their own keeps schemas and lifecycles apart.

Per key (and tenant), as the demo store answers (agent/backends/demo/writer.py):

- same key, same request (kind, id, action, body): the stored result, without calling Kibo;
- same key, another request: 422 ``idempotency_key_reused``;
- a first try still being sent: 409 ``idempotency_key_in_flight``, never sent twice;
- a first try whose outcome is unknown (timeout, lost connection, 5xx, a plan half done, or an
  agent stopped while sending): 409 ``outcome_unknown`` until the CSR reloads and decides
  with a new key;
- a try refused before anything reached Kibo leaves no record: the key may be used again;
- records are forgotten a week after they were made.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from agent.errors import Conflict, Unprocessable
from shared_schema.actions import ActionRequest, ActionResult

FILE_NAME = "kibo-actions.db"
KEY_RETENTION_S = 7 * 24 * 3600  # as the demo store's: retries come much sooner
BUSY_TIMEOUT_S = 2.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS action_keys (
    scope       TEXT NOT NULL,     -- the tenant/site the action went to
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,     -- of kind, id, action and request body
    state       TEXT NOT NULL CHECK (state IN ('pending', 'uncertain', 'done')),
    owner       TEXT NOT NULL,     -- the agent run sending it: another run's 'pending' is lost
    result      TEXT,              -- the ActionResult as JSON, once done
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID
"""


def fingerprint(kind: str, entity_id: str, action: str, request: ActionRequest) -> str:
    body = {
        "kind": kind,
        "id": entity_id,
        "action": action,
        "request": request.model_dump(mode="json"),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class ActionKeys:
    """The records of one tenant; ``path`` None keeps them in memory (tests, one-off runs)."""

    def __init__(
        self, path: Path | None, scope: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self.scope = scope
        self._clock = clock
        self._owner = secrets.token_hex(8)
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        """Opened on first use: commands that never act (``search``) leave no file."""
        if self._conn is None:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                ":memory:" if self.path is None else self.path,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_S,
            )
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute(SCHEMA)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def claim(self, key: str, print_: str) -> ActionResult | None:
        """The stored result to replay, or None once the key is ours to send (as 'pending')."""
        db, now = self._db(), int(self._clock())
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM action_keys WHERE created_at < ?", (now - KEY_RETENTION_S,))
            row = db.execute(
                "SELECT fingerprint, state, owner, result FROM action_keys "
                "WHERE scope = ? AND key = ?",
                (self.scope, key),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO action_keys (scope, key, fingerprint, state, owner, "
                    "created_at) VALUES (?, ?, ?, 'pending', ?, ?)",
                    (self.scope, key, print_, self._owner, now),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if row is None:
            return None
        return self._answer(*row, print_=print_)

    def _answer(
        self, stored: str, state: str, owner: str, result: str | None, *, print_: str
    ) -> ActionResult:
        header = {"header": "Idempotency-Key"}
        if stored != print_:
            raise Unprocessable(
                "This Idempotency-Key was already used for a different request; "
                "send a new key for a new action",
                details=header,
                code="idempotency_key_reused",
            )
        if state == "done" and result is not None:
            return ActionResult.model_validate_json(result).model_copy(update={"replayed": True})
        if state == "pending" and owner == self._owner:
            raise Conflict(
                "The first try with this Idempotency-Key is still being sent to Kibo; "
                "wait for its answer instead of sending it again",
                details=header,
                code="idempotency_key_in_flight",
            )
        raise Conflict(
            "The first try with this Idempotency-Key may or may not have reached "
            "Kibo. Reload the entity, check, and use a new key to try again.",
            details=header,
            code="outcome_unknown",
        )

    def done(self, key: str, result: ActionResult) -> None:
        self._db().execute(
            "UPDATE action_keys SET state = 'done', result = ? WHERE scope = ? AND key = ?",
            (result.model_dump_json(), self.scope, key),
        )

    def uncertain(self, key: str) -> None:
        self._db().execute(
            "UPDATE action_keys SET state = 'uncertain' WHERE scope = ? AND key = ?",
            (self.scope, key),
        )

    def forget(self, key: str) -> None:
        """Nothing reached Kibo: the key may be used again."""
        self._db().execute(
            "DELETE FROM action_keys WHERE scope = ? AND key = ? AND state = 'pending'",
            (self.scope, key),
        )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
