"""Which command the agent names: absolute for units and launchers, short only when the PATH
finds this very agent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.install.command import agent_command, command_hint

SCRIPT = Path(sys.executable).parent / "callcenter-agent"


def test_units_get_the_script_beside_this_interpreter() -> None:
    assert SCRIPT.exists(), "the test venv installs the project (make)"
    assert agent_command() == [str(SCRIPT)]
    assert os.path.isabs(agent_command()[0])


def test_people_get_the_short_name_when_the_path_finds_this_agent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", f"{SCRIPT.parent}{os.pathsep}/usr/bin")
    assert command_hint() == "callcenter-agent"


def test_people_get_the_full_path_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert command_hint() == str(SCRIPT)
    # Another callcenter-agent first on the PATH is not this one.
    other = tmp_path / "callcenter-agent"
    other.write_text("#!/bin/sh\nexit 0\n")
    other.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{SCRIPT.parent}")
    assert command_hint() == str(SCRIPT)


def test_the_named_command_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [*agent_command(), "--version"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("callcenter-agent ")
