"""The Redis password of [team]: from a 0600 file, or an environment variable, or none.

Like the Kibo secret: never in config.toml, never printed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from agent.team.config import TeamConfigError, TeamSettings


def load_password(settings: TeamSettings, environ: dict[str, str] | None = None) -> str | None:
    """The password, or None when neither the file nor the variable gives one."""
    if settings.password_file:
        return _from_file(Path(settings.password_file).expanduser())
    env = os.environ if environ is None else environ
    value = env.get(settings.password_env, "").strip() if settings.password_env else ""
    return value or None


def _from_file(path: Path) -> str:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise TeamConfigError(
                f"[team] password_file {path} is readable by others (mode {mode:o}); "
                f"run `chmod 600 {path}`"
            )
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise TeamConfigError(f"[team] password_file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise TeamConfigError(f"[team] password_file {path} is not UTF-8 text") from None
    if not text:
        raise TeamConfigError(f"[team] password_file {path} is empty")
    return text
