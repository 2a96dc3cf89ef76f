"""`doctor` for the Kibo backend: configuration, host, credentials, one read call.

Every check says what it saw and how to fix it; none prints the secret or a token.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from agent.backends.base import Check
from agent.backends.kibo.connection import resolve
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
    try:
        data = await client.get(
            "/commerce/customer/accounts", {"startIndex": 0, "pageSize": 1}, what="customer"
        )
        total = data.get("totalCount") if isinstance(data, dict) else None
        checks.append(
            Check(
                "kibo read",
                True,
                f"tenant {conn.tenant} answers a customer search "
                f"({total if total is not None else '?'} accounts)",
            )
        )
    except ApiError as exc:
        checks.append(
            Check(
                "kibo read",
                False,
                exc.message,
                "give the application the Customer read behaviours in Dev Center; "
                "check [kibo] tenant and site",
            )
        )
    return checks


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
