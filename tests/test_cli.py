"""The CLI through real subprocesses: one clear line on errors, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
from pathlib import Path

import pytest

from agent import __version__
from shared_schema.labels import money_text
from tests.support.agent_process import AgentProcess, cli

pytestmark = pytest.mark.slow  # an agent process per command: `make test`, not `make check`


@pytest.fixture
def data_dir(tmp_path: Path, seeded_store: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    shutil.copy(seeded_store, path / "demo.db")
    return path


def test_version_and_help() -> None:
    result = cli("--version")
    assert result.returncode == 0 and __version__ in result.stdout
    result = cli("--help")
    assert result.returncode == 0
    for command in ("serve", "token", "status", "doctor", "sessions", "search", "seed"):
        assert command in result.stdout
    result = cli("serve", "--help")
    assert "--data-dir" in result.stdout and "--port" in result.stdout


def test_token_is_alone_on_stdout_and_private(data_dir: Path) -> None:
    first = cli("token", data_dir=data_dir)
    assert first.returncode == 0
    token = first.stdout.strip()
    assert first.stdout == token + "\n" and len(token) >= 40
    mode = stat.S_IMODE((data_dir / "token").stat().st_mode)
    assert mode == 0o600
    assert cli("token", data_dir=data_dir).stdout.strip() == token
    rotated = cli("token", "--rotate", data_dir=data_dir).stdout.strip()
    assert rotated != token
    assert cli("token", data_dir=data_dir).stdout.strip() == rotated


def test_search_from_the_terminal(data_dir: Path) -> None:
    listing = json.loads(cli("search", "orders", "", "--json", data_dir=data_dir).stdout)
    number = listing["results"][2]["number"]
    result = cli("search", "orders", f"#{number}", "--json", data_dir=data_dir)
    assert result.returncode == 0
    assert json.loads(result.stdout)["results"][0]["number"] == number
    table = cli("search", "orders", str(number), data_dir=data_dir)
    assert str(number) in table.stdout
    row = json.loads(result.stdout)["results"][0]
    assert money_text(row["total"], row["currency"]) in table.stdout
    exact = cli("search", "orders", f"#{number}", data_dir=data_dir).stdout.splitlines()
    assert exact[-1].startswith("1 order") and "1 orders" not in exact[-1]


def test_status_and_doctor_when_the_agent_is_down(data_dir: Path) -> None:
    result = cli("status", "--port", "1", data_dir=data_dir)
    assert result.returncode == 1
    assert "not running" in result.stdout and "callcenter-agent serve" in result.stdout
    cli("token", data_dir=data_dir)
    doctor = cli("doctor", data_dir=data_dir)
    assert "✓ token file" in doctor.stdout
    assert "✓ demo store integrity" in doctor.stdout
    assert "✓ sqlite" in doctor.stdout


def test_doctor_flags_a_readable_token_and_says_how_to_fix(data_dir: Path) -> None:
    cli("token", data_dir=data_dir)
    os.chmod(data_dir / "token", 0o644)
    doctor = cli("doctor", data_dir=data_dir)
    assert doctor.returncode == 1
    assert "✗ token file" in doctor.stdout and "chmod 600" in doctor.stdout


def test_seed_refuses_to_overwrite_without_force(data_dir: Path) -> None:
    result = cli("seed", data_dir=data_dir)
    assert result.returncode == 0 and "--force" in result.stdout


def test_seed_creates_a_fresh_store(tmp_path: Path) -> None:
    result = cli("seed", "--scale", "small", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "500 customers" in result.stdout and "3,000 orders" in result.stdout


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[agent\nport = ", encoding="utf-8")
    result = cli("status", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "config.toml" in result.stderr


def test_non_loopback_host_is_refused(tmp_path: Path) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--port", "0", data_dir=tmp_path)
    assert result.returncode == 2
    assert "loopback" in result.stderr and "Traceback" not in result.stderr


def test_busy_port_gives_a_clear_message(data_dir: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        result = cli("serve", "--port", str(port), data_dir=data_dir)
    assert result.returncode == 2
    assert f"port {port}" in result.stderr and "already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_data_dir_gives_a_clear_message(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/cc-agent-data")  # not writable even for root
    else:
        target = tmp_path / "ro"
        target.mkdir()
        os.chmod(target, 0o500)
    result = cli("serve", "--port", "0", "--data-dir", str(target), "--config-dir", str(tmp_path))
    assert result.returncode == 2
    assert str(target) in result.stderr and "Traceback" not in result.stderr


def test_status_and_sessions_against_a_running_agent(data_dir: Path) -> None:
    agent = AgentProcess(data_dir).start()
    try:
        status = cli("status", data_dir=data_dir)
        assert status.returncode == 0, status.stdout + status.stderr
        assert f"127.0.0.1:{agent.port}" in status.stdout and "backend: demo" in status.stdout
        _, customers = agent.request("GET", "/search/customers?page_size=1")
        customer = customers["results"][0]
        _, opened = agent.request("POST", "/sessions", {"kind": "customer", "id": customer["id"]})
        listing = cli("sessions", "list", data_dir=data_dir)
        assert customer["name"] in listing.stdout
        closed = cli("sessions", "close", opened["session_id"], data_dir=data_dir)
        assert closed.returncode == 0
        _, state = agent.request("GET", "/sessions")
        assert state["sessions"] == []
        missing = cli("sessions", "close", "nope", data_dir=data_dir)
        assert missing.returncode == 2 and "nope" in missing.stderr
    finally:
        agent.stop()
