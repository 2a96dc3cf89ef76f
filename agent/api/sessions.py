"""Sessions, tabs, drafts, remembered search state and preferences. Rules live in agent.sessions."""

from __future__ import annotations

from aiohttp import web

from agent.api.common import BACKEND, EVENTS, SESSIONS, ok, read_model
from agent.errors import NotFound, Unprocessable
from agent.search.catalog import CATALOG
from shared_schema.sessions import (
    ActivateSession,
    ActivateTab,
    DraftIn,
    OpenEntity,
    OpenSession,
    Preferences,
    ReopenSession,
    SearchState,
    SessionNotes,
    SessionsState,
)

routes = web.RouteTableDef()


def _announce(request: web.Request, state: SessionsState) -> SessionsState:
    request.app[EVENTS].publish("sessions", state)
    return state


@routes.get("/api/v1/sessions")
async def list_sessions(request: web.Request) -> web.Response:
    return ok(request.app[SESSIONS].state())


@routes.post("/api/v1/sessions")
async def open_session(request: web.Request) -> web.Response:
    body = await read_model(request, OpenSession)
    ref = await request.app[BACKEND].entity_ref(body.kind, body.id)
    result = request.app[SESSIONS].open_new_call(ref, body.replace_in_progress)
    _announce(request, result.state)
    return ok(result, status=201 if result.created else 200)


@routes.put("/api/v1/active-session")
async def activate_session(request: web.Request) -> web.Response:
    body = await read_model(request, ActivateSession)
    sessions = request.app[SESSIONS]
    if body.new_call and body.session_id is None:
        return ok(_announce(request, sessions.start_new_call()))
    return ok(_announce(request, sessions.activate_session(body.session_id)))


@routes.delete("/api/v1/sessions/{sid}")
async def close_session(request: web.Request) -> web.Response:
    state = request.app[SESSIONS].close_session(request.match_info["sid"])
    return ok(_announce(request, state))


@routes.post("/api/v1/sessions/{sid}/tabs")
async def open_tab(request: web.Request) -> web.Response:
    body = await read_model(request, OpenEntity)
    sid = request.match_info["sid"]
    ref = await request.app[BACKEND].entity_ref(body.kind, body.id)
    result = request.app[SESSIONS].open_tab(sid, ref)
    _announce(request, result.state)
    return ok(result)


@routes.put("/api/v1/sessions/{sid}/active-tab")
async def activate_tab(request: web.Request) -> web.Response:
    body = await read_model(request, ActivateTab)
    state = request.app[SESSIONS].activate_tab(request.match_info["sid"], body.tab_id)
    return ok(_announce(request, state))


@routes.delete("/api/v1/sessions/{sid}/tabs/{tid}")
async def close_tab(request: web.Request) -> web.Response:
    state = request.app[SESSIONS].close_tab(request.match_info["sid"], request.match_info["tid"])
    return ok(_announce(request, state))


@routes.put("/api/v1/sessions/{sid}/search-state")
async def session_search_state(request: web.Request) -> web.Response:
    body = _check_search_state(await read_model(request, SearchState))
    state = request.app[SESSIONS].set_search_state(request.match_info["sid"], body)
    return ok(_announce(request, state))


@routes.put("/api/v1/sessions/{sid}/notes")
async def session_notes(request: web.Request) -> web.Response:
    body = await read_model(request, SessionNotes)
    state = request.app[SESSIONS].set_notes(request.match_info["sid"], body.notes)
    return ok(_announce(request, state))


@routes.put("/api/v1/landing/search-state")
async def landing_search_state(request: web.Request) -> web.Response:
    body = _check_search_state(await read_model(request, SearchState))
    return ok(_announce(request, request.app[SESSIONS].set_search_state(None, body)))


@routes.post("/api/v1/recently-closed/{cid}/reopen")
async def reopen(request: web.Request) -> web.Response:
    # The body is optional: an empty POST reopens as before.
    body = await read_model(request, ReopenSession) if request.can_read_body else ReopenSession()
    result = request.app[SESSIONS].reopen(request.match_info["cid"], body.replace_in_progress)
    _announce(request, result.state)
    return ok(result)


@routes.get("/api/v1/sessions/{sid}/tabs/{tid}/drafts")
async def drafts(request: web.Request) -> web.Response:
    info = request.match_info
    return ok(request.app[SESSIONS].drafts(info["sid"], info["tid"]))


@routes.put("/api/v1/sessions/{sid}/tabs/{tid}/drafts/{form}")
async def put_draft(request: web.Request) -> web.Response:
    body = await read_model(request, DraftIn)
    info = request.match_info
    draft = request.app[SESSIONS].put_draft(info["sid"], info["tid"], info["form"], body)
    request.app[EVENTS].publish(
        "drafts", {"session_id": info["sid"], "tab_id": info["tid"], "form": info["form"]}
    )
    return ok(draft)


@routes.delete("/api/v1/sessions/{sid}/tabs/{tid}/drafts/{form}")
async def delete_draft(request: web.Request) -> web.Response:
    info = request.match_info
    result = request.app[SESSIONS].delete_draft(info["sid"], info["tid"], info["form"])
    request.app[EVENTS].publish(
        "drafts", {"session_id": info["sid"], "tab_id": info["tid"], "form": info["form"]}
    )
    return ok(result)


@routes.get("/api/v1/preferences")
async def preferences(request: web.Request) -> web.Response:
    return ok(request.app[SESSIONS].preferences())


@routes.put("/api/v1/preferences/{kind}")
async def put_preferences(request: web.Request) -> web.Response:
    kind = request.match_info["kind"]
    catalog = CATALOG.get(kind)
    if catalog is None:
        raise NotFound(f"Unknown search kind '{kind}'", code="unknown_kind")
    body = await read_model(request, Preferences)
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


def _check_search_state(state: SearchState) -> SearchState:
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
    return state
