"""`doctor` for the Kibo backend: configuration, host, credentials, and a customer, an order
and a return read (orders and returns need the site's context).

Every check says what it saw and how to fix it; none prints the secret or a token.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from agent.backends.base import Check
from agent.backends.kibo.connection import resolve
from agent.backends.kibo.convert import items
from agent.backends.kibo.secret import describe_source, load_secret
from agent.config import ConfigError, KiboSettings
from agent.errors import ApiError

if TYPE_CHECKING:
    from agent.backends.kibo.client import KiboClient

CONNECT_DEADLINE_S = 5.0


async def _host(base: str, name: str) -> Check:
    parts = urlsplit(base)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        async with asyncio.timeout(CONNECT_DEADLINE_S):
            _, writer = await asyncio.open_connection(host, port)
        writer.close()
        await writer.wait_closed()
    except (OSError, TimeoutError) as exc:
        problem = "no answer" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        return Check(
            name,
            False,
            f"cannot connect to {host}:{port} ({problem})",
            "check [kibo] api_host/auth_host (e.g. t12345.sandbox.mozu.com), "
            "DNS and any proxy or firewall",
        )
    return Check(name, True, f"{host}:{port} accepts connections")


async def run_checks(client: KiboClient) -> list[Check]:
    conn = client.connection
    checks = [await _host(conn.api_base, "kibo host")]
    if conn.auth_base != conn.api_base:
        checks.append(await _host(conn.auth_base, "kibo auth host"))
    if not all(c.ok for c in checks):
        return checks
    try:
        await client.tokens.bearer()
        checks.append(
            Check("kibo credentials", True, f"OAuth token issued for client id {conn.client_id}")
        )
    except ApiError as exc:
        checks.append(
            Check(
                "kibo credentials",
                False,
                exc.message,
                "check [kibo] client_id and the secret, and that the application "
                "is installed and enabled on tenant " + conn.tenant,
            )
        )
        return checks
    checks.append(
        await _read(
            client,
            "kibo read",
            "/commerce/customer/accounts",
            "customer",
            "give the application the Customer read behaviours in Dev Center; check [kibo] tenant",
        )
    )
    for name, path, what in (
        ("kibo orders", "/commerce/orders", "order"),
        ("kibo returns", "/commerce/returns", "return"),
    ):
        fix = (
            f"check [kibo] site (orders and returns are read in the site's context, "
            f"x-vol-site {conn.site or 'unset'}) and the application's Order behaviours"
        )
        checks.append(await _read(client, name, path, what, fix))
    return checks


async def _read(client: KiboClient, name: str, path: str, what: str, fix: str) -> Check:
    """One list call, then the first record it names read on its own."""
    try:
        data = await client.get(path, {"startIndex": 0, "pageSize": 1}, what=what)
        total = data.get("totalCount") if isinstance(data, dict) else None
        first = next((i for i in items(data, "items") if i.get("id") is not None), None)
        if first is not None:
            await client.get(f"{path}/{quote(str(first['id']), safe='')}", what=what)
    except ApiError as exc:
        return Check(name, False, exc.message, fix)
    count = total if total is not None else "?"
    read = f"and read {what} {first['id']}" if first is not None else f"(no {what} to read)"
    return Check(name, True, f"tenant {client.connection.tenant} lists {count} {what}s {read}")


async def doctor_checks(settings: KiboSettings) -> list[Check]:
    """Everything `callcenter-agent doctor` reports for ``[backend] kind = "kibo"``."""
    from agent.backends.kibo.client import KiboClient

    try:
        connection = resolve(settings)
    except ConfigError as exc:
        return [
            Check(
                "kibo config",
                False,
                str(exc),
                "fill in [kibo] tenant, site, api_host and client_id in config.toml",
            )
        ]
    checks = [
        Check(
            "kibo config",
            True,
            f"tenant {connection.tenant}"
            + (f", site {connection.site}" if connection.site else "")
            + f" at {connection.api_base}",
        )
    ]
    try:
        secret = load_secret(settings)
    except ConfigError as exc:
        return [
            *checks,
            Check(
                "kibo secret",
                False,
                str(exc),
                f"export {settings.secret_env}=… or set [kibo] secret_file "
                "to a file with mode 0600",
            ),
        ]
    checks.append(Check("kibo secret", True, f"read from the {describe_source(settings)}"))
    client = KiboClient(connection, secret)
    try:
        return checks + await run_checks(client)
    finally:
        await client.close()
