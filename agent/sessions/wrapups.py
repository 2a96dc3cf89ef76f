"""A call's structured wrap-up and the day's report, kept in the state database.

Each action taken with the panel's session header is recorded (``call_actions``); the wrap-up
stores the disposition, the handle time (first open to wrap-up, less the session's holds as
the agent kept them: holds.py), the records opened or acted on and the actions, so
``callcenter-agent report`` and the panel's "My day" need no note text. Rows copy what they
need: a session evicted later leaves them whole.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter

from agent.errors import Unprocessable
from agent.sessions.holds import held_seconds, moment
from agent.sessions.state import SessionState
from shared_schema.wrapups import (
    DISPOSITION_MAX_LENGTH,
    DayReport,
    DispositionCount,
    Dispositions,
    RecentCaller,
    RecentCallers,
    WrapUp,
    WrapUpIn,
)

RECENT_CALLERS = 10


def record_action(
    conn: sqlite3.Connection,
    session_id: str,
    at: str,
    record: tuple[str, str],
    action: str,
    amount: int,
) -> None:
    conn.execute(
        "INSERT INTO call_actions (session_id, at, kind, entity_id, action, amount) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (session_id, at, record[0], record[1], action, amount),
    )


def dispositions(conn: sqlite3.Connection) -> Dispositions:
    rows = conn.execute("SELECT label FROM dispositions ORDER BY position").fetchall()
    return Dispositions(dispositions=[row[0] for row in rows])


def put_dispositions(conn: sqlite3.Connection, wanted: Dispositions) -> Dispositions:
    labels = [label.strip() for label in wanted.dispositions]
    if any(not label for label in labels) or len(set(labels)) != len(labels):
        raise Unprocessable(
            "Each disposition must be named, and named once",
            details={"field": "dispositions"},
            code="invalid_dispositions",
        )
    conn.execute("DELETE FROM dispositions")
    conn.executemany(
        "INSERT INTO dispositions (position, label) VALUES (?, ?)", list(enumerate(labels))
    )
    return dispositions(conn)


def wrap_up(conn: sqlite3.Connection, session: SessionState, wanted: WrapUpIn, now: str) -> WrapUp:
    offered = dispositions(conn).dispositions
    if wanted.disposition not in offered:
        raise Unprocessable(
            f"'{wanted.disposition}' is not a disposition; use one of: {', '.join(offered)}",
            details={"field": "disposition", "allowed": offered},
            code="unknown_disposition",
        )
    return _store(conn, session, wanted, now)


def transferred(conn: sqlite3.Connection, session: SessionState, to_desk: str, now: str) -> WrapUp:
    """The sender's wrap-up of a call handed to a colleague (docs/team.md): its disposition
    says where the call went, whatever the desk's list of dispositions."""
    return _store(conn, session, WrapUpIn(disposition=transfer_disposition(to_desk)), now)


def transfer_disposition(to_desk: str) -> str:
    return f"Transferred to {to_desk}"[:DISPOSITION_MAX_LENGTH]


def _store(conn: sqlite3.Connection, session: SessionState, wanted: WrapUpIn, now: str) -> WrapUp:
    acted = conn.execute(
        "SELECT kind, entity_id, action, amount FROM call_actions WHERE session_id = ? "
        "ORDER BY rowid",
        (session.id,),
    ).fetchall()
    records = [f"{t.kind}/{t.entity_id}" for t in session.tabs if t.entity_id]
    records += [f"{kind}/{entity}" for kind, entity, _, _ in acted]
    elapsed = max(0, int((moment(now) - moment(session.created_at)).total_seconds()))
    held = min(held_seconds(session, now), elapsed)
    done = WrapUp(
        session_id=session.id,
        customer_id=session.customer_id,
        title=session.title,
        disposition=wanted.disposition,
        opened_at=session.created_at,
        wrapped_at=now,
        handle_seconds=elapsed - held,
        held_seconds=held,
        records=list(dict.fromkeys(records)),
        actions=[f"{kind}/{entity} {action}" for kind, entity, action, _ in acted],
        money_moved=sum(amount for *_, amount in acted),
    )
    conn.execute(
        "INSERT OR REPLACE INTO wrap_ups (session_id, customer_id, title, disposition, "
        "opened_at, wrapped_at, handle_seconds, held_seconds, records, actions, money_moved) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            done.session_id,
            done.customer_id,
            done.title,
            done.disposition,
            done.opened_at,
            done.wrapped_at,
            done.handle_seconds,
            done.held_seconds,
            json.dumps(done.records),
            json.dumps(done.actions),
            done.money_moved,
        ),
    )
    return done


def day_report(conn: sqlite3.Connection, day: dt.date) -> DayReport:
    """The calls wrapped up on ``day`` (UTC), oldest first."""
    start = f"{day.isoformat()}T00:00:00Z"
    end = f"{(day + dt.timedelta(days=1)).isoformat()}T00:00:00Z"
    rows = conn.execute(
        "SELECT session_id, customer_id, title, disposition, opened_at, wrapped_at, "
        "handle_seconds, held_seconds, records, actions, money_moved FROM wrap_ups "
        "WHERE wrapped_at >= ? AND wrapped_at < ? ORDER BY wrapped_at, session_id",
        (start, end),
    ).fetchall()
    calls = [
        WrapUp(
            session_id=r[0],
            customer_id=r[1],
            title=r[2],
            disposition=r[3],
            opened_at=r[4],
            wrapped_at=r[5],
            handle_seconds=r[6],
            held_seconds=r[7],
            records=json.loads(r[8]),
            actions=json.loads(r[9]),
            money_moved=r[10],
        )
        for r in rows
    ]
    counts = Counter(c.disposition for c in calls)
    handle = sum(c.handle_seconds for c in calls)
    return DayReport(
        day=day.isoformat(),
        calls=len(calls),
        average_handle_seconds=round(handle / len(calls)) if calls else 0,
        dispositions=[
            DispositionCount(disposition=d, calls=n)
            for d, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        money_moved=sum(c.money_moved for c in calls),
        wrap_ups=calls,
    )


def remember_callers(conn: sqlite3.Connection, closed: list[tuple[SessionState, str]]) -> None:
    """The customers of sessions just closed (guests have no record to reopen), newest kept."""
    for session, closed_at in closed:
        if session.customer_id is None:
            continue
        conn.execute(
            "INSERT INTO recent_callers (customer_id, title, session_id, closed_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET "
            "title = excluded.title, session_id = excluded.session_id, "
            "closed_at = excluded.closed_at",
            (session.customer_id, session.title, session.id, closed_at),
        )
    conn.execute(
        "DELETE FROM recent_callers WHERE customer_id NOT IN (SELECT customer_id FROM "
        "recent_callers ORDER BY closed_at DESC, rowid DESC LIMIT ?)",
        (RECENT_CALLERS,),
    )


def recent_callers(conn: sqlite3.Connection, reopenable: set[str]) -> RecentCallers:
    """``reopenable``: the ids of the sessions still in Recently closed."""
    rows = conn.execute(
        "SELECT customer_id, title, session_id, closed_at FROM recent_callers "
        "ORDER BY closed_at DESC, rowid DESC LIMIT ?",
        (RECENT_CALLERS,),
    ).fetchall()
    return RecentCallers(
        callers=[
            RecentCaller(
                customer_id=r[0],
                title=r[1],
                closed_at=r[3],
                session_id=r[2] if r[2] in reopenable else None,
            )
            for r in rows
        ]
    )
