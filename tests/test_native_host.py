"""`callcenter-agent native-host` over real pipes, framed as Chrome frames it: the token goes to
the pinned extension only, bad input gets a clear error and no token, and the answer says
where the agent is (running, or last served, or configured)."""

from __future__ import annotations

import io
import json
import stat
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agent.config import load_config
from agent.extension_id import EXTENSION_ID
from agent.native_host import serve_stdio
from shared_schema.common import ErrorResponse
from shared_schema.pairing import PairingAnswer
from tests.support.agent_process import ROOT, AgentProcess, cli, free_port

pytestmark = pytest.mark.slow  # agent and native host processes: `make test`, not `make check`

ORIGIN = f"chrome-extension://{EXTENSION_ID}/"
PAIRING = json.dumps({"type": "pairing"}).encode()


def frame(body: bytes) -> bytes:
    return struct.pack("=I", len(body)) + body


def host(data: Path, *args: str, stdin: bytes = frame(PAIRING)) -> tuple[int, list[Any]]:
    """Run the host as Chrome does (origin first), return its exit code and answers."""
    result = subprocess.run(
        [sys.executable, "-m", "agent", "native-host", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    return result.returncode, answers_in(result.stdout)


def in_process(data: Path, origin: str | None, stdin: bytes) -> tuple[int, list[Any]]:
    """The same host loop on in-memory streams (many cases, no process start each)."""
    out = io.BytesIO()
    code = serve_stdio(load_config(data), origin, io.BytesIO(stdin), out)
    return code, answers_in(out.getvalue())


def answers_in(out: bytes) -> list[Any]:
    answers = []
    while out:
        (length,) = struct.unpack("=I", out[:4])
        answers.append(json.loads(out[4 : 4 + length]))
        out = out[4 + length :]
    return answers


def error_code(answer: Any) -> str:
    return ErrorResponse.model_validate(answer).error.code


def test_the_pinned_extension_gets_port_token_and_console(tmp_path: Path) -> None:
    code, answers = host(tmp_path, ORIGIN)
    assert code == 0 and len(answers) == 1
    answer = PairingAnswer.model_validate(answers[0])
    assert answer.port == 47821 and answer.admin_console is None
    # Made on first use, private, and the one the CLI prints.
    assert answer.token == cli("token", data_dir=tmp_path).stdout.strip()
    assert stat.S_IMODE((tmp_path / "token").stat().st_mode) == 0o600
    # Chrome on Windows adds --parent-window; install may pass the service's ports.
    code, answers = host(
        tmp_path, ORIGIN, "--parent-window=0", "--port", "48001", "--admin-port", "48002"
    )
    assert code == 0
    assert (answers[0]["port"], answers[0]["admin_console"]) == (48001, "http://127.0.0.1:48002")


def test_other_callers_get_no_token(tmp_path: Path) -> None:
    code, answers = host(tmp_path, "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/")
    assert (code, [error_code(a) for a in answers]) == (1, ["origin_not_allowed"])
    for origin in (
        None,
        "",
        f"chrome-extension://{EXTENSION_ID}.evil/",
        f"chrome-extension://{EXTENSION_ID}/x",
        f"moz-extension://{EXTENSION_ID}/",
        f"https://{EXTENSION_ID}/",
        ORIGIN.upper(),
    ):
        code, answers = in_process(tmp_path, origin, frame(PAIRING))
        assert code == 1, origin
        assert [error_code(a) for a in answers] == ["origin_not_allowed"], origin
    assert not (tmp_path / "token").exists()


def test_bad_messages_get_an_error_and_no_token(tmp_path: Path) -> None:
    cases: list[tuple[bytes, list[str], int]] = [
        (frame(b"{not json"), ["bad_message"], 0),
        (frame(b"\xff\xfe"), ["bad_message"], 0),
        (frame(b'{"type": "token"}'), ["unknown_request"], 0),
        (frame(b'{"type": "pairing", "extra": 1}'), ["unknown_request"], 0),
        (frame(b"[]"), ["unknown_request"], 0),
        (struct.pack("=I", 10 * 1024 * 1024), ["bad_message"], 1),  # over the limit
        (struct.pack("=I", 50) + b"{}", ["bad_message"], 1),  # ends inside the body
        (b"\x01\x00", ["bad_message"], 1),  # ends inside the length
    ]
    for stdin, codes, exit_code in cases:
        code, answers = in_process(tmp_path, ORIGIN, stdin)
        assert (code, [error_code(a) for a in answers]) == (exit_code, codes), stdin[:20]
        assert not any("token" in a for a in answers)


def test_several_messages_then_the_end_of_input(tmp_path: Path) -> None:
    code, answers = in_process(
        tmp_path, ORIGIN, frame(PAIRING) + frame(b'{"type": "x"}') + frame(PAIRING)
    )
    assert code == 0
    assert [a.get("type") for a in answers] == ["pairing", None, "pairing"]
    assert answers[0]["token"] == answers[2]["token"]


def test_the_answer_follows_the_running_agent_then_its_last_port(
    tmp_path: Path, seeded_store: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "demo.db").write_bytes(seeded_store.read_bytes())
    admin_port = free_port()
    agent = AgentProcess(data, extra_args=("--admin-port", str(admin_port))).start()
    try:
        _, answers = host(data, ORIGIN)
        running = PairingAnswer.model_validate(answers[0])
        assert running.port == agent.port and running.token == agent.token
        assert running.admin_console == f"http://127.0.0.1:{admin_port}"
    finally:
        agent.stop()
    assert not (data / "agent.json").exists()
    _, answers = host(data, ORIGIN, "--port", "48001")
    assert answers[0]["port"] == agent.port  # where it last served beats the fallback
