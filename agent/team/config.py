"""The ``[team]`` section of config.toml: where the team's Redis is and who this desk is.

Without the section the agent is a single desk and nothing here runs (docs/team.md).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit


class TeamConfigError(ValueError):
    """The [team] section cannot be used; the message says what to fix."""


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


_TYPES: dict[str, type] = {
    "redis_url": str,
    "desk_name": str,
    "password_env": str,
    "password_file": str,
    "tls_ca_file": str,
    "presence_ttl": int,
}
assert set(_TYPES) == {f.name for f in fields(TeamSettings)}


def parse_team(table: Any) -> TeamSettings:
    """The section's settings, or one line naming the first problem."""
    if not isinstance(table, dict):
        raise TeamConfigError("config.toml: [team] must be a table")
    if "password" in table:
        raise TeamConfigError(
            "config.toml: never put the Redis password here; use password_env "
            "(an environment variable) or password_file (mode 0600)"
        )
    for key in sorted(table):
        if key not in _TYPES:
            near = difflib.get_close_matches(key, list(_TYPES), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise TeamConfigError(f"config.toml: [team] unknown key '{key}'{hint}")
        kind, value = _TYPES[key], table[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            raise TeamConfigError(
                f"config.toml: [team] {key} must be {'an integer' if kind is int else 'a string'}"
            )
    if "redis_url" not in table:
        raise TeamConfigError("config.toml: [team] needs redis_url (redis://host:6379/0)")
    settings = TeamSettings(**table)
    scheme = urlsplit(settings.redis_url).scheme
    if scheme not in ("redis", "rediss"):
        raise TeamConfigError(
            "config.toml: [team] redis_url must start with redis:// or rediss:// (TLS)"
        )
    if not 2 <= settings.presence_ttl <= 60:
        raise TeamConfigError("config.toml: [team] presence_ttl must be 2-60 seconds")
    if len(settings.desk_name) > 60:
        raise TeamConfigError("config.toml: [team] desk_name is longer than 60 characters")
    return settings
