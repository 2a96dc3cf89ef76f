"""Data as a CSR reads it, in the panel: payment status that follows the payments, the agent's
words for codes (never "DifferentExpectations" or "Vip"), one date format with the time zone,
Advanced Search's dates as the rest of the panel writes them, and one money format shared with
the agent's messages. Demo store, real agent, real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, reset_agent_state, shot

pytestmark = pytest.mark.browser


def open_tab(agent, kind: str, entity_id: str) -> None:
    reset_agent_state(agent)
    status, opened = agent.request("POST", "/sessions", {"kind": kind, "id": entity_id})
    assert status in (200, 201), opened


def test_a_cancelled_paid_order_reads_refunded(paired, agent):
    _, found = agent.request("GET", "/search/orders?status=Accepted&payment_status=Paid")
    order = None
    for row in found["results"]:
        _, candidate = agent.request("GET", f"/orders/{row['id']}")
        if "cancel_order" in candidate["available_actions"]:
            order = candidate
            break
    assert order is not None, "the demo store seeds Accepted, paid orders that can be cancelled"
    status, result = agent.request(
        "POST",
        f"/orders/{order['id']}/actions/cancel_order",
        {"expected_version": order["version"], "reason_code": "CustomerRequest"},
        headers={"Idempotency-Key": f"words-cancel-{order['number']}"},
    )
    assert status == 200, result
    open_tab(agent, "order", order["id"])
    page = paired.open_panel()
    head = page.locator(".entity-order .entity-head")
    expect(head).to_contain_text("Payment: Refunded")
    expect(head).not_to_contain_text("Paid")
    shot(page, "panel-cancelled-order-refunded-light")
    # The Payment Status filter agrees: Paid no longer finds it, Refunded does.
    page.get_by_role("tab", name="New Search").click()
    page.get_by_role("radio", name="Orders", exact=True).check()
    page.get_by_role("searchbox", name="Search").fill(f"#{order['number']}")
    page.get_by_role("button", name="Advanced Search").click()
    box = page.get_by_role("dialog", name="Advanced Search")
    box.get_by_role("group", name="Payment Status").get_by_label("Paid", exact=True).check()
    box.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".empty-state")).to_contain_text("No orders match")
    page.get_by_role("button", name="Remove filter Payment Status").click()
    page.get_by_role("button", name="Advanced Search").click()
    box.get_by_role("group", name="Payment Status").get_by_label("Refunded").check()
    box.get_by_role("button", name="Apply filters").click()
    expect(page.locator(f'table.results tbody tr[data-id="{order["id"]}"]')).to_be_visible()
    page.close()


def test_codes_read_as_words(paired, agent):
    _, found = agent.request("GET", "/search/returns?reason=DifferentExpectations&page_size=5")
    ret = found["results"][0]
    open_tab(agent, "return", ret["id"])
    page = paired.open_panel()
    view = page.locator(".entity-return")
    expect(view).to_contain_text("Not as Expected")
    text = view.inner_text()
    for raw in ("DifferentExpectations", "NotRefunded", "PartiallyRefunded", "NotRequested"):
        assert raw not in text, raw
    # The order's payment method and history speak words too.
    page.get_by_role("link", name=re.compile("Open order")).or_(
        page.get_by_role("button", name=re.compile("Open order"))
    ).first.click()
    order_view = page.locator(".entity-order")
    expect(order_view).to_be_visible()
    assert "CreditCard" not in order_view.inner_text()
    # Advanced Search offers the customer segments by their words.
    page.get_by_role("tab", name="New Search").click()
    page.get_by_role("radio", name="Customers", exact=True).check()
    page.get_by_role("button", name="Advanced Search").click()
    segments = page.get_by_role("dialog").get_by_role("group", name="Segment")
    expect(segments.get_by_label("VIP", exact=True)).to_be_visible()
    expect(segments.get_by_label("First-Time Buyer")).to_be_visible()
    assert "Vip" not in segments.inner_text() and "FirstTimeBuyer" not in segments.inner_text()
    assert_no_axe_violations(page, "Advanced Search with the agent's words")
    page.keyboard.press("Escape")
    page.close()


def test_one_date_format_with_the_time_zone(paired, agent):
    _, found = agent.request("GET", "/search/orders?status=Completed&page_size=1")
    order_id = found["results"][0]["id"]
    open_tab(agent, "order", order_id)
    page = paired.open_panel()
    zone = page.evaluate(
        "() => new Intl.DateTimeFormat(undefined, {timeZoneName: 'short'})"
        ".formatToParts(new Date()).find((p) => p.type === 'timeZoneName').value"
    )
    summary = page.locator(".entity-order .stacked-facts dd").first
    expect(summary).to_contain_text(zone)
    text = summary.inner_text()
    assert re.search(r"\b\d{4}\b", text), f"no four-digit year in {text!r}"
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", text), f"a numeric date: {text!r}"
    for when in page.locator(".entity-order .timeline .muted").all_inner_texts()[:3]:
        assert zone in when, when

    # Advanced Search: its date hint says nothing of YYYY-MM-DD, and a chosen day reads as the
    # panel writes every day.
    page.get_by_role("tab", name="New Search").click()
    page.get_by_role("radio", name="Orders", exact=True).check()
    page.get_by_role("button", name="Advanced Search").click()
    box = page.get_by_role("dialog", name="Advanced Search")
    submitted = box.get_by_role("group", name="Submitted")
    expect(submitted).to_contain_text("Both days included")
    expect(submitted).not_to_contain_text("YYYY")
    submitted.get_by_label("From").fill("2026-11-01")
    box.get_by_role("button", name="Apply filters").click()
    day = page.evaluate(
        "() => new Intl.DateTimeFormat(undefined, {year: 'numeric', month: 'short',"
        " day: 'numeric'}).format(new Date('2026-11-01T00:00:00'))"
    )
    expect(page.locator(".chips")).to_contain_text(f"Submitted: from {day}")
    page.close()


def test_money_reads_the_same_in_the_panel_and_the_agents_messages(paired, agent):
    _, found = agent.request("GET", "/search/customers?page_size=30")
    customer = None
    for row in found["results"]:
        _, candidate = agent.request("GET", f"/customers/{row['id']}")
        if (
            candidate["currency"] == "CAD"
            and "issue_store_credit" in candidate["available_actions"]
        ):
            customer = candidate
            break
    assert customer is not None, "the demo store has Canadian customers"
    status, result = agent.request(
        "POST",
        f"/customers/{customer['id']}/actions/issue_store_credit",
        {"expected_version": customer["version"], "amount_cents": 2500},
        headers={"Idempotency-Key": f"words-credit-{customer['id']}"},
    )
    assert status == 200, result
    open_tab(agent, "customer", customer["id"])
    page = paired.open_panel()
    page.get_by_role("tab", name="Gift Card & Store Credits").click()
    code = result["entity"]["store_credits"][-1]["code"]
    row = page.locator("table.data tbody tr", has_text=code)
    shown = row.locator("td").nth(2).locator(".cell-value").inner_text()
    assert shown in result["message"], (shown, result["message"])  # "CA$25.00" both ways
    assert "CAD" not in result["message"]
    page.close()
