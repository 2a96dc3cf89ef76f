"""Where the agent keeps things and how it is configured.

Precedence: command-line flags > environment > config.toml > defaults. The data dir holds the
demo store and the session state; the config dir holds config.toml and the pairing token. When
only ``--data-dir`` is given, the config lives in that directory too, so one directory is one
self-contained agent instance (handy for tests and for several instances side by side).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import platformdirs

from agent.config_file import ConfigError as ConfigError
from agent.config_file import Key, Section, read_sections
from agent.extension_id import EXTENSION_ID
from agent.team.config import TEAM_SECTION, TeamSettings, pop_team

APP_NAME = "callcenter-agent"
DEFAULT_PORT = 47821
DEFAULT_HOST = "127.0.0.1"
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
ENV_DATA_DIR = "CALLCENTER_AGENT_DATA_DIR"
ENV_CONFIG_DIR = "CALLCENTER_AGENT_CONFIG_DIR"

BackendKind = Literal["demo", "kibo"]


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


def _extension_ids(ids: list[Any]) -> str | None:
    if all(isinstance(i, str) and len(i) == 32 and set(i) <= set("abcdefghijklmnop") for i in ids):
        return None
    return "a list of 32-letter extension ids (a-p)"


def _one_of(*allowed: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in allowed else " or ".join(repr(a) for a in allowed)

    return check


def _kibo(name: str) -> Key:
    return Key(name, str, field=f"kibo.{name}")


# Every section of config.toml, declared once; a new section is one more entry here.
SECTIONS: tuple[Section, ...] = (
    Section(
        "agent",
        (
            Key("host", str),
            Key("port", int),
            Key("csr_name", str),
            Key("extension_ids", list, "extra_extension_ids", _extension_ids, tuple),
        ),
    ),
    Section("backend", (Key("kind", str, "backend", _one_of("demo", "kibo")),)),
    Section(
        "demo",
        (
            Key("scale", str, "demo_scale", _one_of("small", "large")),
            Key("seed", int, "demo_seed"),
            Key("map_store", bool, "demo_map_store"),
        ),
    ),
    Section(
        "kibo",
        tuple(_kibo(name) for name in KiboSettings.__dataclass_fields__),
        forbidden=(
            (
                "client_secret",
                "never put the Kibo client secret here; use secret_env (an environment "
                "variable) or secret_file (mode 0600)",
            ),
        ),
    ),
    TEAM_SECTION,
)


def _from_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    out = read_sections(path, raw, SECTIONS)
    kibo = {k.removeprefix("kibo."): out.pop(k) for k in list(out) if k.startswith("kibo.")}
    if "kibo" in raw:
        out["kibo"] = KiboSettings(**kibo)
    out["team"] = pop_team(path, out, "team" in raw)
    return out


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
