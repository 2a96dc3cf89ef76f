"""The side panel at 360, 400 and 480 px (and the wide view), light and dark, with four calls
open: every session visible at once with its caller's name and a count, tab labels that keep
their number, results and detail tables whose key columns show without sideways scrolling, the
customer's name on one line, and no axe violations. Screenshots of every state land in
test-artifacts/screenshots/ (layout-<state>-<width>-<scheme>.png)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_axe_violations,
    reset_agent_state,
    return_with_customer,
    shot,
)

pytestmark = pytest.mark.browser

WIDTHS = (360, 400, 480)


@pytest.fixture(scope="module")
def calls(agent) -> dict[str, Any]:
    """Four sessions: three callers with the longest names the store has, then the caller of
    a return, whose session holds the customer, order and return tabs."""
    reset_agent_state(agent)
    ret = return_with_customer(agent)
    _, found = agent.request("GET", "/search/customers?page_size=100&sort=name&order=asc")
    by_name = {r["name"]: r for r in found["results"] if r["name"] != ret["customer_name"]}
    longest = sorted(by_name.values(), key=lambda r: len(r["name"]), reverse=True)[:3]
    for row in longest:
        status, _ = agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
        assert status == 201
    status, opened = agent.request("POST", "/sessions", {"kind": "return", "id": ret["id"]})
    assert status == 201, opened
    sid = opened["session_id"]
    _, with_order = agent.request(
        "POST", f"/sessions/{sid}/tabs", {"kind": "order", "id": ret["order_id"]}
    )
    _, with_customer = agent.request(
        "POST", f"/sessions/{sid}/tabs", {"kind": "customer", "id": ret["customer_id"]}
    )
    tabs = {t["kind"]: t["id"] for t in with_customer["state"]["sessions"][-1]["tabs"]}
    agent.request(
        "PUT",
        f"/sessions/{sid}/search-state",
        {"kind": "orders", "q": "a", "filters": {}, "sort": None, "order": None, "page": 1},
    )
    agent.request("PUT", "/preferences/orders", {"columns": None, "sort": None, "order": None})
    _, order = agent.request("GET", f"/orders/{ret['order_id']}")
    names = [r["name"] for r in longest] + [ret["customer_name"]]
    credit = give_the_customer_a_history(agent, ret["customer_id"])
    assert with_order["tab_id"]
    return {
        "session": sid,
        "tabs": tabs,
        "names": names,
        "return": ret,
        "order": order,
        "credit": credit,
    }


def give_the_customer_a_history(agent, customer_id: str) -> dict[str, str]:
    """Store credit issued then raised, marketing switched: an audit log with money in it."""

    def act(action: str, body: dict[str, Any], key: str | None = None) -> dict[str, Any]:
        _, customer = agent.request("GET", f"/customers/{customer_id}")
        headers = {"Idempotency-Key": key} if key else None
        status, result = agent.request(
            "POST",
            f"/customers/{customer_id}/actions/{action}",
            {"expected_version": customer["version"], **body},
            headers=headers,
        )
        assert status == 200, result
        return result

    issued = act("issue_store_credit", {"amount_cents": 2500}, key="layout-issue-1")
    code = issued["entity"]["store_credits"][-1]["code"]
    act("adjust_store_credit", {"code": code, "amount_cents": 500}, key="layout-adjust-1")
    _, customer = agent.request("GET", f"/customers/{customer_id}")
    act("edit_general", {"accepts_marketing": not customer["accepts_marketing"]})
    return {"code": code, "currency": customer["currency"]}


def show(agent, calls, kind: str) -> None:
    agent.request("PUT", "/active-session", {"session_id": calls["session"]})
    agent.request(
        "PUT", f"/sessions/{calls['session']}/active-tab", {"tab_id": calls["tabs"][kind]}
    )


def no_sideways_scroll(page, selector: str, label: str) -> None:
    sizes = page.eval_on_selector(
        selector, "el => ({scroll: el.scrollWidth, client: el.clientWidth})"
    )
    assert sizes["scroll"] <= sizes["client"] + 1, f"{label} scrolls sideways: {sizes}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{label}: the page is {overflow}px wider than the panel"


def inside(page, locator, label: str) -> None:
    """Fully on screen horizontally and not cut by its own box (no ellipsis)."""
    box = locator.bounding_box()
    assert box is not None, f"{label}: not rendered"
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"{label}: {box}"
    cut = locator.evaluate(
        "el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1"
    )
    assert not cut, f"{label}: cut off"


def sort_and_choose_columns_in_cards(page) -> None:
    """The cards keep the table's tools: a header sorts, the Columns menu hides a column."""
    total = page.locator("table.results thead th[data-key=total]")
    total.get_by_role("button").click()
    expect(total).to_have_attribute("aria-sort", "descending")
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("checkbox", name="Fulfillment").uncheck()
    page.keyboard.press("Escape")
    expect(page.locator("table.results td.key-fulfillment_status")).to_have_count(0)
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("button", name="Default columns").click()
    page.keyboard.press("Escape")
    expect(page.locator("table.results td.key-fulfillment_status").first).to_be_visible()


def check_strip(page, calls) -> None:
    nav = page.get_by_role("navigation", name="Sessions")
    expect(nav.get_by_text("4/4")).to_be_visible()
    no_sideways_scroll(page, ".sessions-nav", "the session strip")
    for name in calls["names"]:
        title = nav.locator(".session-title", has_text=name)
        expect(title).to_be_visible()
        inside(page, title, f"session {name}")
    start = page.get_by_role("button", name="Start New Call").bounding_box()
    for item in nav.locator(".session").all():
        other = item.bounding_box()
        apart = (
            other["x"] >= start["x"] + start["width"]
            or other["y"] >= start["y"] + start["height"]
            or other["x"] + other["width"] <= start["x"]
        )
        assert apart, "Start New Call covers a session"


def check_tabs(page, calls) -> None:
    no_sideways_scroll(page, ".tabs", "the tab strip")
    order = calls["order"]
    ret = calls["return"]
    inside(page, page.locator(".tab-order .tab-number"), "the order tab's number")
    expect(page.locator(".tab-order .tab-number")).to_have_text(f"#{order['number']}")
    inside(page, page.locator(".tab-return .tab-number"), "the return tab's number")
    expect(page.locator(".tab-return .tab-number")).to_have_text(f"#{ret['number']}")
    expect(page.get_by_role("tab", name=f"Order #{order['number']}")).to_be_visible()
    expect(page.get_by_role("tab", name=f"Return #{ret['number']}")).to_be_visible()


WORDS_WHOLE = """() => {
  // Each text piece of an email (before and after its "@"), id or code lies on one line.
  const broken = [];
  for (const el of document.querySelectorAll(".email, .code, .entity-name")) {
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(node.textContent);
    }
  }
  return broken;
}"""


def words_whole(page, label: str) -> None:
    assert page.evaluate(WORDS_WHOLE) == [], f"{label}: an email, id or code breaks mid-word"


def cell(page, table: str, header: str, row: int = 0):
    """The cell of a column (by its header text) in a data table whose caption is `table`."""
    found = page.locator("table.data").filter(has=page.locator("caption", has_text=table)).first
    headers = [h.strip() for h in found.locator("thead th").all_inner_texts()]
    index = headers.index(header)
    return found.locator("tbody tr").nth(row).locator("td").nth(index)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_side_panel_at_its_widths(paired, agent, calls, width, scheme):
    tag = f"{width}-{scheme}"
    show(agent, calls, "search")
    page = paired.open_panel(scheme=scheme)
    page.set_viewport_size({"width": width, "height": 760})
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")

    # Results of the session's New Search: orders matching "a".
    expect(page.locator("table.results tbody tr").first).to_be_visible()
    check_strip(page, calls)
    check_tabs(page, calls)
    no_sideways_scroll(page, ".results-area .table-wrap", "the order results")
    first = page.locator("table.results tbody tr").first
    for key in ("number", "customer_name", "status", "total", "submitted_at"):
        inside(page, first.locator(f"td.key-{key} .cell-value"), f"results column {key}")
    assert_no_axe_violations(page, f"results at {tag}")
    shot(page, f"layout-results-{tag}")
    if width == WIDTHS[0] and scheme == "light":
        sort_and_choose_columns_in_cards(page)

    # The customer: name on one line, the tools above it, not beside it.
    page.get_by_role("tab", name=calls["return"]["customer_name"]).click()
    title = page.locator(".entity-customer .entity-name")
    expect(title).to_have_text(calls["return"]["customer_name"])
    inside(page, title, "the customer's name")
    height = title.evaluate("el => el.getBoundingClientRect().height")
    line = title.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert height < 1.5 * line, "the customer's name wraps"
    check_strip(page, calls)
    words_whole(page, f"customer at {tag}")
    assert_no_axe_violations(page, f"customer at {tag}")
    shot(page, f"layout-customer-{tag}")
    page.get_by_role("tab", name="Audit Log").click()
    expect(page.locator(".audit-entry").first).to_be_visible()
    log = page.locator(".audit-log")
    raise_ = log.locator(".audit-entry", has_text="Adjust store credit")
    expect(raise_).to_contain_text(f"Store credit {calls['credit']['code']} · Balance")
    money = page.evaluate(
        "([a, b, code]) => [a, b].map((c) => new Intl.NumberFormat(undefined, {style: 'currency',"
        " currency: code}).format(c / 100))",
        [2500, 3000, calls["credit"]["currency"]],
    )
    expect(raise_.locator(".audit-before")).to_have_text(money[0])
    expect(raise_.locator(".audit-after")).to_have_text(money[1])
    expect(log.locator(".audit-entry", has_text="Edit general info")).to_contain_text(
        "Marketing messages"
    )
    assert "_cents" not in log.inner_text() and "{" not in log.inner_text()
    no_sideways_scroll(page, "body", "the audit log")
    assert_no_axe_violations(page, f"audit log at {tag}")
    shot(page, f"layout-audit-{tag}", full=True)

    # The order: its items with Shipped and Returned on screen.
    page.get_by_role("tab", name=f"Order #{calls['order']['number']}").click()
    expect(page.locator(".entity-order")).to_be_visible()
    for header in ("Item", "Total", "Shipped", "Returned"):
        inside(page, cell(page, "Items", header).locator(".cell-value"), f"order items {header}")
    words_whole(page, f"order at {tag}")
    assert_no_axe_violations(page, f"order at {tag}")
    shot(page, f"layout-order-{tag}", full=True)
    cell(page, "Items", "Item").scroll_into_view_if_needed()
    shot(page, f"layout-order-items-{tag}")

    # The return: its items with Refunded and Price on screen.
    page.get_by_role("tab", name=f"Return #{calls['return']['number']}").click()
    expect(page.locator(".entity-return")).to_be_visible()
    for header in ("Item", "Refunded", "Price"):
        inside(page, cell(page, "Return items", header).locator(".cell-value"), f"return {header}")
    assert_no_axe_violations(page, f"return at {tag}")
    shot(page, f"layout-return-{tag}", full=True)
    cell(page, "Return items", "Item").scroll_into_view_if_needed()
    shot(page, f"layout-return-items-{tag}")
    assert not page.page_errors, page.page_errors
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_wide_view(paired, agent, calls, scheme):
    show(agent, calls, "search")
    page = paired.open_panel(wide=True, scheme=scheme)
    expect(page.locator("table.results tbody tr").first).to_be_visible()
    for name in calls["names"]:
        expect(page.locator(".session-title", has_text=name)).to_be_visible()
    no_sideways_scroll(page, ".results-area .table-wrap", "the wide results")
    assert_no_axe_violations(page, f"wide results ({scheme})")
    shot(page, f"layout-results-1280-{scheme}")
    page.get_by_role("tab", name=calls["return"]["customer_name"]).click()
    expect(page.locator(".entity-customer")).to_be_visible()
    words_whole(page, "wide customer")
    shot(page, f"layout-customer-1280-{scheme}")
    page.get_by_role("tab", name=f"Order #{calls['order']['number']}").click()
    expect(page.locator(".entity-order")).to_be_visible()
    words_whole(page, "wide order")
    assert_no_axe_violations(page, f"wide order ({scheme})")
    shot(page, f"layout-order-1280-{scheme}")
    page.get_by_role("tab", name=f"Return #{calls['return']['number']}").click()
    expect(page.locator(".entity-return")).to_be_visible()
    shot(page, f"layout-return-1280-{scheme}")
    page.close()
