"""Structured wrap-up in the panel: the disposition comes from the agent's list and is recorded
with the call and its time on hold; "My day" on the landing page shows the day's calls with a
chart drawn by the panel; Recent callers reopen in one click. Demo store, real agent, real
Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, customer_rows, shot

pytestmark = pytest.mark.browser


def test_a_wrap_up_is_recorded_and_my_day_charts_it(page, agent):
    agent.request("PUT", "/dispositions", {"dispositions": ["Order status", "Lost parcel"]})
    row = customer_rows(agent, 1)[0]
    _, before = agent.request("GET", "/report")
    agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
    close = page.get_by_role("button", name=f"Close session {row['name']}")
    hold = page.get_by_role("button", name="Hold")
    hold.click()
    expect(page.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Resume").click()
    expect(hold).to_have_attribute("aria-pressed", "false")
    close.click()
    dialog = page.get_by_role("dialog", name=re.compile("Wrap up the call"))
    reason = dialog.get_by_role("combobox", name="Call reason")
    expect(reason.locator("option")).to_have_text(
        ["Choose a reason", "Order status", "Lost parcel"]
    )
    reason.select_option("Lost parcel")
    dialog.get_by_role("button", name="Save note and close").click()
    expect(close).to_have_count(0)
    _, report = agent.request("GET", "/report")
    assert report["calls"] == before["calls"] + 1
    assert report["wrap_ups"][-1]["disposition"] == "Lost parcel"
    assert report["wrap_ups"][-1]["held_seconds"] >= 1  # the hold is left out of handle time

    page.get_by_role("button", name="My day").click()
    day = page.get_by_role("dialog", name="My day")
    expect(day.locator("dd").first).to_have_text(str(report["calls"]))
    chart = day.get_by_role("img", name=re.compile("Calls by disposition"))
    expect(chart).to_have_attribute("aria-label", re.compile(r"Lost parcel: \d+"))
    expect(chart.locator("rect")).to_have_count(len(report["dispositions"]))
    shot(page, "panel-my-day")
    assert_no_axe_violations(page, "my day dialog")
    day.get_by_role("button", name="Close").click()
    expect(page.get_by_role("button", name="My day")).to_be_focused()
    agent.request("PUT", "/dispositions", {"dispositions": ["Other"]})


def test_a_hold_in_one_panel_pauses_the_call_in_the_other(page, agent, paired):
    """The agent keeps the hold: a second panel window shows it at once, and a reload keeps
    it (before, each panel kept its own holds in its sessionStorage)."""
    row = customer_rows(agent, 1)[0]
    _, opened = agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
    other = paired.open_panel()
    try:
        expect(other.locator("body")).to_have_attribute("data-connection", "connected")
        expect(other.get_by_role("button", name="Hold")).to_have_attribute("aria-pressed", "false")
        page.get_by_role("button", name="Hold").click()
        expect(page.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
        resume = other.get_by_role("button", name="Resume")
        expect(resume).to_have_attribute("aria-pressed", "true")  # live, from the agent
        _, state = agent.request("GET", "/sessions")
        [session] = [s for s in state["sessions"] if s["id"] == opened["session_id"]]
        assert session["hold_since"] is not None
        other.reload()
        expect(other.locator("body")).to_have_attribute("data-connection", "connected")
        expect(resume).to_have_attribute("aria-pressed", "true")  # the reload keeps the hold
        # Paused: the clock reads the same a second later.
        shown = other.locator(".call-timer").text_content()
        other.wait_for_timeout(1100)
        expect(other.locator(".call-timer")).to_have_text(shown or "")
        resume.click()
        expect(page.get_by_role("button", name="Hold")).to_have_attribute("aria-pressed", "false")
        expect(other.get_by_role("button", name="Hold")).to_have_attribute("aria-pressed", "false")
        for panel in (page, other):
            stored = panel.evaluate("() => Object.keys(sessionStorage)")
            assert not [k for k in stored if k.startswith("hold:")], stored
        assert not other.page_errors, other.page_errors
    finally:
        other.close()


def test_recent_callers_reopen_in_one_click(page, agent):
    people = customer_rows(agent, 2)
    for row in people:
        _, opened = agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
        agent.request("DELETE", f"/sessions/{opened['session_id']}")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    recent = page.get_by_role("region", name="Recent callers")
    buttons = recent.get_by_role("button")
    expect(buttons.first).to_have_text(f"Reopen {people[1]['name']}")
    expect(buttons.nth(1)).to_have_text(f"Reopen {people[0]['name']}")
    shot(page, "panel-recent-callers")
    assert_no_axe_violations(page, "landing page with recent callers")
    buttons.nth(1).click()
    expect(page.get_by_role("tab", name=people[0]["name"])).to_have_attribute(
        "aria-selected", "true"
    )
    _, state = agent.request("GET", "/sessions")
    assert [s["customer_id"] for s in state["sessions"]] == [people[0]["id"]]
