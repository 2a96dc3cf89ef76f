"""The CLI never sends the token to a program that has not proved it knows it.

A real impostor HTTP server on a loopback port answers /health exactly as the agent does (and
/handshake with a made-up proof, or not at all); the data dir's runtime file points the CLI
there. ``status``, ``sessions list`` and ``sessions close`` must name the impostor ("Another
program is answering on port N") and the impostor must never see the token. Then a real
agent on the same data dir proves itself and the same commands work.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.security.impostor import Impostor
from tests.security.live import LiveAgent, copy_store
from tests.support.agent_process import cli, free_port

COMMANDS = (("status",), ("sessions", "list"), ("sessions", "close", "s1"))


@pytest.mark.parametrize("answers_handshake", [True, False], ids=["fake proof", "no handshake"])
def test_the_cli_never_sends_the_token_to_an_impostor(
    tmp_path: Path, seeded_store: Path, answers_handshake: bool
) -> None:
    data = copy_store(seeded_store, tmp_path / "data")
    token = cli("token", data_dir=data).stdout.strip()
    port = free_port()
    runtime = {"pid": os.getpid(), "host": "127.0.0.1", "port": port, "version": "0.1.0"}
    (data / "agent.json").write_text(json.dumps(runtime), encoding="utf-8")
    with Impostor(port, answer_handshake=answers_handshake) as impostor:
        for command in COMMANDS:
            result = cli(*command, data_dir=data)
            assert result.returncode != 0, (command, result.stdout)
            said = result.stdout + result.stderr
            assert f"Another program is answering on port {port}" in said, (command, said)
        assert impostor.seen, "the CLI did not even ask"
        assert impostor.got(token) == []
        assert not any("Authorization" in headers for _path, headers in impostor.seen)


def test_a_real_agent_proves_itself(tmp_path: Path, seeded_store: Path) -> None:
    agent = LiveAgent(copy_store(seeded_store, tmp_path / "data")).start()
    try:
        result = cli("status", data_dir=agent.data_dir)
        assert result.returncode == 0 and "✓ agent" in result.stdout, result.stdout
        assert cli("sessions", "list", data_dir=agent.data_dir).returncode == 0
    finally:
        agent.stop()
