"""A tiny client for the running agent, used by the CLI (stdlib only, loopback only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.config import Config
from agent.data_lock import holder
from agent.handshake import new_nonce, proven

PUBLIC_PATHS = frozenset({"/health", "/handshake"})


@dataclass(frozen=True)
class Runtime:
    pid: int
    host: str
    port: int
    version: str
    admin_port: int | None = None
    started_at: str = ""


class AgentUnreachable(Exception):
    pass


class AnotherProgram(AgentUnreachable):
    """The port answers, but without proof that it knows the token: it never gets the token."""


def _read(path: Path) -> Runtime | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        admin = raw.get("admin_port")
        return Runtime(
            int(raw["pid"]),
            str(raw["host"]),
            int(raw["port"]),
            str(raw["version"]),
            int(admin) if admin is not None else None,
            str(raw.get("started_at", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def read_runtime(config: Config) -> Runtime | None:
    """What the running agent wrote (left behind by a crash, too)."""
    return _read(config.runtime_path)


def read_last_served(config: Config) -> Runtime | None:
    """The last `serve` on this data dir, kept after it stopped."""
    return _read(config.last_served_path)


def agent_port(config: Config) -> int:
    """Where the agent is or was last: the port the running one holds the data dir's lock
    with, else what it wrote, else the port it last served on, else the configured one."""
    running = holder(config.data_dir)
    if running is not None and isinstance(running.get("port"), int):
        return int(running["port"])
    runtime = read_runtime(config) or read_last_served(config)
    return runtime.port if runtime else config.port


class AgentClient:
    def __init__(self, port: int, token: str | None, timeout: float = 3.0) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}/api/v1"
        self.token = token
        self.timeout = timeout
        self.proven = False

    def prove(self, token: str) -> None:
        """Raise AnotherProgram unless the listener proves it knows ``token``."""
        if self.proven:
            return
        nonce = new_nonce()
        status, answer = self._send("GET", f"/handshake?client_nonce={nonce}", None, None)
        if status != 200 or not proven(answer, token, self.port, nonce):
            raise AnotherProgram(
                f"Another program is answering on port {self.port}: it did not prove it knows "
                "the token (or the token file is not the one that agent uses), so the token "
                "was not sent"
            )
        self.proven = True

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        token = None if path.split("?")[0] in PUBLIC_PATHS else self.token
        if token:
            self.prove(token)
        return self._send(method, path, body, token)

    def _send(self, method: str, path: str, body: Any, token: str | None) -> tuple[int, Any]:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if method != "GET":
            headers["X-Callcenter-Api"] = "1"
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                payload = json.loads(exc.read() or b"null")
            except ValueError:
                payload = None
            return exc.code, payload
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise AgentUnreachable(str(getattr(exc, "reason", exc))) from None

    def health(self) -> dict[str, Any] | None:
        try:
            status, body = self.request("GET", "/health")
        except AgentUnreachable:
            return None
        if status == 200 and isinstance(body, dict) and body.get("product") == "callcenter-agent":
            return body
        return None
