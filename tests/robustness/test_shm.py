"""A WAL index file (``-shm``) truncated, removed or replaced under a running agent: SQLite maps
it, so touching it after a truncation is a SIGBUS. The agent must stay up, answer 503 naming the
file, and say so in its log (agent/shm_guard.py). Real agent processes, real files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.agent_process import AgentProcess

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files and signals")


@pytest.fixture
def agent(tmp_path: Path, seeded_store: Path) -> Iterator[AgentProcess]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "demo.db").write_bytes(seeded_store.read_bytes())
    running = AgentProcess(data_dir).start()
    yield running
    running.stop()


def _break(shm: Path, how: str) -> None:
    if how == "truncated":
        os.truncate(shm, 0)
    elif how == "removed":
        shm.unlink()
    else:
        other = shm.with_name("other-shm")
        other.write_bytes(b"\0" * shm.stat().st_size)
        os.replace(other, shm)


@pytest.mark.parametrize("how", ["truncated", "removed", "replaced"])
def test_state_db_shm_gone_is_503_and_a_log_line_not_a_crash(agent: AgentProcess, how: str) -> None:
    write = {"session_id": None, "new_call": True}
    assert agent.request("PUT", "/active-session", write)[0] == 200
    _break(agent.data_dir / "state.db-shm", how)
    for _ in range(3):
        status, body = agent.request("GET", "/sessions")
        assert status == 503, body
        assert body["error"]["code"] == "state_store_error"
        assert "state.db-shm" in body["error"]["message"]
    assert agent.request("PUT", "/active-session", write)[0] == 503
    assert agent.request("GET", "/health")[0] == 200
    assert agent.proc is not None and agent.proc.poll() is None
    assert f"state.db-shm was {how}" in agent.log_text()
    agent.stop()
    assert agent.proc.returncode == 0, agent.log_text()[-2000:]


@pytest.mark.parametrize("how", ["truncated", "replaced"])
def test_demo_db_shm_gone_is_503_and_a_log_line_not_a_crash(agent: AgentProcess, how: str) -> None:
    assert agent.request("GET", "/customers/1001")[0] == 200
    _break(agent.data_dir / "demo.db-shm", how)
    for path in ("/customers/1001", "/search/orders?q=an"):
        status, body = agent.request("GET", path)
        assert status == 503, body
        assert body["error"]["code"] == "store_unavailable"
        assert "demo.db-shm" in body["error"]["message"]
    assert agent.request("GET", "/sessions")[0] == 200
    assert agent.proc is not None and agent.proc.poll() is None
    assert f"demo.db-shm was {how}" in agent.log_text()
    agent.stop()
    assert agent.proc.returncode == 0, agent.log_text()[-2000:]
