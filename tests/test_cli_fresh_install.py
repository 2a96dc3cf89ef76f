"""What the CLI tells someone on a fresh install, after a stop and after a token rotation:
the next step rather than a failure, the port the agent last served on, and one story about a
refused token in `status` and `sessions`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent.search.counting import result_count
from tests.support.agent_process import AgentProcess, cli

pytestmark = pytest.mark.slow  # an agent process per command: `make test`, not `make check`


def test_doctor_on_a_fresh_install_says_what_to_do_next(tmp_path: Path) -> None:
    doctor = cli("doctor", data_dir=tmp_path / "new")
    assert doctor.returncode == 0, doctor.stdout
    assert "✗" not in doctor.stdout
    assert "✓ token file" in doctor.stdout and "not created yet" in doctor.stdout
    next_steps = doctor.stdout.split("Next:")[1]
    assert f"serve --data-dir {tmp_path / 'new'}`" in next_steps
    assert f"install --data-dir {tmp_path / 'new'}` starts the agent at login" in next_steps


def test_status_remembers_the_port_it_last_served_on(tmp_path: Path, seeded_store: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(seeded_store, data / "demo.db")
    agent = AgentProcess(data).start()
    agent.stop()
    status = cli("status", data_dir=data)
    assert status.returncode == 1
    assert f"✗ agent not running on port {agent.port} (last served on port {agent.port}, " in (
        status.stdout
    )
    agent.start()  # same port: status finds it without being told
    try:
        assert "✓ agent" in cli("status", data_dir=data).stdout
    finally:
        agent.stop()


def test_a_rotated_token_works_at_once_for_status_and_sessions(
    tmp_path: Path, seeded_store: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(seeded_store, data / "demo.db")
    agent = AgentProcess(data).start()
    try:
        agent.rotate_token()
        status = cli("status", data_dir=data)
        assert status.returncode == 0 and "✓ agent" in status.stdout, status.stdout
        assert cli("sessions", "list", data_dir=data).returncode == 0
    finally:
        agent.stop()


def test_counts_are_singular_for_one() -> None:
    assert result_count(1, True, "orders") == "1 order"
    assert result_count(2, True, "orders") == "2 orders"
    assert result_count(0, True, "customers") == "0 customers"
    assert result_count(1, False, "returns") == "1+ returns"
    assert result_count(12345, True, "orders") == "12,345 orders"
