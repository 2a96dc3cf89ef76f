"""`callcenter-agent install` / `uninstall`: what each OS's service manager and each browser
gets, checked by their own verifiers where they run here (systemd-analyze, plistlib), and a
whole install/uninstall through the CLI in a relocated home."""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import stat
import subprocess
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from agent.extension_id import EXTENSION_ID
from agent.install import launchd, native_hosts, systemd, windows
from agent.install.command import agent_command
from agent.install.desk import Desk
from agent.install.installer import Placement, serve_argv
from tests.support.agent_process import cli

pytestmark = pytest.mark.slow  # an agent process per command: `make test`, not `make check`

ORIGIN = f"chrome-extension://{EXTENSION_ID}/"
HOST = native_hosts.HOST_NAME


def verify_unit(unit: Path, runtime: Path) -> subprocess.CompletedProcess[str]:
    """systemd's own checker, as a user unit (it needs a runtime dir, not a running
    systemd)."""
    if shutil.which("systemd-analyze") is None:
        pytest.fail(
            "systemd-analyze not found: apt-get install -y systemd (.ci/run does)", pytrace=False
        )
    runtime.mkdir(mode=0o700, exist_ok=True)
    return subprocess.run(
        ["systemd-analyze", "verify", "--user", str(unit)],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
        cwd=unit.parent,
        check=False,
        timeout=60,
    )


# ---------------------------------------------------------------- systemd (Linux)


def test_the_unit_restarts_after_a_crash_and_passes_systemd_analyze(tmp_path: Path) -> None:
    data = tmp_path / "data dir with 100% $HOME"
    argv = serve_argv(Desk("linux", tmp_path, {}), Placement(data_dir=data, port=48000))
    unit = tmp_path / "callcenter-agent.service"
    unit.write_text(systemd.unit_text(argv))
    result = verify_unit(unit, tmp_path / "run")
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    lines = unit.read_text().splitlines()
    assert "Restart=on-failure" in lines and "WantedBy=default.target" in lines
    exec_start = next(line for line in lines if line.startswith("ExecStart="))
    assert exec_start.startswith(f"ExecStart={agent_command()[0]} serve ")
    assert '"' + str(data).replace("%", "%%").replace("$", "$$") + '"' in exec_start


def test_systemd_analyze_catches_a_broken_unit(tmp_path: Path) -> None:
    """The verifier above can fail: a unit whose command is missing or whose Restart= is
    wrong does not pass."""
    for broken in (
        systemd.unit_text(["/nonexistent/callcenter-agent", "serve"]),
        systemd.unit_text([*agent_command(), "serve"]).replace("on-failure", "sometimes"),
    ):
        unit = tmp_path / "callcenter-agent.service"
        unit.write_text(broken)
        result = verify_unit(unit, tmp_path / "run")
        assert result.returncode != 0 or result.stderr.strip(), broken


def test_exec_start_quoting() -> None:
    assert systemd.quote("/usr/bin/callcenter-agent") == "/usr/bin/callcenter-agent"
    assert systemd.quote("/home/dana/My Data") == '"/home/dana/My Data"'
    assert systemd.quote("100%") == "100%%"
    assert systemd.quote('a"b\\c $X') == '"a\\"b\\\\c $$X"'


# ---------------------------------------------------------------- launchd (macOS)


def test_the_launch_agent_plist_round_trips_with_the_keys_launchd_needs() -> None:
    desk = Desk("darwin", PurePosixPath("/Users/dana"), {})
    argv = ["/Users/dana/.local/bin/callcenter-agent", "serve", "--data-dir", "/Users/dana/cc"]
    raw = launchd.plist_bytes(argv, desk.log_dir)
    data = plistlib.loads(raw)
    assert plistlib.loads(plistlib.dumps(data, fmt=plistlib.FMT_XML)) == data
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist')
    assert data["Label"] == "com.callcentercompanion.agent"
    assert data["ProgramArguments"] == argv
    assert data["RunAtLoad"] is True
    assert data["KeepAlive"] == {"SuccessfulExit": False}  # restarted after a crash only
    assert data["StandardErrorPath"] == "/Users/dana/Library/Logs/callcenter-agent/agent.log"
    assert str(desk.launch_agent) == (
        "/Users/dana/Library/LaunchAgents/com.callcentercompanion.agent.plist"
    )


# ---------------------------------------------------------------- Windows


def test_the_windows_run_entry_and_native_host_registration() -> None:
    desk = Desk(
        "windows",
        PureWindowsPath(r"C:\Users\Dana Reyes"),
        {"LOCALAPPDATA": r"C:\Users\Dana Reyes\AppData\Local"},
    )
    argv = [r"C:\Program Files\Python311\pythonw.exe", "-P", "-m", "agent", "serve"]
    entry = windows.run_entry([*argv, "--data-dir", r"C:\Users\Dana Reyes\cc"])
    assert entry.key == r"Software\Microsoft\Windows\CurrentVersion\Run"
    assert entry.name == "CallCenterAgent"
    assert entry.value == (
        r'"C:\Program Files\Python311\pythonw.exe" -P -m agent serve '
        r'--data-dir "C:\Users\Dana Reyes\cc"'
    )
    launcher = native_hosts.launcher_path(desk)
    assert str(launcher) == (
        r"C:\Users\Dana Reyes\AppData\Local\callcenter-agent\native-host"
        r"\callcenter-native-host.cmd"
    )
    script = native_hosts.launcher_text(
        desk, [r"C:\Tools 100%\callcenter-agent.exe", "native-host"]
    )
    assert script == (
        "@echo off\r\nrem Written by `callcenter-agent install`.\r\n"
        '"C:\\Tools 100%%\\callcenter-agent.exe" native-host %*\r\n'
    )
    manifest = str(native_hosts.windows_manifest_path(desk))
    assert native_hosts.registry_values(desk) == [
        windows.RegistryValue(
            rf"{root}\NativeMessagingHosts\{native_hosts.HOST_NAME}", "", manifest
        )
        for root in (r"Software\Google\Chrome", r"Software\Chromium", r"Software\Microsoft\Edge")
    ]
    assert native_hosts.host_manifest(launcher, {ORIGIN.rstrip("/")})["path"] == str(launcher)


def test_each_browser_s_user_manifest_folder() -> None:
    linux = Desk("linux", PurePosixPath("/home/dana"), {"XDG_CONFIG_HOME": "/home/dana/.cfg"})
    assert {b: str(p) for b, p in native_hosts.manifest_files(linux).items()} == {
        "Google Chrome": f"/home/dana/.cfg/google-chrome/NativeMessagingHosts/{HOST}.json",
        "Chromium": f"/home/dana/.cfg/chromium/NativeMessagingHosts/{HOST}.json",
        "Microsoft Edge": f"/home/dana/.cfg/microsoft-edge/NativeMessagingHosts/{HOST}.json",
    }
    relative = Desk("linux", PurePosixPath("/home/dana"), {"XDG_CONFIG_HOME": "cfg"})
    assert str(relative.systemd_unit) == "/home/dana/.config/systemd/user/callcenter-agent.service"
    mac = Desk("darwin", PurePosixPath("/Users/dana"), {})
    support = "/Users/dana/Library/Application Support"
    assert {b: str(p.parent) for b, p in native_hosts.manifest_files(mac).items()} == {
        "Google Chrome": f"{support}/Google/Chrome/NativeMessagingHosts",
        "Chromium": f"{support}/Chromium/NativeMessagingHosts",
        "Microsoft Edge": f"{support}/Microsoft Edge/NativeMessagingHosts",
    }


# ---------------------------------------------------------------- the whole command, here


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    if systemd.systemd_running():
        pytest.skip("this desk runs systemd: installing would start a real user unit")
    home = tmp_path / "home"
    home.mkdir()
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }


def test_install_then_uninstall(tmp_path: Path, home: dict[str, str]) -> None:
    data = tmp_path / "data"
    config_home = Path(home["XDG_CONFIG_HOME"])
    result = cli("install", data_dir=data, env=home)
    assert result.returncode == 0, result.stderr
    unit = config_home / "systemd" / "user" / "callcenter-agent.service"
    assert f"systemd user unit {unit}" in result.stdout
    # Not started here, and says how to start it.
    assert "systemd is not running as init" in result.stdout
    assert f"{agent_command()[0]} serve --data-dir {data} --admin-port 47822" in result.stdout

    verified = verify_unit(unit, tmp_path / "run")
    assert (verified.returncode, verified.stderr) == (0, "")
    wants = config_home / "systemd" / "user" / "default.target.wants" / "callcenter-agent.service"
    assert wants.is_symlink() and wants.resolve() == unit.resolve()

    launcher = Path(home["XDG_DATA_HOME"]) / "callcenter-agent" / "native-host"
    launcher /= "callcenter-native-host"
    assert stat.S_IMODE(launcher.stat().st_mode) & 0o111
    for folder in ("google-chrome", "chromium", "microsoft-edge"):
        path = config_home / folder / "NativeMessagingHosts" / f"{native_hosts.HOST_NAME}.json"
        manifest = json.loads(path.read_text())
        assert manifest == {
            "name": native_hosts.HOST_NAME,
            "description": native_hosts.DESCRIPTION,
            "path": str(launcher),
            "type": "stdio",
            "allowed_origins": [ORIGIN],
        }

    status = cli("status", "--port", "1", data_dir=data, env=home)
    assert f"start at login: systemd user unit {unit}" in status.stdout
    assert "native messaging host for Google Chrome, Chromium, Microsoft Edge" in status.stdout
    doctor = cli("doctor", data_dir=data, env=home)
    assert "✓ start at login — systemd user unit" in doctor.stdout
    assert "✓ browser pairing — native messaging host for" in doctor.stdout

    (data / "marker").write_text("kept")
    removed = cli("uninstall", data_dir=data, env=home)
    assert removed.returncode == 0, removed.stderr
    assert not unit.exists() and not wants.is_symlink() and not launcher.exists()
    assert not list(config_home.glob("*/NativeMessagingHosts/*.json"))
    assert (data / "marker").read_text() == "kept" and (data / "token").exists()
    status = cli("status", "--port", "1", data_dir=data, env=home)
    assert "start at login: not installed" in status.stdout
    assert "browser pairing: not registered" in status.stdout
    assert "nothing was installed" in cli("uninstall", data_dir=data, env=home).stdout


def test_install_refuses_bad_ports_and_changes_nothing(
    tmp_path: Path, home: dict[str, str]
) -> None:
    for args in (("--port", "70000"), ("--admin-port", "0")):
        result = cli("install", *args, data_dir=tmp_path / "data", env=home)
        assert result.returncode == 2 and "out of range" in result.stderr
        assert "Traceback" not in result.stderr
    assert not any(Path(home["HOME"]).rglob("*"))
