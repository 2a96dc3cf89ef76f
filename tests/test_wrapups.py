"""Structured wrap-up: dispositions, handle time, records and actions, the day's report and
the recent callers.

The report's figures are checked against a scripted day of calls whose clock the test sets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from agent.backends.base import EntityRef
from agent.cli import main
from agent.errors import NotFound, Unprocessable
from agent.sessions import store as store_module
from agent.sessions.db import DEFAULT_DISPOSITIONS, SCHEMA_VERSION
from agent.sessions.store import SessionStore
from shared_schema.wrapups import Dispositions, WrapUpIn
from tests.support.actions import act, find_customer
from tests.support.api import Api


def ref(kind: str, entity_id: str, key: str) -> EntityRef:
    return EntityRef(
        kind=kind,  # type: ignore[arg-type]
        id=entity_id,
        title=f"{kind} {entity_id}",
        customer_key=key,
        customer_id=key,
        customer_name=f"Customer {key}",
    )


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The store's clock: the test sets ``clock[0]``."""
    now = ["2026-03-02T09:00:00.000Z"]
    monkeypatch.setattr(store_module, "_now", lambda: now[0])
    return now


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.db"


@pytest.fixture
def store(path: Path) -> Iterator[SessionStore]:
    with SessionStore(path) as opened:
        yield opened


def call(
    store: SessionStore,
    clock: list[str],
    opened: str,
    wrapped: str,
    what: EntityRef,
    disposition: str,
    *,
    held: int = 0,
    actions: tuple[tuple[str, int], ...] = (),
) -> str:
    clock[0] = f"2026-03-02T{opened}.000Z"
    sid = store.open_new_call(what).session_id
    if held:  # on hold from the start for ``held`` seconds, as the agent records it
        store.set_hold(sid, True)
        start = dt.datetime.fromisoformat(clock[0].replace("Z", "+00:00"))
        clock[0] = (start + dt.timedelta(seconds=held)).isoformat().replace("+00:00", "Z")
        store.set_hold(sid, False)
    for name, amount in actions:
        store.record_action(sid, (what.kind, what.id), name, amount)
    clock[0] = f"2026-03-02T{wrapped}.000Z"
    store.wrap_up(sid, WrapUpIn(disposition=disposition))
    store.close_session(sid)
    return sid


def scripted_day(store: SessionStore, clock: list[str]) -> list[str]:
    return [
        call(
            store,
            clock,
            "09:00:00",
            "09:05:00",
            ref("customer", "1", "1"),
            "Payment or billing",
            held=60,
            actions=(("issue_store_credit", 2500),),
        ),
        call(
            store,
            clock,
            "10:00:00",
            "10:02:00",
            ref("order", "100", "2"),
            "Order status",
            actions=(("add_note", 0), ("refund_payment", 1999)),
        ),
        call(store, clock, "23:50:00", "23:53:20", ref("order", "7", "3"), "Order status", held=20),
    ]


def test_the_report_adds_up_a_scripted_day(store: SessionStore, clock: list[str]) -> None:
    first, second, _ = scripted_day(store, clock)
    report = store.day_report(dt.date(2026, 3, 2))
    assert report.calls == 3
    assert [c.handle_seconds for c in report.wrap_ups] == [240, 120, 180]
    assert report.average_handle_seconds == 180
    assert [(d.disposition, d.calls) for d in report.dispositions] == [
        ("Order status", 2),
        ("Payment or billing", 1),
    ]
    assert report.money_moved == 2500 + 1999
    call_two = report.wrap_ups[1]
    assert call_two.session_id == second and call_two.records == ["order/100"]
    assert call_two.actions == ["order/100 add_note", "order/100 refund_payment"]
    assert report.wrap_ups[0].session_id == first and report.wrap_ups[0].held_seconds == 60
    assert store.day_report(dt.date(2026, 3, 3)).calls == 0


def test_a_wrap_up_needs_an_offered_disposition_and_an_open_session(
    store: SessionStore, clock: list[str]
) -> None:
    sid = store.open_new_call(ref("customer", "1", "1")).session_id
    with pytest.raises(Unprocessable) as refused:
        store.wrap_up(sid, WrapUpIn(disposition="Chit-chat"))
    assert refused.value.details["allowed"] == list(DEFAULT_DISPOSITIONS)
    with pytest.raises(NotFound):
        store.wrap_up("nope", WrapUpIn(disposition="Other"))
    store.put_dispositions(Dispositions(dispositions=["Chit-chat", "Other"]))
    assert store.wrap_up(sid, WrapUpIn(disposition="Chit-chat")).disposition == "Chit-chat"
    with pytest.raises(Unprocessable):
        store.put_dispositions(Dispositions(dispositions=["Same", "Same"]))
    assert store.dispositions().dispositions == ["Chit-chat", "Other"]


def test_a_version_2_database_gains_the_wrap_up_tables(path: Path) -> None:
    with SessionStore(path):
        pass
    with closing(sqlite3.connect(path)) as conn:  # make it look like a v2 file
        for table in ("call_actions", "wrap_ups", "dispositions", "recent_callers"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE sessions DROP COLUMN held_seconds")  # came in v5
        conn.execute("ALTER TABLE sessions DROP COLUMN hold_since")
        conn.execute("PRAGMA user_version = 2")
        conn.commit()
    with SessionStore(path) as store:
        assert store.dispositions().dispositions == list(DEFAULT_DISPOSITIONS)
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_report_command_prints_the_day_and_its_csv(
    path: Path, clock: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with SessionStore(path) as store:
        scripted_day(store, clock)
    data_dir = str(path.parent)
    assert main(["report", "--data-dir", data_dir, "--day", "2026-03-02"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == (
        "2026-03-02: 3 calls, average handle time 3:00, money moved 44.99"
    )
    assert "  2  Order status" in text
    assert main(["report", "--data-dir", data_dir, "--day", "2026-03-02", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["handle_seconds"] for r in rows] == ["240", "120", "180"]
    assert rows[0]["disposition"] == "Payment or billing" and rows[0]["money_moved"] == "2500"
    assert main(["report", "--data-dir", data_dir, "--day", "March"]) == 2


async def test_wrap_up_routes_record_the_call_s_actions(api: Api) -> None:
    customer = await find_customer(api, lambda c: c["account_status"] == "Active")
    _, opened = await api.send("POST", "/sessions", {"kind": "customer", "id": customer["id"]})
    sid = opened["session_id"]
    status, issued = await act(
        api,
        "customer",
        customer["id"],
        "issue_store_credit",
        {"expected_version": customer["version"], "amount_cents": 1234},
        key="wrap-credit-1",
        session=sid,
    )
    assert status == 200, issued
    status, bad = await api.send("POST", f"/sessions/{sid}/wrap-up", {"disposition": "Nope"})
    assert (status, bad["error"]["code"]) == (422, "unknown_disposition")
    # The time on hold is the agent's own record: the panel no longer sends it.
    status, bad = await api.send(
        "POST", f"/sessions/{sid}/wrap-up", {"disposition": "Other", "held_seconds": 5}
    )
    assert (status, bad["error"]["code"]) == (422, "validation_failed")
    status, done = await api.send(
        "POST", f"/sessions/{sid}/wrap-up", {"disposition": "Account help"}
    )
    assert status == 200, done
    assert done["money_moved"] == 1234
    assert done["actions"] == [f"customer/{customer['id']} issue_store_credit"]
    assert done["records"] == [f"customer/{customer['id']}"]
    report = await api.read("/report", day=done["wrapped_at"][:10])
    assert report["calls"] == 1 and report["dispositions"][0]["disposition"] == "Account help"
    status, bad = await api.get("/report", day="yesterday")
    assert status == 400
    assert (await api.read("/dispositions"))["dispositions"] == list(DEFAULT_DISPOSITIONS)
    status, _ = await api.send("DELETE", f"/sessions/{sid}")
    recent = (await api.read("/recent-callers"))["callers"]
    assert (recent[0]["customer_id"], recent[0]["session_id"]) == (customer["id"], sid)


def test_recent_callers_are_the_last_ten_customers_newest_first(
    store: SessionStore, clock: list[str]
) -> None:
    guest = EntityRef(
        kind="order",
        id="9",
        title="Guest",
        customer_key="g@example.com",
        customer_id=None,
        customer_name="Guest",
    )
    for minute in range(12):
        clock[0] = f"2026-03-02T10:{minute:02d}:00.000Z"
        sid = store.open_new_call(ref("customer", str(minute), str(minute))).session_id
        store.close_session(sid)
    clock[0] = "2026-03-02T11:00:00.000Z"
    store.close_session(store.open_new_call(guest).session_id)
    clock[0] = "2026-03-02T11:01:00.000Z"
    again = store.open_new_call(ref("customer", "5", "5")).session_id
    store.close_session(again)
    callers = store.recent_callers().callers
    assert [c.customer_id for c in callers] == ["5", "11", "10", "9", "8", "7", "6", "4", "3", "2"]
    assert callers[0].session_id == again and callers[0].closed_at.startswith("2026-03-02T11:01")
    closed = {c.id for c in store.state().recently_closed}
    assert all((c.session_id in closed) == (c.session_id is not None) for c in callers)
    assert callers[-1].session_id is None  # fell out of Recently closed: opened anew
