"""The panel takes its limits from the agent (GET /info), never its own copy: with other limits
served, the Search box, the page size, the page cap and the call notes follow them."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import customer_rows, reset_agent_state

pytestmark = pytest.mark.browser

SERVED = {
    "search_page_size": 7,
    "search_max_page": 2,
    "search_query_max_length": 30,
    "call_notes_max_length": 120,
}


def serve_other_limits(page):
    """Answer /info with the agent's own body but the limits above."""

    def handle(route):
        answer = route.fetch()
        body = answer.json()
        body["limits"] |= SERVED
        route.fulfill(response=answer, body=json.dumps(body))

    page.route("**/api/v1/info", handle)


def test_panel_follows_the_limits_the_agent_serves(paired, agent):
    reset_agent_state(agent)
    page = paired.ctx.new_page()
    page.set_viewport_size({"width": 400, "height": 700})
    serve_other_limits(page)
    searches = []
    page.on(
        "request",
        lambda r: (
            searches.append(parse_qs(urlparse(r.url).query))
            if "/api/v1/search/customers?" in r.url
            else None
        ),
    )
    page.goto(paired.url("panel.html"))
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")

    box = page.get_by_role("searchbox", name="Search")
    expect(box).to_have_attribute("maxlength", str(SERVED["search_query_max_length"]))
    box.fill("a")
    expect(page.locator("table.results tbody tr")).to_have_count(SERVED["search_page_size"])
    assert searches[-1]["page_size"] == [str(SERVED["search_page_size"])]
    # Many customers match "a", but the pager stops at the served cap.
    expect(page.locator(".page-of")).to_have_text(f"Page 1 of {SERVED['search_max_page']}")
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".page-of")).to_have_text("Page 2 of 2")
    expect(page.get_by_role("button", name="Next")).to_be_disabled()

    # A session's call notes take the served length.
    row = customer_rows(agent, 1)[0]
    agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
    notes = page.get_by_role("textbox", name="Call notes")
    expect(notes).to_have_attribute("maxlength", str(SERVED["call_notes_max_length"]))
    page.close()
