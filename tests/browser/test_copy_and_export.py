"""Copy buttons beside ids, numbers, emails and phones (with a "Copied" status for screen
readers), and the CSV export of the current results: the columns shown, the filters applied.
Demo store, real agent, real Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_axe_violations,
    connected_panel,
    orders_with_customer,
    shot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def page(paired, agent):
    with connected_panel(paired, agent, clipboard=True) as tab:
        yield tab


def test_copy_buttons_copy_and_say_so(page, agent):
    order = orders_with_customer(agent, 1)[0]
    _, detail = agent.request("GET", f"/orders/{order['id']}")
    agent.request("POST", "/sessions", {"kind": "order", "id": order["id"]})
    expect(page.locator(".entity-title")).to_contain_text(f"#{detail['number']}")
    page.get_by_role("button", name="Copy order number").click()
    expect(page.get_by_role("status").filter(has_text="Copied order number")).to_have_text(
        f"Copied order number: {detail['number']}"
    )
    assert page.evaluate("navigator.clipboard.readText()") == str(detail["number"])
    page.get_by_role("button", name="Copy email").first.click()
    assert page.evaluate("navigator.clipboard.readText()") == detail["email"]
    shot(page, "panel-copy-buttons")
    assert_no_axe_violations(page, "order view with copy buttons")


def test_csv_export_has_the_columns_shown_and_the_filters_applied(page, agent):
    page.get_by_role("radio", name="Orders", exact=True).check()
    box = page.get_by_role("searchbox", name="Search")
    box.fill("smith")
    box.press("Enter")
    expect(page.locator("table.results tbody tr").first).to_be_visible()
    _, found = agent.request("GET", "/search/orders?q=smith&page_size=1")
    headers = page.locator("table.results thead th").all_inner_texts()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert [h.strip() for h in rows[0]] == [h.strip() for h in headers]
    expected = min(found["total"], 1000)
    assert len(rows) - 1 == expected
    name_at = rows[0].index("Customer")
    assert all("smith" in r[name_at].lower() or r[name_at] == "" for r in rows[1:])
    expect(page.get_by_role("status").filter(has_text="Exported")).to_contain_text(
        f"Exported {expected:,}"
    )
    shot(page, "panel-csv-export")
