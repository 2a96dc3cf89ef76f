"""callcenter-agent: run the local agent and look after it."""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any

from agent import __version__
from agent.cli_status import client_for, status, token_refused
from agent.client import AgentClient, AgentUnreachable
from agent.config import ENV_DATA_DIR, Config, ConfigError, load_config
from agent.file_modes import private_umask
from agent.install import cli as install_cli
from agent.install.command import command_for
from agent.token import TokenError, ensure_token


class CliError(Exception):
    """A problem the user can fix; printed as one line."""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help=f"where the agent keeps its data (env {ENV_DATA_DIR})")
    parser.add_argument(
        "--config-dir",
        help="where config.toml and the token live "
        "(default: the data dir when --data-dir is given)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callcenter-agent", description="The local agent behind the Call Center side panel."
    )
    parser.add_argument("--version", action="version", version=f"callcenter-agent {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = sub.add_parser("serve", help="run the agent in the foreground")
    _common(serve)
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 47821; 0 = any)")
    serve.add_argument("--backend", choices=("demo", "kibo"), help="commerce backend")
    serve.add_argument(
        "--admin-port",
        type=int,
        metavar="PORT",
        help="also serve the read-only demo admin console on this loopback "
        "port (demo backend only; off unless given; 0 = any)",
    )
    serve.add_argument(
        "--allow-remote", action="store_true", help="allow a non-loopback --host (not recommended)"
    )

    token = sub.add_parser("token", help="print the pairing token")
    _common(token)
    token.add_argument(
        "--rotate", action="store_true", help="make a new token (paired panels must paste it again)"
    )

    for name, text in (
        ("status", "is the agent up, where, with what"),
        ("doctor", "check everything the agent needs, with a fix for each"),
    ):
        cmd = sub.add_parser(name, help=text)
        _common(cmd)
        cmd.add_argument("--port", type=int, help="port of the agent to ask")

    kibo_check = sub.add_parser(
        "kibo-check",
        help="read-only: try every read and search form on the configured Kibo tenant",
    )
    _common(kibo_check)

    sessions = sub.add_parser("sessions", help="list or close the open call sessions")
    _common(sessions)
    sessions_sub = sessions.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sessions_sub.add_parser("list", help="list open sessions")
    _common(listing)
    listing.add_argument("--json", action="store_true", help="print JSON")
    close = sessions_sub.add_parser("close", help="close a session")
    _common(close)
    close.add_argument("session_id", metavar="ID")

    search = sub.add_parser("search", help="search the store from the terminal")
    _common(search)
    search.add_argument("kind", choices=("customers", "orders", "returns"))
    search.add_argument("query", nargs="?", default="")
    search.add_argument("--page-size", type=int, default=10)
    search.add_argument("--json", action="store_true", help="print the API answer as JSON")

    report = sub.add_parser("report", help="a CSR's day: calls, handle time, dispositions")
    _common(report)
    report.add_argument("--day", help="the day, YYYY-MM-DD (UTC); today when not given")
    report.add_argument("--csv", action="store_true", help="one CSV row per call")

    seed = sub.add_parser("seed", help="create the demo store")
    _common(seed)
    seed.add_argument(
        "--scale",
        choices=("small", "large"),
        default="small",
        help="small: 500 customers/3,000 orders; large: 200k/1M",
    )
    seed.add_argument("--force", action="store_true", help="rebuild an existing store")
    install_cli.add_parsers(sub, _common)
    return parser


def _config(args: argparse.Namespace, **overrides: Any) -> Config:
    return load_config(
        getattr(args, "data_dir", None), getattr(args, "config_dir", None), **overrides
    )


def _token_hint(args: argparse.Namespace, config: Config) -> str:
    return command_for(config, "token")


def cmd_serve(args: argparse.Namespace) -> int:
    from agent.serve import serve

    config = _config(args, host=args.host, port=args.port, backend=args.backend)
    if args.admin_port is not None and not 0 <= args.admin_port <= 65535:
        raise ConfigError(f"admin port {args.admin_port} is out of range (0-65535)")
    serve(
        config,
        allow_remote=args.allow_remote,
        token_hint=_token_hint(args, config),
        admin_port=args.admin_port,
    )
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    config = _config(args)
    token = ensure_token(config.token_path, rotate=args.rotate)
    print(token)
    if args.rotate:
        print(
            "New token written; a running agent refuses the old one from now on. "
            "Paste it into the panel's settings to pair again.",
            file=sys.stderr,
        )
    return 0


def _client(config: Config, port: int | None = None) -> AgentClient:
    return client_for(config, port)


def cmd_status(args: argparse.Namespace) -> int:
    return status(_config(args), args.port)


def cmd_doctor(args: argparse.Namespace) -> int:
    from agent.doctor import run_checks

    try:
        config = _config(args)
    except ConfigError as exc:
        print(f"✗ configuration — {exc}")
        return 1
    checks = run_checks(config, args.port)
    for check in checks:
        mark = "✓" if check.ok else "✗"
        line = f"{mark} {check.name} — {check.detail}"
        if not check.ok and check.fix:
            line += f"\n    fix: {check.fix}"
        print(line)
    failed = sum(not c.ok for c in checks)
    steps = list(dict.fromkeys(c.next for c in checks if c.ok and c.next))
    if steps:
        print("\nNext:")
        for step in steps:
            print(f"  - {step}")
    print(f"\n{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_kibo_check(args: argparse.Namespace) -> int:
    from agent.backends.kibo.kibo_check import check_tenant

    config = _config(args)
    print(f"Kibo tenant {config.kibo.tenant}, site {config.kibo.site or '(from the host)'}:")
    results = asyncio.run(check_tenant(config.kibo))
    marks = {"ok": "✓", "failed": "✗", "skipped": "–"}
    for probe in results:
        print(f"{marks[probe.status]} {probe.name} — {probe.detail}")
    counts = {status: sum(p.status == status for p in results) for status in marks}
    print(f"\n{counts['ok']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    return 1 if counts["failed"] else 0


def _with_store(config: Config, fn: Callable[[Any], Any]) -> Any:
    from agent.sessions.store import SessionStore

    store = SessionStore(config.state_db_path)
    try:
        return fn(store)
    finally:
        store.close()


def cmd_sessions(args: argparse.Namespace) -> int:
    config = _config(args)
    client = _client(config)
    live = client.health() is not None
    if args.action == "list":
        if live:
            code, state = client.request("GET", "/sessions")
            if code == 401:
                raise CliError(token_refused(config, client.port))
            if code != 200:
                raise CliError(state.get("error", {}).get("message", f"HTTP {code}"))
        else:
            state = _with_store(config, lambda s: s.state().model_dump(mode="json"))
        if args.json:
            print(json.dumps(state, indent=2))
            return 0
        if not state["sessions"]:
            print("No open sessions.")
        for session in state["sessions"]:
            mark = "*" if session["id"] == state["active_session_id"] else " "
            tabs = ", ".join(t["title"] for t in session["tabs"])
            print(f"{mark} {session['id']}  {session['title']}  [{tabs}]")
        return 0
    if live:
        code, body = client.request("DELETE", f"/sessions/{args.session_id}")
        if code == 401:
            raise CliError(token_refused(config, client.port))
        if code != 200:
            raise CliError(body.get("error", {}).get("message", f"HTTP {code}"))
    else:
        _with_store(config, lambda s: s.close_session(args.session_id))
    print(f"Closed session {args.session_id}.")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from agent.backends.factory import open_backend
    from agent.search.catalog import CATALOG
    from agent.search.params import parse_search_request

    config = _config(args)
    catalog = CATALOG[args.kind]
    request = parse_search_request(catalog, {"q": [args.query], "page_size": [str(args.page_size)]})

    async def run() -> Any:
        backend = open_backend(config)
        try:
            return await backend.search(catalog.kind, request)
        finally:
            await backend.close()

    result = asyncio.run(run())
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    from agent.cli_table import print_results

    print_results(result)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import datetime as dt

    from agent.cli_report import report_csv, report_text

    try:
        day = dt.date.fromisoformat(args.day) if args.day else dt.datetime.now(dt.UTC).date()
    except ValueError:
        raise CliError(f"--day {args.day!r} is not a date (YYYY-MM-DD)") from None
    report = _with_store(_config(args), lambda s: s.day_report(day))
    print(report_csv(report) if args.csv else report_text(report), end="")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from agent.backends.demo.seed import remove_stale_seeding, seed_store, store_is_seeded
    from agent.data_lock import DataDirBusy, DataDirLock, describe

    config = _config(args)
    path = config.demo_db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    if store_is_seeded(path) and not args.force:
        print(f"The demo store at {path} already exists; pass --force to rebuild it.")
        return 0
    # Held while seeding: an agent cannot start on a half-replaced store, nor seed run under one.
    try:
        lock = DataDirLock.acquire(config.data_dir, doing="seeding")
    except DataDirBusy as busy:
        raise CliError(
            f"an agent is using {config.data_dir} ({describe(busy.info)}): stop it first, then "
            "seed; replacing its store under it would lose the writes it acknowledges"
        ) from None
    try:
        for stale in remove_stale_seeding(path):
            print(f"Removed {stale}, left by a seed that was killed.")
        report = seed_store(
            path,
            args.scale,
            seed=config.demo_seed,
            progress=sys.stderr.isatty() or args.scale == "large",
        )
    finally:
        lock.release()
    print(
        f"Seeded {path}: {report.customers:,} customers, {report.orders:,} orders, "
        f"{report.returns:,} returns in {report.seconds:.1f} s."
    )
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": cmd_serve,
    "token": cmd_token,
    "status": cmd_status,
    "doctor": cmd_doctor,
    "kibo-check": cmd_kibo_check,
    "sessions": cmd_sessions,
    "search": cmd_search,
    "report": cmd_report,
    "seed": cmd_seed,
    **install_cli.COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    private_umask()  # every file a command creates is the user's alone
    from agent.errors import ApiError
    from agent.serve import ServeError
    from agent.sessions.store import StateStoreError

    try:
        return COMMANDS[args.command](args)
    except (ConfigError, TokenError, ServeError, StateStoreError, CliError) as exc:
        print(f"callcenter-agent: error: {exc}", file=sys.stderr)
        return 2
    except ApiError as exc:
        print(f"callcenter-agent: error: {exc.message}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:
        print(f"callcenter-agent: error: database problem: {exc}", file=sys.stderr)
        return 2
    except AgentUnreachable as exc:
        print(f"callcenter-agent: error: cannot reach the agent: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"callcenter-agent: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
