"""Schemathesis against a live agent on a loopback port: every operation of the served
openapi.json, positive and negative data, through the whole request gate (token, write header
and Host sent as the extension sends them). Zero 5xx, zero answers outside the spec.

Sized for CI: ``FUZZ_EXAMPLES`` examples per operation and mode (deterministic, no database),
which with the coverage phase comes to well over 2,000 cases; the count is asserted at the end.
``positive_data_acceptance`` is left out: the agent checks more than JSON Schema can say (a
sort key must suit the search kind, an id must exist, POST /orders is always 405), so a
schema-valid request may rightly get 404/409/422. Every answer must still be documented.
A second, negative run drops the token: every operation but /health must answer 401.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from agent.api.openapi import OUTPUT
from tests.security.live import LiveAgent

pytestmark = pytest.mark.slow  # schemathesis over every operation: `make test`, not `make check`

FUZZ_EXAMPLES = int(os.environ.get("CALLCENTER_FUZZ_EXAMPLES", "8"))
MIN_CASES = 2000
CASES: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()

SPEC = json.loads(OUTPUT.read_text(encoding="utf-8"))


def _schema(max_examples: int, modes: list[GenerationMode] | None = None) -> Any:
    schema = schemathesis.openapi.from_dict(SPEC)
    schema.config.generation.update(
        modes=modes or [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=max_examples,
        deterministic=True,
        database="none",
    )
    return schema


# /events is a WebSocket (an HTTP GET is rightly 400): test_events.py and the attack suite
# cover it. The ~45 management actions (big bodies, slow to generate) skip the coverage phase
# and get fewer examples each; CALLCENTER_FUZZ_ACTION_EXAMPLES raises that.
ACTION_PATHS = r"/actions/"
ACTION_EXAMPLES = int(os.environ.get("CALLCENTER_FUZZ_ACTION_EXAMPLES", "6"))
schema = _schema(FUZZ_EXAMPLES).exclude(path="/api/v1/events").exclude(path_regex=ACTION_PATHS)
actions = _schema(ACTION_EXAMPLES).include(path_regex=ACTION_PATHS)
actions.config.phases.update(phases=["examples", "fuzzing"])
# Valid requests but no token (invalid ones may be refused earlier, e.g. a path with escapes).
unauthenticated = _schema(4, [GenerationMode.POSITIVE])
unauthenticated.config.phases.update(phases=["examples", "fuzzing"])
NO_TOKEN: Counter[int] = Counter()


def _headers(agent: LiveAgent, *, token: bool = True) -> dict[str, str]:
    # X-Callcenter-Api is a parameter of every write in the spec: schemathesis sends it (and
    # breaks it in negative cases).
    headers = {"Host": f"127.0.0.1:{agent.port}"}
    if token:
        headers["Authorization"] = f"Bearer {agent.token}"
    return headers


def test_the_fuzzed_spec_is_the_served_one(live_agent: LiveAgent) -> None:
    status, served = live_agent.call("GET", "/openapi.json")
    assert status == 200
    assert served == SPEC


@schema.parametrize()
def test_every_operation(case: Any, live_agent: LiveAgent) -> None:
    fuzz_one(case, live_agent)


@actions.parametrize()
def test_every_action(case: Any, live_agent: LiveAgent) -> None:
    fuzz_one(case, live_agent)


def fuzz_one(case: Any, live_agent: LiveAgent) -> None:
    response = case.call_and_validate(
        base_url=f"http://127.0.0.1:{live_agent.port}",
        headers=_headers(live_agent),
        excluded_checks=[positive_data_acceptance],
    )
    CASES[case.operation.label] += 1
    STATUSES[response.status_code] += 1
    assert response.status_code < 500, response.text
    assert live_agent.token not in response.text


@unauthenticated.parametrize()
def test_without_the_token_everything_but_health_and_handshake_is_401(
    case: Any, live_agent: LiveAgent
) -> None:
    headers = _headers(live_agent, token=False)
    if case.headers:
        case.headers.pop("Authorization", None)
    response = case.call(base_url=f"http://127.0.0.1:{live_agent.port}", headers=headers)
    NO_TOKEN[response.status_code] += 1
    if case.method.lower() != case.operation.method.lower():
        # a method the spec does not list: refused by the gate (405) or at the token (401)
        assert response.status_code in (401, 405), (case.method, case.path, response.text)
    elif case.path == "/api/v1/health":
        assert response.status_code == 200
    elif case.path == "/api/v1/handshake":  # public: a proof, or 400 for a bad nonce
        assert response.status_code in (200, 400), response.text
        assert live_agent.token not in response.text
    else:
        assert response.status_code == 401, (case.method, case.path, response.text)
        assert response.json()["error"]["code"] == "unauthorized"


def test_enough_cases_ran(request: pytest.FixtureRequest) -> None:
    """Runs last in this file: the fuzz run was as large as promised."""
    ran = sum(CASES.values())
    if not ran:
        pytest.skip("the fuzz tests were deselected")
    print(
        f"\nfuzz: {ran} cases over {len(CASES)} operations; statuses {dict(STATUSES)}; "
        f"without the token: {dict(NO_TOKEN)}"
    )
    assert len(CASES) == sum(
        len(ops) for path, ops in SPEC["paths"].items() if path != "/api/v1/events"
    )
    if FUZZ_EXAMPLES >= 8:
        assert ran >= MIN_CASES
