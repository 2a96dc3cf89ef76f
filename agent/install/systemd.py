"""Linux: a systemd user unit that starts the agent at login and again after a crash.

Enabling is the ``default.target.wants`` link `systemctl --user enable` would make, written
directly, so a desk where systemd is not running as init (a container, WSL without systemd)
still gets a unit that starts at the next login on systemd; ``systemctl`` is only called when
systemd runs (``/run/systemd/system`` exists, the test ``sd_booted()`` makes).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from agent.install.desk import UNIT_NAME

# Exit code 2 is an error the CSR has to fix (bad config.toml, port taken): retrying every few
# seconds would only fill the journal.
UNIT_TEMPLATE = """\
# Written by `callcenter-agent install`; `callcenter-agent uninstall` removes it.
[Unit]
Description=Call Center Companion agent (the local API of the Call Center side panel)

[Service]
Type=exec
ExecStart={exec_start}
Environment=PYTHONUNBUFFERED=1
Restart=on-failure
RestartSec=3
RestartPreventExitStatus=2
TimeoutStopSec=20

[Install]
WantedBy=default.target
"""

_PLAIN = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


def quote(arg: str) -> str:
    """One ExecStart word: systemd expands ``%`` specifiers and ``$`` variables and splits on
    whitespace, so those are escaped and anything unusual is double-quoted."""
    escaped = arg.replace("%", "%%").replace("$", "$$")
    if _PLAIN.match(arg):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unit_text(argv: Sequence[str]) -> str:
    return UNIT_TEMPLATE.format(exec_start=" ".join(quote(a) for a in argv))


def systemd_running() -> bool:
    return os.path.isdir("/run/systemd/system") and shutil.which("systemctl") is not None


def write_unit(unit: Path, wants_link: Path, argv: Sequence[str]) -> None:
    unit.parent.mkdir(parents=True, exist_ok=True)
    tmp = unit.with_name(unit.name + ".tmp")
    tmp.write_text(unit_text(argv), encoding="utf-8")
    tmp.replace(unit)
    wants_link.parent.mkdir(parents=True, exist_ok=True)
    if wants_link.is_symlink() or wants_link.exists():
        wants_link.unlink()
    wants_link.symlink_to(Path("..") / UNIT_NAME)


def remove_unit(unit: Path, wants_link: Path) -> bool:
    found = False
    for path in (wants_link, unit):
        if path.is_symlink() or path.exists():
            path.unlink()
            found = True
    return found


def systemctl(*args: str) -> tuple[bool, str]:
    """Run `systemctl --user ARGS`; (worked, what it said)."""
    try:
        result = subprocess.run(
            ["systemctl", "--user", *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def unit_state() -> str | None:
    """`systemctl --user is-active` of our unit (active, inactive, failed…), None without
    a running systemd."""
    if not systemd_running():
        return None
    return systemctl("is-active", UNIT_NAME)[1] or "unknown"
