"""The wheel a CSR's desk gets: built from the project's files alone, installed into a fresh
venv away from the checkout, its `callcenter-agent` serves the API, the OpenAPI document and the
demo admin console. Dependencies come from this test run's own environment (a .pth line), so
the test needs no index; the package itself is only the wheel's copy (checked)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from agent import __version__
from tests.support.agent_process import ROOT, free_port

pytestmark = pytest.mark.slow

PROJECT_FILES = ("pyproject.toml", "README.md", "agent", "shared_schema")


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def backend_warnings(output: str) -> list[str]:
    """Warnings from the build backend (setuptools), not pip's notes about this machine's
    extra package locations."""
    return [
        line
        for line in output.splitlines()
        if "Warning" in line and "WARNING: Location" not in line
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel, built from a copy holding only what pyproject.toml packages (so it cannot
    lean on other files of the checkout), and the build's output."""
    src = tmp_path_factory.mktemp("src")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, src / name)
    dist = tmp_path_factory.mktemp("dist")
    output = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", dist, src, cwd=src
    )
    wheels = list(dist.glob("callcenter_agent-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], output


@pytest.fixture(scope="module")
def venv(built: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed the way pipx does (not editable)."""
    home = tmp_path_factory.mktemp("desk")
    venv = home / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=home)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", built[0], cwd=home)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=home)
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site.strip(), "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return venv


def test_the_build_prints_no_backend_warnings(built: tuple[Path, str]) -> None:
    assert backend_warnings(built[1]) == []


def test_the_wheel_holds_the_packages_and_their_data(built: tuple[Path, str]) -> None:
    with zipfile.ZipFile(built[0]) as wheel:
        names = wheel.namelist()
        info = f"callcenter_agent-{__version__}.dist-info"
        metadata = Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert {n.split("/")[0] for n in names} == {"agent", "shared_schema", info}
    assert "shared_schema/openapi.json" in names
    assert "agent/admin_console/html.py" in names and "agent/install/command.py" in names
    assert not [n for n in names if "__pycache__" in n or n.startswith("tests/")]
    assert metadata["Version"] == __version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    required = {str(r) for r in map(Requirement, metadata.get_all("Requires-Dist")) if not r.marker}
    assert required == {str(Requirement(r)) for r in project["dependencies"]}
    assert "callcenter-agent = agent.cli:main" in entry_points


def test_the_editable_install_prints_no_backend_warnings(tmp_path: Path) -> None:
    """What `make` does on a fresh clone (pip install -e), minus the dependencies."""
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    output = run(
        sys.executable, "-m", "pip", "--python", venv / "bin" / "python",
        "install", "--no-deps", "--editable", ROOT, cwd=tmp_path,
    )  # fmt: skip
    assert backend_warnings(output) == []


@pytest.fixture
def served(venv: Path, tmp_path: Path) -> Iterator[tuple[int, int, Path]]:
    data = tmp_path / "data"
    port, admin_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLCENTER_AGENT_")}
    proc = subprocess.Popen(
        [venv / "bin" / "callcenter-agent", "serve", "--data-dir", data, "--port", str(port),
         "--admin-port", str(admin_port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        assert proc.poll() is None, proc.communicate()[0]
        yield port, admin_port, data
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def test_the_installed_command_is_the_wheel_not_the_checkout(venv: Path, tmp_path: Path) -> None:
    command = venv / "bin" / "callcenter-agent"
    assert run(command, "--version", cwd=tmp_path).strip() == f"callcenter-agent {__version__}"
    where = run(venv / "bin" / "python", "-c", "import agent; print(agent.__file__)", cwd=tmp_path)
    assert Path(where.strip()).is_relative_to(venv), where


def test_the_installed_agent_serves(served: tuple[int, int, Path], venv: Path) -> None:
    port, admin_port, data = served
    base = f"http://127.0.0.1:{port}/api/v1"
    with urllib.request.urlopen(f"{base}/health", timeout=5) as resp:
        health = json.loads(resp.read())
    assert health == {
        "status": "ok", "product": "callcenter-agent", "api_version": 1, "version": __version__
    }  # fmt: skip
    token = run(venv / "bin" / "callcenter-agent", "token", "--data-dir", data, cwd=data).strip()
    request = urllib.request.Request(
        f"{base}/openapi.json", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        served_spec = json.loads(resp.read())
    assert served_spec == json.loads((ROOT / "shared_schema" / "openapi.json").read_text())
    with urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/orders", timeout=5) as resp:
        page = resp.read().decode()
    assert resp.status == 200 and "<h1>Orders</h1>" in page
