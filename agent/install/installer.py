"""`callcenter-agent install` / `uninstall` and what `status`/`doctor` say about them.

Install registers two things per user, each with the OS's or the browsers' own mechanism:
start at login (systemd user unit, LaunchAgent, Run key) and the native messaging host that
pairs the panel. Both run this very agent (``agent_command``) with the data and config dirs
the install was given, so the service, the host and the CLI agree on the token and the port.
Nothing is started where the service manager is not running; data is never removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from agent.install import launchd, native_hosts, systemd, windows
from agent.install.command import agent_command
from agent.install.desk import Desk


@dataclass(frozen=True)
class Placement:
    """The dirs and ports baked into the service's and the host's command lines."""

    data_dir: Path | None = None
    config_dir: Path | None = None
    port: int | None = None
    admin_port: int | None = None

    def dir_args(self) -> list[str]:
        args = []
        if self.data_dir is not None:
            args += ["--data-dir", str(self.data_dir)]
        if self.config_dir is not None:
            args += ["--config-dir", str(self.config_dir)]
        return args

    def port_args(self) -> list[str]:
        args = []
        if self.port is not None:
            args += ["--port", str(self.port)]
        if self.admin_port is not None:
            args += ["--admin-port", str(self.admin_port)]
        return args

    def serve_args(self) -> list[str]:
        return ["serve", *self.dir_args(), *self.port_args()]


@dataclass
class Installed:
    """What is registered on a desk (for status and doctor)."""

    autostart: str | None = None  # where, e.g. the unit file; None: not installed
    autostart_state: str | None = None  # the service manager's word (active, running…)
    browsers: list[str] = field(default_factory=list)  # native host registered for these


def serve_argv(desk: Desk, placement: Placement) -> list[str]:
    return agent_command(windowless=desk.system == "windows") + placement.serve_args()


def native_host_argv(placement: Placement) -> list[str]:
    return [*agent_command(), "native-host", *placement.dir_args(), *placement.port_args()]


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.chmod(mode)
    tmp.replace(path)


def install_autostart(desk: Desk, placement: Placement) -> list[str]:
    argv = serve_argv(desk, placement)
    if desk.system == "linux":
        unit, link = Path(desk.systemd_unit), Path(desk.systemd_wants_link)
        systemd.write_unit(unit, link, argv)
        lines = [f"✓ start at login: systemd user unit {unit} (restarts after a crash), enabled"]
        if not systemd.systemd_running():
            lines.append(
                "  systemd is not running as init on this machine, so nothing was started: "
                "the unit starts the agent at the next login on a desk with systemd (there, "
                "`systemctl --user start callcenter-agent` starts it now); here, run the agent "
                f"with `{' '.join(argv)}`"
            )
            return lines
        for args in (("daemon-reload",), ("restart", systemd.UNIT_NAME)):
            worked, said = systemd.systemctl(*args)
            if not worked:
                lines.append(f"  ✗ systemctl --user {' '.join(args)}: {said}")
                return lines
        return [*lines, "  started now (systemctl --user restart callcenter-agent)"]
    if desk.system == "darwin":
        plist = Path(desk.launch_agent)
        worked, said = launchd.write_and_load(plist, argv, Path(desk.log_dir))
        state = "loaded now" if worked else f"✗ launchctl bootstrap: {said}"
        return [f"✓ start at login: LaunchAgent {plist} (restarts after a crash), {state}"]
    entry = windows.run_entry(argv)
    windows.apply([entry])
    return [
        f"✓ start at login: HKEY_CURRENT_USER\\{entry.key} value {entry.name}; it starts "
        f"at your next sign-in (run `{' '.join(agent_command())} serve` to start it now)"
    ]


def install_native_host(desk: Desk, placement: Placement, origins: frozenset[str]) -> list[str]:
    launcher = native_hosts.launcher_path(desk)
    _write(Path(launcher), native_hosts.launcher_text(desk, native_host_argv(placement)), 0o755)
    text = native_hosts.manifest_text(launcher, origins)
    if desk.system == "windows":
        _write(Path(native_hosts.windows_manifest_path(desk)), text)
        windows.apply(native_hosts.registry_values(desk))
    else:
        for manifest in native_hosts.manifest_files(desk).values():
            _write(Path(manifest), text)
    browsers = ", ".join(native_hosts.manifest_files(desk) or desk.native_registry_keys(""))
    return [
        f"✓ browser pairing: native messaging host {native_hosts.HOST_NAME} for {browsers}, "
        f"allowed for {', '.join(sorted(origins))} only"
    ]


def install(desk: Desk, placement: Placement, origins: frozenset[str]) -> list[str]:
    return install_autostart(desk, placement) + install_native_host(desk, placement, origins)


def uninstall(desk: Desk) -> list[str]:
    lines = []
    if desk.system == "linux":
        if systemd.systemd_running():
            systemd.systemctl("disable", "--now", systemd.UNIT_NAME)
        if systemd.remove_unit(Path(desk.systemd_unit), Path(desk.systemd_wants_link)):
            lines.append(f"removed the systemd user unit {desk.systemd_unit}")
    elif desk.system == "darwin":
        if launchd.unload_and_remove(Path(desk.launch_agent)):
            lines.append(f"removed the LaunchAgent {desk.launch_agent}")
    elif windows.remove([windows.run_entry([])]):
        lines.append(f"removed the Run entry {windows.RUN_KEY}\\{windows.RUN_VALUE_NAME}")
    if desk.system == "windows" and windows.remove(native_hosts.registry_values(desk)):
        lines.append("removed the native messaging host's registry keys")
    for manifest in native_hosts.manifest_files(desk).values():
        if Path(manifest).exists():
            Path(manifest).unlink()
            lines.append(f"removed {manifest}")
    for path in (native_hosts.launcher_path(desk), native_hosts.windows_manifest_path(desk)):
        if Path(path).exists():
            Path(path).unlink()
            lines.append(f"removed {path}")
    return lines or ["nothing was installed"]


def inspect(desk: Desk) -> Installed:
    found = Installed()
    if desk.system == "linux" and Path(desk.systemd_unit).exists():
        enabled = Path(desk.systemd_wants_link).exists()
        found.autostart = f"systemd user unit {desk.systemd_unit}" + (
            "" if enabled else " (not enabled)"
        )
        found.autostart_state = systemd.unit_state()
    elif desk.system == "darwin" and Path(desk.launch_agent).exists():
        found.autostart = f"LaunchAgent {desk.launch_agent}"
        found.autostart_state = launchd.job_state()
    elif desk.system == "windows":
        entry = windows.run_entry([])
        if windows.read(entry) is not None:
            found.autostart = f"Run entry {entry.key}\\{entry.name}"
    if desk.system == "windows":
        values = native_hosts.registry_values(desk)
        keys = desk.native_registry_keys(native_hosts.HOST_NAME)
        found.browsers = [b for b, v in zip(keys, values, strict=True) if windows.read(v)]
    else:
        found.browsers = [
            b for b, m in native_hosts.manifest_files(desk).items() if Path(m).exists()
        ]
    return found
