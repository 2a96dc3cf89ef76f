"""A tiny client for the running agent, used by the CLI (stdlib only, loopback only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from agent.config import Config


@dataclass(frozen=True)
class Runtime:
    pid: int
    host: str
    port: int
    version: str


class AgentUnreachable(Exception):
    pass


def read_runtime(config: Config) -> Runtime | None:
    try:
        raw = json.loads(config.runtime_path.read_text(encoding="utf-8"))
        return Runtime(int(raw["pid"]), str(raw["host"]), int(raw["port"]), str(raw["version"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def agent_port(config: Config) -> int:
    runtime = read_runtime(config)
    return runtime.port if runtime else config.port


class AgentClient:
    def __init__(self, port: int, token: str | None, timeout: float = 3.0) -> None:
        self.base = f"http://127.0.0.1:{port}/api/v1"
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
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
