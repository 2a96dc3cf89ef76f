"""Windows: the per-user Run key starts the agent at login (windowless, under pythonw.exe), and
HKEY_CURRENT_USER keys point Chrome, Chromium and Edge at the native host's manifest.

What is written is built as plain data (``RegistryValue``) so it can be checked anywhere; only
``apply``/``remove`` touch the registry, through winreg, on Windows.
"""

from __future__ import annotations

import importlib
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from agent.install.desk import RUN_VALUE_NAME

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


@dataclass(frozen=True)
class RegistryValue:
    """A REG_SZ value under HKEY_CURRENT_USER; name "" is the key's default value."""

    key: str
    name: str
    value: str


def command_line(argv: Sequence[str]) -> str:
    """The quoting CommandLineToArgvW and the C runtime undo (what the Run key runs)."""
    return subprocess.list2cmdline(list(argv))


def run_entry(argv: Sequence[str]) -> RegistryValue:
    return RegistryValue(RUN_KEY, RUN_VALUE_NAME, command_line(argv))


def batch_launcher(argv: Sequence[str]) -> str:
    """A .cmd file Chrome can start as the native host (it passes the caller's origin and
    --parent-window): ``%`` is doubled so cmd.exe does not expand it."""
    line = command_line(argv).replace("%", "%%")
    return f"@echo off\r\nrem Written by `callcenter-agent install`.\r\n{line} %*\r\n"


def _winreg() -> Any:  # pragma: no cover - Windows only
    return importlib.import_module("winreg")


def apply(values: Iterable[RegistryValue]) -> None:  # pragma: no cover - Windows only
    reg = _winreg()
    for item in values:
        with reg.CreateKey(reg.HKEY_CURRENT_USER, item.key) as key:
            reg.SetValueEx(key, item.name, 0, reg.REG_SZ, item.value)


def remove(values: Iterable[RegistryValue]) -> bool:  # pragma: no cover - Windows only
    reg = _winreg()
    found = False
    for item in values:
        try:
            if item.name:
                with reg.OpenKey(reg.HKEY_CURRENT_USER, item.key, 0, reg.KEY_SET_VALUE) as key:
                    reg.DeleteValue(key, item.name)
            else:
                reg.DeleteKey(reg.HKEY_CURRENT_USER, item.key)
            found = True
        except OSError:
            continue
    return found


def read(item: RegistryValue) -> str | None:  # pragma: no cover - Windows only
    reg = _winreg()
    try:
        with reg.OpenKey(reg.HKEY_CURRENT_USER, item.key) as key:
            value, _ = reg.QueryValueEx(key, item.name)
    except OSError:
        return None
    return str(value)
