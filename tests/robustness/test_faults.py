"""Faults: each gives one clear message and loses nothing that was stored.

The CLI answers a fault with exit code 2 and one line on stderr; the API with a JSON 503 that
names the storage problem. Afterwards, with the fault removed, the agent serves exactly the
sessions, drafts and preferences it had before.
"""

from __future__ import annotations

import contextlib
import resource
import shutil
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.security.live import LiveAgent, copy_store
from tests.support.agent_process import cli, free_port

pytestmark = pytest.mark.slow  # an agent process per broken file or busy port

FAULTS_TRIED: list[str] = []


def stored_state(agent: LiveAgent) -> dict[str, Any]:
    _, sessions = agent.call("GET", "/sessions")
    _, preferences = agent.call("GET", "/preferences")
    drafts = {}
    for session in sessions["sessions"]:
        for tab in session["tabs"]:
            _, found = agent.call("GET", f"/sessions/{session['id']}/tabs/{tab['id']}/drafts")
            drafts[tab["id"]] = found["drafts"]
    return {"sessions": sessions, "preferences": preferences, "drafts": drafts}


@pytest.fixture(scope="module")
def template(
    tmp_path_factory: pytest.TempPathFactory, seeded_store: Path
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A data dir holding two sessions, a draft and preferences, and what the API shows."""
    data_dir = copy_store(seeded_store, tmp_path_factory.mktemp("faults") / "data")
    agent = LiveAgent(data_dir).start()
    try:
        _, found = agent.call("GET", "/search/customers?page_size=2")
        _, opened = agent.call(
            "POST", "/sessions", {"kind": "customer", "id": found["results"][0]["id"]}
        )
        agent.call("POST", "/sessions", {"kind": "customer", "id": found["results"][1]["id"]})
        agent.call(
            "PUT",
            f"/sessions/{opened['session_id']}/tabs/{opened['tab_id']}/drafts/refund",
            {"data": {"amount": "19.99", "reason": "damaged"}},
        )
        agent.call("PUT", "/preferences/orders", {"columns": ["number", "total"]})
        state = stored_state(agent)
    finally:
        agent.stop()
    yield data_dir, state


@pytest.fixture
def data_dir(template: tuple[Path, dict[str, Any]], tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(template[0], target, ignore=shutil.ignore_patterns("*.log"))
    return target


@pytest.fixture
def stored(template: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    return template[1]


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    line = result.stderr.strip()
    assert "\n" not in line, result.stderr
    assert line.startswith("callcenter-agent: error: "), line
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in line, (needle, line)
    return line


def assert_nothing_lost(data_dir: Path, stored: dict[str, Any]) -> None:
    agent = LiveAgent(data_dir).start()
    try:
        assert stored_state(agent) == stored
    finally:
        agent.stop()


def serve(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli("serve", "--port", str(free_port()), *extra, data_dir=data_dir, timeout=30)


# --- the CLI ------------------------------------------------------------------------------------


def test_port_already_taken(data_dir: Path, stored: dict[str, Any]) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        port = squatter.getsockname()[1]
        result = cli("serve", "--port", str(port), data_dir=data_dir, timeout=30)
    assert_one_line_error(result, f"port {port}", "already in use")
    FAULTS_TRIED.append("port already taken")
    assert_nothing_lost(data_dir, stored)


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        ("not TOML", "[agent\nport = 1", "is not valid TOML"),
        ("binary garbage", "\x00\x01\x02\xff", "config.toml"),
        ("wrong type", '[agent]\nport = "high"\n', "port must be an integer, not a string"),
        ("unknown section", "[agnet]\nport = 1\n", "unknown section"),
    ],
)
def test_corrupt_config(
    data_dir: Path, stored: dict[str, Any], name: str, text: str, needle: str
) -> None:
    (data_dir / "config.toml").write_bytes(text.encode("latin-1"))
    commands = (
        [("serve",), ("token",), ("sessions", "list")] if name == "not TOML" else [("serve",)]
    )
    for command in commands:
        assert_one_line_error(cli(*command, data_dir=data_dir, timeout=30), needle)
    FAULTS_TRIED.append(f"corrupt config: {name}")
    (data_dir / "config.toml").unlink()
    assert_nothing_lost(data_dir, stored)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("truncated", b"abc"),
        ("binary", b"\xff\xfe" * 30),
        ("empty", b""),
        ("two tokens", b"A" * 43 + b"\n" + b"B" * 43 + b"\n"),
    ],
)
def test_corrupt_token_file(
    data_dir: Path, stored: dict[str, Any], name: str, content: bytes
) -> None:
    token_path = data_dir / "token"
    good = token_path.read_bytes()
    token_path.write_bytes(content)
    assert_one_line_error(serve(data_dir), "token")
    assert token_path.read_bytes() == content  # never silently replaced: panels stay paired
    FAULTS_TRIED.append(f"corrupt token file: {name}")
    token_path.write_bytes(good)
    assert_nothing_lost(data_dir, stored)


def _garble(path: Path, offset: int, size: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xde\xad\xbe\xef" * (size // 4))


@pytest.mark.parametrize("how", ["header", "pages", "not ours", "truncated"])
def test_corrupt_state_db(data_dir: Path, stored: dict[str, Any], how: str) -> None:
    state_db = data_dir / "state.db"
    backup = data_dir.parent / "state.db.good"
    shutil.copy(state_db, backup)
    if how == "header":
        _garble(state_db, 0, 64)
    elif how == "pages":
        _garble(state_db, 4096, 4096 * 2)
    elif how == "truncated":
        with state_db.open("r+b") as handle:
            handle.truncate(5000)
    else:
        state_db.unlink()
        conn = sqlite3.connect(state_db)
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        conn.commit()
        conn.close()
    damaged = state_db.read_bytes()

    for command in (("serve", "--port", str(free_port())), ("sessions", "list")):
        line = assert_one_line_error(cli(*command, data_dir=data_dir, timeout=30), str(state_db))
        assert any(word in line for word in ("corrupt", "not a Call Center", "damaged"))
    assert state_db.read_bytes() == damaged  # the agent never "repairs" what it cannot read
    FAULTS_TRIED.append(f"corrupt state.db: {how}")
    shutil.copy(backup, state_db)
    assert_nothing_lost(data_dir, stored)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """A read-only bind mount over ``path`` (as root, permission bits alone would not stop us)."""
    bind = subprocess.run(
        ["mount", "--bind", str(path), str(path)], capture_output=True, check=False
    )
    if bind.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {bind.stderr.decode().strip()}")
    try:
        remount = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(path)], capture_output=True, check=False
        )
        if remount.returncode != 0:
            pytest.skip(f"cannot remount read-only: {remount.stderr.decode().strip()}")
        yield
    finally:
        subprocess.run(["umount", str(path)], check=True)


def test_read_only_data_dir(data_dir: Path, stored: dict[str, Any]) -> None:
    with read_only(data_dir):
        assert_one_line_error(serve(data_dir), str(data_dir), "cannot write")
    FAULTS_TRIED.append("read-only data dir")
    assert_nothing_lost(data_dir, stored)


# --- the API ------------------------------------------------------------------------------------


def assert_storage_503(status: int, answer: Any, *needles: str) -> None:
    assert status == 503, (status, answer)
    error = answer["error"]
    assert error["code"] == "state_store_error", error
    assert "state database" in error["message"], error
    for needle in needles:
        assert needle in error["message"], (needle, error)
    assert "Traceback" not in str(answer)


def test_database_locked_by_another_process(data_dir: Path, stored: dict[str, Any]) -> None:
    agent = LiveAgent(data_dir).start()
    try:
        sid = stored["sessions"]["sessions"][0]["id"]
        locker = sqlite3.connect(data_dir / "state.db", isolation_level=None)
        try:
            locker.execute("BEGIN EXCLUSIVE")
            status, answer = agent.call("PUT", "/preferences/orders", {"columns": ["number"]})
            assert_storage_503(status, answer, "locked")
            status, answer = agent.call("DELETE", f"/sessions/{sid}")
            assert_storage_503(status, answer, "locked")
            # Through the running agent: its 503 must come before the CLI gives up (3 s), or
            # the CLI reports a failure for a close that lands once the lock goes.
            assert_one_line_error(
                cli("sessions", "close", sid, data_dir=data_dir, timeout=60),
                "state database",
                "locked",
            )
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert stored_state(agent) == stored
        assert agent.call("GET", "/health")[0] == 200
    finally:
        agent.stop()
    FAULTS_TRIED.append("database locked by another process")
    assert_nothing_lost(data_dir, stored)


def test_disk_full(data_dir: Path, stored: dict[str, Any]) -> None:
    """RLIMIT_FSIZE: no file may grow past 192 KiB, so the state database's journal fills up."""
    limit = 192 * 1024
    assert (data_dir / "state.db").stat().st_size < limit

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    agent = LiveAgent(data_dir)
    agent.log_path = data_dir.parent / "disk-full.log"
    agent.start(preexec_fn=cap)
    sid = stored["sessions"]["sessions"][0]["id"]
    tid = stored["sessions"]["sessions"][0]["tabs"][0]["id"]
    accepted: dict[str, Any] = {}
    refusals = []
    try:
        for n in range(40):
            body = {"data": {"n": n, "text": "x" * 40_000}}
            status, answer = agent.call("PUT", f"/sessions/{sid}/tabs/{tid}/drafts/big{n}", body)
            if status == 200:
                accepted[f"big{n}"] = body["data"]
            else:
                assert_storage_503(status, answer)
                assert "full" in answer["error"]["message"] or "disk" in answer["error"]["message"]
                refusals.append(answer)
        assert refusals and accepted
        status, answer = agent.call("GET", f"/sessions/{sid}/tabs/{tid}/drafts")
        assert status == 200
        assert {d["form"]: d["data"] for d in answer["drafts"]} == accepted
        assert agent.call("GET", "/health")[0] == 200
    finally:
        agent.stop()
    FAULTS_TRIED.append("disk full (RLIMIT_FSIZE)")
    restarted = LiveAgent(data_dir).start()
    try:
        status, answer = restarted.call("GET", f"/sessions/{sid}/tabs/{tid}/drafts")
        assert {d["form"]: d["data"] for d in answer["drafts"]} == accepted
        for form in accepted:
            restarted.call("DELETE", f"/sessions/{sid}/tabs/{tid}/drafts/{form}")
        assert stored_state(restarted) == stored
    finally:
        restarted.stop()
