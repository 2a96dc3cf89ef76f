"""The agent's files are its OS user's alone: a real agent start, then ``os.stat`` on each file.

The test process keeps a common umask (022), the data folder starts 0755 and the demo store
and a stale runtime file start 0644/0666, as an older agent or a copy would leave them. After
the agent started and wrote (so SQLite made its ``-wal``/``-shm`` files), every folder must be
0700, every file 0600 or tighter, and the log must warn about each file it tightened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.live import LiveAgent, copy_store


@pytest.fixture
def common_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_every_file_the_agent_keeps_is_private(
    tmp_path: Path, seeded_store: Path, common_umask: None
) -> None:
    data_dir = copy_store(seeded_store, tmp_path / "data")
    data_dir.chmod(0o755)
    (data_dir / "demo.db").chmod(0o644)
    stale = data_dir / "last-served.json"
    stale.write_text("{}", encoding="utf-8")
    stale.chmod(0o666)
    agent = LiveAgent(data_dir, extra_args=("--admin-port", "0")).start()
    try:
        status, found = agent.call("GET", "/search/customers?page_size=1")
        assert status == 200, found
        customer = found["results"][0]["id"]
        status, opened = agent.call("POST", "/sessions", {"kind": "customer", "id": customer})
        assert status == 201, opened
        names = {path.name for path in data_dir.iterdir()}
        assert {"demo.db", "state.db", "state.db-wal", "state.db-shm", "agent.json", "token"} <= (
            names
        ), names
        assert mode(data_dir) == 0o700
        loose = {p.name: oct(mode(p)) for p in data_dir.iterdir() if mode(p) & 0o077}
        assert loose == {}
    finally:
        agent.stop()
    log = agent.log_text()
    for name in ("demo.db", "last-served.json"):
        assert f"{data_dir / name} was mode 6" in log, log[-2000:]
    assert f"{data_dir} was mode 755" in log
    # Created after the start: private from birth, so no warning names them.
    assert f"{data_dir / 'state.db'} was mode" not in log
    assert f"{data_dir / 'token'} was mode" not in log
