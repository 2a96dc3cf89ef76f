"""Sessions, tabs, drafts and preferences kept in the agent's SQLite state database.

Every change is one transaction: BEGIN IMMEDIATE, load the state, apply the pure rule, write,
COMMIT. Any failure rolls back, so the file always holds the state before or after a change.
One connection, used from the event loop thread only.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar, get_args

from pydantic import ValidationError

from agent.backends.base import EntityRef
from agent.errors import NotFound, Unprocessable
from agent.sessions import note_templates, rules, views, wrapups
from agent.sessions.db import StateStoreError, integrity_problems, open_state_db
from agent.sessions.state import SessionState
from agent.sessions.state_rows import BadRow, load_state, save_state
from agent.shm_guard import ShmGone, ShmGuard
from shared_schema.common import SearchKind
from shared_schema.note_templates import NoteTemplate, NoteTemplateIn, NoteTemplates
from shared_schema.sessions import (
    AllPreferences,
    Draft,
    DraftIn,
    Drafts,
    OpenSessionResult,
    OpenTabResult,
    Preferences,
    SearchState,
    SessionsState,
)
from shared_schema.wrapups import DayReport, Dispositions, RecentCallers, WrapUp, WrapUpIn

__all__ = ["MAX_DRAFT_BYTES", "SessionStore", "StateStoreError"]

FORM_NAME = re.compile(r"[a-z0-9_-]{1,40}")
MAX_DRAFT_BYTES = 64 * 1024
MAX_FORMS_PER_TAB = 32
SEARCH_KINDS: tuple[str, ...] = get_args(SearchKind)


class _Outcome(Protocol):
    @property
    def state(self) -> rules.State: ...


Outcome = TypeVar("Outcome", bound=_Outcome)


class SessionStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = open_state_db(path)
        self._shm = ShmGuard(path)
        try:
            self.state()
            self._shm.check()  # remembers the -shm file SQLite has mapped by now
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        self._shm.before_close()
        self._conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def integrity_problems(self) -> list[str]:
        try:
            self._shm.check()
        except ShmGone as exc:
            return [str(exc)]
        return integrity_problems(self._conn)

    # Sessions and tabs

    def state(self) -> SessionsState:
        with self._transaction("BEGIN"):
            return views.sessions_state(self._load())

    def open_new_call(self, ref: EntityRef, replace_in_progress: bool = False) -> OpenSessionResult:
        outcome = self._change(
            lambda s: rules.open_from_new_call(
                s,
                ref,
                _now(),
                _new_ids(),
                in_progress=self._sessions_with_drafts(s),
                replace_in_progress=replace_in_progress,
            )
        )
        return views.open_session_result(outcome)

    def start_new_call(self) -> SessionsState:
        return self._change_state(rules.start_new_call)

    def open_tab(self, session_id: str, ref: EntityRef) -> OpenTabResult:
        outcome = self._change(lambda s: rules.open_in_session(s, session_id, ref, _new_ids()))
        return views.open_tab_result(outcome)

    def activate_session(self, session_id: str | None) -> SessionsState:
        return self._change_state(lambda s: rules.activate_session(s, session_id))

    def activate_tab(self, session_id: str, tab_id: str) -> SessionsState:
        return self._change_state(lambda s: rules.activate_tab(s, session_id, tab_id))

    def close_session(self, session_id: str) -> SessionsState:
        outcome = self._change(lambda s: rules.close_session(s, session_id, _now()))
        return views.sessions_state(outcome.state)

    def close_tab(self, session_id: str, tab_id: str) -> SessionsState:
        outcome = self._change(lambda s: rules.close_tab(s, session_id, tab_id))
        return views.sessions_state(outcome.state)

    def reopen(self, closed_id: str, replace_in_progress: bool = False) -> OpenSessionResult:
        outcome = self._change(
            lambda s: rules.reopen_closed(
                s,
                closed_id,
                _now(),
                in_progress=self._sessions_with_drafts(s),
                replace_in_progress=replace_in_progress,
            )
        )
        return views.open_session_result(outcome)

    def set_notes(self, session_id: str, notes: str) -> SessionsState:
        return self._change_state(lambda s: rules.set_notes(s, session_id, notes))

    def set_hold(self, session_id: str, on_hold: bool, now: str | None = None) -> SessionsState:
        return self._change_state(lambda s: rules.set_hold(s, session_id, on_hold, now or _now()))

    def set_search_state(self, session_id: str | None, search: SearchState) -> SessionsState:
        return self._change_state(lambda s: rules.set_search_state(s, session_id, search))

    # Handing a session to another desk (docs/team.md)

    def export(self, session_id: str) -> tuple[rules.SessionState, dict[str, list[Draft]]]:
        """An open session and its tabs' drafts, as one consistent read."""
        with self._transaction("BEGIN"):
            session = self._load().session(session_id)
            return session, {tab.id: self._drafts_of(tab.id) for tab in session.tabs}

    def adopt(self, session: rules.SessionState, drafts: dict[str, list[Draft]]) -> SessionsState:
        """Adds a handed-over session with its drafts in one transaction; the same id again
        changes nothing."""
        with self._transaction("BEGIN IMMEDIATE"):
            before = self._load()
            after = rules.adopt(before, session)
            if after is not before:
                save_state(self._conn, after)
                for tab_id, tab_drafts in drafts.items():
                    self._conn.executemany(
                        "INSERT INTO drafts (tab_id, form, data, entity_version, updated_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [
                            (tab_id, d.form, json.dumps(d.data), d.entity_version, d.updated_at)
                            for d in tab_drafts
                        ],
                    )
        return views.sessions_state(after)

    def close_transferred(self, session_id: str, to_desk: str, line: str) -> SessionsState | None:
        """A call handed to ``to_desk``: appends ``line`` to the call notes, records the wrap-up
        "Transferred to …" (the session's holds left out of the handle time) and closes the
        session, in one change; None when it is no longer open."""

        def apply(state: rules.State) -> rules.State:
            if session_id not in {s.id for s in state.sessions}:
                return state
            notes = state.session(session_id).notes
            room = rules.MAX_NOTES_CHARS - len(line) - 1
            noted = rules.set_notes(state, session_id, f"{notes[:room]}\n{line}".lstrip("\n"))
            return rules.close_session(noted, session_id, _now()).state

        with self._transaction("BEGIN IMMEDIATE"):
            before = self._load()
            after = apply(before)
            if after is before:
                return None
            wrapups.transferred(self._conn, before.session(session_id), to_desk, _now())
            save_state(self._conn, after)
            self._remember_callers(before, after)
        return views.sessions_state(after)

    # Drafts: unsaved form input, per tab and form name

    def drafts(self, session_id: str, tab_id: str) -> Drafts:
        with self._transaction("BEGIN"):
            self._load().session(session_id).tab(tab_id)
            return Drafts(tab_id=tab_id, drafts=self._drafts_of(tab_id))

    def put_draft(self, session_id: str, tab_id: str, form: str, draft: DraftIn) -> Draft:
        _check_form_name(form)
        data = _draft_json(draft)
        updated_at = _now()
        with self._transaction("BEGIN IMMEDIATE"):
            self._load().session(session_id).tab(tab_id)
            forms = {d.form for d in self._drafts_of(tab_id)}
            if form not in forms and len(forms) >= MAX_FORMS_PER_TAB:
                raise Unprocessable(f"tab {tab_id} already holds {MAX_FORMS_PER_TAB} drafts")
            self._conn.execute(
                "INSERT INTO drafts (tab_id, form, data, entity_version, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tab_id, form) DO UPDATE SET "
                "data = excluded.data, entity_version = excluded.entity_version, "
                "updated_at = excluded.updated_at",
                (tab_id, form, data, draft.entity_version, updated_at),
            )
        return Draft(
            form=form,
            data=json.loads(data),
            entity_version=draft.entity_version,
            updated_at=updated_at,
        )

    def delete_draft(self, session_id: str, tab_id: str, form: str) -> Drafts:
        """Removes the form's draft if there is one; the tab's remaining drafts answer."""
        _check_form_name(form)
        with self._transaction("BEGIN IMMEDIATE"):
            self._load().session(session_id).tab(tab_id)
            self._conn.execute("DELETE FROM drafts WHERE tab_id = ? AND form = ?", (tab_id, form))
            return Drafts(tab_id=tab_id, drafts=self._drafts_of(tab_id))

    # Preferences: the results table's columns and sort, per search kind

    def preferences(self) -> AllPreferences:
        with self._transaction("BEGIN"):
            return self._preferences()

    def put_preferences(self, kind: SearchKind, preferences: Preferences) -> AllPreferences:
        if kind not in SEARCH_KINDS:
            raise NotFound(f"unknown search kind {kind!r}; use one of {', '.join(SEARCH_KINDS)}")
        with self._transaction("BEGIN IMMEDIATE"):
            self._conn.execute(
                "INSERT INTO preferences (kind, data) VALUES (?, ?) "
                "ON CONFLICT (kind) DO UPDATE SET data = excluded.data",
                (kind, preferences.model_dump_json()),
            )
            return self._preferences()

    # Wrap-ups: the actions of each call, its disposition and handle time (wrapups.py)

    def record_action(
        self, session_id: str, record: tuple[str, str], action: str, amount: int
    ) -> None:
        with self._transaction("BEGIN IMMEDIATE"):
            wrapups.record_action(self._conn, session_id, _now(), record, action, amount)

    def wrap_up(self, session_id: str, wanted: WrapUpIn, now: str | None = None) -> WrapUp:
        with self._transaction("BEGIN IMMEDIATE"):
            session = self._load().session(session_id)
            return wrapups.wrap_up(self._conn, session, wanted, now or _now())

    def day_report(self, day: date) -> DayReport:
        with self._transaction("BEGIN"):
            return wrapups.day_report(self._conn, day)

    def dispositions(self) -> Dispositions:
        with self._transaction("BEGIN"):
            return wrapups.dispositions(self._conn)

    def put_dispositions(self, wanted: Dispositions) -> Dispositions:
        with self._transaction("BEGIN IMMEDIATE"):
            return wrapups.put_dispositions(self._conn, wanted)

    def recent_callers(self) -> RecentCallers:
        with self._transaction("BEGIN"):
            closed = {c.session.id for c in self._load().recently_closed}
            return wrapups.recent_callers(self._conn, closed)

    # Note templates (note_templates.py)

    def note_templates(self) -> NoteTemplates:
        with self._transaction("BEGIN"):
            return note_templates.all_templates(self._conn)

    def note_template(self, name: str) -> NoteTemplate:
        with self._transaction("BEGIN"):
            return note_templates.template(self._conn, name)

    def create_note_template(self, wanted: NoteTemplateIn) -> NoteTemplate:
        with self._transaction("BEGIN IMMEDIATE"):
            return note_templates.create(self._conn, wanted, _now())

    def replace_note_template(self, name: str, wanted: NoteTemplateIn) -> NoteTemplate:
        with self._transaction("BEGIN IMMEDIATE"):
            return note_templates.replace(self._conn, name, wanted, _now())

    def delete_note_template(self, name: str) -> NoteTemplates:
        with self._transaction("BEGIN IMMEDIATE"):
            return note_templates.delete(self._conn, name)

    def session(self, session_id: str) -> SessionState:
        """An open session, or the recently closed one of that id (a wrap-up's note)."""
        with self._transaction("BEGIN"):
            state = self._load()
        for closed in state.recently_closed:
            if closed.session.id == session_id:
                return closed.session
        return state.session(session_id)

    # Internals

    def _change(self, apply: Callable[[rules.State], Outcome]) -> Outcome:
        with self._transaction("BEGIN IMMEDIATE"):
            before = self._load()
            outcome = apply(before)
            if outcome.state is not before:
                save_state(self._conn, outcome.state)
                self._remember_callers(before, outcome.state)
        return outcome

    def _change_state(self, apply: Callable[[rules.State], rules.State]) -> SessionsState:
        with self._transaction("BEGIN IMMEDIATE"):
            before = self._load()
            after = apply(before)
            if after is not before:
                save_state(self._conn, after)
                self._remember_callers(before, after)
        return views.sessions_state(after)

    def _remember_callers(self, before: rules.State, after: rules.State) -> None:
        known = {c.session.id for c in before.recently_closed}
        closed = [
            (c.session, c.closed_at) for c in after.recently_closed if c.session.id not in known
        ]
        if closed:
            wrapups.remember_callers(self._conn, closed)

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[None]:
        try:
            self._shm.check()
        except ShmGone as exc:
            raise StateStoreError(f"state database {self.path} is unavailable: {exc}") from None
        try:
            self._conn.execute(begin)
        except sqlite3.Error as exc:
            raise StateStoreError(f"state database {self.path} is unavailable: {exc}") from exc
        try:
            yield
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StateStoreError(
                    f"state database {self.path} could not be changed: {exc}"
                ) from exc
            raise
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise StateStoreError(f"state database {self.path} could not commit: {exc}") from exc

    def _load(self) -> rules.State:
        try:
            return load_state(self._conn)
        except BadRow as exc:
            raise StateStoreError(f"state database {self.path} is corrupt: {exc}") from exc

    def _sessions_with_drafts(self, state: rules.State) -> frozenset[str]:
        """Open sessions one of whose tabs holds an unsaved draft (inside the transaction)."""
        drafted = {row[0] for row in self._conn.execute("SELECT DISTINCT tab_id FROM drafts")}
        return frozenset(s.id for s in state.sessions if any(t.id in drafted for t in s.tabs))

    def _drafts_of(self, tab_id: str) -> list[Draft]:
        rows = self._conn.execute(
            "SELECT form, data, entity_version, updated_at FROM drafts "
            "WHERE tab_id = ? ORDER BY form",
            (tab_id,),
        )
        return [
            Draft(form=form, data=json.loads(data), entity_version=version, updated_at=updated_at)
            for form, data, version, updated_at in rows
        ]

    def _preferences(self) -> AllPreferences:
        rows = self._conn.execute("SELECT kind, data FROM preferences")
        try:
            stored = {kind: Preferences.model_validate_json(data) for kind, data in rows}
        except ValidationError as exc:
            raise StateStoreError(f"state database {self.path} is corrupt: {exc}") from exc
        unset = Preferences(columns=None, sort=None, order=None)
        return AllPreferences(**{kind: stored.get(kind, unset) for kind in SEARCH_KINDS})


def _check_form_name(form: str) -> None:
    if not FORM_NAME.fullmatch(form):
        raise Unprocessable(
            f"form name {form!r} must be 1-40 of a-z, 0-9, _ and -", details={"form": form[:60]}
        )


def _draft_json(draft: DraftIn) -> str:
    try:
        data = json.dumps(draft.data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise Unprocessable(f"draft data is not plain JSON: {exc}") from exc
    size = len(data.encode())
    if size > MAX_DRAFT_BYTES:
        raise Unprocessable(
            f"draft is {size} bytes; the limit is {MAX_DRAFT_BYTES}",
            details={"bytes": size, "limit": MAX_DRAFT_BYTES},
        )
    return data


def _new_ids() -> Iterator[str]:
    # Letters and digits only: ids get pasted into `callcenter-agent sessions close ID`,
    # where a leading '-' would read as an option.
    alphabet = string.ascii_letters + string.digits
    while True:
        yield "".join(secrets.choice(alphabet) for _ in range(12))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
