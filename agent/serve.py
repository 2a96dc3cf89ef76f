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
from agent.admin_console import create_admin_app
from agent.api.common import BACKEND, REDACTOR
from agent.app import create_app
from agent.config import Config, ConfigError, is_loopback
from agent.connection_guard import (
    ACCEPT_BATCH,
    LISTEN_BACKLOG,
    ConnectionGuard,
    cap_for,
    raise_fd_limit,
)
from agent.data_lock import DataDirBusy, DataDirLock, describe
from agent.file_modes import private_umask, tighten
from agent.parse_errors import quiet_parse_errors
from agent.redact import RedactingLogFilter
from agent.security import MalformedRequestLogFilter, RedactingAccessLogger

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
                f"or fix its permissions"
            ) from None


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
                f"Try `callcenter-agent status`, or pass --port"
            ) from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(LISTEN_BACKLOG)
    sock.setblocking(False)
    return sock


def _write_runtime(config: Config, port: int, admin_port: int | None) -> None:
    """agent.json while running; last-served.json stays after a stop (status, native host)."""
    info = {
        "pid": os.getpid(),
        "host": config.host,
        "port": port,
        "admin_port": admin_port,
        "version": __version__,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    for path in (config.runtime_path, config.last_served_path):
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(info), encoding="utf-8")
        tmp.replace(path)


def _clear_runtime(config: Config) -> None:
    with contextlib.suppress(OSError):
        raw = json.loads(config.runtime_path.read_text(encoding="utf-8"))
        if raw.get("pid") == os.getpid():
            config.runtime_path.unlink()


async def _start_admin(
    app: web.Application, sock: socket.socket, guard: ConnectionGuard
) -> web.AppRunner:
    """The demo admin console on its own port, over the API's backend (agent/admin_console)."""
    port = sock.getsockname()[1]
    runner = web.AppRunner(
        create_admin_app(app[BACKEND], port=port),
        handle_signals=False,
        access_log_class=RedactingAccessLogger,
        access_log=logging.getLogger("agent.admin"),
    )
    await runner.setup()
    assert runner.server is not None
    quiet_parse_errors(runner.server)
    guard.install(runner.server)
    await web.SockSite(runner, sock, backlog=ACCEPT_BATCH).start()
    sock.listen(LISTEN_BACKLOG)  # asyncio listened with its accept batch
    return runner


def take_data_dir(config: Config) -> DataDirLock:
    try:
        return DataDirLock.acquire(config.data_dir)
    except DataDirBusy as busy:
        raise ServeError(
            f"another agent already serves {config.data_dir} ({describe(busy.info)}); "
            "stop it first (`callcenter-agent status` shows it) or pass another --data-dir"
        ) from None


async def _serve(
    config: Config,
    sock: socket.socket,
    token_hint: str,
    admin_sock: socket.socket | None = None,
    lock: DataDirLock | None = None,
    fd_limit: int | None = None,
) -> None:
    admin_url = None
    if admin_sock is not None:
        admin_host, admin_port = admin_sock.getsockname()[:2]
        admin_url = (
            f"http://{'[' + admin_host + ']' if ':' in admin_host else admin_host}:{admin_port}"
        )
    app = create_app(config, admin_url=admin_url)
    # After the stores opened: a file the agent refuses (not ours, damaged) is left untouched.
    tighten((config.data_dir, config.config_dir))
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingLogFilter(app[REDACTOR]))
    guard = ConnectionGuard(cap_for(fd_limit))
    guard.watch(app)
    runner = web.AppRunner(
        app,
        handle_signals=False,
        access_log_class=RedactingAccessLogger,
        access_log=logging.getLogger("agent.access"),
    )
    await runner.setup()
    log.info("open-files limit %s: at most %d connections at once", fd_limit, guard.cap)
    assert runner.server is not None
    quiet_parse_errors(runner.server)
    guard.install(runner.server)
    guarding = asyncio.create_task(guard.run())
    site = web.SockSite(runner, sock, backlog=ACCEPT_BATCH)
    await site.start()
    sock.listen(LISTEN_BACKLOG)  # asyncio listened with its accept batch
    admin = await _start_admin(app, admin_sock, guard) if admin_sock is not None else None
    port = sock.getsockname()[1]
    if lock is not None:
        lock.record(port=port)
    _write_runtime(config, port, admin_sock.getsockname()[1] if admin_sock else None)
    print(
        f"Call Center agent {__version__} listening on http://{config.host}:{port} "
        f"(backend: {config.backend}, data: {config.data_dir})",
        flush=True,
    )
    if admin_sock is not None:
        host, admin_port = admin_sock.getsockname()[:2]
        print(f"Demo admin console (read-only) on http://{host}:{admin_port}/", flush=True)
    print(f"Pair the extension with the token printed by: {token_hint}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        print("Stopping the agent…", flush=True)
        guarding.cancel()
        if admin is not None:
            await admin.cleanup()
        await runner.cleanup()
        _clear_runtime(config)


def serve(
    config: Config,
    *,
    allow_remote: bool = False,
    token_hint: str = "callcenter-agent token",
    admin_port: int | None = None,
) -> None:
    """``admin_port``: also serve the demo admin console there (demo backend only; 0 = any)."""
    if not is_loopback(config.host):
        if not allow_remote:
            raise ConfigError(
                f"refusing to listen on {config.host}: the agent serves customer data and "
                "binds to loopback only (pass --allow-remote to override, at your own risk)"
            )
        log.warning("listening on %s: other machines can reach this agent", config.host)
    if admin_port is not None and config.backend != "demo":
        raise ServeError(
            "--admin-port serves the demo admin console, which needs the demo "
            "backend; with Kibo use Kibo's own admin"
        )
    private_umask()
    fd_limit = raise_fd_limit()
    check_data_dir(config)
    lock = take_data_dir(config)
    try:
        sock = _bind(config.host, config.port)
    except ServeError:
        lock.release()
        raise
    try:
        # Loopback only, even under --allow-remote: it takes no token.
        admin_host = config.host if is_loopback(config.host) else "127.0.0.1"
        admin_sock = None if admin_port is None else _bind(admin_host, admin_port)
    except ServeError:
        sock.close()
        lock.release()
        raise
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("aiohttp.server").addFilter(MalformedRequestLogFilter())
    try:
        asyncio.run(_serve(config, sock, token_hint, admin_sock, lock, fd_limit))
    finally:
        sock.close()
        lock.release()
        if admin_sock is not None:
            admin_sock.close()
