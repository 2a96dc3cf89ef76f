"""Sessions and tabs through the UI (docs/design.md §3): at most 4 sessions, the oldest replaced
and reopenable, one tab per kind, links between entities, shortcuts, two pages in step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    a_return,
    assert_no_axe_violations,
    both_backends,
    customer_rows,
    orders_with_customer,
    shot,
    shot_name,
)

pytestmark = pytest.mark.browser
# The flow tests marked @both_backends run on the demo store and on the fake Kibo tenant; the
# rest (shortcuts, two pages, saved search state, live refresh after an action) are demo-only.


def search(page, kind, query):
    page.get_by_role("radio", name=kind, exact=True).check()
    box = page.get_by_role("searchbox", name="Search")
    box.fill(query)
    box.press("Enter")
    expect(page.locator("table.results tbody tr").first).to_be_visible()


def open_customer(page, row):
    """From the landing page: search the customer by id and open them."""
    search(page, "Customers", row["id"])
    page.locator(f'table.results tbody tr[data-id="{row["id"]}"]').click()
    expect(page.get_by_role("tab", name=row["name"])).to_have_attribute("aria-selected", "true")


@both_backends
def test_fifth_session_replaces_the_oldest_and_can_be_reopened(page, agent):
    people = customer_rows(agent, 5)
    for i, row in enumerate(people):
        if i:
            page.get_by_role("button", name="Start New Call").click()
        open_customer(page, row)
        expect(page.get_by_role("button", name=f"Close session {row['name']}")).to_be_visible()

    oldest, second = people[0]["name"], people[1]["name"]
    status = page.get_by_role("status").filter(has_text="Closed the session")
    expect(status).to_contain_text(f"Closed the session of {oldest} (the oldest)")
    expect(page.get_by_role("button", name=f"Close session {oldest}")).to_have_count(0)
    expect(page.locator(".session-list > li")).to_have_count(4)
    assert_no_axe_violations(page, "four sessions with the eviction message")
    shot(page, shot_name(agent, "panel-four-sessions-light"))
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, shot_name(agent, "wide-four-sessions-light"))
    page.set_viewport_size({"width": 360, "height": 640})

    status.get_by_role("button", name="Reopen").click()
    expect(page.get_by_role("button", name=f"Close session {oldest}")).to_be_visible()
    expect(page.get_by_role("button", name=f"Close session {second}")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text(second)

    # The X closes a session; closing the last one leaves the landing page with the
    # recently closed list.
    for row in people:
        close = page.get_by_role("button", name=f"Close session {row['name']}")
        if close.count():
            close.click()
            # Closing offers the call wrap-up (test_admin_console covers saving it): skip it.
            page.get_by_role("dialog").get_by_role("button", name="Skip and close").click()
            expect(close).to_have_count(0)
    expect(page.get_by_role("radiogroup")).to_be_visible()
    expect(page.locator(".recently-closed summary")).to_contain_text("Recently closed")


@both_backends
def test_one_tab_per_kind_links_and_closing_tabs(page, agent):
    first, second = orders_with_customer(agent, 2)
    search(page, "Orders", str(first["number"]))
    page.locator(f'table.results tbody tr[data-id="{first["id"]}"]').click()
    tabs = page.locator("#tabbar").get_by_role("tab")  # the tablist owns them via aria-owns
    expect(tabs).to_have_count(2)
    expect(tabs.nth(0)).to_have_text("New Search")
    expect(page.locator(".entity-title")).to_contain_text(f"#{first['number']}")

    # A second order replaces the order tab in place.
    page.get_by_role("tab", name="New Search").click()
    search(page, "Orders", str(second["number"]))
    page.locator(f'table.results tbody tr[data-id="{second["id"]}"]').click()
    expect(tabs).to_have_count(2)
    expect(page.locator(".entity-title")).to_contain_text(f"#{second['number']}")
    replaced = re.compile(rf"Replaced .*{first['number']}.* with .*{second['number']}")
    expect(page.get_by_role("status")).to_contain_text(replaced)

    # The order's customer link opens the customer tab in the same session.
    page.get_by_role("button", name=f"Open customer {second['customer_name']}").click()
    expect(tabs).to_have_count(3)
    expect(page.locator(".entity-customer .entity-title")).to_contain_text(second["customer_name"])

    # A return, then its original order link.
    ret = a_return(agent)
    page.get_by_role("tab", name="New Search").click()
    search(page, "Returns", str(ret["number"]))
    page.locator(f'table.results tbody tr[data-id="{ret["id"]}"]').click()
    expect(tabs).to_have_count(4)
    expect(page.locator(".entity-return .entity-title")).to_contain_text(f"#{ret['number']}")
    page.get_by_role("button", name=f"Open order {ret['order_number']}").click()
    expect(page.locator(".entity-order .entity-title")).to_contain_text(f"#{ret['order_number']}")
    expect(tabs).to_have_count(4)

    # Delete closes the focused tab; the × does the same; New Search cannot be closed.
    selected = page.get_by_role("tab", selected=True)
    selected.focus()
    page.keyboard.press("Delete")
    expect(tabs).to_have_count(3)
    page.locator(".tab-return").click()  # in a narrow panel only the active tab shows its ×
    expect(page.locator(".tab-return")).to_have_attribute("aria-selected", "true")
    label = page.locator(".tab-return .tab-label").inner_text()
    page.get_by_role("button", name=f"Close {label} tab").click()
    expect(tabs).to_have_count(2)
    page.get_by_role("tab", name="New Search").focus()
    page.keyboard.press("Delete")
    expect(tabs).to_have_count(2)


def test_tabs_and_sessions_close_by_keyboard(page, agent):
    """WAI-ARIA tabs: one tab stop, Delete closes the focused tab and focus moves to the next
    tab (else the previous); the × buttons are named and outside the Tab order. Sessions close
    with Delete on their button too, through the same wrap-up."""
    (order,) = orders_with_customer(agent, 1)
    search(page, "Orders", str(order["number"]))
    page.locator(f'table.results tbody tr[data-id="{order["id"]}"]').click()
    page.get_by_role("button", name=f"Open customer {order['customer_name']}").click()
    tabs = page.locator("#tabbar").get_by_role("tab")
    expect(tabs).to_have_count(3)
    labels = tabs.all_inner_texts()
    assert labels[0] == "New Search"
    middle, last = labels[1], labels[2]

    # The × of every closable tab is a named button that is not a tab stop; New Search has
    # none. The strip has exactly one tab stop: the selected tab.
    for label in (middle, last):
        close = page.get_by_role("button", name=f"Close {label} tab", exact=True)
        expect(close).to_have_count(1)
        expect(close).to_have_attribute("tabindex", "-1")
        expect(page.get_by_role("tab", name=label)).to_have_attribute("aria-keyshortcuts", "Delete")
    expect(page.get_by_role("button", name="Close New Search tab")).to_have_count(0)
    expect(page.locator("#tabbar [tabindex='0']")).to_have_count(1)
    expect(page.locator("#tabbar [tabindex='0']")).to_have_attribute("aria-selected", "true")
    assert_no_axe_violations(page, "tab strip with closable tabs")

    # Arrow to the middle tab, Tab leaves the strip without stopping on any ×.
    page.get_by_role("tab", name="New Search").focus()
    page.keyboard.press("ArrowRight")
    middle_tab = page.get_by_role("tab", name=middle)
    expect(middle_tab).to_be_focused()
    expect(middle_tab).to_have_attribute("aria-selected", "true")
    # (once its record has loaded: the view keeps focus on its title across a reload)
    expect(page.locator(".entity-title")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.closest('#tabbar')")
    page.keyboard.press("Shift+Tab")
    expect(middle_tab).to_be_focused()

    # Delete on the middle tab: closed, its right neighbour is selected and focused.
    page.keyboard.press("Delete")
    expect(tabs).to_have_count(2)
    expect(page.get_by_role("tab", name=middle)).to_have_count(0)
    last_tab = page.get_by_role("tab", name=last)
    expect(last_tab).to_be_focused()
    expect(last_tab).to_have_attribute("aria-selected", "true")
    # Delete on the last tab: focus moves back to its left neighbour.
    page.keyboard.press("Delete")
    expect(tabs).to_have_count(1)
    new_search = page.get_by_role("tab", name="New Search")
    expect(new_search).to_be_focused()
    expect(new_search).to_have_attribute("aria-selected", "true")
    # New Search cannot be closed.
    page.keyboard.press("Delete")
    expect(tabs).to_have_count(1)
    expect(new_search).to_be_focused()
    _, state = agent.request("GET", "/sessions")
    assert [t["kind"] for t in state["sessions"][0]["tabs"]] == ["search"]

    # The shortcut is in the help screen.
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog.get_by_role("row").filter(has_text="Close the focused tab")).to_contain_text(
        "Delete"
    )
    page.keyboard.press("Escape")
    expect(help_dialog).to_have_count(0)

    # Sessions: a second caller (opened through the agent, as the admin console's overlay
    # does), then Delete on the first session's button offers the wrap-up and, once closed,
    # focus moves to the next session; the X buttons are named.
    first_name = order["customer_name"]
    other = next(r for r in customer_rows(agent, 3) if r["name"] != first_name)
    status, opened = agent.request("POST", "/sessions", {"kind": "customer", "id": other["id"]})
    assert status in (200, 201), opened
    expect(page.get_by_role("button", name=f"Close session {first_name}")).to_be_visible()
    expect(page.get_by_role("button", name=f"Close session {other['name']}")).to_be_visible()
    first = page.get_by_role("button", name=first_name, exact=True)
    expect(first).to_have_attribute("aria-keyshortcuts", "Delete")
    first.focus()
    page.keyboard.press("Delete")
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Keep the session open").click()
    expect(page.get_by_role("button", name=f"Close session {first_name}")).to_be_visible()
    first.focus()
    page.keyboard.press("Delete")
    dialog.get_by_role("button", name="Skip and close").click()
    expect(page.get_by_role("button", name=f"Close session {first_name}")).to_have_count(0)
    expect(page.get_by_role("button", name=other["name"], exact=True)).to_be_focused()
    # Closing the last session leaves focus on Start New Call.
    page.keyboard.press("Delete")
    dialog.get_by_role("button", name="Skip and close").click()
    expect(page.get_by_role("button", name="Start New Call")).to_be_focused()
    expect(page.locator(".session-list > li")).to_have_count(0)


@both_backends
def test_reopening_a_customer_focuses_their_session(page, agent):
    a, b = customer_rows(agent, 2)
    open_customer(page, a)
    page.get_by_role("button", name="Start New Call").click()
    open_customer(page, b)
    page.get_by_role("button", name="Start New Call").click()
    open_customer(page, a)
    expect(page.locator(".session-list > li")).to_have_count(2)
    expect(page.get_by_role("button", name=a["name"], exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("status")).to_contain_text("already has a session")


def test_keyboard_shortcuts(page, agent):
    a, b = customer_rows(agent, 2)
    open_customer(page, a)
    page.get_by_role("button", name="Start New Call").click()
    open_customer(page, b)
    page.keyboard.press("Alt+1")
    expect(page.get_by_role("button", name=a["name"], exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.keyboard.press("Alt+Shift+1")
    expect(page.get_by_role("tab", name="New Search")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Alt+Shift+2")
    expect(page.get_by_role("tab", name=a["name"])).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Alt+2")
    expect(page.get_by_role("button", name=b["name"], exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.keyboard.press("Alt+0")
    start = page.get_by_role("button", name="Start New Call")
    expect(start).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("searchbox", name="Search")).to_be_focused()


def test_two_pages_stay_in_step(page, paired, agent):
    other = paired.open_panel(wide=True)
    expect(other.locator("body")).to_have_attribute("data-connection", "connected")
    expect(other.get_by_role("radiogroup")).to_be_visible()
    (row,) = customer_rows(agent, 1)
    # Both tabs share one window: bring the one we click to the front (background tabs get
    # throttled animation frames, which slows Playwright's actionability checks).
    page.bring_to_front()
    open_customer(page, row)
    expect(other.get_by_role("button", name=f"Close session {row['name']}")).to_be_visible()
    expect(other.get_by_role("tab", name=row["name"])).to_have_attribute("aria-selected", "true")
    other.bring_to_front()
    other.get_by_role("button", name=f"Close session {row['name']}").click()
    other.get_by_role("dialog").get_by_role("button", name="Skip and close").click()
    page.bring_to_front()
    expect(page.get_by_role("button", name=f"Close session {row['name']}")).to_have_count(0)
    expect(page.get_by_role("radiogroup")).to_be_visible()
    # The landing search follows too.
    page.get_by_role("radio", name="Orders").check()
    expect(other.get_by_role("radio", name="Orders")).to_be_checked()
    page.get_by_role("searchbox", name="Search").fill("a")
    expect(other.get_by_role("searchbox", name="Search")).to_have_value("a")
    expect(other.locator("table.results tbody tr").first).to_be_visible()
    # ...and so does a column choice (preferences are pushed to every panel).
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("checkbox", name="Email").check()
    expect(other.locator("th[data-key=email]")).to_be_visible()
    page.get_by_role("checkbox", name="Email").uncheck()
    expect(other.locator("th[data-key=email]")).to_have_count(0)
    assert not other.page_errors
    other.close()


def test_each_session_keeps_its_own_search(page, agent):
    (row,) = customer_rows(agent, 1)
    open_customer(page, row)
    page.get_by_role("tab", name="New Search").click()
    search(page, "Orders", "a")
    page.wait_for_timeout(700)  # saved 0.4 s after the last change
    _, state = agent.request("GET", "/sessions")
    session = state["sessions"][0]
    search_tab = session["tabs"][0]
    assert search_tab["kind"] == "search"
    assert search_tab["search_state"]["kind"] == "orders" and search_tab["search_state"]["q"] == "a"
    # The landing page's query went with the caller it found: the landing starts clean.
    assert state["landing"]["q"] == ""

    page.reload()
    expect(page.get_by_role("tab", name="New Search")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("radio", name="Orders")).to_be_checked()
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("a")
    page.get_by_role("button", name="Start New Call").click()
    expect(page.get_by_role("radio", name="Customers")).to_be_checked()
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("")


def test_an_entity_changed_elsewhere_refreshes_on_screen(page, agent):
    (row,) = customer_rows(agent, 1)
    open_customer(page, row)
    expect(page.locator(".entity-customer .entity-title")).to_contain_text(row["name"])
    page.get_by_role("tab", name="Audit Log").click()
    _, customer = agent.request("GET", f"/customers/{row['id']}")
    text = "Called about a late parcel; promised a call back."
    status, result = agent.request(
        "POST",
        f"/customers/{row['id']}/actions/add_note",
        {"expected_version": customer["version"], "text": text},
    )
    assert status == 200, result
    # The agent announces the change on the live socket; the open tab reloads the customer
    # and stays on the section the CSR was reading.
    expect(page.locator(".entity-customer .subpanel:not([hidden])")).to_contain_text("Add note")
    expect(page.get_by_role("tab", name="Audit Log")).to_have_attribute("aria-selected", "true")
    page.get_by_role("tab", name="General").click()
    expect(page.locator(".entity-customer .notes")).to_contain_text(text)


def test_a_snapshot_answered_after_a_newer_event_does_not_undo_it(page):
    """After a (re)connect the panel fetches a snapshot; a "sessions" event may overtake its
    answer. The event is newer and stays: the old rule (a fetched snapshot always wins) put
    the panel back to no sessions, and nothing came to correct it."""
    result = page.evaluate(
        """async () => {
          const { Store } = await import("./lib/store.js");
          const state = (version, ids) => ({
            version, active_session_id: null, sessions: ids.map((id) => ({ id })),
          });
          const store = new Store();
          store.setSessions(state(9, ["old"]));  // the agent before a reset
          store.expectSnapshot();  // reconnected: the next state is taken whatever its version
          const applied = [
            store.setSessions(state(2, ["new"])),  // the event, first to arrive
            store.setSessions(state(1, [])),  // the snapshot, fetched before it
            store.setSessions(state(3, ["new", "next"])),
          ];
          return { applied, ids: store.sessions.sessions.map((s) => s.id) };
        }"""
    )
    assert result == {"applied": [True, False, True], "ids": ["new", "next"]}
