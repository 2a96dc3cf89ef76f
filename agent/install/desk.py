"""The desk the agent is installed on: its operating system and where each per-user file goes.

Paths come from the home dir and the environment given (not the running process's), so tests
can build a Linux, macOS or Windows desk anywhere; only the desk of this machine is ever
written to. Windows paths are ``PureWindowsPath`` so they print right on every system.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Literal

System = Literal["linux", "darwin", "windows"]
APP = "callcenter-agent"
UNIT_NAME = "callcenter-agent.service"
LAUNCH_AGENT_LABEL = "com.callcentercompanion.agent"
RUN_VALUE_NAME = "CallCenterAgent"

# Browser -> (Linux config dir name, macOS Application Support path, Windows registry root)
BROWSERS: dict[str, tuple[str, str, str]] = {
    "Google Chrome": ("google-chrome", "Google/Chrome", r"Software\Google\Chrome"),
    "Chromium": ("chromium", "Chromium", r"Software\Chromium"),
    "Microsoft Edge": ("microsoft-edge", "Microsoft Edge", r"Software\Microsoft\Edge"),
}


def this_system() -> System:
    if sys.platform == "darwin":
        return "darwin"
    if os.name == "nt":
        return "windows"
    return "linux"


@dataclass(frozen=True)
class Desk:
    system: System
    home: PurePath
    env: Mapping[str, str]

    @classmethod
    def this(cls) -> Desk:
        return cls(this_system(), Path.home(), dict(os.environ))

    @property
    def is_this_machine(self) -> bool:
        return self.system == this_system() and isinstance(self.home, Path)

    def _path(self, raw: str) -> PurePath:
        kind = PureWindowsPath if self.system == "windows" else PurePosixPath
        path = kind(raw)
        return Path(path) if self.is_this_machine else path

    def _xdg(self, variable: str, default: str) -> PurePath:
        value = self.env.get(variable, "")
        # The XDG spec ignores relative values.
        return self._path(value) if value.startswith("/") else self.home / default

    @property
    def config_home(self) -> PurePath:
        """Linux: $XDG_CONFIG_HOME (~/.config), where systemd and the browsers look."""
        return self._xdg("XDG_CONFIG_HOME", ".config")

    @property
    def app_dir(self) -> PurePath:
        """Our own per-user folder for files the OS or a browser starts (launchers, logs)."""
        if self.system == "windows":
            local = self.env.get("LOCALAPPDATA") or str(self.home / "AppData" / "Local")
            return self._path(local) / APP
        if self.system == "darwin":
            return self.home / "Library" / "Application Support" / APP
        return self._xdg("XDG_DATA_HOME", ".local/share") / APP

    # ---- start at login

    @property
    def systemd_unit(self) -> PurePath:
        return self.config_home / "systemd" / "user" / UNIT_NAME

    @property
    def systemd_wants_link(self) -> PurePath:
        """What `systemctl --user enable` makes for WantedBy=default.target."""
        return self.config_home / "systemd" / "user" / "default.target.wants" / UNIT_NAME

    @property
    def launch_agent(self) -> PurePath:
        return self.home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"

    @property
    def log_dir(self) -> PurePath:
        if self.system == "darwin":
            return self.home / "Library" / "Logs" / APP
        return self.app_dir / "logs"

    # ---- native messaging

    @property
    def native_host_dir(self) -> PurePath:
        """Where the launcher (and on Windows the host manifest) lives."""
        return self.app_dir / "native-host"

    def native_manifest_dirs(self) -> dict[str, PurePath]:
        """Per-browser folders Chrome, Chromium and Edge read user-level host manifests from
        (Linux and macOS; Windows uses the registry, see ``native_registry_keys``)."""
        if self.system == "darwin":
            support = self.home / "Library" / "Application Support"
            return {
                b: support / mac / "NativeMessagingHosts" for b, (_, mac, _) in BROWSERS.items()
            }
        if self.system == "linux":
            return {
                b: self.config_home / linux / "NativeMessagingHosts"
                for b, (linux, _, _) in BROWSERS.items()
            }
        return {}

    def native_registry_keys(self, host_name: str) -> dict[str, str]:
        """Windows: HKEY_CURRENT_USER keys whose default value is the host manifest's path."""
        if self.system != "windows":
            return {}
        return {
            b: rf"{root}\NativeMessagingHosts\{host_name}" for b, (_, _, root) in BROWSERS.items()
        }
