"""Where the Kibo client secret comes from: an environment variable or a 0600 file.

The secret is wrapped so that printing, logging or repr() of anything holding it never shows it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from agent.config import ConfigError, KiboSettings


class Secret:
    """A string that refuses to show itself; call ``reveal()`` at the one place it is sent."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__


def _from_file(path: Path) -> str:
    try:
        info = path.stat()
    except OSError as exc:
        raise ConfigError(f"[kibo] secret_file {path}: {exc.strerror}") from None
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"[kibo] secret_file {path} is readable by others (mode {mode:o}); "
            f"run `chmod 600 {path}`"
        )
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"[kibo] secret_file {path}: cannot read it ({exc})") from None
    if not text:
        raise ConfigError(f"[kibo] secret_file {path} is empty")
    return text


def load_secret(settings: KiboSettings, environ: dict[str, str] | None = None) -> Secret:
    """The secret from ``secret_file`` when set, else from the ``secret_env`` variable."""
    env = os.environ if environ is None else environ
    if settings.secret_file:
        return Secret(_from_file(Path(settings.secret_file).expanduser()))
    name = settings.secret_env
    value = env.get(name, "").strip() if name else ""
    if not value:
        raise ConfigError(
            f"the Kibo client secret is missing: set the environment variable {name or '?'} "
            f"or [kibo] secret_file (a file with mode 0600)"
        )
    return Secret(value)


def describe_source(settings: KiboSettings) -> str:
    """Where the secret is read from, for status and doctor output (never the value)."""
    if settings.secret_file:
        return f"file {settings.secret_file}"
    return f"environment variable {settings.secret_env}"
