"""`doctor`'s team check: can this desk reach the team's Redis with its settings."""

from __future__ import annotations

import asyncio

from agent.backends.base import Check
from agent.config import Config
from agent.team.config import TeamConfigError
from agent.team.link import redis_client
from agent.team.secret import load_password
from agent.team.wire import LINK_ERRORS


def team_checks(config: Config) -> list[Check]:
    settings = config.team
    if settings is None:
        return []
    fix = "start Redis, or fix [team] redis_url / the password in config.toml"
    try:
        password = load_password(settings)
    except TeamConfigError as exc:
        return [Check("team redis", False, str(exc), fix)]

    async def ping() -> str:
        client = redis_client(settings, password)
        try:
            await asyncio.wait_for(client.ping(), 3)
            info = await client.info("server")
            return str(info.get("redis_version", "?"))
        finally:
            await client.aclose()

    try:
        version = asyncio.run(ping())
    except LINK_ERRORS as exc:
        return [Check("team redis", False, f"{_where(settings.redis_url)}: {exc}", fix)]
    desk = settings.desk_name or config.csr_name
    return [
        Check("team redis", True, f"{_where(settings.redis_url)} (Redis {version}), desk {desk!r}")
    ]


def _where(url: str) -> str:
    """The URL without any credentials in it."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"
