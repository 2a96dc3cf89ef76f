"""A program squatting the agent's port: answers /health like the agent, records every request.

It knows no token, so its /handshake answer (a made-up proof, or a 404) cannot prove anything.
``seen`` keeps every request's path and headers, to assert the token never reached it.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

HEALTH = {"status": "ok", "product": "callcenter-agent", "api_version": 1, "version": "0.1.0"}


class Impostor:
    def __init__(self, port: int, answer_handshake: bool = True) -> None:
        self.seen: list[tuple[str, dict[str, str]]] = []
        impostor = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                impostor.seen.append((self.path, dict(self.headers.items())))
                path = self.path.split("?")[0]
                body: Any = {"error": {"code": "not_found", "message": "", "details": {}}}
                status = 404
                if path == "/api/v1/health":
                    body, status = HEALTH, 200
                elif path == "/api/v1/handshake" and answer_handshake:
                    body = {
                        "product": "callcenter-agent",
                        "server_nonce": "x" * 22,
                        "proof": "0" * 64,
                    }
                    status = 200
                elif path == "/api/v1/info":
                    body = {"error": {"code": "unauthorized", "message": "", "details": {}}}
                    status = 401
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_PUT = do_DELETE = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = port

    def __enter__(self) -> Self:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def got(self, token: str) -> list[str]:
        """Requests that carried any 8-character piece of ``token``."""
        pieces = [token[i : i + 8] for i in range(len(token) - 7)]
        return [
            path
            for path, headers in self.seen
            if any(p in path or p in json.dumps(headers) for p in pieces)
        ]
