"""Zero-touch pairing in real Chromium through the real native host: `callcenter-agent install`
in a relocated home registers the host, Chromium's profile is that home's Chromium folder (it
reads user-level host manifests from <user-data-dir>/NativeMessagingHosts/), and the panel
connects with nothing typed: on the extension's first install, and again after the token was
rotated."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from agent.install.systemd import systemd_running
from tests.browser.conftest import assert_no_axe_violations, shot
from tests.support.agent_process import AgentProcess, cli, free_port
from tests.support.chromium import Browser, launch

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(tmp_path: Path, seeded_store: Path) -> Iterator[tuple[AgentProcess, dict[str, str], int]]:
    """`install` into a home of the test's own, then the agent it would start (here by hand:
    systemd does not run as init on these machines)."""
    if systemd_running():
        pytest.skip("this desk runs systemd: installing would start a real user unit")
    home = tmp_path / "home"
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(seeded_store, data / "demo.db")
    port, admin_port = free_port(), free_port()
    args = ("--port", str(port), "--admin-port", str(admin_port))
    installed = cli("install", *args, data_dir=data, env=env)
    assert installed.returncode == 0, installed.stderr
    agent = AgentProcess(data, port=port, extra_args=args[2:]).start()
    try:
        yield agent, env, admin_port
    finally:
        agent.stop()


def stored(browser: Browser) -> dict[str, Any]:
    return browser.worker.evaluate("() => chrome.storage.local.get(null)")


def test_the_panel_pairs_through_the_native_host_with_nothing_typed(
    pw: Any, desk: tuple[AgentProcess, dict[str, str], int]
) -> None:
    agent, env, admin_port = desk
    profile = Path(env["XDG_CONFIG_HOME"]) / "chromium"
    manifest = profile / "NativeMessagingHosts" / "com.callcentercompanion.agent.json"
    assert json.loads(manifest.read_text())["allowed_origins"] == [
        "chrome-extension://bmkdjnfkgojdbeanehooebdmfiplcmpc/"
    ]
    browser = launch(pw, profile)
    try:
        panel = browser.open_panel()
        expect(panel.locator("body")).to_have_attribute("data-connection", "connected")
        expect(panel.get_by_role("searchbox", name="Search")).to_be_visible()
        saved = stored(browser)
        assert (saved["port"], saved["token"]) == (agent.port, agent.token)
        # The console's address comes from the paired agent's /info, not the host: nothing stored.
        console = f"http://127.0.0.1:{admin_port}"
        assert all(p.get("base") != console for p in saved.get("adminProfiles", [])), saved
        assert agent.request("GET", "/info")[1]["admin_console_url"] == console
        assert_no_axe_violations(panel, "panel paired by the native host")
        shot(panel, "panel-native-paired-light")

        # A rotated token: the panel sees it refused, asks the host again, reconnects.
        agent.stop()
        new_token = agent.rotate_token()
        agent.start()
        expect(panel.locator("body")).to_have_attribute(
            "data-connection", "connected", timeout=30_000
        )
        assert stored(browser)["token"] == new_token
        assert not panel.page_errors
    finally:
        browser.ctx.close()


def test_without_the_host_the_pairing_form_stays(
    pw: Any, desk: tuple[AgentProcess, dict[str, str], int], tmp_path: Path
) -> None:
    agent, _, _ = desk
    browser = launch(pw, tmp_path / "profile-without-host")
    try:
        browser.pair(agent.port, "")
        panel = browser.open_panel()
        card = panel.locator(".connection-card")
        expect(card).to_have_attribute("data-connection", "not-paired")
        expect(card.get_by_label("Pairing token")).to_be_visible()
        card.get_by_label("Pairing token").fill(agent.token)
        card.get_by_role("button", name="Connect").click()
        expect(panel.locator("body")).to_have_attribute("data-connection", "connected")
    finally:
        browser.ctx.close()


def test_another_port_on_the_agent_side_is_followed(
    pw: Any, desk: tuple[AgentProcess, dict[str, str], int]
) -> None:
    """The stored port goes stale (the agent now serves elsewhere): the host's answer has the
    new one."""
    agent, env, _ = desk
    browser = launch(pw, Path(env["XDG_CONFIG_HOME"]) / "chromium")
    try:
        browser.pair(free_port(), agent.token)
        panel = browser.open_panel()
        expect(panel.locator("body")).to_have_attribute("data-connection", "connected")
        assert stored(browser)["port"] == agent.port
    finally:
        browser.ctx.close()
