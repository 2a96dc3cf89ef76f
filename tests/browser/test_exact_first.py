"""The record typed comes first in the panel: a customer id that is also the last four digits
of other customers' phones leads the results, even sorted by name. Demo store, real agent, real
Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import reset_agent_state, shot

pytestmark = pytest.mark.browser


def a_four_digit_id_with_phone_matches(agent) -> str:
    for cid in range(1000, 1600):
        _, found = agent.request("GET", f"/search/customers?q={cid}&sort=name&order=asc")
        ids = [r["id"] for r in found["results"]]
        if len(ids) > 2 and str(cid) in ids:
            return str(cid)
    raise AssertionError("no customer id that also ends other customers' phones")


def test_the_customer_typed_leads_a_name_sort(paired, agent):
    reset_agent_state(agent)
    cid = a_four_digit_id_with_phone_matches(agent)
    page = paired.open_panel()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    box = page.get_by_role("searchbox", name="Search")
    box.fill(cid)
    box.press("Enter")
    rows = page.locator("table.results tbody tr")
    expect(rows.first).to_have_attribute("data-id", cid)
    page.locator("table.results thead th[data-key='name'] button").click()
    expect(page.locator("table.results thead th[data-key='name']")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(rows.first).to_have_attribute("data-id", cid)
    assert rows.count() > 2
    shot(page, "panel-exact-first")
    assert not page.page_errors, page.page_errors
    page.close()
