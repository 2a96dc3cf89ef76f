"""Bad input of every kind: a 4xx that names the problem, and nothing changes."""

from __future__ import annotations

import pytest

from tests.support.api import Api


async def _customer_id(api: Api) -> str:
    _, body = await api.get("/search/customers", page_size="1")
    return body["results"][0]["id"]


@pytest.mark.parametrize(
    ("body", "status", "code", "named"),
    [
        (b"{not json", 400, "invalid_json", "JSON"),
        (b"", 400, "missing_body", "body"),
        (b"[]", 422, "validation_failed", "(body)"),
        (b'{"kind": "customer"}', 422, "validation_failed", "id"),
        (b'{"kind": "shopper", "id": "1001"}', 422, "validation_failed", "kind"),
        (b'{"kind": "customer", "id": 1001}', 422, "validation_failed", "id"),
        (b'{"kind": "customer", "id": true}', 422, "validation_failed", "id"),
        (b'{"kind": "customer", "id": "1001", "admin": true}', 422, "validation_failed", "admin"),
        (b'{"kind": "customer", "id": "../../etc"}', 422, "validation_failed", "id"),
        (b'{"kind": "customer", "id": "' + b"9" * 65 + b'"}', 422, "validation_failed", "id"),
    ],
)
async def test_bad_session_bodies(
    api: Api, body: bytes, status: int, code: str, named: str
) -> None:
    got, answer = await api.send("POST", "/sessions", raw=body)
    assert got == status, answer
    assert answer["error"]["code"] == code
    assert named in answer["error"]["message"]
    _, state = await api.get("/sessions")
    assert state["sessions"] == [] and state["version"] == 0


@pytest.mark.parametrize("page", [True, "1", 1.5, 0, 401])
async def test_search_state_page_must_be_a_json_integer_in_range(api: Api, page: object) -> None:
    status, body = await api.send("PUT", "/landing/search-state", {"kind": "orders", "page": page})
    assert status == 422
    assert "page" in body["error"]["message"]


async def test_unknown_entity_in_a_session_changes_nothing(api: Api) -> None:
    status, body = await api.send("POST", "/sessions", {"kind": "order", "id": "0" * 32})
    assert status == 404 and "0" * 32 in body["error"]["message"]
    _, state = await api.get("/sessions")
    assert state["version"] == 0


async def test_unknown_session_and_tab_ids(api: Api) -> None:
    customer = await _customer_id(api)
    status, body = await api.send(
        "POST", "/sessions/nope/tabs", {"kind": "customer", "id": customer}
    )
    assert status == 404 and "nope" in body["error"]["message"]
    for method, path, body in (
        ("PUT", "/sessions/nope/active-tab", {"tab_id": "x"}),
        ("DELETE", "/sessions/nope", None),
        ("POST", "/recently-closed/nope/reopen", None),
    ):
        status, answer = await api.send(method, path, body)
        assert status == 404 and "nope" in answer["error"]["message"], (method, path)


async def test_oversized_body_is_refused(api: Api) -> None:
    big = b'{"data": {"x": "' + b"a" * (300 * 1024) + b'"}}'
    status, body = await api.send("PUT", "/landing/search-state", raw=big)
    assert status == 413
    assert body["error"]["code"] == "payload_too_large"


async def test_oversized_draft_is_refused_by_its_own_rule(api: Api) -> None:
    customer = await _customer_id(api)
    _, opened = await api.send("POST", "/sessions", {"kind": "customer", "id": customer})
    path = f"/sessions/{opened['session_id']}/tabs/{opened['tab_id']}/drafts/notes"
    status, body = await api.send("PUT", path, {"data": {"text": "a" * 70_000}})
    assert status == 422 and "draft" in body["error"]["message"].lower()
    _, drafts = await api.get(path.rsplit("/", 1)[0])
    assert drafts["drafts"] == []


async def test_unknown_route_and_method_answer_json(api: Api) -> None:
    status, body = await api.get("/nothing-here")
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = await api.send("PATCH", "/sessions", {})
    assert status == 405 and body["error"]["code"] == "method_not_allowed"


async def test_query_parameters_on_detail_routes_are_refused(api: Api) -> None:
    customer = await _customer_id(api)
    status, body = await api.get(f"/customers/{customer}", expand="all")
    assert status == 400 and "expand" in body["error"]["message"]
