"""Run the agent in the foreground until Ctrl+C or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import errno
import json
import logging
import os
import signal
import socket
import sys

from aiohttp import web

from agent import __version__
from agent.app import create_app
from agent.config import Config, ConfigError, is_loopback
from agent.security import RedactingAccessLogger

log = logging.getLogger("agent")


class ServeError(Exception):
    pass


def check_data_dir(config: Config) -> None:
    for directory in (config.data_dir, config.config_dir):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            probe = directory / ".write-test"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise ServeError(
                f"cannot write to {directory} ({exc.strerror}); pass a writable --data-dir "
                f"or fix its permissions") from None


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # Lets a restarted agent take its port back while old connections sit in TIME_WAIT; on
    # Linux and macOS it does not let two listeners share the port.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is already in use: is another agent running? "
                f"Try `callcenter-agent status`, or pass --port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _write_runtime(config: Config, port: int) -> None:
    info = {"pid": os.getpid(), "host": config.host, "port": port, "version": __version__,
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    tmp = config.runtime_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(info), encoding="utf-8")
    tmp.replace(config.runtime_path)


def _clear_runtime(config: Config) -> None:
    with contextlib.suppress(OSError):
        raw = json.loads(config.runtime_path.read_text(encoding="utf-8"))
        if raw.get("pid") == os.getpid():
            config.runtime_path.unlink()


async def _serve(config: Config, sock: socket.socket, token_hint: str) -> None:
    app = create_app(config)
    runner = web.AppRunner(app, handle_signals=False, access_log_class=RedactingAccessLogger,
                           access_log=logging.getLogger("agent.access"))
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    port = sock.getsockname()[1]
    _write_runtime(config, port)
    print(f"Call Center agent {__version__} listening on http://{config.host}:{port} "
          f"(backend: {config.backend}, data: {config.data_dir})", flush=True)
    print(f"Pair the extension with the token printed by: {token_hint}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        print("Stopping the agent…", flush=True)
        await runner.cleanup()
        _clear_runtime(config)


def serve(config: Config, *, allow_remote: bool = False,
          token_hint: str = "callcenter-agent token") -> None:
    if not is_loopback(config.host):
        if not allow_remote:
            raise ConfigError(
                f"refusing to listen on {config.host}: the agent serves customer data and "
                "binds to loopback only (pass --allow-remote to override, at your own risk)")
        log.warning("listening on %s: other machines can reach this agent", config.host)
    check_data_dir(config)
    sock = _bind(config.host, config.port)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(_serve(config, sock, token_hint))
    finally:
        sock.close()
