"""`callcenter-agent status`: is the agent up, where, with what, and is it installed to start
at login and pair the browser. Also the words for a refused token, shared with `sessions`."""

from __future__ import annotations

from agent.client import AgentClient, AnotherProgram, agent_port, read_last_served
from agent.config import Config
from agent.install.command import command_for
from agent.install.desk import Desk
from agent.install.installer import inspect
from agent.token import TokenError, read_token


def client_for(config: Config, port: int | None = None) -> AgentClient:
    try:
        token = read_token(config.token_path)
    except TokenError:
        token = None
    return AgentClient(port or agent_port(config), token)


def token_refused(config: Config, port: int | str) -> str:
    return (
        f"the agent on port {port} refused the token in {config.token_path} "
        "(is another program answering there, or was the token file replaced?)"
    )


def installed_lines(config: Config) -> list[str]:
    found = inspect(Desk.this())
    install = f"`{command_for(config, 'install')}`"
    if found.autostart is None:
        lines = [f"  start at login: not installed — {install}"]
    else:
        state = f" ({found.autostart_state})" if found.autostart_state else ""
        lines = [f"  start at login: {found.autostart}{state}"]
    if found.browsers:
        lines.append(f"  browser pairing: native messaging host for {', '.join(found.browsers)}")
    else:
        lines.append(
            f"  browser pairing: not registered (the panel asks for the token) — {install}"
        )
    return lines


def _last_served(config: Config) -> str:
    last = read_last_served(config)
    if last is None:
        return ""
    when = last.started_at.replace("T", " ").replace("+00:00", " UTC")
    return f" (last served on port {last.port}, started {when})"


def status(config: Config, port: int | None = None) -> int:
    client = client_for(config, port)
    port_text = client.port
    health = client.health()
    if health is None:
        print(
            f"✗ agent not running on port {port_text}{_last_served(config)} — "
            f"start it with `{command_for(config, 'serve')}`"
        )
        print(*installed_lines(config), sep="\n")
        return 1
    try:
        code, info = client.request("GET", "/info")
    except AnotherProgram as exc:
        print(f"✗ {exc}")
        return 1
    if code != 200:
        print(f"✓ agent {health['version']} up on http://127.0.0.1:{port_text}, but")
        print(f"✗ {token_refused(config, port_text)}")
        print(*installed_lines(config), sep="\n")
        return 1
    print(f"✓ agent {info['version']} up on http://127.0.0.1:{port_text}")
    print(
        f"  backend: {info['backend']}   sessions: {info['sessions']}   "
        f"live panels: {info['live_clients']}   CSR: {info['csr_name']}"
    )
    print(f"  data: {config.data_dir}")
    print(*installed_lines(config), sep="\n")
    return 0
