"""The CLI's install, uninstall and native-host commands (agent/install/installer.py)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

from agent.config import ENV_CONFIG_DIR, ENV_DATA_DIR, Config, ConfigError, load_config
from agent.install.command import command_for
from agent.install.desk import Desk
from agent.install.installer import Placement, install, uninstall
from agent.token import ensure_token

DEMO_ADMIN_PORT = 47822


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    cmd = sub.add_parser(
        "install",
        help="start the agent at login and let the browser pair with it (this user only)",
    )
    common(cmd)
    cmd.add_argument("--port", type=int, help="port the agent listens on (default from config)")
    cmd.add_argument(
        "--admin-port",
        type=int,
        metavar="PORT",
        help=f"port of the read-only demo admin console (demo backend; default {DEMO_ADMIN_PORT})",
    )
    cmd.add_argument(
        "--no-admin-console", action="store_true", help="do not serve the demo admin console"
    )
    cmd = sub.add_parser("uninstall", help="undo `install` (keeps the data and the token)")
    common(cmd)
    cmd = sub.add_parser(
        "native-host",
        help="the browser's native messaging host (started by Chrome, not by hand)",
    )
    common(cmd)
    cmd.add_argument("origin", nargs="?", help="the calling extension's origin (Chrome adds it)")
    # What `install` gave the service, for the answer before the agent ever served.
    cmd.add_argument("--port", type=int, help=argparse.SUPPRESS)
    cmd.add_argument("--admin-port", type=int, help=argparse.SUPPRESS)
    cmd.add_argument("--parent-window", help=argparse.SUPPRESS)  # Chrome adds it on Windows


def _placement(args: argparse.Namespace, config: Config) -> Placement:
    """Bake the dirs in when they were chosen (flag or environment): the service and the
    browser start the agent without this shell's environment."""
    chose_dirs = bool(args.data_dir or args.config_dir or os.environ.get(ENV_DATA_DIR))
    chose_config = bool(args.config_dir or os.environ.get(ENV_CONFIG_DIR))
    return Placement(
        data_dir=config.data_dir if chose_dirs else None,
        config_dir=config.config_dir if chose_config else None,
        port=getattr(args, "port", None),
        admin_port=getattr(args, "admin_port", None),
    )


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.data_dir, args.config_dir)


def cmd_install(args: argparse.Namespace) -> int:
    config = _config(args)
    for port in (args.port, args.admin_port):
        if port is not None and not 1 <= port <= 65535:
            raise ConfigError(f"port {port} is out of range (1-65535)")
    if args.admin_port is not None and config.backend != "demo":
        raise ConfigError("--admin-port serves the demo admin console: demo backend only")
    if config.backend == "demo" and not args.no_admin_console and args.admin_port is None:
        args.admin_port = DEMO_ADMIN_PORT  # as `make run` does
    if args.no_admin_console:
        args.admin_port = None
    ensure_token(config.token_path)  # the service and the browser's host read the same one
    for line in install(Desk.this(), _placement(args, config), config.allowed_origins):
        print(line)
    print(
        "Next: load the extension in Chrome or Edge (or have IT deploy it, docs/deploy.md): "
        "its panel asks the native host for the port and token and connects by itself. "
        f"`{command_for(config, 'status')}` tells whether the agent runs."
    )
    return 0


def cmd_uninstall(args: argparse.Namespace) -> int:
    config = _config(args)
    for line in uninstall(Desk.this()):
        print(line)
    print(f"Kept the data and the token in {config.data_dir} and {config.config_dir}.")
    return 0


def cmd_native_host(args: argparse.Namespace) -> int:
    from agent.native_host import run

    config = _config(args)
    if args.port is not None:
        config = config.with_overrides(port=args.port)
    return run(config, args.origin, default_admin_port=args.admin_port)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "install": cmd_install,
    "uninstall": cmd_uninstall,
    "native-host": cmd_native_host,
}
