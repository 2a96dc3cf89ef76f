"""This desk's transfer ledger: offers received and offers made, in team.db (mode 0600).

Its own SQLite file beside state.db, so the team feature never changes the state schema. The
ledger is what makes a transfer exactly-once: an offer is recorded before its stream entry is
acknowledged, and answered offers are remembered so a redelivered entry is only acknowledged.

An outgoing offer is ``pending``, then ``withdrawing`` (the sender took it back and waits for the
receiver's word), then settled ``accepted``, ``declined`` or ``withdrawn``. An incoming one is
``pending``, then ``accepted``, ``declined`` or ``withdrawn`` (docs/team.md).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS incoming (
    id TEXT PRIMARY KEY, from_desk TEXT NOT NULL, title TEXT NOT NULL,
    offered_at TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL,
    session_id TEXT
);
CREATE TABLE IF NOT EXISTS outgoing (
    id TEXT PRIMARY KEY, to_desk TEXT NOT NULL, session_id TEXT NOT NULL,
    title TEXT NOT NULL, offered_at TEXT NOT NULL, status TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Incoming:
    id: str
    from_desk: str
    title: str
    offered_at: str
    payload: str
    status: str
    session_id: str | None

    @property
    def received(self) -> bool:
        """False for the tombstone of an offer withdrawn before it arrived."""
        return self.payload != "{}"


@dataclass(frozen=True)
class Outgoing:
    id: str
    to_desk: str
    session_id: str
    title: str
    offered_at: str
    status: str


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
        self._conn = sqlite3.connect(path, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def receive(self, offer: Incoming) -> Incoming:
        """Records an offer once; a redelivered one answers what is recorded."""
        self._conn.execute(
            "INSERT OR IGNORE INTO incoming VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                offer.id,
                offer.from_desk,
                offer.title,
                offer.offered_at,
                offer.payload,
                offer.status,
                offer.session_id,
            ),
        )
        found = self.incoming(offer.id)
        assert found is not None
        return found

    def incoming(self, offer_id: str) -> Incoming | None:
        row = self._conn.execute("SELECT * FROM incoming WHERE id = ?", (offer_id,)).fetchone()
        return Incoming(*row) if row else None

    def pending_incoming(self) -> list[Incoming]:
        rows = self._conn.execute(
            "SELECT * FROM incoming WHERE status = 'pending' ORDER BY offered_at"
        )
        return [Incoming(*row) for row in rows]

    def withdraw_incoming(self, offer_id: str, from_desk: str) -> Incoming:
        """Marks a pending offer withdrawn; an answered one stays as it is (its answer wins). A
        withdrawal of an offer never received leaves a tombstone so the offer, should it still
        come, is never shown."""
        self._conn.execute(
            "UPDATE incoming SET status = 'withdrawn' WHERE id = ? AND status = 'pending'",
            (offer_id,),
        )
        return self.receive(Incoming(offer_id, from_desk, "", "", "{}", "withdrawn", None))

    def recent_withdrawn_incoming(self, limit: int = 10) -> list[Incoming]:
        rows = self._conn.execute(
            "SELECT * FROM incoming WHERE status = 'withdrawn' AND payload != '{}' "
            "ORDER BY rowid DESC LIMIT ?",
            (limit,),
        )
        return [Incoming(*row) for row in rows]

    def answer_incoming(self, offer_id: str, status: str, session_id: str | None) -> None:
        self._conn.execute(
            "UPDATE incoming SET status = ?, session_id = ? WHERE id = ?",
            (status, session_id, offer_id),
        )

    def offer(self, offer: Outgoing) -> None:
        self._conn.execute(
            "INSERT INTO outgoing VALUES (?, ?, ?, ?, ?, ?)",
            (
                offer.id,
                offer.to_desk,
                offer.session_id,
                offer.title,
                offer.offered_at,
                offer.status,
            ),
        )

    def outgoing(self, offer_id: str) -> Outgoing | None:
        row = self._conn.execute("SELECT * FROM outgoing WHERE id = ?", (offer_id,)).fetchone()
        return Outgoing(*row) if row else None

    def recent_outgoing(self, limit: int = 10) -> list[Outgoing]:
        rows = self._conn.execute(
            "SELECT * FROM outgoing ORDER BY offered_at DESC, rowid DESC LIMIT ?", (limit,)
        )
        return [Outgoing(*row) for row in rows]

    def pending_outgoing_for(self, session_id: str) -> Outgoing | None:
        """The session's offer not settled yet: pending, or withdrawing (the receiver may still
        have accepted it before it read the withdrawal)."""
        row = self._conn.execute(
            "SELECT * FROM outgoing WHERE session_id = ? AND status IN ('pending', 'withdrawing')",
            (session_id,),
        ).fetchone()
        return Outgoing(*row) if row else None

    def outgoing_with_status(self, status: str) -> list[Outgoing]:
        rows = self._conn.execute("SELECT * FROM outgoing WHERE status = ?", (status,))
        return [Outgoing(*row) for row in rows]

    def withdraw_outgoing(self, offer_id: str) -> bool:
        """Marks a pending offer withdrawing; False when it was not pending."""
        changed = self._conn.execute(
            "UPDATE outgoing SET status = 'withdrawing' WHERE id = ? AND status = 'pending'",
            (offer_id,),
        )
        return changed.rowcount == 1

    def settle_outgoing(self, offer_id: str, status: str) -> None:
        self._conn.execute("UPDATE outgoing SET status = ? WHERE id = ?", (status, offer_id))
