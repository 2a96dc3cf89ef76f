"""openapi.json: matches the models, is what the agent serves, documents every route."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from agent.api.openapi import OUTPUT, build_openapi, render
from agent.security import protected_routes_report
from shared_schema.search import SearchResponse
from tests.support.api import Api


def test_committed_openapi_has_not_drifted() -> None:
    assert OUTPUT.read_text(encoding="utf-8") == render(), (
        "shared_schema/openapi.json is stale: run `make openapi` and commit it"
    )


async def test_served_openapi_equals_committed(api: Api) -> None:
    status, served = await api.get("/openapi.json")
    assert status == 200
    assert served == json.loads(OUTPUT.read_text(encoding="utf-8"))


PUBLIC = {"/api/v1/health", "/api/v1/handshake"}


async def test_every_route_is_documented_and_protected(api: Api) -> None:
    spec_paths = build_openapi()["paths"]
    documented = {(m.upper(), p) for p, ops in spec_paths.items() for m in ops}
    report = protected_routes_report(api.app)
    for method, path, public in report:
        if method in ("HEAD", "OPTIONS", "*"):
            continue
        assert public == (path in PUBLIC), f"{method} {path} protection is wrong"
        if "{kind}" in path:
            expanded = {path.replace("{kind}", k) for k in ("customers", "orders", "returns")}
        elif "{collection" in path:
            expanded = _expand_collection(path)
        else:
            expanded = {path}
        for concrete in expanded:
            if concrete.startswith("/api/v1/"):
                assert (method, concrete) in documented, f"{method} {concrete} is not in the spec"


def test_search_rows_publish_and_require_their_currency() -> None:
    row = build_openapi()["components"]["schemas"]["SearchResponse"]["properties"]["results"]
    assert row["items"]["required"] == ["id", "currency"]
    assert set(row["items"]["properties"]) == {"id", "currency"}
    base = {
        "kind": "orders",
        "q": "",
        "total": 1,
        "total_exact": True,
        "page": 1,
        "page_size": 25,
        "sort": "number",
        "order": "desc",
        "columns": [],
    }
    ok = SearchResponse(**base, results=[{"id": "o1", "currency": "CAD", "total": 100}])
    assert ok.results == [{"id": "o1", "currency": "CAD", "total": 100}]
    for bad in ({"id": "o1", "total": 100}, {"id": "o1", "currency": None}, {"currency": "USD"}):
        with pytest.raises(ValidationError):
            SearchResponse(**base, results=[bad])


def _expand_collection(path: str) -> set[str]:
    if path.endswith("{id}"):
        return {f"/api/v1/{c}/{{id}}" for c in ("customers", "orders", "returns")}
    if path.endswith("/actions/{action}"):
        return {p for p in _documented_paths() if "/actions/" in p}
    return {
        "/api/v1/customers/{id}/orders",
        "/api/v1/customers/{id}/returns",
        "/api/v1/customers/{id}/audit-log",
        "/api/v1/orders/{id}/returns",
        "/api/v1/orders/{id}/audit-log",
        "/api/v1/returns/{id}/audit-log",
    }


def _documented_paths() -> set[str]:
    return set(build_openapi()["paths"])


def test_integer_bounds_use_json_schema_words() -> None:
    """pydantic's Python names (ge/le) are invisible to clients and fuzzers."""
    text = render()
    for word in ('"ge"', '"le"', '"gt"', '"lt"'):
        assert word not in text
    version = build_openapi()["components"]["schemas"]["AcceptOrderRequest"]["properties"][
        "expected_version"
    ]
    assert (version["minimum"], version["maximum"]) == (1, 2**31)


@pytest.mark.parametrize("param", ["order", "total_max", "page", "sort"])
async def test_an_empty_query_value_is_400_not_the_default(api: Api, param: str) -> None:
    status, body = await api.get(f"/search/orders?{param}=")
    assert status == 400, body
    assert body["error"]["code"] == "invalid_parameter"
    assert body["error"]["message"] == f"'{param}' is empty; leave it out to get the default"
