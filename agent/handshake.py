"""The handshake that proves an agent knows the pairing token before a client sends it.

The client sends a fresh ``client_nonce`` to the public ``GET /handshake``; the agent answers
its own ``server_nonce`` and ``proof``, an HMAC-SHA256 under the token of both nonces and the
port it listens on (so a program squatting one port cannot relay the question to a real agent
on another). Only when the proof checks out does the client send ``Authorization``
(docs/security.md, "port squatting"). Stdlib only: the CLI client uses it too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "callcenter-handshake-v1"
NONCE_PATTERN = r"[A-Za-z0-9_-]{16,64}"


def proof(token: str, port: int, client_nonce: str, server_nonce: str) -> str:
    message = f"{PREFIX}|{port}|{client_nonce}|{server_nonce}"
    return hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()


def token_id(token: str) -> str:
    """A public fingerprint of the token: lets a client tell "this agent holds another token"
    (rotated) from "no proof at all", and reveals nothing usable about the token."""
    return hashlib.sha256(f"callcenter-token-id|{token}".encode()).hexdigest()[:16]


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def proven(answer: object, token: str, port: int, client_nonce: str) -> bool:
    """Whether ``answer`` (the JSON of /handshake) proves knowledge of ``token``."""
    if not isinstance(answer, dict) or answer.get("product") != "callcenter-agent":
        return False
    server_nonce, given = answer.get("server_nonce"), answer.get("proof")
    if not isinstance(server_nonce, str) or not isinstance(given, str) or len(server_nonce) > 128:
        return False
    return hmac.compare_digest(given, proof(token, port, client_nonce, server_nonce))
