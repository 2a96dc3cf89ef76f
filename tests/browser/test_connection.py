"""Connection and pairing: every state the panel can be in, each with its next step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, launch, reset_agent_state, shot
from tests.support.agent_process import free_port

pytestmark = pytest.mark.browser


def test_agent_not_running_shows_the_serve_command(browser):
    browser.pair(free_port(), "whatever")
    page = browser.open_panel()
    card = page.locator(".connection-card")
    expect(card).to_have_attribute("data-connection", "no-agent")
    expect(card.get_by_role("heading")).to_have_text("Agent not running")
    expect(card.locator("code")).to_have_text("callcenter-agent serve")
    expect(card).to_contain_text(re.compile(r"Trying again in \d+ s|Trying again"))
    assert_no_axe_violations(page, "connection card (no agent)")
    shot(page, "panel-no-agent-light")
    page.emulate_media(color_scheme="dark")
    assert_no_axe_violations(page, "connection card (no agent, dark)")
    shot(page, "panel-no-agent-dark")
    page.close()


def test_not_paired_then_pair_through_the_options_page(browser, agent):
    reset_agent_state(agent)
    browser.pair(agent.port, "")
    panel = browser.open_panel()
    card = panel.locator(".connection-card")
    expect(card).to_have_attribute("data-connection", "not-paired")
    expect(card.locator("code").first).to_have_text("callcenter-agent token")

    options = browser.open("options.html", wide=True)
    options.get_by_label("Agent port").fill(str(agent.port))
    options.get_by_label("Pairing token").fill(agent.token)
    options.get_by_role("button", name="Connect").click()
    expect(options.locator("form .pair-result")).to_contain_text("Connected")
    expect(options.locator("#current-status")).to_contain_text("Connected")
    assert_no_axe_violations(options, "options page")
    shot(options, "options-connected-light")
    options.emulate_media(color_scheme="dark")
    assert_no_axe_violations(options, "options page (dark)")
    shot(options, "options-connected-dark")

    # The open panel follows the stored settings by itself.
    expect(panel.locator("body")).to_have_attribute("data-connection", "connected")
    expect(panel.get_by_role("searchbox", name="Search")).to_be_visible()
    assert not panel.page_errors and not options.page_errors
    options.close()
    panel.close()


def test_wrong_token_is_rejected_with_the_way_out(browser, agent):
    options = browser.open("options.html")
    options.get_by_label("Agent port").fill(str(agent.port))
    options.get_by_label("Pairing token").fill("not-the-token-" + "x" * 30)
    options.get_by_role("button", name="Connect").click()
    expect(options.locator("form .pair-result")).to_contain_text("Token rejected")

    panel = browser.open_panel()
    card = panel.locator(".connection-card")
    expect(card).to_have_attribute("data-connection", "token-rejected")
    expect(card).to_contain_text("callcenter-agent token")
    assert_no_axe_violations(panel, "connection card (token rejected)")
    shot(panel, "panel-token-rejected-light")

    # Re-pair right in the panel's card.
    card.get_by_label("Pairing token").fill(agent.token)
    card.get_by_role("button", name="Connect").click()
    expect(panel.locator("body")).to_have_attribute("data-connection", "connected")
    options.close()
    panel.close()


def test_panel_connects_by_itself_once_the_agent_starts(browser, agent):
    agent.stop()
    browser.pair(agent.port, agent.token)
    page = browser.open_panel()
    expect(page.locator(".connection-card")).to_have_attribute("data-connection", "no-agent")
    agent.start()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected", timeout=20_000)
    expect(page.get_by_role("navigation", name="Sessions")).to_be_visible()
    page.close()


def test_port_must_be_a_number(browser, agent):
    options = browser.open("options.html")
    options.get_by_label("Agent port").fill("eighty")
    options.get_by_role("button", name="Connect").click()
    expect(options.get_by_text("Enter a port number between 1 and 65535.")).to_be_visible()
    expect(options.get_by_label("Agent port")).to_have_attribute("aria-invalid", "true")
    options.close()


def test_agent_goes_away_and_comes_back_with_state(paired, agent):
    reset_agent_state(agent)
    page = paired.open_panel()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    page.get_by_role("searchbox", name="Search").fill("a")
    first = page.locator("tbody tr").first
    name = first.locator("td").nth(1).inner_text()
    first.click()
    expect(page.get_by_role("button", name=f"Close session {name}")).to_be_visible()
    expect(page.locator(".entity-title")).to_contain_text(name)

    agent.kill()
    expect(page.locator(".conn-banner")).to_contain_text("Agent went away")
    expect(page.locator("body")).to_have_attribute("data-connection", "offline")
    # What was on screen stays.
    expect(page.get_by_role("button", name=f"Close session {name}")).to_be_visible()
    shot(page, "panel-offline-light")

    agent.start()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected", timeout=20_000)
    expect(page.locator(".conn-banner")).to_be_hidden()
    expect(page.locator(".entity-title")).to_contain_text(name)
    # The session survived the agent restart; a reload shows it too.
    page.reload()
    expect(page.get_by_role("button", name=f"Close session {name}")).to_be_visible()
    tab = page.get_by_role("tab", name=re.compile(re.escape(name)))
    expect(tab).to_have_attribute("aria-selected", "true")
    assert not page.page_errors
    page.close()


def test_rotated_token_after_an_agent_restart(paired, agent):
    page = paired.open_panel()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    agent.stop()
    expect(page.locator("body")).to_have_attribute("data-connection", "offline")
    new_token = agent.rotate_token()
    agent.start()
    card = page.locator(".connection-card")
    expect(card).to_have_attribute("data-connection", "token-rejected", timeout=20_000)
    expect(card).to_contain_text("callcenter-agent token")
    card.get_by_label("Pairing token").fill(new_token)
    card.get_by_role("button", name="Connect").click()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    expect(page.get_by_role("navigation", name="Sessions")).to_be_visible()
    assert not page.page_errors
    page.close()


def test_token_rotated_under_a_running_agent_asks_to_pair_again(paired, agent):
    """Issue 11, hole 4: `token --rotate` while the panel is live: the agent closes the panel's
    WebSocket (4001), the panel says the token was rejected (without sending the old one on),
    pairs again in its card and then works, live, with the new token."""
    reset_agent_state(agent)
    page = paired.open_panel()
    pill = page.locator(".pill[data-connection]")
    expect(pill).to_have_text("Connected")  # not "(not live)": the event stream is open
    old_token = agent.token
    new_token = agent.rotate_token()
    assert new_token != old_token

    card = page.locator(".connection-card")
    expect(card).to_have_attribute("data-connection", "token-rejected")
    expect(card).to_contain_text("Token rejected")
    expect(card).to_contain_text("it was rotated")
    expect(card).to_contain_text("callcenter-agent token")
    shot(page, "panel-token-rotated")
    status, _ = agent.request("GET", "/sessions", headers={"Authorization": f"Bearer {old_token}"})
    assert status == 401

    card.get_by_label("Pairing token").fill(new_token)
    card.get_by_role("button", name="Connect").click()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    expect(pill).to_have_text("Connected")
    stored = paired.worker.evaluate("chrome.storage.local.get('token')")
    assert stored == {"token": new_token}

    # The panel works with the new token: a search and an open go through the API...
    page.get_by_role("searchbox", name="Search").fill("a")
    first = page.locator("tbody tr").first
    name = first.locator("td").nth(1).inner_text()
    first.click()
    expect(page.get_by_role("button", name=f"Close session {name}")).to_be_visible()
    _, state = agent.request("GET", "/sessions")
    assert [s["title"] for s in state["sessions"]] == [name]
    # ... and the new WebSocket brings another client's change to the panel.
    _, found = agent.request("GET", "/search/customers?page_size=20")
    other = next(r for r in found["results"] if r["name"] != name)
    agent.request("POST", "/sessions", {"kind": "customer", "id": other["id"]})
    expect(page.get_by_role("button", name=f"Close session {other['name']}")).to_be_visible()
    assert not page.page_errors
    page.close()


def test_pairing_and_sessions_survive_a_browser_restart(pw, agent, tmp_path):
    reset_agent_state(agent)
    first = launch(pw, tmp_path / "profile")
    try:
        options = first.open("options.html", wide=True)
        options.get_by_label("Agent port").fill(str(agent.port))
        options.get_by_label("Pairing token").fill(agent.token)
        options.get_by_role("button", name="Connect").click()
        expect(options.locator("form .pair-result")).to_contain_text("Connected")
        panel = first.open_panel()
        panel.get_by_role("searchbox", name="Search").fill("a")
        row = panel.locator("table.results tbody tr").first
        name = row.locator("td").nth(1).inner_text()
        row.click()
        expect(panel.get_by_role("button", name=f"Close session {name}")).to_be_visible()
    finally:
        first.ctx.close()

    again = launch(pw, tmp_path / "profile")
    try:
        panel = again.open_panel()
        expect(panel.locator("body")).to_have_attribute("data-connection", "connected")
        expect(panel.get_by_role("button", name=f"Close session {name}")).to_be_visible()
        expect(panel.locator(".entity-title")).to_contain_text(name)
    finally:
        again.ctx.close()
