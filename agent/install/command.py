"""Which command runs this agent: for service units and launchers (absolute), and for people
(the shortest spelling that works from their shell)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from agent.config import Config, default_dirs

SCRIPT = "callcenter-agent"


def _script_beside_interpreter() -> Path | None:
    """The console script pip/pipx/uv put next to this interpreter (same venv)."""
    folder = Path(sys.executable).parent
    for name in (SCRIPT, f"{SCRIPT}.exe"):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def agent_command(*, windowless: bool = False) -> list[str]:
    """Absolute argv that starts this very agent, whatever the caller's PATH or working dir.

    ``windowless``: on Windows, run under pythonw.exe so a login item opens no console window.
    """
    python = Path(sys.executable)
    if windowless and os.name == "nt":
        pythonw = python.with_name("pythonw.exe")
        if pythonw.exists():
            # -P: never import from the working directory (Python >= 3.11).
            return [str(pythonw), "-P", "-m", "agent"]
    script = _script_beside_interpreter()
    if script is not None:
        return [str(script)]
    return [str(python), "-P", "-m", "agent"]


def command_hint() -> str:
    """How to spell the command in a message: ``callcenter-agent`` when that name on the PATH
    is this agent, else the absolute command (e.g. ``.venv/bin/callcenter-agent``)."""
    argv = agent_command()
    on_path = shutil.which(SCRIPT)
    if on_path and len(argv) == 1 and _same_file(on_path, argv[0]):
        return SCRIPT
    return " ".join(_quote(part) for part in argv)


def command_for(config: Config, subcommand: str) -> str:
    """``command_hint() SUBCOMMAND``, with --data-dir/--config-dir when they are not the
    defaults, so the hint works from a fresh shell."""
    default_data, default_config = (p.resolve() for p in default_dirs())
    parts = [command_hint(), subcommand]
    if config.data_dir != default_data:
        parts += ["--data-dir", _quote(str(config.data_dir))]
    same = config.config_dir == config.data_dir
    if config.config_dir != default_config and not same:
        parts += ["--config-dir", _quote(str(config.config_dir))]
    return " ".join(parts)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _quote(part: str) -> str:
    return f'"{part}"' if " " in part else part
