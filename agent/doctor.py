"""`callcenter-agent doctor`: every check the agent depends on, each with a fix."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import stat

from agent.backends.base import Check
from agent.client import AgentClient, agent_port
from agent.config import Config
from agent.install import native_hosts
from agent.install.command import command_for
from agent.install.desk import Desk
from agent.install.installer import inspect
from agent.team.diagnose import team_checks
from agent.token import TokenError, read_token


def _data_dir(config: Config) -> Check:
    path = config.data_dir
    if not path.exists():
        return Check("data dir", True, f"{path} will be created on first run")
    writable = os.access(path, os.W_OK | os.X_OK)
    return Check(
        "data dir",
        writable,
        f"{path} {'is writable' if writable else 'is read-only'}",
        f"make {path} writable, or pass --data-dir",
    )


def _token(config: Config) -> Check:
    path = config.token_path
    try:
        token = read_token(path)
    except TokenError as exc:
        return Check("token file", False, str(exc), command_for(config, "token --rotate"))
    if token is None:
        return Check(
            "token file",
            True,
            f"{path} not created yet: the agent makes it when it first starts or pairs",
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    return Check("token file", mode == 0o600, f"{path} mode {mode:o}", f"chmod 600 {path}")


def _port(config: Config, port: int) -> Check:
    client = AgentClient(port, None)
    if client.health() is not None:
        return Check("port", True, f"our agent answers on 127.0.0.1:{port}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return Check(
                "port",
                False,
                f"127.0.0.1:{port} is taken by another program",
                "stop that program or run the agent with --port",
            )
    return Check(
        "port",
        True,
        f"127.0.0.1:{port} is free (agent not running)",
        next=f"start the agent: `{command_for(config, 'serve')}`",
    )


def _token_accepted(config: Config, port: int) -> Check | None:
    try:
        token = read_token(config.token_path)
    except TokenError:
        return None
    client = AgentClient(port, token)
    if client.health() is None:
        return None
    status, _ = client.request("GET", "/info")
    return Check(
        "token accepted",
        status == 200,
        "the running agent accepts the token"
        if status == 200
        else f"the running agent answered {status} to our token",
        "restart the agent after rotating the token",
    )


def _sqlite() -> Check:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')"
        )
        ok, detail = True, f"SQLite {sqlite3.sqlite_version} with FTS5"
    except sqlite3.OperationalError as exc:
        ok, detail = False, f"SQLite {sqlite3.sqlite_version} without FTS5 ({exc})"
    finally:
        conn.close()
    return Check("sqlite", ok, detail, "use a Python whose sqlite3 has FTS5 (python.org builds do)")


def _database(name: str, path: os.PathLike[str] | str, fix: str) -> Check:
    if not os.path.exists(path):
        return Check(name, True, f"{path} not created yet")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Check(name, False, f"{path}: {exc}", fix)
    return Check(name, result == "ok", f"{path}: {result}", fix)


def _backend(config: Config) -> list[Check]:
    if config.backend == "kibo":
        from agent.backends.kibo.diagnose import doctor_checks

        return asyncio.run(doctor_checks(config.kibo))
    if config.backend != "demo":
        return [
            Check(
                "backend",
                False,
                f"backend '{config.backend}' is not available yet",
                'set [backend] kind = "demo" in config.toml',
            )
        ]
    if not config.demo_db_path.exists():
        return [
            Check(
                "demo store",
                True,
                "not seeded yet: created on first `serve` (or run `callcenter-agent seed`)",
            )
        ]
    from agent.backends.demo.backend import DemoBackend

    async def run() -> list[Check]:
        backend = DemoBackend(config.demo_db_path)
        try:
            return await backend.checks()
        finally:
            await backend.close()

    try:
        return asyncio.run(run())
    except sqlite3.Error as exc:
        return [Check("demo store", False, str(exc), "callcenter-agent seed --force")]


def _installed(config: Config) -> list[Check]:
    desk = Desk.this()
    found = inspect(desk)
    install = f"`{command_for(config, 'install')}` starts the agent at login and pairs the browser"
    if found.autostart is None:
        autostart = Check("start at login", True, "not installed", next=install)
    else:
        failed = found.autostart_state == "failed"
        state = f" ({found.autostart_state})" if found.autostart_state else ""
        autostart = Check(
            "start at login",
            not failed,
            f"{found.autostart}{state}",
            "see `journalctl --user -u callcenter-agent`, fix, then "
            "`systemctl --user restart callcenter-agent`",
        )
    if not found.browsers:
        return [
            autostart,
            Check("browser pairing", True, "native host not registered", next=install),
        ]
    launcher = native_hosts.launcher_path(desk)
    usable = os.access(launcher, os.X_OK) or (desk.system == "windows" and os.path.exists(launcher))
    return [
        autostart,
        Check(
            "browser pairing",
            usable,
            f"native messaging host for {', '.join(found.browsers)}"
            + ("" if usable else f", but its launcher {launcher} is missing"),
            f"`{command_for(config, 'install')}` again",
        ),
    ]


def run_checks(config: Config, port: int | None = None) -> list[Check]:
    port = port or agent_port(config)
    checks = [
        _data_dir(config),
        Check(
            "config",
            True,
            f"{config.config_path}" + ("" if config.config_path.exists() else " (defaults)"),
        ),
        _token(config),
        _port(config, port),
    ]
    accepted = _token_accepted(config, port)
    if accepted is not None:
        checks.append(accepted)
    checks += [
        _sqlite(),
        _database(
            "state database",
            config.state_db_path,
            f"move {config.state_db_path} aside; the agent starts a new one",
        ),
    ]
    checks += _backend(config)
    checks += team_checks(config)
    checks += _installed(config)
    return checks
