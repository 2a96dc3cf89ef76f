"""Run a real agent process on a free loopback port with its own data dir."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(
    *args: str, data_dir: Path | None = None, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "agent", *args]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    full_env = {**os.environ, **(env or {})}
    full_env.pop("CALLCENTER_AGENT_DATA_DIR", None)
    full_env.pop("CALLCENTER_AGENT_CONFIG_DIR", None)
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=full_env,
        check=False,
    )


class AgentProcess:
    """`callcenter-agent serve` as a child process, restartable on the same data dir.

    Its output goes to a log file next to the data dir: a pipe nobody reads would fill up and
    stall the agent during a long test.
    """

    def __init__(
        self, data_dir: Path, port: int | None = None, extra_args: tuple[str, ...] = ()
    ) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.extra_args = extra_args
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir.parent / f"agent-{data_dir.name}-{self.port}.log"
        self._token: str | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    @property
    def token(self) -> str:
        """Read through the CLI, as a CSR would (`callcenter-agent token`)."""
        if self._token is None:
            result = cli("token", data_dir=self.data_dir)
            assert result.returncode == 0, result.stderr
            self._token = result.stdout.strip()
        return self._token

    def rotate_token(self) -> str:
        """`callcenter-agent token --rotate`; a running agent refuses the old token at once."""
        result = cli("token", "--rotate", data_dir=self.data_dir)
        assert result.returncode == 0, result.stderr
        self._token = result.stdout.strip()
        return self._token

    def log_text(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def start(self, timeout: float = 60, preexec_fn: Callable[[], None] | None = None) -> Self:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CALLCENTER_AGENT_")}
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "agent",
                    "serve",
                    "--data-dir",
                    str(self.data_dir),
                    "--port",
                    str(self.port),
                    *self.extra_args,
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=preexec_fn,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"agent exited with {self.proc.returncode}: {self.log_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=1) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.03)
        self.kill()
        raise RuntimeError("agent did not answer /health in time")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self) -> None:
        """kill -9."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        all_headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if method != "GET":
            all_headers |= {"Content-Type": "application/json", "X-Callcenter-Api": "1"}
            data = json.dumps(body if body is not None else {}).encode()
        all_headers |= headers or {}
        req = urllib.request.Request(
            self.base + path, data=data, method=method, headers=all_headers
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")
