"""Pathological JSON bodies against a real agent: a 4xx with the error shape, never a 5xx.

Each body is sent, with the token and the write headers, to two routes that read a body (a
draft, whose data is free-form JSON, and a session's notes). Before the limits of
agent/json_limits.py, the deep bodies and the long integers answered 500 ``internal_error``.
"""

from __future__ import annotations

import json

import pytest

from tests.security.live import WRITE_HEADERS, LiveAgent, send_raw, snapshot

DEEP = 40_000
ATTACKS: dict[str, bytes] = {
    "arrays nested 40,000 deep": b"[" * DEEP + b"]" * DEEP,
    "objects nested 40,000 deep": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "arrays nested 40,000 deep, never closed": b"[" * DEEP,
    "mixed nesting 2,000 deep inside a valid draft": (
        b'{"data":' + b'[{"x":' * 1000 + b"1" + b"}]" * 1000 + b"}"
    ),
    "nesting 65 deep (one over the limit)": b'{"data":' + b"[" * 64 + b"]" * 64 + b"}",
    "an integer of 5,000 digits": b'{"data":{"n":' + b"9" * 5000 + b"}}",
    "a negative integer of 5,000 digits": b'{"notes":-' + b"1" * 5000 + b"}",
    "a float of 5,000 digits": b'{"data":{"n":0.' + b"3" * 5000 + b"}}",
    "an exponent of 5,000 digits": b'{"data":{"n":1e' + b"9" * 5000 + b"}}",
    "a 5,000-digit integer in an array": b'{"data":{"a":[1,2,' + b"7" * 5000 + b"]}}",
}
ALLOWED = {400, 413, 422}


@pytest.fixture(scope="module")
def targets(live_agent: LiveAgent) -> list[str]:
    status, customers = live_agent.call("GET", "/search/customers")
    assert status == 200, customers
    customer_id = customers["results"][0]["id"]
    status, opened = live_agent.call("POST", "/sessions", {"kind": "customer", "id": customer_id})
    assert status in (200, 201), opened
    sid, tid = opened["session_id"], opened["tab_id"]
    return [f"/api/v1/sessions/{sid}/tabs/{tid}/drafts/notes", f"/api/v1/sessions/{sid}/notes"]


@pytest.mark.parametrize("name", list(ATTACKS))
def test_pathological_json_is_a_clean_4xx(
    live_agent: LiveAgent, targets: list[str], name: str
) -> None:
    before = snapshot(live_agent)
    for target in targets:
        headers = [
            ("Host", f"127.0.0.1:{live_agent.port}"),
            ("Authorization", f"Bearer {live_agent.token}"),
            *WRITE_HEADERS.items(),
        ]
        response = send_raw(live_agent.port, "PUT", target, headers, ATTACKS[name])
        assert response.status in ALLOWED, (name, target, response.status, response.body[:300])
        error = response.json()["error"]
        assert set(error) == {"code", "message", "details"}
        assert error["code"] in {"json_too_deep", "number_too_long"}, error
        assert b"Traceback" not in response.raw
    assert snapshot(live_agent) == before
    assert "Traceback" not in live_agent.log_text()


def test_limits_leave_ordinary_bodies_alone(live_agent: LiveAgent, targets: list[str]) -> None:
    nested = {"data": {"a": [[[[{"b": [1, 2.5, -3e10, "[[[[{{{{"]}]]]], "n": 10**40}}
    headers = [
        ("Host", f"127.0.0.1:{live_agent.port}"),
        ("Authorization", f"Bearer {live_agent.token}"),
        *WRITE_HEADERS.items(),
    ]
    response = send_raw(live_agent.port, "PUT", targets[0], headers, json.dumps(nested).encode())
    assert response.status == 200, response.body[:300]
