"""macOS: a LaunchAgent (per-user launchd job) that starts the agent at login and restarts it
when it exits with an error or a signal (``KeepAlive.SuccessfulExit = false``)."""

from __future__ import annotations

import os
import plistlib
import subprocess
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from agent.install.desk import LAUNCH_AGENT_LABEL


def plist_data(argv: Sequence[str], log_dir: PurePath) -> dict[str, Any]:
    return {
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(argv),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ThrottleInterval": 5,
        "ProcessType": "Background",
        "EnvironmentVariables": {"PYTHONUNBUFFERED": "1"},
        "StandardOutPath": str(log_dir / "agent.log"),
        "StandardErrorPath": str(log_dir / "agent.log"),
        "Umask": 0o077,  # the log and everything the agent creates: this user's alone
    }


def plist_bytes(argv: Sequence[str], log_dir: PurePath) -> bytes:
    return plistlib.dumps(plist_data(argv, log_dir), fmt=plistlib.FMT_XML, sort_keys=True)


def _domain() -> str:
    return f"gui/{os.getuid()}"


def _launchctl(*args: str) -> tuple[bool, str]:
    try:
        result = subprocess.run(
            ["launchctl", *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def write_and_load(path: Path, argv: Sequence[str], log_dir: Path) -> tuple[bool, str]:
    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    (log_dir / "agent.log").touch(mode=0o600)
    (log_dir / "agent.log").chmod(0o600)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(plist_bytes(argv, log_dir))
    _launchctl("bootout", f"{_domain()}/{LAUNCH_AGENT_LABEL}")  # an older copy, if loaded
    return _launchctl("bootstrap", _domain(), str(path))


def unload_and_remove(path: Path) -> bool:
    _launchctl("bootout", f"{_domain()}/{LAUNCH_AGENT_LABEL}")
    if path.exists():
        path.unlink()
        return True
    return False


def job_state() -> str | None:
    worked, text = _launchctl("print", f"{_domain()}/{LAUNCH_AGENT_LABEL}")
    if not worked:
        return None
    for line in text.splitlines():
        if line.strip().startswith("state = "):
            return line.split("=", 1)[1].strip()
    return "loaded"
