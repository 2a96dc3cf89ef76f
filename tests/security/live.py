"""A real agent process for the attack, fuzz and robustness suites.

Like ``tests.support.agent_process.AgentProcess`` but its output goes to a log file (a pipe
nobody reads fills up after a few hundred refusals and stalls the agent), requests go over
``http.client`` or a raw socket so Host, paths and header bytes arrive exactly as written, and
``snapshot`` captures everything a successful attack could change.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import shutil
import socket
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.agent_process import AgentProcess

WRITE_HEADERS = {"Content-Type": "application/json", "X-Callcenter-Api": "1"}


class LiveAgent(AgentProcess):
    """An agent process with raw http.client access for exact requests."""

    def connection(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        conn: http.client.HTTPConnection | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """One authorised API call (write headers added for writes); (status, JSON)."""
        all_headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if method != "GET":
            all_headers |= WRITE_HEADERS
            if body is not None:
                data = json.dumps(body).encode()
        all_headers |= headers or {}
        own = conn is None
        connection = conn or self.connection()
        try:
            connection.request(method, "/api/v1" + path, body=data, headers=all_headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            if own:
                connection.close()
        return response.status, json.loads(raw) if raw else None


def copy_store(seeded_store: Path, data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(seeded_store, data_dir / "demo.db")
    return data_dir


# --- raw HTTP ----------------------------------------------------------------------------------


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    header_names: list[str]
    raw: bytes
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Header = tuple[str, str | bytes]


def send_raw(
    port: int,
    method: str,
    target: str,
    headers: Sequence[Header],
    body: bytes | None = None,
    *,
    chunked: bool = False,
    declared_length: int | None = None,
) -> RawResponse:
    """One request on its own connection, bytes exactly as given; reads until the server closes.

    ``declared_length`` sends that Content-Length without sending a body of that size.
    """
    lines = [f"{method} {target} HTTP/1.1".encode()]
    for name, value in headers:
        lines.append(
            name.encode() + b": " + (value if isinstance(value, bytes) else value.encode("utf-8"))
        )
    lines.append(b"Connection: close")
    payload = body or b""
    if chunked:
        lines.append(b"Transfer-Encoding: chunked")
        pieces = [payload[i : i + 8192] for i in range(0, len(payload), 8192)]
        payload = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
    elif declared_length is not None:
        lines.append(f"Content-Length: {declared_length}".encode())
    elif body is not None:
        lines.append(f"Content-Length: {len(body)}".encode())
    data = b"\r\n".join(lines) + b"\r\n\r\n" + payload
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        with contextlib.suppress(OSError):  # the agent may answer and close before reading all
            sock.sendall(data)
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            received += chunk
            if _complete(received):
                break
    head, _, response_body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    pairs = [line.split(":", 1) for line in header_lines if ":" in line]
    response_headers = {name.strip().lower(): value.strip() for name, value in pairs}
    status = int(status_line.split()[1])
    return RawResponse(
        status,
        response_headers,
        [name.strip() for name, _ in pairs],
        received,
        b"" if status == 101 else response_body,
    )


def _complete(received: bytes) -> bool:
    """A whole response is in (a client need not wait for the server to close)."""
    head, found, body = received.partition(b"\r\n\r\n")
    if not found:
        return False
    if head.startswith(b"HTTP/1.1 101"):
        return True
    match = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
    return match is not None and len(body) >= int(match.group(1))


# --- what an attack could change ---------------------------------------------------------------


def db_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND sql NOT LIKE 'CREATE VIRTUAL%'"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in sorted(tables)
        }
    finally:
        conn.close()


def integrity(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def snapshot(agent: LiveAgent) -> dict[str, Any]:
    """Sessions, preferences, every open tab's drafts and the row counts of both databases."""
    conn = agent.connection()
    try:
        status, sessions = agent.call("GET", "/sessions", conn=conn)
        assert status == 200, sessions
        status, preferences = agent.call("GET", "/preferences", conn=conn)
        assert status == 200, preferences
        drafts = {}
        for session in sessions["sessions"]:
            for tab in session["tabs"]:
                status, tab_drafts = agent.call(
                    "GET", f"/sessions/{session['id']}/tabs/{tab['id']}/drafts", conn=conn
                )
                assert status == 200, tab_drafts
                drafts[tab["id"]] = tab_drafts
    finally:
        conn.close()
    return {
        "sessions": sessions,
        "preferences": preferences,
        "drafts": drafts,
        "demo_rows": db_counts(agent.data_dir / "demo.db"),
        "state_rows": db_counts(agent.data_dir / "state.db"),
    }
