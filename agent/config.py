"""Where the agent keeps things and how it is configured.

Precedence: command-line flags > environment > config.toml > defaults. The data dir holds the
demo store and the session state; the config dir holds config.toml and the pairing token. When
only ``--data-dir`` is given, the config lives in that directory too, so one directory is one
self-contained agent instance (handy for tests and for several instances side by side).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import platformdirs

from agent.extension_id import EXTENSION_ID
from agent.team.config import TeamConfigError, TeamSettings, parse_team

APP_NAME = "callcenter-agent"
DEFAULT_PORT = 47821
DEFAULT_HOST = "127.0.0.1"
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
ENV_DATA_DIR = "CALLCENTER_AGENT_DATA_DIR"
ENV_CONFIG_DIR = "CALLCENTER_AGENT_CONFIG_DIR"

BackendKind = Literal["demo", "kibo"]


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class KiboSettings:
    tenant: str = ""
    site: str = ""
    api_host: str = ""
    auth_host: str = ""
    client_id: str = ""
    secret_env: str = "CALLCENTER_KIBO_CLIENT_SECRET"
    secret_file: str = ""


@dataclass(frozen=True)
class Config:
    data_dir: Path
    config_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    backend: BackendKind = "demo"
    csr_name: str = "CSR"
    demo_scale: Literal["small", "large"] = "small"
    demo_seed: int = 20261126
    # Map the store into memory (fast; its pages count in the agent's resident size), or read
    # it through a bounded page cache per connection (~175 MiB resident on 1M orders, slower).
    demo_map_store: bool = True
    extra_extension_ids: tuple[str, ...] = ()
    kibo: KiboSettings = field(default_factory=KiboSettings)
    team: TeamSettings | None = None  # None: a single desk (no [team] section)

    @property
    def token_path(self) -> Path:
        return self.config_dir / "token"

    @property
    def config_path(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def demo_db_path(self) -> Path:
        return self.data_dir / "demo.db"

    @property
    def state_db_path(self) -> Path:
        return self.data_dir / "state.db"

    @property
    def runtime_path(self) -> Path:
        return self.data_dir / "agent.json"

    @property
    def last_served_path(self) -> Path:
        return self.data_dir / "last-served.json"

    @property
    def allowed_origins(self) -> frozenset[str]:
        ids = (EXTENSION_ID, *self.extra_extension_ids)
        return frozenset(f"chrome-extension://{i}" for i in ids)

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def default_dirs() -> tuple[Path, Path]:
    """The data and config dirs without flags or environment (platformdirs)."""
    return Path(platformdirs.user_data_dir(APP_NAME)), Path(platformdirs.user_config_dir(APP_NAME))


def _dirs(data_dir: str | Path | None, config_dir: str | Path | None) -> tuple[Path, Path]:
    data = data_dir or os.environ.get(ENV_DATA_DIR)
    conf = config_dir or os.environ.get(ENV_CONFIG_DIR)
    if data and not conf:
        conf = data
    default_data, default_conf = default_dirs()
    data_path = Path(data) if data else default_data
    conf_path = Path(conf) if conf else default_conf
    return data_path.expanduser().resolve(), conf_path.expanduser().resolve()


def _expect(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = table.get(key)
    if value is None:
        return None
    if (isinstance(value, bool) and kind is int) or not isinstance(value, kind):
        raise ConfigError(f"config.toml: [{where}] {key} has the wrong type")
    return value


def _from_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    known = {"agent", "backend", "demo", "kibo", "team"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown section [{unknown[0]}] (known: {', '.join(sorted(known))})"
        )
    out: dict[str, Any] = {}
    agent = raw.get("agent", {})
    out["host"] = _expect(agent, "host", str, "agent")
    out["port"] = _expect(agent, "port", int, "agent")
    out["csr_name"] = _expect(agent, "csr_name", str, "agent")
    ids = _expect(agent, "extension_ids", list, "agent")
    if ids is not None:
        if not all(
            isinstance(i, str) and len(i) == 32 and set(i) <= set("abcdefghijklmnop") for i in ids
        ):
            raise ConfigError("config.toml: [agent] extension_ids must be 32-letter extension ids")
        out["extra_extension_ids"] = tuple(ids)
    backend = raw.get("backend", {})
    kind = _expect(backend, "kind", str, "backend")
    if kind is not None and kind not in ("demo", "kibo"):
        raise ConfigError(f"config.toml: [backend] kind must be 'demo' or 'kibo', not '{kind}'")
    out["backend"] = kind
    demo = raw.get("demo", {})
    scale = _expect(demo, "scale", str, "demo")
    if scale is not None and scale not in ("small", "large"):
        raise ConfigError("config.toml: [demo] scale must be 'small' or 'large'")
    out["demo_scale"] = scale
    out["demo_seed"] = _expect(demo, "seed", int, "demo")
    out["demo_map_store"] = _expect(demo, "map_store", bool, "demo")
    kibo = raw.get("kibo")
    if kibo is not None:
        if "client_secret" in kibo:
            raise ConfigError(
                "config.toml: never put the Kibo client secret here; use "
                "secret_env (an environment variable) or secret_file (mode 0600)"
            )
        fields = set(KiboSettings.__dataclass_fields__)
        bad = sorted(set(kibo) - fields)
        if bad:
            raise ConfigError(f"config.toml: [kibo] unknown key '{bad[0]}'")
        out["kibo"] = KiboSettings(**{k: str(v) for k, v in kibo.items()})
    if "team" in raw:
        try:
            out["team"] = parse_team(raw["team"])
        except TeamConfigError as exc:
            raise ConfigError(str(exc)) from None
    return {k: v for k, v in out.items() if v is not None}


def load_config(
    data_dir: str | Path | None = None, config_dir: str | Path | None = None, **overrides: Any
) -> Config:
    data_path, conf_path = _dirs(data_dir, config_dir)
    base = Config(data_dir=data_path, config_dir=conf_path)
    config = replace(base, **_from_toml(base.config_path)).with_overrides(**overrides)
    if not 0 <= config.port <= 65535:
        raise ConfigError(f"port {config.port} is out of range (0-65535)")
    return config


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")
