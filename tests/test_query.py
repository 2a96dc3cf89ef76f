"""The one query-string validator: typed values, defaults, and a 400 naming the parameter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from agent.errors import BadRequest
from agent.query import Param, parse_query

PARAMS = (
    Param("page", "int", default=1, low=1, high=400),
    Param("q", "text", default="", max_length=10),
    Param("order", "choice", allowed=("asc", "desc")),
    Param("sort", "choice", allowed=("name", "total"), code="invalid_sort"),
    Param("status", "choices", allowed=("Open", "Closed")),
    Param("from", "date"),
)


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ({}, {"page": 1, "q": "", "order": None, "sort": None, "status": (), "from": None}),
        ({"page": ["7"]}, {"page": 7}),
        ({"page": [" #7 "]}, {"page": 7}),
        ({"q": [""]}, {"q": ""}),
        ({"q": ["  ana  "]}, {"q": "ana"}),
        ({"order": ["asc"]}, {"order": "asc"}),
        ({"status": ["Open,Closed", "Open", ""]}, {"status": ("Open", "Closed")}),
        ({"from": ["2026-11-26"]}, {"from": dt.date(2026, 11, 26)}),
    ],
)
def test_values(query: dict[str, list[str]], wanted: dict[str, Any]) -> None:
    values = parse_query(PARAMS, query)
    assert {k: values[k] for k in wanted} == wanted


@pytest.mark.parametrize(
    ("query", "code", "param", "says"),
    [
        ({"bogus": ["1"]}, "unknown_parameter", "bogus", "takes page, q"),
        ({"page": ["0"]}, "invalid_parameter", "page", "from 1 to 400"),
        ({"page": ["401"]}, "invalid_parameter", "page", "from 1 to 400"),
        ({"page": ["1.5"]}, "invalid_parameter", "page", "not a whole number"),
        ({"page": ["-1"]}, "invalid_parameter", "page", "not a whole number"),
        ({"page": ["١"]}, "invalid_parameter", "page", "not a whole number"),
        ({"page": ["1", "2"]}, "invalid_parameter", "page", "more than once"),
        ({"q": ["x" * 11]}, "invalid_parameter", "q", "too long"),
        ({"order": ["sideways"]}, "invalid_parameter", "order", "asc, desc"),
        ({"sort": ["password"]}, "invalid_sort", "sort", "password"),
        ({"status": ["Open,Lost"]}, "invalid_parameter", "status", "'Lost'"),
        ({"from": ["yesterday"]}, "invalid_parameter", "from", "YYYY-MM-DD"),
        ({"page": [""]}, "invalid_parameter", "page", "is empty; leave it out"),
        ({"order": [""]}, "invalid_parameter", "order", "is empty; leave it out"),
        ({"sort": [" "]}, "invalid_parameter", "sort", "is empty; leave it out"),
        ({"from": [""]}, "invalid_parameter", "from", "is empty; leave it out"),
    ],
)
def test_refusals_name_the_parameter(
    query: dict[str, list[str]], code: str, param: str, says: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_query(PARAMS, query)
    error = caught.value
    assert (error.status, error.code, error.details["param"]) == (400, code, param)
    assert f"'{param}'" in error.message and says in error.message


def test_a_route_without_parameters_takes_none() -> None:
    assert parse_query((), {}) == {}
    with pytest.raises(BadRequest) as caught:
        parse_query((), {"x": ["1"]})
    assert caught.value.message == "Unknown parameter 'x'"


def test_each_parameter_documents_itself() -> None:
    docs = {p.name: p.openapi() for p in PARAMS}
    assert docs["page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 400}
    assert docs["q"]["schema"] == {"type": "string", "maxLength": 10}
    assert docs["sort"]["schema"] == {"type": "string", "enum": ["name", "total"]}
    assert docs["status"]["explode"] is True
    assert docs["status"]["schema"]["items"]["anyOf"][0] == {"enum": ["Open", "Closed"]}
    assert all(d["in"] == "query" and d["required"] is False for d in docs.values())
