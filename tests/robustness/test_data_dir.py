"""One data dir, one agent, one store: real agent processes on loopback and real files.

A second agent on a data dir that one already serves exits 2 naming the first's PID and port;
``seed --force`` refuses while an agent serves the data dir; an agent whose demo.db was removed
or replaced answers writes 503 ``store_replaced`` and never 200.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.agent_process import ROOT, AgentProcess, cli, free_port

AGENT = (sys.executable, "-m", "agent")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process handling")


@pytest.fixture
def data_dir(tmp_path: Path, seeded_store: Path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "demo.db").write_bytes(seeded_store.read_bytes())
    return directory


@pytest.fixture
def agent(data_dir: Path) -> Iterator[AgentProcess]:
    running = AgentProcess(data_dir).start()
    yield running
    running.stop()


def test_second_agent_on_the_same_data_dir_exits_2_naming_the_first(
    agent: AgentProcess, data_dir: Path
) -> None:
    second = subprocess.run(
        [*AGENT, "serve", "--data-dir", str(data_dir), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("CALLCENTER_AGENT_")},
        check=False,
    )
    assert second.returncode == 2, second.stderr
    assert agent.proc is not None
    assert f"PID {agent.proc.pid}, port {agent.port}" in second.stderr
    lock = data_dir / "agent.lock"
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    assert json.loads(lock.read_text()) == {"pid": agent.proc.pid, "port": agent.port}
    assert agent.request("GET", "/health")[0] == 200


def test_a_killed_agent_leaves_the_data_dir_free(data_dir: Path) -> None:
    first = AgentProcess(data_dir).start()
    first.kill()
    second = AgentProcess(data_dir).start()
    try:
        assert second.request("GET", "/health")[0] == 200
    finally:
        second.stop()


def test_seed_force_refuses_while_an_agent_serves_the_data_dir(
    agent: AgentProcess, data_dir: Path
) -> None:
    before = (data_dir / "demo.db").stat().st_ino
    result = cli("seed", "--force", data_dir=data_dir)
    assert result.returncode == 2, result.stdout + result.stderr
    assert agent.proc is not None
    assert f"PID {agent.proc.pid}, port {agent.port}" in result.stderr
    assert (data_dir / "demo.db").stat().st_ino == before


def _customer(agent: AgentProcess) -> dict[str, Any]:
    status, found = agent.request("GET", "/search/customers?sort=id&order=asc&page_size=5")
    assert status == 200, found
    status, customer = agent.request("GET", f"/customers/{found['results'][0]['id']}")
    assert status == 200, customer
    return dict(customer)


def _credit(agent: AgentProcess, customer: dict[str, Any], key: str) -> tuple[int, Any]:
    body = {"expected_version": customer["version"], "amount_cents": 700}
    return agent.request(
        "POST",
        f"/customers/{customer['id']}/actions/issue_store_credit",
        body,
        headers={"Idempotency-Key": key},
    )


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_writes_into_a_removed_or_replaced_store_are_503(
    agent: AgentProcess, data_dir: Path, seeded_store: Path, how: str
) -> None:
    customer = _customer(agent)
    assert _credit(agent, customer, "before-the-swap-1")[0] == 200
    customer = _customer(agent)
    db = data_dir / "demo.db"
    if how == "removed":
        db.unlink()
    else:
        replacement = data_dir / "other.db"
        replacement.write_bytes(seeded_store.read_bytes())
        os.replace(replacement, db)
    status, body = _credit(agent, customer, "after-the-swap-1")
    assert status == 503, body
    assert body["error"]["code"] == "store_replaced"
    assert agent.proc is not None and agent.proc.poll() is None
    assert f"was {'removed' if how == 'removed' else 'replaced'}" in agent.log_text()


def test_doctor_checks_the_port_the_agent_holds_the_data_dir_with(
    agent: AgentProcess, data_dir: Path
) -> None:
    for written in ("agent.json", "last-served.json"):
        (data_dir / written).unlink(missing_ok=True)
    doctor = cli("doctor", data_dir=data_dir)
    assert f"✓ port — our agent answers on 127.0.0.1:{agent.port}" in doctor.stdout, doctor.stdout


def test_a_seed_killed_midway_leaves_no_temporary_store_after_the_next_start(
    data_dir: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLCENTER_AGENT_")}
    seed = subprocess.Popen(
        [*AGENT, "seed", "--force", "--scale", "large", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    temporary = data_dir / f".demo.db.seeding-{seed.pid}"
    deadline = time.monotonic() + 60
    while not temporary.exists() and time.monotonic() < deadline and seed.poll() is None:
        time.sleep(0.02)
    seed.kill()
    seed.wait()
    assert temporary.exists()
    restarted = AgentProcess(data_dir).start()
    try:
        assert restarted.request("GET", "/health")[0] == 200
        assert not list(data_dir.glob(".demo.db.seeding-*"))
        assert "left by a seed that was killed" in restarted.log_text()
    finally:
        restarted.stop()
