"""Note templates: kept in state.db (schema v4, migrated from v3 with the data kept), refused
with clear 4xx errors when wrong, and filled in with the call's or the record's values."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from agent.backends.base import EntityRef
from agent.domain.note_templates import fill
from agent.errors import Conflict, NotFound, Unprocessable
from agent.sessions.db import SCHEMA_VERSION
from agent.sessions.store import SessionStore
from shared_schema.note_templates import (
    NOTE_TEMPLATES_MAX,
    PLACEHOLDERS,
    TEMPLATE_BODY_MAX_LENGTH,
    NoteTemplateIn,
)
from shared_schema.wrapups import Dispositions
from tests.support.actions import find_customer
from tests.support.api import Api

GREETING = "Hi {customer.first_name}, order {order.number} is on its way ({today})."


def template(name: str, body: str = GREETING) -> NoteTemplateIn:
    return NoteTemplateIn(name=name, body=body)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.db"


def test_templates_are_kept_by_name_and_names_are_unique(path: Path) -> None:
    with SessionStore(path) as store:
        store.create_note_template(template("ship", "  On its way.  "))
        store.create_note_template(template("hello"))
        with pytest.raises(Conflict) as taken:
            store.create_note_template(template("ship", "Other"))
        assert taken.value.code == "duplicate_template"
        with pytest.raises(Conflict):
            store.replace_note_template("hello", template("ship"))
        renamed = store.replace_note_template("hello", template("greet", "Hello {today}"))
        assert (renamed.name, renamed.body) == ("greet", "Hello {today}")
        with pytest.raises(NotFound) as unknown:
            store.replace_note_template("hello", template("hello"))
        assert unknown.value.code == "unknown_template"
        with pytest.raises(NotFound):
            store.delete_note_template("nope")
    with SessionStore(path) as store:  # a restart keeps them
        kept = store.note_templates()
        assert [(t.name, t.body) for t in kept.templates] == [
            ("greet", "Hello {today}"),
            ("ship", "On its way."),
        ]
        assert [p.name for p in kept.placeholders] == list(PLACEHOLDERS)
        assert [t.name for t in store.delete_note_template("greet").templates] == ["ship"]


def test_a_body_naming_an_unknown_placeholder_or_only_blanks_is_refused(path: Path) -> None:
    with SessionStore(path) as store:
        with pytest.raises(Unprocessable) as unknown:
            store.create_note_template(template("x", "Dear {customer.nickname}"))
        assert unknown.value.code == "unknown_placeholder"
        assert unknown.value.details["unknown"] == ["customer.nickname"]
        assert "{customer.nickname}" in unknown.value.message
        with pytest.raises(Unprocessable) as blank:
            store.create_note_template(template("x", "   \n "))
        assert blank.value.code == "blank_template"
        store.create_note_template(template("json", 'Braces stay text: {"a": 1} {Today}'))
        assert [t.name for t in store.note_templates().templates] == ["json"]


def test_at_most_the_stated_number_of_templates(path: Path) -> None:
    with SessionStore(path) as store:
        for n in range(NOTE_TEMPLATES_MAX):
            store.create_note_template(template(f"t{n}", "x"))
        with pytest.raises(Unprocessable) as full:
            store.create_note_template(template("one-more", "x"))
        assert full.value.code == "too_many_templates"
        assert len(store.note_templates().templates) == NOTE_TEMPLATES_MAX


def test_filling_puts_in_the_values_there_are_and_names_the_others() -> None:
    filled = fill("g", GREETING + " {order.number}", {"customer.first_name": "Ana", "today": "D"})
    assert filled.text == "Hi Ana, order {order.number} is on its way (D). {order.number}"
    assert filled.missing == ["order.number"]


def test_a_version_3_database_gains_note_templates_and_keeps_its_data(path: Path) -> None:
    with SessionStore(path) as store:
        store.open_new_call(
            EntityRef(
                kind="customer",
                id="42",
                title="Ana",
                customer_key="42",
                customer_id="42",
                customer_name="Ana",
            )
        )
        sid = store.state().sessions[0].id
        store.set_notes(sid, "promised a call back")
        store.put_dispositions(Dispositions(dispositions=["Kept", "Other"]))
    with closing(sqlite3.connect(path)) as conn:  # make it look like a v3 file
        conn.execute("DROP TABLE note_templates")
        conn.execute("ALTER TABLE sessions DROP COLUMN held_seconds")  # came in v5
        conn.execute("ALTER TABLE sessions DROP COLUMN hold_since")
        conn.execute("PRAGMA user_version = 3")
        conn.commit()
    with SessionStore(path) as store:
        assert store.state().sessions[0].notes == "promised a call back"
        assert store.dispositions().dispositions == ["Kept", "Other"]
        assert store.note_templates().templates == []
        store.create_note_template(template("hello"))
        assert [t.name for t in store.note_templates().templates] == ["hello"]
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


async def test_template_routes_refuse_bad_input_and_change_nothing(api: Api) -> None:
    status, made = await api.send("POST", "/note-templates", {"name": "ship", "body": GREETING})
    assert status == 200 and made["name"] == "ship"
    refused = [
        ({"name": "ship", "body": "again"}, 409, "duplicate_template"),
        ({"name": "Ship It", "body": "x"}, 422, "validation_failed"),
        ({"name": "long", "body": "x" * (TEMPLATE_BODY_MAX_LENGTH + 1)}, 422, "validation_failed"),
        ({"name": "bad", "body": "{order.total}"}, 422, "unknown_placeholder"),
        ({"name": "extra", "body": "x", "shared": True}, 422, "validation_failed"),
    ]
    for body, want_status, code in refused:
        status, error = await api.send("POST", "/note-templates", body)
        assert (status, error["error"]["code"]) == (want_status, code), body
        assert error["error"]["message"]
    status, error = await api.send("PUT", "/note-templates/nope", {"name": "nope", "body": "x"})
    assert (status, error["error"]["code"]) == (404, "unknown_template")
    status, error = await api.send("DELETE", "/note-templates/nope")
    assert (status, error["error"]["code"]) == (404, "unknown_template")
    status, error = await api.send("POST", "/note-templates/nope/fill", {})
    assert (status, error["error"]["code"]) == (404, "unknown_template")
    listed = await api.read("/note-templates")
    assert [(t["name"], t["body"]) for t in listed["templates"]] == [("ship", GREETING)]
    status, edited = await api.send(
        "PUT", "/note-templates/ship", {"name": "shipped", "body": "Shipped."}
    )
    assert status == 200 and edited["name"] == "shipped"
    status, left = await api.send("DELETE", "/note-templates/shipped")
    assert status == 200 and left["templates"] == []


async def test_fill_uses_the_call_s_customer_and_order(api: Api) -> None:
    customer = await find_customer(api, lambda c: c["order_count"] > 0)
    detail = await api.read(f"/customers/{customer['id']}")
    orders = await api.read(f"/customers/{customer['id']}/orders")
    order = orders["results"][0]
    await api.send("POST", "/note-templates", {"name": "ship", "body": GREETING})
    await api.send("POST", "/note-templates", {"name": "ret", "body": "Return {return.number}"})
    _, opened = await api.send("POST", "/sessions", {"kind": "customer", "id": customer["id"]})
    sid = opened["session_id"]
    status, bare = await api.send("POST", "/note-templates/ship/fill", {"session_id": sid})
    assert status == 200
    assert bare["text"].startswith(f"Hi {detail['first_name']}, order {{order.number}}")
    assert bare["missing"] == ["order.number"]
    await api.send("POST", f"/sessions/{sid}/tabs", {"kind": "order", "id": order["id"]})
    status, filled = await api.send(
        "POST", "/note-templates/ship/fill", {"session_id": sid, "today": "2026-03-02"}
    )
    assert status == 200 and filled["missing"] == []
    number = (await api.read(f"/orders/{order['id']}"))["number"]
    assert filled["text"] == (
        f"Hi {detail['first_name']}, order {number} is on its way (2026-03-02)."
    )
    status, on_order = await api.send(
        "POST", "/note-templates/ship/fill", {"kind": "order", "id": order["id"]}
    )
    assert status == 200 and f"order {number} " in on_order["text"]
    status, error = await api.send("POST", "/note-templates/ship/fill", {"kind": "order"})
    assert (status, error["error"]["code"]) == (422, "incomplete_record")
    status, error = await api.send("POST", "/note-templates/ship/fill", {"session_id": "nope"})
    assert status == 404
    status, none = await api.send("POST", "/note-templates/ret/fill", {"session_id": sid})
    assert (none["text"], none["missing"]) == ("Return {return.number}", ["return.number"])
