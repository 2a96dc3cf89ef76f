"""Search landing page: kinds, Search box, Advanced Search, sort, columns, paging, keyboard,
empty / no-results / error states, and the state kept by the agent."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_axe_violations,
    both_backends,
    connected_panel,
    shot,
    shot_name,
)

pytestmark = pytest.mark.browser
# test_search_each_kind_finds_and_opens_a_row and the single-filter tests run on both backends
# (@both_backends); the rest lean on the demo store's volume (paging, sorts over many rows).


@pytest.fixture
def page(paired, agent):
    agent.request("PUT", "/preferences/customers", {"columns": None, "sort": None, "order": None})
    with connected_panel(paired, agent) as tab:
        yield tab


def column_texts(page, label):
    headers = page.locator("table.results thead th").all_inner_texts()
    index = [h.strip() for h in headers].index(label)
    return page.locator(
        f"table.results tbody tr td:nth-child({index + 1}) .cell-value"
    ).all_inner_texts()


ENTITY_KEYS = {
    "customers": ("id", "name", "customer"),
    "orders": ("number", "#", "order"),
    "returns": ("number", "#", "return"),
}


@both_backends
@pytest.mark.parametrize("kind", ["customers", "orders", "returns"])
def test_search_each_kind_finds_and_opens_a_row(page, agent, kind):
    """Search by a row's own id/number (taken from the agent), then open it in a session."""
    query_key, title_key, entity = ENTITY_KEYS[kind]
    _, api = agent.request("GET", f"/search/{kind}?page_size=25")
    assert api["results"], f"{agent.backend}: no {kind}"
    row = api["results"][0]
    page.get_by_role("radio", name=kind.capitalize(), exact=True).check()
    box = page.get_by_role("searchbox", name="Search")
    box.fill(str(row[query_key]))
    box.press("Enter")
    hit = page.locator(f'table.results tbody tr[data-id="{row["id"]}"]')
    expect(hit).to_be_visible()
    expect(page.locator(".result-count")).to_be_visible()
    hit.click()
    title = row["name"] if title_key == "name" else f"#{row['number']}"
    expect(page.locator(f".entity-{entity} .entity-title")).to_contain_text(title)
    expect(page.locator("#tabbar").get_by_role("tab")).to_have_count(2)


def test_customers_sort_columns_paging_keyboard_and_restore(page, agent):
    group = page.get_by_role("radiogroup")
    for name in ("Customers", "Orders", "Returns"):
        expect(group.get_by_role("radio", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="Customers")).to_be_checked()
    expect(page.locator(".empty-state")).to_contain_text("Search customers")

    _, api = agent.request("GET", "/search/customers?q=a&page_size=25")
    page.get_by_role("searchbox", name="Search").fill("a")
    expect(page.locator(".result-count")).to_have_text(f"{api['total']} customers")
    expect(page.locator("table.results tbody tr")).to_have_count(min(25, api["total"]))
    pages = -(-api["total"] // 25)
    expect(page.locator(".page-of")).to_have_text(f"Page 1 of {pages}")

    # Sort by Name: aria-sort follows, order matches the agent's.
    page.get_by_role("button", name="Name", exact=True).click()
    name_th = page.locator("th[data-key=name]")
    expect(name_th).to_have_attribute("aria-sort", "ascending")
    _, by_name = agent.request("GET", "/search/customers?q=a&sort=name&order=asc&page_size=25")
    first_row = page.locator("table.results tbody tr").first
    expect(first_row).to_have_attribute("data-id", by_name["results"][0]["id"])
    page.get_by_role("button", name="Name", exact=True).click()
    expect(name_th).to_have_attribute("aria-sort", "descending")

    # Columns menu: add Orders, drop Phone; remembered by the agent per kind.
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("checkbox", name="Orders").check()
    page.get_by_role("checkbox", name="Phone").uncheck()
    expect(page.locator("th[data-key=order_count]")).to_be_visible()
    expect(page.locator("th[data-key=phone]")).to_have_count(0)
    assert_no_axe_violations(page, "search with columns menu open")
    shot(page, "panel-columns-menu-light")
    page.keyboard.press("Escape")
    expect(page.get_by_role("group", name="Visible columns")).to_be_hidden()
    _, prefs = agent.request("GET", "/preferences")
    assert "order_count" in prefs["customers"]["columns"]
    assert "phone" not in prefs["customers"]["columns"]
    assert prefs["customers"]["sort"] == "name" and prefs["customers"]["order"] == "desc"

    # Paging.
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".page-of")).to_have_text(f"Page 2 of {pages}")
    shot(page, "panel-search-customers-light")

    # The agent keeps the search state: a reload restores query, sort, page and columns.
    page.wait_for_timeout(700)  # the state is saved 0.4 s after the last change
    _, state = agent.request("GET", "/sessions")
    assert state["landing"]["q"] == "a" and state["landing"]["page"] == 2
    page.reload()
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("a")
    expect(page.locator(".page-of")).to_have_text(f"Page 2 of {pages}")
    expect(page.locator("th[data-key=name]")).to_have_attribute("aria-sort", "descending")
    expect(page.locator("th[data-key=order_count]")).to_be_visible()

    # Keyboard: ArrowDown from the box into the rows, arrows move, Enter opens.
    page.get_by_role("searchbox", name="Search").focus()
    page.keyboard.press("ArrowDown")
    rows = page.locator("table.results tbody tr")
    expect(rows.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(rows.nth(1)).to_be_focused()
    name = rows.nth(1).locator("td").nth(1).inner_text()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=f"Close session {name}")).to_be_visible()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name=name)).to_be_focused()


def test_orders_with_a_filter_sort_and_errors(page, agent):
    page.get_by_role("radio", name="Orders").check()
    page.get_by_role("button", name="Advanced Search").click()
    dialog = page.get_by_role("dialog", name="Advanced Search")
    expect(dialog).to_be_visible()
    assert_no_axe_violations(page, "Advanced Search dialog")
    shot(page, "panel-advanced-search-light")
    dialog.get_by_role("checkbox", name="Processing").check()
    dialog.get_by_role("button", name="Apply filters").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".chips")).to_contain_text("Status: Processing")

    _, api = agent.request("GET", "/search/orders?status=Processing&page_size=25")
    expect(page.locator(".result-count")).to_have_text(f"{api['total']} orders")
    statuses = column_texts(page, "Status")
    assert statuses and set(statuses) == {"Processing"}

    page.get_by_role("button", name="Total", exact=True).click()
    expect(page.locator("th[data-key=total]")).to_have_attribute("aria-sort", "descending")
    _, by_total = agent.request(
        "GET", "/search/orders?status=Processing&sort=total&order=desc&page_size=25"
    )
    first_row = page.locator("table.results tbody tr").first
    expect(first_row).to_have_attribute("data-id", by_total["results"][0]["id"])

    # The agent refuses a bad filter value: the message shows next to that field.
    page.get_by_role("button", name="Advanced Search").click()
    dialog.get_by_label("Order Number").fill("12x")
    dialog.get_by_role("button", name="Apply filters").click()
    error = page.locator(".error-state")
    expect(error).to_contain_text("Order Number")
    error.get_by_role("button", name="Fix in Advanced Search").click()
    expect(dialog.get_by_label("Order Number")).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator(".field-error")).to_be_visible()
    dialog.get_by_label("Order Number").fill("")
    dialog.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".result-count")).to_be_visible()

    # Removing the chip drops the filter; a query that matches nothing says so.
    page.get_by_role("button", name="Remove filter Status").click()
    expect(page.locator(".chips")).to_be_hidden()
    page.get_by_role("searchbox", name="Search").fill("zzqqxx")
    expect(page.locator(".empty-state")).to_contain_text("No orders match “zzqqxx”")


@both_backends
def test_returns_with_a_filter(page, agent):
    page.get_by_role("radio", name="Returns").check()
    page.get_by_role("button", name="Advanced Search").click()
    dialog = page.get_by_role("dialog", name="Advanced Search")
    dialog.get_by_role("checkbox", name="Authorized").check()
    dialog.get_by_role("button", name="Apply filters").click()
    _, api = agent.request("GET", "/search/returns?status=Authorized&page_size=25")
    expect(page.locator(".result-count")).to_have_text(re.compile(rf"^{api['total']} returns?$"))
    assert set(column_texts(page, "Status")) == {"Authorized"}
    page.get_by_role("button", name="Return #", exact=True).click()
    expect(page.locator("th[data-key=number]")).to_have_attribute(
        "aria-sort", re.compile("ascending|descending")
    )
    # The kind and filter live in the agent's landing state.
    page.wait_for_timeout(700)
    _, state = agent.request("GET", "/sessions")
    assert state["landing"]["kind"] == "returns"
    assert state["landing"]["filters"] == {"status": ["Authorized"]}


@both_backends
def test_customers_with_a_filter_alone(page, agent):
    page.get_by_role("button", name="Advanced Search").click()
    dialog = page.get_by_role("dialog", name="Advanced Search")
    if agent.backend == "kibo":
        # Kibo cannot tell Active from Locked accounts: the filter says so, and offers nothing.
        status = dialog.get_by_role("group", name="Account Status")
        expect(status).to_be_disabled()
        expect(status).to_contain_text("Not available on this store")
        expect(status.get_by_role("checkbox")).to_have_count(0)
        assert_no_axe_violations(page, "Advanced Search with an unavailable filter")
        shot(page, shot_name(agent, "panel-advanced-search-unavailable"))
        page.emulate_media(color_scheme="dark")
        page.set_viewport_size({"width": 1000, "height": 700})
        shot(page, shot_name(agent, "panel-advanced-search-unavailable-wide-dark"))
        page.emulate_media(color_scheme="light")
        page.set_viewport_size({"width": 360, "height": 640})
    dialog.get_by_role("checkbox", name="Vip").check()
    dialog.get_by_role("button", name="Apply filters").click()
    _, api = agent.request("GET", "/search/customers?segment=VIP&page_size=25")
    assert api["total"] >= 1
    noun = "customer" if api["total"] == 1 else "customers"
    expect(page.locator(".result-count")).to_have_text(f"{api['total']} {noun}")
    ids = page.locator("table.results tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert ids == [r["id"] for r in api["results"]]


def test_capped_totals_show_a_plus(page):
    def capped(route):
        response = route.fetch()
        body = response.json()
        body["total"], body["total_exact"] = 10000, False
        route.fulfill(response=response, body=json.dumps(body))

    page.route(re.compile(r".*/api/v1/search/customers\?.*"), capped)
    page.get_by_role("searchbox", name="Search").fill("a")
    expect(page.locator(".result-count")).to_have_text("10,000+ customers")
    expect(page.locator(".page-of")).to_have_text("Page 1")
