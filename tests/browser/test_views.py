"""Every main view, narrow (side panel) and wide (full page), light and dark: no axe-core
violations, visible keyboard focus, and screenshots for review in test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_axe_violations,
    both_backends,
    customer_rows,
    kibo_only,
    reset_agent_state,
    return_with_customer,
    shot,
    shot_name,
)

pytestmark = pytest.mark.browser
# The entity views (customer, order, return and the links between their tabs) run on both
# backends (@both_backends); the keyboard walk and the real side panel are demo-only.


def assert_fits(page, label):
    """Nothing wider than the panel: only tables and tab strips scroll, inside themselves."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{label}: page is {overflow}px wider than the viewport"


@pytest.fixture(scope="module")
def records(agent):
    """A session holding a return, its order and its customer, made through the API."""
    reset_agent_state(agent)
    ret = return_with_customer(agent)
    status, opened = agent.request("POST", "/sessions", {"kind": "return", "id": ret["id"]})
    assert status in (200, 201), opened
    sid = opened["session_id"]
    agent.request("POST", f"/sessions/{sid}/tabs", {"kind": "order", "id": ret["order_id"]})
    _, added = agent.request(
        "POST", f"/sessions/{sid}/tabs", {"kind": "customer", "id": ret["customer_id"]}
    )
    return {"return": ret, "session": sid, "customer_tab": added["tab_id"]}


def show_customer_tab(agent, records):
    agent.request("PUT", "/active-session", {"session_id": records["session"]})
    agent.request(
        "PUT", f"/sessions/{records['session']}/active-tab", {"tab_id": records["customer_tab"]}
    )


@both_backends
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_narrow_views(paired, agent, records, scheme):
    ret = records["return"]
    show_customer_tab(agent, records)
    page = paired.open_panel(scheme=scheme)
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")

    # Customer tab (active: opened last).
    expect(page.locator(".entity-customer .entity-title")).to_contain_text(ret["customer_name"])
    assert_no_axe_violations(page, f"customer view ({scheme})")
    assert_fits(page, "customer view")
    shot(page, shot_name(agent, f"panel-customer-{scheme}"))
    page.get_by_role("tab", name="Orders").click()
    expect(page.locator(".entity-customer .subpanel:not([hidden]) table")).to_have_count(2)
    assert_no_axe_violations(page, f"customer orders section ({scheme})")
    page.get_by_role("tab", name="Audit Log").click()
    page.get_by_role("tab", name="Gift Card & Store Credits").click()
    page.get_by_role("tab", name="Wishlists").click()
    assert_no_axe_violations(page, f"customer sections ({scheme})")

    # Order tab.
    page.get_by_role("tab", name=f"Order #{ret['order_number']}").click()
    expect(page.locator(".entity-order .entity-title")).to_contain_text(f"#{ret['order_number']}")
    assert_no_axe_violations(page, f"order view ({scheme})")
    assert_fits(page, "order view")
    shot(page, shot_name(agent, f"panel-order-{scheme}"))

    # Return tab.
    page.get_by_role("tab", name=f"Return #{ret['number']}").click()
    expect(page.locator(".entity-return .entity-title")).to_contain_text(f"#{ret['number']}")
    assert_no_axe_violations(page, f"return view ({scheme})")
    assert_fits(page, "return view")
    shot(page, shot_name(agent, f"panel-return-{scheme}"))

    # The session's search tab with results.
    page.get_by_role("tab", name="New Search").click()
    page.get_by_role("radio", name="Orders").check()
    page.get_by_role("searchbox", name="Search").fill("a")
    expect(page.locator("table.results tbody tr").first).to_be_visible()
    assert_no_axe_violations(page, f"session search ({scheme})")
    assert_fits(page, "session search")
    shot(page, shot_name(agent, f"panel-session-search-{scheme}"))

    # Landing page, empty state, and the help dialog.
    page.get_by_role("button", name="Start New Call").click()
    page.get_by_role("searchbox", name="Search").fill("")
    expect(page.locator(".empty-state")).to_be_visible()
    assert_no_axe_violations(page, f"landing ({scheme})")
    assert_fits(page, "landing")
    shot(page, shot_name(agent, f"panel-landing-{scheme}"))
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    assert_no_axe_violations(page, f"help dialog ({scheme})")
    shot(page, shot_name(agent, f"panel-help-{scheme}"))
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Keyboard shortcuts")).to_be_focused()
    assert not page.page_errors, page.page_errors
    page.close()


@both_backends
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_views(paired, agent, records, scheme):
    ret = records["return"]
    show_customer_tab(agent, records)
    page = paired.open_panel(wide=True, scheme=scheme)
    expect(page.locator("body")).to_have_class("view-full")
    # Sidebar on the left with Start New Call above the sessions.
    nav = page.get_by_role("navigation", name="Sessions")
    expect(nav).to_be_visible()
    box = page.locator("#sessions").bounding_box()  # the slot: the nav inside is re-rendered
    assert box and box["x"] < 10 and box["width"] < 300
    expect(nav.get_by_role("button", name="Start New Call")).to_be_visible()
    expect(page.get_by_role("button", name="Open in side panel")).to_be_visible()

    page.get_by_role("tab", name=f"Order #{ret['order_number']}").click()
    expect(page.locator(".entity-order .entity-title")).to_be_visible()
    assert_no_axe_violations(page, f"wide order view ({scheme})")
    shot(page, shot_name(agent, f"wide-order-{scheme}"))

    page.get_by_role("tab", name=ret["customer_name"]).click()
    expect(page.locator(".entity-customer .entity-title")).to_be_visible()
    shot(page, shot_name(agent, f"wide-customer-{scheme}"))

    page.get_by_role("tab", name="New Search").click()
    page.get_by_role("radio", name="Customers").check()
    page.get_by_role("searchbox", name="Search").fill("a")
    expect(page.locator("table.results tbody tr").first).to_be_visible()
    assert_no_axe_violations(page, f"wide search ({scheme})")
    shot(page, shot_name(agent, f"wide-search-{scheme}"))
    assert not page.page_errors, page.page_errors
    page.close()


@kibo_only
def test_a_section_kibo_could_not_load_shows_a_notice_with_retry(paired, agent, records):
    from tests.kibo.fake_kibo import Fault

    fake = agent.fake.server
    # Not the records' customer: its complete detail may still be in the agent's short cache.
    customer = next(
        r for r in customer_rows(agent, 3) if r["id"] != records["return"]["customer_id"]
    )
    fake.faults.append(
        Fault(
            503,
            "/commerce/customer/credits",
            times=1000,
            body={"message": "Store credit service down", "correlationId": "corr-browser-1"},
        )
    )
    sid = None
    try:
        status, opened = agent.request(
            "POST", "/sessions", {"kind": "customer", "id": customer["id"]}
        )
        assert status in (200, 201), opened
        sid = opened["session_id"]
        page = paired.open_panel()
        expect(page.locator(".entity-customer .entity-title")).to_contain_text(customer["name"])
        page.get_by_role("tab", name="Gift Card & Store Credits (not loaded)").click()
        notice = page.locator(".entity-customer .subpanel:not([hidden]) [role=status]")
        expect(notice).to_contain_text("Store credit could not be loaded")
        expect(notice).to_contain_text("Store credit service down (correlation id corr-browser-1)")
        expect(page.locator(".section-unavailable")).to_have_count(1)  # one notice, no alerts
        expect(page.locator(".entity-customer [role=alert]")).to_have_count(0)
        assert_no_axe_violations(page, "customer with store credits not loaded")
        shot(page, "panel-customer-section-unavailable-kibo")

        fake.faults.clear()
        notice.get_by_role("button", name="Retry loading store credits").click()
        expect(page.locator(".section-unavailable")).to_have_count(0)
        credits_tab = page.get_by_role("tab", name="Gift Card & Store Credits", exact=True)
        expect(credits_tab).to_have_attribute("aria-selected", "true")
        expect(page.get_by_test_id("status")).to_contain_text("All sections loaded")
        assert not page.page_errors, page.page_errors
        page.close()
    finally:
        fake.faults.clear()
        if sid:
            agent.request("DELETE", f"/sessions/{sid}")


def tab_through(page, stops=40):
    """Press Tab `stops` times; every focused element must show a focus outline."""
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const style = getComputedStyle(el);
            const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            const name = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40);
            return {name, visible};
        }""")
        if info:
            assert info["visible"], f"no visible focus on {info['name']!r}"
            seen.append(info["name"])
    return seen


def test_keyboard_reaches_everything_with_visible_focus(paired, agent, records):
    show_customer_tab(agent, records)
    page = paired.open_panel()
    expect(page.locator(".entity-title")).to_be_visible()
    seen = tab_through(page)
    for name in ("Start New Call", "Open full page", "Settings", "Close tab", "General"):
        assert any(name in s for s in seen), (name, seen)
    assert any(s.startswith("Close session") for s in seen), seen

    # The search page of the wide view: radios, box, Advanced Search, Columns, sort buttons,
    # rows and the pager are all on the way.
    wide = paired.open_panel(wide=True)
    wide.get_by_role("tab", name="New Search").click()
    wide.get_by_role("radio", name="Customers").check()
    wide.get_by_role("searchbox", name="Search").fill("a")
    expect(wide.locator("table.results tbody tr").first).to_be_visible()
    wide.wait_for_timeout(600)  # let the search state save (and its snapshot re-render) settle
    wide.get_by_role("tab", name="New Search").focus()
    seen = tab_through(wide, 20)
    for name in ("Advanced Search", "Columns", "Name", "Next"):
        assert any(name in s for s in seen), (name, seen)
    wide.close()
    page.close()


def test_real_side_panel_opens(paired, agent):
    """Last in the module: once open, the real panel stays open in this browser window."""
    behavior = paired.worker.evaluate("chrome.sidePanel.getPanelBehavior()")
    assert behavior["openPanelOnActionClick"] is True
    page = paired.open_panel(wide=True)
    page.get_by_role("button", name="Open in side panel").click()
    count = "chrome.runtime.getContexts({contextTypes: ['SIDE_PANEL']}).then((c) => c.length)"
    for _ in range(50):
        if paired.worker.evaluate(count):
            break
        page.wait_for_timeout(100)
    assert paired.worker.evaluate(count) == 1
    assert not page.page_errors, page.page_errors
    page.close()
