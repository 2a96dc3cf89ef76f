"""The call flows of issue 13 in the panel: Start New Call starts clean, a call in progress is
never replaced without asking (wrap up / replace anyway / cancel), and reopening a customer who is
open again switches to that session and offers the closed one's tabs. Demo store, real agent,
real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_axe_violations,
    customer_rows,
    shot,
)

pytestmark = pytest.mark.browser


def find_and_open(page, row):
    box = page.get_by_role("searchbox", name="Search")
    page.get_by_role("radio", name="Customers", exact=True).check()
    box.fill(row["id"])
    box.press("Enter")
    page.locator(f'table.results tbody tr[data-id="{row["id"]}"]').click()


def sessions(agent) -> list[dict]:
    _, state = agent.request("GET", "/sessions")
    return state["sessions"]


def open_four(agent, people) -> list[str]:
    ids = []
    for row in people[:4]:
        status, opened = agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
        assert status == 201, opened
        ids.append(opened["session_id"])
    return ids


def test_start_new_call_starts_clean(page, agent):
    row = customer_rows(agent, 1)[0]
    find_and_open(page, row)
    expect(page.get_by_role("tab", name=row["name"])).to_have_attribute("aria-selected", "true")
    # The query that found this caller went with them, into the session's New Search.
    _, state = agent.request("GET", "/sessions")
    assert state["landing"]["q"] == ""
    assert state["sessions"][0]["tabs"][0]["search_state"]["q"] == row["id"]

    page.get_by_role("button", name="Start New Call").click()
    box = page.get_by_role("searchbox", name="Search")
    expect(box).to_have_value("")
    expect(page.locator(".empty-state")).to_contain_text("Search customers")
    expect(page.locator("table.results")).to_have_count(0)

    # A query typed on the landing page and not used is cleared by Start New Call too.
    box.fill("zz-not-a-caller")
    expect(page.locator(".empty-state")).to_contain_text("No customers match")
    page.get_by_role("button", name="Start New Call").click()
    expect(box).to_have_value("")
    expect(page.locator(".empty-state")).to_contain_text("Search customers")


def test_a_call_in_progress_is_never_replaced_without_asking(page, agent):
    people = customer_rows(agent, 6)
    ids = open_four(agent, people)
    agent.request("PUT", f"/sessions/{ids[0]}/notes", {"notes": "Promised a refund by Friday"})
    page.get_by_role("button", name="Start New Call").click()

    # Cancel: nothing changes.
    find_and_open(page, people[4])
    ask = page.get_by_role("dialog", name=f"Replace the call with {people[0]['name']}?")
    expect(ask).to_contain_text("call notes")
    assert_no_axe_violations(page, "replace a call in progress")
    shot(page, "panel-replace-call-in-progress-light")
    ask.get_by_role("button", name="Cancel").click()
    expect(ask).to_have_count(0)
    assert [s["id"] for s in sessions(agent)] == ids

    # Replace anyway: the oldest goes to recently closed, notes and all, and can come back.
    find_and_open(page, people[4])
    ask.get_by_role("button", name="Replace anyway").click()
    expect(page.get_by_role("tab", name=people[4]["name"])).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.get_by_role("status")).to_contain_text(
        f"Closed the session of {people[0]['name']} (the oldest)"
    )
    assert [s["id"] for s in sessions(agent)] == [*ids[1:], sessions(agent)[-1]["id"]]

    # Wrap up: the wrap-up dialog of that call, then the new one opens.
    agent.request("PUT", f"/sessions/{ids[1]}/notes", {"notes": "Address changed"})
    page.get_by_role("button", name="Start New Call").click()
    find_and_open(page, people[5])
    ask = page.get_by_role("dialog", name=f"Replace the call with {people[1]['name']}?")
    ask.get_by_role("button", name=f"Wrap up {people[1]['name']}").click()
    wrap = page.get_by_role("dialog", name=f"Wrap up the call with {people[1]['name']}")
    expect(wrap.get_by_label("Wrap-up note")).to_have_value("Address changed")
    wrap.get_by_role("button", name="Skip and close").click()
    expect(page.get_by_role("tab", name=people[5]["name"])).to_have_attribute(
        "aria-selected", "true"
    )
    open_now = sessions(agent)
    assert len(open_now) == 4 and ids[1] not in [s["id"] for s in open_now]


def test_reopening_a_customer_open_again_switches_there_and_offers_the_closed_tabs(page, agent):
    row = customer_rows(agent, 1)[0]
    status, first = agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
    assert status == 201
    _, orders = agent.request("GET", f"/customers/{row['id']}/orders")
    order = orders["results"][0]
    agent.request(
        "POST", f"/sessions/{first['session_id']}/tabs", {"kind": "order", "id": order["id"]}
    )
    agent.request("DELETE", f"/sessions/{first['session_id']}")
    status, again = agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
    assert status == 201
    agent.request("PUT", "/active-session", {"session_id": None})

    page.get_by_text(re.compile(r"Recently closed \(\d+\)")).click()
    page.get_by_role("button", name=f"Reopen {row['name']}").first.click()  # the newest
    status_line = page.get_by_role("status").filter(has_text="already has an open session")
    expect(status_line).to_contain_text(f"{row['name']} already has an open session")
    offer = status_line.get_by_role("button", name=f"Order #{order['number']}")
    expect(offer).to_be_visible()
    shot(page, "panel-reopen-offers-tabs-light")
    offer.click()
    expect(page.get_by_role("tab", name=f"Order #{order['number']}")).to_have_attribute(
        "aria-selected", "true"
    )
    open_now = sessions(agent)
    assert [s["id"] for s in open_now] == [again["session_id"]]
    assert [t["kind"] for t in open_now[0]["tabs"]] == ["search", "customer", "order"]
