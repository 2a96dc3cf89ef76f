"""Sessions, tabs, drafts and preferences survive a real restart of a real agent process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.agent_process import AgentProcess

pytestmark = pytest.mark.slow  # agent processes stopped and killed: `make test`, not `make check`


@pytest.mark.parametrize("how", ["stop", "kill"])
def test_state_survives_restart(tmp_path: Path, seeded_store: Path, how: str) -> None:
    shutil.copy(seeded_store, tmp_path / "demo.db")
    agent = AgentProcess(tmp_path).start()
    try:
        _, customers = agent.request(
            "GET", "/search/customers?page_size=2&sort=order_count&order=desc"
        )
        first, second = customers["results"]
        _, opened = agent.request("POST", "/sessions", {"kind": "customer", "id": first["id"]})
        agent.request("POST", "/sessions", {"kind": "customer", "id": second["id"]})
        agent.request("PUT", "/active-session", {"session_id": opened["session_id"]})
        draft_path = f"/sessions/{opened['session_id']}/tabs/{opened['tab_id']}/drafts/notes"
        agent.request("PUT", draft_path, {"data": {"text": "Caller wants a refund"}})
        agent.request("PUT", "/preferences/customers", {"columns": ["id", "name"]})
        agent.request("PUT", "/landing/search-state", {"kind": "returns", "q": "müller"})
        _, before = agent.request("GET", "/sessions")
    finally:
        agent.stop() if how == "stop" else agent.kill()

    agent.start()
    try:
        _, after = agent.request("GET", "/sessions")
        assert after == before
        assert after["active_session_id"] == opened["session_id"]
        _, drafts = agent.request("GET", draft_path.rsplit("/", 1)[0])
        assert drafts["drafts"][0]["data"] == {"text": "Caller wants a refund"}
        _, prefs = agent.request("GET", "/preferences")
        assert prefs["customers"]["columns"] == ["id", "name"]
        assert after["landing"]["q"] == "müller"
    finally:
        agent.stop()
