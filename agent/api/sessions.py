"""Sessions, tabs, drafts, remembered search state and preferences. Rules live in agent.sessions."""

from __future__ import annotations

from dataclasses import replace

from aiohttp import web

from agent.api.common import BACKEND, EVENTS, SESSIONS, ok
from agent.api.routes import RouteTable
from agent.errors import NotFound, Unprocessable
from agent.search.catalog import CATALOG
from shared_schema.sessions import (
    ActivateSession,
    ActivateTab,
    AllPreferences,
    Draft,
    DraftIn,
    Drafts,
    OpenEntity,
    OpenSession,
    OpenSessionResult,
    OpenTabResult,
    Preferences,
    ReopenSession,
    SearchState,
    SessionHold,
    SessionNotes,
    SessionsState,
)

routes = RouteTable()
WRITE_ERRORS = (400, 404, 422)


def _announce(request: web.Request, state: SessionsState) -> SessionsState:
    request.app[EVENTS].publish("sessions", state)
    return state


@routes.get("/sessions", "Open sessions, tabs and the landing search page", SessionsState)
async def list_sessions(request: web.Request) -> web.Response:
    return ok(request.app[SESSIONS].state())


@routes.post(
    "/sessions",
    "Open an entity from Start New Call",
    OpenSessionResult,
    body=OpenSession,
    errors=(400, 404, 409, 422),
    created=True,
)
async def open_session(request: web.Request, body: OpenSession) -> web.Response:
    ref = await request.app[BACKEND].entity_ref(body.kind, body.id)
    result = request.app[SESSIONS].open_new_call(ref, body.replace_in_progress)
    _announce(request, result.state)
    return ok(result, status=201 if result.created else 200)


@routes.put(
    "/active-session",
    "Focus a session (null: the landing page; with new_call, a clean one)",
    SessionsState,
    body=ActivateSession,
    errors=WRITE_ERRORS,
)
async def activate_session(request: web.Request, body: ActivateSession) -> web.Response:
    sessions = request.app[SESSIONS]
    if body.new_call and body.session_id is None:
        return ok(_announce(request, sessions.start_new_call()))
    return ok(_announce(request, sessions.activate_session(body.session_id)))


@routes.delete("/sessions/{sid}", "Close a session", SessionsState, errors=(404,))
async def close_session(request: web.Request) -> web.Response:
    state = request.app[SESSIONS].close_session(request.match_info["sid"])
    return ok(_announce(request, state))


@routes.post(
    "/sessions/{sid}/tabs",
    "Open an entity in a session",
    OpenTabResult,
    body=OpenEntity,
    errors=WRITE_ERRORS,
)
async def open_tab(request: web.Request, body: OpenEntity) -> web.Response:
    sid = request.match_info["sid"]
    ref = await request.app[BACKEND].entity_ref(body.kind, body.id)
    result = request.app[SESSIONS].open_tab(sid, ref)
    _announce(request, result.state)
    return ok(result)


@routes.put(
    "/sessions/{sid}/active-tab",
    "Activate a tab",
    SessionsState,
    body=ActivateTab,
    errors=WRITE_ERRORS,
)
async def activate_tab(request: web.Request, body: ActivateTab) -> web.Response:
    state = request.app[SESSIONS].activate_tab(request.match_info["sid"], body.tab_id)
    return ok(_announce(request, state))


@routes.delete("/sessions/{sid}/tabs/{tid}", "Close a tab", SessionsState, errors=(404, 409))
async def close_tab(request: web.Request) -> web.Response:
    state = request.app[SESSIONS].close_tab(request.match_info["sid"], request.match_info["tid"])
    return ok(_announce(request, state))


@routes.put(
    "/sessions/{sid}/search-state",
    "Remember a session's search page",
    SessionsState,
    body=SearchState,
    errors=WRITE_ERRORS,
)
async def session_search_state(request: web.Request, body: SearchState) -> web.Response:
    _check_search_state(body)
    state = request.app[SESSIONS].set_search_state(request.match_info["sid"], body)
    return ok(_announce(request, state))


@routes.put(
    "/sessions/{sid}/notes",
    "Save a session's call notes",
    SessionsState,
    body=SessionNotes,
    errors=WRITE_ERRORS,
)
async def session_notes(request: web.Request, body: SessionNotes) -> web.Response:
    state = request.app[SESSIONS].set_notes(request.match_info["sid"], body.notes)
    return ok(_announce(request, state))


@routes.put(
    "/sessions/{sid}/hold",
    "Put a session's call on hold (its clock pauses) or resume it; idempotent",
    SessionsState,
    body=SessionHold,
    errors=WRITE_ERRORS,
)
async def session_hold(request: web.Request, body: SessionHold) -> web.Response:
    state = request.app[SESSIONS].set_hold(request.match_info["sid"], body.on_hold)
    return ok(_announce(request, state))


@routes.put(
    "/landing/search-state",
    "Remember the Start New Call search page",
    SessionsState,
    body=SearchState,
    errors=(400, 422),
)
async def landing_search_state(request: web.Request, body: SearchState) -> web.Response:
    _check_search_state(body)
    return ok(_announce(request, request.app[SESSIONS].set_search_state(None, body)))


@routes.post(
    "/recently-closed/{cid}/reopen",
    "Reopen a recently closed session (or focus its customer's open one)",
    OpenSessionResult,
    body=ReopenSession,
    body_optional=True,  # an empty POST reopens as before
    errors=(400, 404, 409, 422),
)
async def reopen(request: web.Request, body: ReopenSession) -> web.Response:
    result = request.app[SESSIONS].reopen(request.match_info["cid"], body.replace_in_progress)
    _announce(request, result.state)
    return ok(result)


@routes.get(
    "/sessions/{sid}/tabs/{tid}/drafts", "Unsaved form drafts of a tab", Drafts, errors=(404,)
)
async def drafts(request: web.Request) -> web.Response:
    info = request.match_info
    return ok(request.app[SESSIONS].drafts(info["sid"], info["tid"]))


@routes.put(
    "/sessions/{sid}/tabs/{tid}/drafts/{form}",
    "Save a form draft",
    Draft,
    body=DraftIn,
    errors=WRITE_ERRORS,
)
async def put_draft(request: web.Request, body: DraftIn) -> web.Response:
    info = request.match_info
    draft = request.app[SESSIONS].put_draft(info["sid"], info["tid"], info["form"], body)
    request.app[EVENTS].publish(
        "drafts", {"session_id": info["sid"], "tab_id": info["tid"], "form": info["form"]}
    )
    return ok(draft)


@routes.delete(
    "/sessions/{sid}/tabs/{tid}/drafts/{form}",
    "Discard a form draft",
    Drafts,
    errors=(404, 422),
)
async def delete_draft(request: web.Request) -> web.Response:
    info = request.match_info
    result = request.app[SESSIONS].delete_draft(info["sid"], info["tid"], info["form"])
    request.app[EVENTS].publish(
        "drafts", {"session_id": info["sid"], "tab_id": info["tid"], "form": info["form"]}
    )
    return ok(result)


@routes.get("/preferences", "Remembered columns and sort per kind", AllPreferences)
async def preferences(request: web.Request) -> web.Response:
    return ok(request.app[SESSIONS].preferences())


@routes.put(
    "/preferences/{kind}",
    "Remember a kind's columns and sort",
    AllPreferences,
    body=Preferences,
    errors=(400, 422),
    expand=lambda op: [
        replace(op, path=f"/preferences/{kind}", summary=f"Remember {kind} columns and sort")
        for kind in CATALOG
    ],
)
async def put_preferences(request: web.Request, body: Preferences) -> web.Response:
    kind = request.match_info["kind"]
    if kind not in CATALOG:
        raise NotFound(f"Unknown search kind '{kind}'", code="unknown_kind")
    _check_preferences(kind, body)
    result = request.app[SESSIONS].put_preferences(kind, body)  # type: ignore[arg-type]
    request.app[EVENTS].publish("preferences", result)
    return ok(result)


def _check_preferences(kind: str, prefs: Preferences) -> None:
    catalog = CATALOG[kind]
    for key in prefs.columns or []:
        if catalog.column(key) is None:
            raise Unprocessable(
                f"Field 'columns': '{key}' is not a {kind} column",
                details={"field": "columns"},
                code="unknown_column",
            )
    if prefs.sort is not None and prefs.sort not in catalog.sort_keys:
        raise Unprocessable(
            f"Field 'sort': cannot sort {kind} by '{prefs.sort}'",
            details={"field": "sort"},
            code="invalid_sort",
        )


def _check_search_state(state: SearchState) -> None:
    catalog = CATALOG[state.kind]
    for param, value in state.filters.items():
        if param not in catalog.params:
            raise Unprocessable(
                f"Field 'filters': '{param}' is not a {state.kind} filter",
                details={"field": "filters"},
                code="unknown_filter",
            )
        values = value if isinstance(value, list) else [value]
        if len(values) > 40 or any(len(v) > 100 for v in values):
            raise Unprocessable(
                f"Field 'filters': the value of '{param}' is too long",
                details={"field": "filters"},
                code="value_too_long",
            )
    if state.sort is not None and state.sort not in catalog.sort_keys:
        raise Unprocessable(
            f"Field 'sort': cannot sort {state.kind} by '{state.sort}'",
            details={"field": "sort"},
            code="invalid_sort",
        )
