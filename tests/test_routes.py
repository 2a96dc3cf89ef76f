"""Each route is declared once: aiohttp, the OpenAPI document and the README table agree."""

from __future__ import annotations

import re

import pytest

from agent.api.openapi import README, main, operations, readme_with_routes
from agent.api.routes import API, Route, handler_matches
from agent.app import ROUTES
from agent.security import protected_routes_report
from tests.support.api import Api


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_the_handler_takes_what_its_route_declares(route: Route) -> None:
    assert handler_matches(route), (route.handler.__name__, route.inputs())


def test_each_route_once_and_only_health_public() -> None:
    keys = [(r.method, r.path) for r in ROUTES]
    assert len(keys) == len(set(keys))
    assert [r.path for r in ROUTES if r.public] == ["/health", "/handshake"]


async def test_the_gate_lets_through_exactly_the_routes_declared_public(api: Api) -> None:
    gate = {(m, p): public for m, p, public in protected_routes_report(api.app)}
    for route in ROUTES:
        key = (route.method, re.sub(r"\{(\w+):[^}]*\}", r"{\1}", API + route.path))
        assert gate[key] == route.public, key


def test_documented_paths_are_concrete_and_unique() -> None:
    keys = [(op.method, op.path) for op in operations()]
    assert len(keys) == len(set(keys))
    assert not [path for _, path in keys if ":" in path or "|" in path]


def test_the_readme_route_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert readme_with_routes(text) == text, "README.md's route table is stale: run `make openapi`"
    assert main(["--check"]) == 0


def test_a_stale_route_table_is_rewritten() -> None:
    text = README.read_text(encoding="utf-8").replace("| GET | `/outbox` |", "| GET | `/out` |")
    assert "| GET | `/outbox` |" in readme_with_routes(text)
    with pytest.raises(ValueError, match="markers"):
        readme_with_routes("# no table here\n")


@pytest.mark.parametrize(
    "path",
    ["/sessions?x=1", "/info?verbose=1", "/actions?kind=order", "/preferences?all=1"],
)
async def test_a_parameter_a_route_does_not_take_is_refused(api: Api, path: str) -> None:
    route, _, query = path.partition("?")
    name = query.split("=")[0]
    status, body = await api.get(route, **dict([query.split("=")]))
    assert status == 400
    assert body["error"]["code"] == "unknown_parameter"
    assert body["error"]["details"]["param"] == name and name in body["error"]["message"]
