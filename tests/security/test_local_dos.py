"""A flood of idle and slow local connections does not make the agent unreachable.

A real agent started under a 256-descriptor limit (macOS's default; soft = hard, so it cannot
raise it) gets 300 connections that send nothing or only half a request line and headers. While
they stay open, the panel's requests (each on a new connection, as a fresh page would) must
still be answered, and the slow connections must be closed by the agent. A second start, with
the soft limit below the hard one, checks that the agent raises it.
"""

from __future__ import annotations

import http.client
import resource
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.security.live import LiveAgent, copy_store

FLOOD = 300
LIMIT = 256


def limit_fds(soft: int, hard: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    return apply


def soft_limit(pid: int) -> int:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return int(line.split()[3])
    raise AssertionError("no open-files line")


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc/<pid>/limits")
def test_idle_flood_leaves_the_panel_answered(tmp_path: Path, seeded_store: Path) -> None:
    agent = LiveAgent(copy_store(seeded_store, tmp_path / "data"))
    agent.start(preexec_fn=limit_fds(LIMIT, LIMIT))
    flood: list[socket.socket] = []
    try:
        assert agent.proc is not None
        assert soft_limit(agent.proc.pid) == LIMIT
        token = agent.token
        for i in range(FLOOD):
            sock = socket.create_connection(("127.0.0.1", agent.port), timeout=10)
            if i % 2:
                sock.sendall(b"GET /api/v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            flood.append(sock)
        answered = 0
        for _ in range(20):
            conn = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=10)
            conn.request("GET", "/api/v1/info", headers={"Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            assert response.status == 200
            response.read()
            conn.close()
            answered += 1
        assert answered == 20
        # The slow ones are closed by the agent (EOF or reset), not left holding descriptors.
        closed = 0
        for sock in flood[-10:]:
            sock.settimeout(30)
            try:
                closed += sock.recv(1) == b""
            except ConnectionResetError:
                closed += 1
        assert closed == 10
    finally:
        for sock in flood:
            sock.close()
        agent.stop()
    assert "closed" in agent.log_text() and "idle connections" in agent.log_text()


def _reports(agent: LiveAgent) -> int:
    return agent.log_text().count("idle connections")


def _next_report(agent: LiveAgent, seen: int) -> None:
    """Until the guard reports closing connections again (it does once a second at most)."""
    for _ in range(100):
        if _reports(agent) > seen:
            return
        time.sleep(0.1)
    raise AssertionError("the guard closed nothing")


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc/<pid>/limits")
def test_the_panels_idle_connection_outlasts_a_flood(tmp_path: Path, seeded_store: Path) -> None:
    """400 connections made after the panel's last request, each less idle than the panel's
    keep-alive connection, under a limit of 160 descriptors (a cap of 32 connections): the
    agent closes flood connections, never the panel's, which carried the token."""
    agent = LiveAgent(copy_store(seeded_store, tmp_path / "data"))
    agent.start(preexec_fn=limit_fds(160, 160))
    flood: list[socket.socket] = []
    try:
        panel = agent.connection()
        assert agent.call("GET", "/info", conn=panel)[0] == 200
        for _ in range(400):
            flood.append(socket.create_connection(("127.0.0.1", agent.port), timeout=10))
        _next_report(agent, 0)
        assert agent.call("GET", "/info", conn=panel)[0] == 200  # the same connection
    finally:
        for sock in flood:
            sock.close()
        agent.stop()


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc/<pid>/limits")
def test_a_burst_of_connects_never_reaches_the_fd_limit(tmp_path: Path, seeded_store: Path) -> None:
    """300 connects at once (non-blocking, as an attacker makes them) under 256 descriptors:
    the agent never runs out of descriptors (asyncio would stop accepting for a whole second)."""
    agent = LiveAgent(copy_store(seeded_store, tmp_path / "data"))
    agent.start(preexec_fn=limit_fds(LIMIT, LIMIT))
    flood: list[socket.socket] = []
    try:
        for _ in range(FLOOD):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", agent.port))
            flood.append(sock)
        _next_report(agent, 0)
        assert agent.call("GET", "/info")[0] == 200
        log = agent.log_text()
        assert "Too many open files" not in log and "out of system resource" not in log
    finally:
        for sock in flood:
            sock.close()
        agent.stop()


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc/<pid>/limits")
def test_the_soft_fd_limit_is_raised_to_the_hard_one(tmp_path: Path, seeded_store: Path) -> None:
    agent = LiveAgent(copy_store(seeded_store, tmp_path / "data"))
    agent.start(preexec_fn=limit_fds(LIMIT, 4096))
    try:
        assert agent.proc is not None
        assert soft_limit(agent.proc.pid) == 4096
    finally:
        agent.stop()
