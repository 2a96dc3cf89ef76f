"""`callcenter-agent native-host`: Chrome's native messaging host that pairs the panel.

Chrome (Chromium, Edge) starts it for the extension, passes the caller's origin as the first
argument and talks over stdin/stdout: each message is UTF-8 JSON after its length as a 32-bit
unsigned integer in native byte order. The host answers a ``PairingRequest`` with the agent's
port, token and demo admin console (``PairingAnswer``), and anything else with an
``ErrorResponse``; it stops at the end of its input.

Who may ask: Chrome starts the host only for the origins its manifest allows (the pinned
extension), and the host itself answers with the token only when the origin it was given is
one the agent allows (docs/security.md, "Pairing through native messaging").
"""

from __future__ import annotations

import json
import os
import struct
import sys
from typing import Any, BinaryIO

from pydantic import ValidationError

from agent import __version__
from agent.client import read_last_served, read_runtime
from agent.config import Config
from agent.token import TokenError, ensure_token
from shared_schema.common import ErrorBody, ErrorResponse
from shared_schema.pairing import PairingAnswer, PairingRequest

LENGTH = struct.Struct("=I")  # native byte order, standard size
MAX_REQUEST = 64 * 1024  # a pairing request is a few bytes; Chrome allows far more


class ProtocolError(Exception):
    """The input is not native messaging: answered once, then the host stops."""


def read_message(stream: BinaryIO) -> bytes | None:
    """One message's bytes, None at the end of the input."""
    head = stream.read(LENGTH.size)
    if not head:
        return None
    if len(head) < LENGTH.size:
        raise ProtocolError("the input ended inside a message length")
    (length,) = LENGTH.unpack(head)
    if length > MAX_REQUEST:
        raise ProtocolError(f"a message of {length} bytes is over the {MAX_REQUEST} byte limit")
    body = stream.read(length)
    if len(body) < length:
        raise ProtocolError(f"the input ended after {len(body)} of {length} bytes")
    return body


def write_message(stream: BinaryIO, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    stream.write(LENGTH.pack(len(body)) + body)
    stream.flush()


def error(code: str, message: str, **details: Any) -> dict[str, Any]:
    return ErrorResponse(error=ErrorBody(code=code, message=message, details=details)).model_dump(
        mode="json"
    )


def origin_allowed(config: Config, origin: str | None) -> bool:
    return origin is not None and origin.rstrip("/") in config.allowed_origins


def pairing(config: Config, default_admin_port: int | None = None) -> PairingAnswer:
    """Where the agent is (running), or was last, or will be; its token (made now if the
    agent never ran, as `callcenter-agent token` would)."""
    runtime = read_runtime(config) or read_last_served(config)
    port = runtime.port if runtime else config.port
    admin = runtime.admin_port if runtime else default_admin_port
    return PairingAnswer(
        type="pairing",
        product="callcenter-agent",
        version=__version__,
        port=port,
        token=ensure_token(config.token_path),
        admin_console=f"http://127.0.0.1:{admin}" if admin else None,
    )


def answer(config: Config, raw: bytes, default_admin_port: int | None = None) -> dict[str, Any]:
    try:
        message = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return error("bad_message", f"The message is not UTF-8 JSON: {exc}")
    try:
        PairingRequest.model_validate(message)
    except ValidationError:
        kind = message.get("type") if isinstance(message, dict) else None
        return error(
            "unknown_request",
            'The native host answers {"type": "pairing"} only',
            type=kind if isinstance(kind, str) else None,
        )
    try:
        return pairing(config, default_admin_port).model_dump(mode="json")
    except (TokenError, OSError) as exc:
        return error("token_unavailable", f"The agent's token cannot be read or made: {exc}")


def serve_stdio(
    config: Config,
    origin: str | None,
    stdin: BinaryIO,
    stdout: BinaryIO,
    default_admin_port: int | None = None,
) -> int:
    if not origin_allowed(config, origin):
        write_message(
            stdout,
            error(
                "origin_not_allowed",
                "This host pairs the Call Center extension only",
                origin=origin,
            ),
        )
        return 1
    while True:
        try:
            raw = read_message(stdin)
        except ProtocolError as exc:
            write_message(stdout, error("bad_message", str(exc)))
            return 1
        if raw is None:
            return 0
        write_message(stdout, answer(config, raw, default_admin_port))


def run(config: Config, origin: str | None, default_admin_port: int | None = None) -> int:
    if sys.platform == "win32":  # pragma: no cover - the C runtime would translate newlines
        import msvcrt

        for stream in (sys.stdin, sys.stdout):
            msvcrt.setmode(stream.fileno(), os.O_BINARY)
    return serve_stdio(config, origin, sys.stdin.buffer, sys.stdout.buffer, default_admin_port)
