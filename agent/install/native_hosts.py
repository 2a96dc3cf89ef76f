"""The native messaging host's registration: its manifest (which program, which extension
origins may start it) and a launcher, since a manifest names one program without arguments.

Chrome, Chromium and Edge read user-level manifests from a per-browser folder on Linux and
macOS and from a registry key on Windows (``Desk.native_manifest_dirs``/``native_registry_keys``).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from agent.install import windows
from agent.install.desk import Desk

HOST_NAME = "com.callcentercompanion.agent"
DESCRIPTION = "Call Center Companion: hands the side panel the local agent's port and token"


def launcher_path(desk: Desk) -> PurePath:
    name = "callcenter-native-host.cmd" if desk.system == "windows" else "callcenter-native-host"
    return desk.native_host_dir / name


def windows_manifest_path(desk: Desk) -> PurePath:
    return desk.native_host_dir / f"{HOST_NAME}.json"


def host_manifest(launcher: PurePath, origins: Iterable[str]) -> dict[str, Any]:
    """``allowed_origins`` lists extension origins with their trailing slash, as Chrome wants."""
    return {
        "name": HOST_NAME,
        "description": DESCRIPTION,
        "path": str(launcher),
        "type": "stdio",
        "allowed_origins": sorted(f"{origin.rstrip('/')}/" for origin in origins),
    }


def manifest_text(launcher: PurePath, origins: Iterable[str]) -> str:
    return json.dumps(host_manifest(launcher, origins), indent=2) + "\n"


def launcher_text(desk: Desk, argv: Sequence[str]) -> str:
    """The program the manifest names: runs ``argv`` with the arguments Chrome adds (the
    caller's origin; on Windows also --parent-window)."""
    if desk.system == "windows":
        return windows.batch_launcher(argv)
    command = " ".join(shlex.quote(a) for a in argv)
    return (
        "#!/bin/sh\n"
        "# Written by `callcenter-agent install`: Chrome starts this to pair the panel.\n"
        f'exec {command} "$@"\n'
    )


def registry_values(desk: Desk) -> list[windows.RegistryValue]:
    manifest = str(windows_manifest_path(desk))
    return [
        windows.RegistryValue(key, "", manifest)
        for key in desk.native_registry_keys(HOST_NAME).values()
    ]


def manifest_files(desk: Desk) -> dict[str, PurePath]:
    """Browser -> its host manifest file (Linux, macOS)."""
    return {b: d / f"{HOST_NAME}.json" for b, d in desk.native_manifest_dirs().items()}
