"""The extension as IT deploys it: `make extension`'s zip, unpacked, runs in Chromium with the
pinned id, and a policy (chrome.storage.managed, docs/deploy.md) presets the agent port and the
admin consoles. Chromium reads policies only from /etc/chromium/policies, so the policy test
runs Chromium in its own mount namespace with a temporary folder over /etc/chromium: the
machine's own browsers never see it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from agent import __version__
from agent.extension_id import EXTENSION_ID
from tests.browser.conftest import assert_no_axe_violations, shot
from tests.support.chromium import CHROMIUM, ROOT, launch


def build_zip(out: Path) -> Path:
    """`make extension`, into a folder of the test's own."""
    result = subprocess.run(
        [sys.executable, "extension/tools/pack.py", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    plain, store = result.stdout.split()
    assert store == plain.replace(".zip", "-store.zip")
    return Path(plain)


def manifest_files(manifest: dict[str, Any]) -> set[str]:
    named = {
        manifest["background"]["service_worker"],
        manifest["side_panel"]["default_path"],
        manifest["options_ui"]["page"],
        manifest["storage"]["managed_schema"],
        *manifest["icons"].values(),
        *manifest["action"]["default_icon"].values(),
    }
    for script in manifest["content_scripts"]:
        named.update(script["js"])
    return named


def test_the_zip_is_versioned_and_holds_what_the_extension_runs_with(tmp_path: Path) -> None:
    target = build_zip(tmp_path)
    assert target.name == f"callcenter-companion-{__version__}.zip"
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        schema = json.loads(archive.read(manifest["storage"]["managed_schema"]))
    assert manifest["version"] == __version__
    assert manifest_files(manifest) <= names
    source = {p.relative_to(ROOT / "extension").as_posix() for p in (ROOT / "extension").rglob("*")}
    assert names == {n for n in source if (ROOT / "extension" / n).is_file()} - {
        n for n in source if n.startswith("tools/") or n == "README.md" or "__pycache__" in n
    }
    assert set(schema["properties"]) == {"agentPort", "adminConsoles"}
    # The same sources give the same bytes.
    assert build_zip(tmp_path / "again").read_bytes() == target.read_bytes()
    # The Chrome Web Store's copy: the same files, its manifest without the key.
    with zipfile.ZipFile(tmp_path / f"callcenter-companion-{__version__}-store.zip") as store:
        assert set(store.namelist()) == names
        store_manifest = json.loads(store.read("manifest.json"))
    assert "key" not in store_manifest
    assert store_manifest == {k: v for k, v in manifest.items() if k != "key"}


@pytest.fixture
def policy_chromium(tmp_path: Path) -> tuple[Path, Path]:
    """A Chromium launcher that sees ``etc`` as /etc/chromium; returns (launcher, policy file)."""
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.fail(f"the policy test needs root's unshare --mount: {probe.stderr}", pytrace=False)
    etc = tmp_path / "etc-chromium"
    (etc / "policies" / "managed").mkdir(parents=True)
    if Path("/etc/chromium").is_dir():
        shutil.copytree("/etc/chromium", etc, dirs_exist_ok=True, ignore=lambda *_: ["policies"])
    launcher = tmp_path / "chromium-with-policy"
    launcher.write_text(
        "#!/bin/sh\n"
        "exec unshare --mount --propagation private sh -c "
        '\'mount --bind "$0" /etc/chromium && browser="$1" && shift && exec "$browser" "$@"\' '
        f'"{etc}" "{CHROMIUM}" "$@"\n'
    )
    launcher.chmod(0o755)
    return launcher, etc / "policies" / "managed" / "callcenter.json"


def test_a_policy_presets_the_agent_port_and_the_admin_consoles(
    pw: Any, agent: Any, tmp_path: Path, policy_chromium: tuple[Path, Path]
) -> None:
    launcher, policy = policy_chromium
    consoles = [
        {"name": "Acme Kibo", "preset": "kibo", "base": "https://t1.sandbox.mozu.com/Admin/s-2/"},
        {"name": "Broken", "preset": "custom", "base": "ftp://nowhere"},  # left out
    ]
    policy.write_text(
        json.dumps(
            {
                "3rdparty": {
                    "extensions": {
                        EXTENSION_ID: {"agentPort": agent.port, "adminConsoles": consoles}
                    }
                }
            }
        )
    )
    unpacked = tmp_path / "extension"
    with zipfile.ZipFile(build_zip(tmp_path / "dist")) as archive:
        archive.extractall(unpacked)
    browser = launch(pw, tmp_path / "profile", extension=unpacked, executable=str(launcher))
    try:
        assert browser.ext_id == EXTENSION_ID
        # Only the token is stored: the port comes from the policy.
        browser.worker.evaluate("(t) => chrome.storage.local.set({token: t})", agent.token)
        panel = browser.open_panel()
        expect(panel.locator("body")).to_have_attribute("data-connection", "connected")

        options = browser.open("options.html", wide=True)
        expect(options.get_by_label("Agent port")).to_have_value(str(agent.port))
        row = options.locator(".profile-row", has_text="Acme Kibo")
        expect(row).to_contain_text("set by your organisation")
        expect(row.locator("code")).to_have_text("https://t1.sandbox.mozu.com/Admin/s-2")
        expect(row.get_by_role("radio")).to_be_checked()  # the default for Open in admin
        expect(row.get_by_role("button", name="Remove Acme Kibo")).to_have_count(0)
        expect(row.get_by_role("button", name="Allow the overlay on Acme Kibo")).to_be_visible()
        expect(options.locator(".profile-row", has_text="Broken")).to_have_count(0)
        assert_no_axe_violations(options, "options page with policy consoles")
        shot(options, "options-policy-light")
        assert not panel.page_errors and not options.page_errors
    finally:
        browser.ctx.close()
