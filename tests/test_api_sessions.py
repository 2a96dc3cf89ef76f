"""Sessions and tabs over HTTP: the docs/design.md §3 rules end to end, drafts, preferences, search
state."""

from __future__ import annotations

from tests.support.api import Api


async def _ids(api: Api, kind: str, n: int, **params: str) -> list[dict]:
    _, body = await api.get(f"/search/{kind}", page_size=str(n), **params)
    return body["results"]


async def _customers_with_orders(api: Api, n: int) -> list[dict]:
    return await _ids(api, "customers", n, sort="order_count", order="desc")


async def test_open_from_new_call_creates_a_titled_session(api: Api) -> None:
    customer = (await _customers_with_orders(api, 1))[0]
    status, result = await api.send("POST", "/sessions", {"kind": "customer", "id": customer["id"]})
    assert status == 201
    assert result["created"] is True
    state = result["state"]
    session = state["sessions"][0]
    assert session["title"] == customer["name"]
    assert [t["kind"] for t in session["tabs"]] == ["search", "customer"]
    assert state["active_session_id"] == session["id"]
    assert session["active_tab_id"] == result["tab_id"]


async def test_fifth_session_evicts_the_oldest_and_names_it(api: Api) -> None:
    customers = await _customers_with_orders(api, 5)
    opened = []
    for customer in customers:
        _, result = await api.send("POST", "/sessions", {"kind": "customer", "id": customer["id"]})
        opened.append(result)
    last = opened[-1]
    assert last["evicted"]["title"] == customers[0]["name"]
    assert len(last["state"]["sessions"]) == 4
    assert last["state"]["recently_closed"][0]["id"] == last["evicted"]["id"]
    status, reopened = await api.send("POST", f"/recently-closed/{last['evicted']['id']}/reopen")
    assert status == 200
    assert reopened["evicted"]["title"] == customers[1]["name"]
    assert customers[0]["name"] in [s["title"] for s in reopened["state"]["sessions"]]


async def test_reopening_a_customer_focuses_their_session(api: Api) -> None:
    customer = (await _customers_with_orders(api, 1))[0]
    _, first = await api.send("POST", "/sessions", {"kind": "customer", "id": customer["id"]})
    _, orders = await api.get(f"/customers/{customer['id']}/orders")
    status, again = await api.send(
        "POST", "/sessions", {"kind": "order", "id": orders["results"][0]["id"]}
    )
    assert status == 200
    assert again["created"] is False
    assert again["session_id"] == first["session_id"]
    assert len(again["state"]["sessions"]) == 1
    kinds = [t["kind"] for t in again["state"]["sessions"][0]["tabs"]]
    assert kinds == ["search", "customer", "order"]


async def test_second_order_replaces_the_order_tab_in_place(api: Api) -> None:
    customer = (await _customers_with_orders(api, 1))[0]
    _, orders = await api.get(f"/customers/{customer['id']}/orders")
    first, second = orders["results"][:2]
    _, opened = await api.send("POST", "/sessions", {"kind": "order", "id": first["id"]})
    sid = opened["session_id"]
    status, result = await api.send(
        "POST", f"/sessions/{sid}/tabs", {"kind": "order", "id": second["id"]}
    )
    assert status == 200
    assert result["replaced"]["entity_id"] == first["id"]
    tabs = result["state"]["sessions"][0]["tabs"]
    assert [t["kind"] for t in tabs] == ["search", "order"]
    assert tabs[1]["entity_id"] == second["id"]


async def test_search_tab_cannot_be_closed_and_tabs_close_to_a_neighbour(api: Api) -> None:
    customer = (await _customers_with_orders(api, 1))[0]
    _, opened = await api.send("POST", "/sessions", {"kind": "customer", "id": customer["id"]})
    session = opened["state"]["sessions"][0]
    search_tab, customer_tab = session["tabs"]
    status, body = await api.send("DELETE", f"/sessions/{session['id']}/tabs/{search_tab['id']}")
    assert status == 409
    assert "search" in body["error"]["message"].lower()
    status, state = await api.send("DELETE", f"/sessions/{session['id']}/tabs/{customer_tab['id']}")
    assert status == 200
    assert state["sessions"][0]["active_tab_id"] == search_tab["id"]
    status, state = await api.send("DELETE", f"/sessions/{session['id']}")
    assert status == 200
    assert state["sessions"] == [] and state["active_session_id"] is None


async def test_drafts_are_kept_per_tab_and_form(api: Api) -> None:
    customer = (await _customers_with_orders(api, 1))[0]
    _, opened = await api.send("POST", "/sessions", {"kind": "customer", "id": customer["id"]})
    path = f"/sessions/{opened['session_id']}/tabs/{opened['tab_id']}/drafts"
    status, draft = await api.send(
        "PUT", f"{path}/edit-general", {"data": {"first_name": "Zoë"}, "entity_version": 1}
    )
    assert status == 200
    assert draft["data"] == {"first_name": "Zoë"}
    _, drafts = await api.get(path)
    assert [d["form"] for d in drafts["drafts"]] == ["edit-general"]
    status, drafts = await api.send("DELETE", f"{path}/edit-general")
    assert status == 200 and drafts["drafts"] == []


async def test_search_state_and_preferences_are_remembered(api: Api) -> None:
    state = {
        "kind": "orders",
        "q": "smith",
        "filters": {"status": ["Completed"]},
        "sort": "total",
        "order": "desc",
        "page": 2,
    }
    status, body = await api.send("PUT", "/landing/search-state", state)
    assert status == 200
    assert body["landing"] == state
    status, prefs = await api.send(
        "PUT",
        "/preferences/orders",
        {"columns": ["number", "total"], "sort": "total", "order": "asc"},
    )
    assert status == 200 and prefs["orders"]["columns"] == ["number", "total"]
    _, again = await api.get("/preferences")
    assert again["orders"] == {"columns": ["number", "total"], "sort": "total", "order": "asc"}


async def test_search_state_refuses_unknown_filters_and_sorts(api: Api) -> None:
    status, body = await api.send(
        "PUT", "/landing/search-state", {"kind": "orders", "filters": {"password": "x"}}
    )
    assert status == 422 and "password" in body["error"]["message"]
    status, body = await api.send("PUT", "/preferences/orders", {"columns": ["ssn"]})
    assert status == 422 and "ssn" in body["error"]["message"]
    _, state = await api.get("/sessions")
    assert state["landing"]["filters"] == {}


async def test_search_state_refuses_oversized_filter_values(api: Api) -> None:
    too_long = {"kind": "orders", "filters": {"email": "x" * 101}}
    status, body = await api.send("PUT", "/landing/search-state", too_long)
    assert status == 422 and "email" in body["error"]["message"]
    too_many = {"kind": "orders", "filters": {"status": ["Completed"] * 41}}
    status, body = await api.send("PUT", "/landing/search-state", too_many)
    assert status == 422 and "status" in body["error"]["message"]
    _, state = await api.get("/sessions")
    assert state["landing"]["filters"] == {}


async def _four_open(api: Api) -> tuple[list[dict], list[dict]]:
    customers = await _customers_with_orders(api, 5)
    opened = []
    for customer in customers[:4]:
        status, result = await api.send(
            "POST", "/sessions", {"kind": "customer", "id": customer["id"]}
        )
        assert status == 201, result
        opened.append(result)
    return customers, opened


async def test_a_draft_in_the_oldest_session_makes_the_fifth_ask_first(api: Api) -> None:
    customers, opened = await _four_open(api)
    oldest = opened[0]
    draft = {"data": {"entity_id": customers[0]["id"], "raw": {"text": "half"}}}
    path = f"/sessions/{oldest['session_id']}/tabs/{oldest['tab_id']}/drafts/add_note"
    status, _ = await api.send("PUT", path, draft)
    assert status == 200
    fifth = {"kind": "customer", "id": customers[4]["id"]}

    status, refused = await api.send("POST", "/sessions", fifth)
    assert status == 409, refused
    assert refused["error"]["code"] == "session_in_progress"
    assert refused["error"]["details"]["session_id"] == oldest["session_id"]
    assert refused["error"]["details"]["draft"] is True
    state = await api.read("/sessions")
    assert len(state["sessions"]) == 4 and state["version"] == opened[-1]["state"]["version"]

    status, replaced = await api.send("POST", "/sessions", {**fifth, "replace_in_progress": True})
    assert status == 201, replaced
    assert replaced["evicted"]["id"] == oldest["session_id"]


async def test_call_notes_in_the_oldest_session_make_reopen_ask_first(api: Api) -> None:
    customers, opened = await _four_open(api)
    status, _ = await api.send("DELETE", f"/sessions/{opened[3]['session_id']}")
    assert status == 200
    status, _ = await api.send("POST", "/sessions", {"kind": "customer", "id": customers[4]["id"]})
    assert status == 201
    status, _ = await api.send(
        "PUT", f"/sessions/{opened[0]['session_id']}/notes", {"notes": "Refund promised"}
    )
    assert status == 200
    reopen = f"/recently-closed/{opened[3]['session_id']}/reopen"

    status, refused = await api.send("POST", reopen, {})
    assert status == 409 and refused["error"]["details"]["call_notes"] is True, refused
    status, reopened = await api.send("POST", reopen, {"replace_in_progress": True})
    assert status == 200, reopened
    assert reopened["evicted"]["id"] == opened[0]["session_id"]
    status, bad = await api.send("POST", reopen, {"replace_in_progress": "yes"})
    assert status in (404, 422), bad  # reopened already, or a bad flag: never a 5xx


async def test_reopen_when_the_customer_is_open_again_offers_the_closed_tabs(api: Api) -> None:
    customer = (await _customers_with_orders(api, 1))[0]
    _, first = await api.send("POST", "/sessions", {"kind": "customer", "id": customer["id"]})
    orders = await api.read(f"/customers/{customer['id']}/orders")
    sid = first["session_id"]
    await api.send(
        "POST", f"/sessions/{sid}/tabs", {"kind": "order", "id": orders["results"][0]["id"]}
    )
    await api.send("DELETE", f"/sessions/{sid}")
    _, again = await api.send("POST", "/sessions", {"kind": "customer", "id": customer["id"]})

    status, reopened = await api.send("POST", f"/recently-closed/{sid}/reopen", {})

    assert status == 200, reopened
    assert reopened["created"] is False
    assert reopened["session_id"] == again["session_id"]
    assert [(t["kind"], t["entity_id"]) for t in reopened["offered_tabs"]] == [
        ("order", orders["results"][0]["id"])
    ]


async def test_start_new_call_cleans_the_landing_search(api: Api) -> None:
    status, _ = await api.send(
        "PUT", "/landing/search-state", {"kind": "orders", "q": "smith", "page": 3}
    )
    assert status == 200
    status, plain = await api.send("PUT", "/active-session", {"session_id": None})
    assert status == 200 and plain["landing"]["q"] == "smith"  # only focusing keeps it
    status, fresh = await api.send("PUT", "/active-session", {"session_id": None, "new_call": True})
    assert status == 200
    assert fresh["landing"] == {
        "kind": "orders",
        "q": "",
        "filters": {},
        "sort": None,
        "order": None,
        "page": 1,
    }
