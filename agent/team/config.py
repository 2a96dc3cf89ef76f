"""The ``[team]`` section of config.toml: where the team's Redis is and who this desk is.

Declared as one ``Section`` (agent/config_file.py) like every other section, so unknown keys and
wrong types are refused the same way. Without the section the agent is a single desk and nothing
here runs (docs/team.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from agent.config_file import ConfigError, Key, Section


class TeamConfigError(ValueError):
    """The [team] settings cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class TeamSettings:
    redis_url: str
    desk_name: str = ""  # empty: the CSR name
    password_env: str = "CALLCENTER_TEAM_REDIS_PASSWORD"
    password_file: str = ""
    tls_ca_file: str = ""
    presence_ttl: int = 30  # seconds a desk's presence lives without a refresh

    @property
    def refresh_seconds(self) -> float:
        return max(self.presence_ttl / 3, 0.5)


PREFIX = "team."


def _has_password(url: str) -> bool:
    try:
        return urlsplit(url).password is not None
    except ValueError:
        return False


def _redis_url(value: Any) -> str | None:
    if _has_password(value):
        return None  # refused by pop_team, without echoing the URL
    ok = urlsplit(value).scheme in ("redis", "rediss")
    return None if ok else "a URL that starts with redis:// or rediss:// (TLS)"


def _ttl(value: Any) -> str | None:
    return None if 2 <= value <= 60 else "2-60 seconds"


def _desk_name(value: Any) -> str | None:
    return None if len(value) <= 60 else "at most 60 characters"


_CHECKS = {"redis_url": _redis_url, "presence_ttl": _ttl, "desk_name": _desk_name}

TEAM_SECTION = Section(
    "team",
    tuple(
        Key(f.name, int if f.name == "presence_ttl" else str, PREFIX + f.name, _CHECKS.get(f.name))
        for f in fields(TeamSettings)
    ),
    forbidden=(
        (
            "password",
            "never put the Redis password here; use password_env (an environment variable) "
            "or password_file (mode 0600)",
        ),
    ),
)


def pop_team(path: object, values: dict[str, Any], present: bool) -> TeamSettings | None:
    """Take the section's keys out of ``values`` as settings (None without a [team] section)."""
    table = {k.removeprefix(PREFIX): values.pop(k) for k in list(values) if k.startswith(PREFIX)}
    if not present:
        return None
    if "redis_url" not in table:
        raise ConfigError(f"{path}: [team] needs redis_url (redis://host:6379/0)")
    if _has_password(table["redis_url"]):
        raise ConfigError(
            f"{path}: [team] redis_url must not hold the password; use password_env (an "
            "environment variable) or password_file (mode 0600)"
        )
    return TeamSettings(**table)
