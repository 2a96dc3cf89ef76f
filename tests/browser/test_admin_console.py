"""Beside the admin console (issue 8), in Chromium against a real agent serving the demo admin
console on its own port: the overlay on recognised pages (and nowhere else, with no style leaks
either way), deep links back, quick search (context menu and command, driven through the
service worker's handlers), call notes and timer across a reload, the wrap-up note, and `?`."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    Agent,
    Browser,
    assert_no_axe_violations,
    reset_agent_state,
    shot,
)
from tests.browser.overlay import HOST, Overlay
from tests.support.agent_process import free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    data_dir = tmp_path_factory.mktemp("agent") / "data"
    data_dir.mkdir()
    admin_port = free_port()
    proc = Agent(data_dir, extra_args=("--admin-port", str(admin_port)))
    proc.admin = f"http://127.0.0.1:{admin_port}"  # type: ignore[attr-defined]
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def paired(browser: Browser, agent: Agent) -> Browser:
    browser.pair(agent.port, agent.token)
    # The demo console's profile points at this agent's admin port (the options page can do
    # the same; tested below).
    browser.worker.evaluate(
        "(base) => chrome.storage.local.set({adminProfiles: [{id: 'demo', "
        "name: 'Demo admin console', preset: 'demo', base, pages: {customer: "
        "'/customers/{id}', order: '/orders/{id}', return: '/returns/{id}'}}],"
        " activeProfileId: 'demo'})",
        agent.admin,
    )  # type: ignore[attr-defined]
    reset_agent_state(agent)
    return browser


@pytest.fixture
def panel(paired: Browser) -> Iterator[Any]:
    tab = paired.open_panel()
    tab.bring_to_front()
    expect(tab.locator("body")).to_have_attribute("data-connection", "connected")
    yield tab
    assert not tab.page_errors, tab.page_errors
    tab.close()


_found: dict[int, dict[str, Any]] = {}


def an_order(agent: Agent) -> dict[str, Any]:
    """An order of a registered customer that has a return (looked up once per agent)."""
    if agent.port not in _found:
        _found[agent.port] = _find_order(agent)
    return _found[agent.port]


def _find_order(agent: Agent) -> dict[str, Any]:
    _, found = agent.request("GET", "/search/returns?page_size=50")
    for row in found["results"]:
        _, ret = agent.request("GET", f"/returns/{row['id']}")
        if ret["customer_id"]:
            _, order = agent.request("GET", f"/orders/{ret['order_id']}")
            return {"order": order, "return": ret}
    raise AssertionError("no return of a registered customer in the demo store")


def admin_page(browser: Browser, url: str) -> Any:
    page = browser.ctx.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    return page


def active(agent: Agent) -> tuple[dict[str, Any], dict[str, Any]]:
    _, state = agent.request("GET", "/sessions")
    session = next(s for s in state["sessions"] if s["id"] == state["active_session_id"])
    tab = next(t for t in session["tabs"] if t["id"] == session["active_tab_id"])
    return session, tab


def wait_for(predicate: Any, timeout: float = 10) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_overlay_opens_the_record_in_its_customers_session(paired, panel, agent):
    data = an_order(agent)
    order = data["order"]
    page = admin_page(paired, f"{agent.admin}/orders/{order['id']}")
    overlay = Overlay(paired, page)
    overlay.wait_visible()
    assert overlay.text("button") == "Open in Call Center"
    assert f"order {order['id']}" in overlay.accessible_name()
    shot(page, "admin-console-order-overlay")
    overlay.click()  # a real click: the worker may open the side panel on it
    overlay.wait_status(f"order {order['id']}")
    session, tab = active(agent)
    assert session["customer_id"] == order["customer_id"]
    assert (tab["kind"], tab["entity_id"]) == ("order", order["id"])
    expect(panel.locator(".entity-title")).to_contain_text(f"#{order['number']}")
    # The click's user gesture reached the worker: the real side panel is open.
    wait_for(
        lambda: paired.worker.evaluate(
            "async () => (await chrome.runtime.getContexts({contextTypes: ['SIDE_PANEL']})).length"
        )
    )
    # Close it again: with the real panel open, Chrome throttles the other tabs' rendering and
    # every later click waits for it.
    paired.worker.evaluate(
        "async () => chrome.sidePanel.close({windowId: (await chrome.windows.getLastFocused()).id})"
    )

    # The return page opens in the same customer's session (focused, not duplicated).
    page.goto(f"{agent.admin}/returns/{data['return']['id']}")
    overlay.click()
    overlay.wait_status("its customer's session")
    session2, tab2 = active(agent)
    assert session2["id"] == session["id"]
    assert (tab2["kind"], tab2["entity_id"]) == ("return", data["return"]["id"])
    _, state = agent.request("GET", "/sessions")
    assert len(state["sessions"]) == 1
    shot(panel, "panel-opened-from-admin-console")
    page.close()


def test_no_control_on_unrelated_pages(paired, agent):
    page = admin_page(paired, f"{agent.admin}/orders")
    for url in (
        f"{agent.admin}/orders",
        f"{agent.admin}/",
        f"{agent.admin}/customers?q=ana",
        f"{agent.base}/health",
    ):
        page.goto(url)
        page.wait_for_timeout(1200)  # the overlay asks the worker once at load
        expect(page.locator(HOST)).to_have_count(0)
    page.close()


def test_the_control_follows_url_changes_made_without_a_reload(paired, agent):
    # Admin consoles are single-page apps: history.pushState changes the record on screen.
    data = an_order(agent)
    page = admin_page(paired, f"{agent.admin}/orders")
    page.wait_for_timeout(300)
    expect(page.locator(HOST)).to_have_count(0)
    overlay = Overlay(paired, page)
    page.evaluate("(url) => history.pushState({}, '', url)", f"/orders/{data['order']['id']}")
    overlay.wait_visible()
    page.evaluate("() => history.pushState({}, '', '/customers')")
    expect(page.locator(HOST)).to_have_count(0)
    page.go_back()  # popstate back to the order
    overlay.wait_visible()
    page.close()


STYLE_PROPS = [
    "background-color",
    "color",
    "font-size",
    "font-family",
    "padding-top",
    "border-radius",
    "display",
    "visibility",
    "opacity",
]
HOSTILE_CSS = """
* { color: red !important; font-size: 40px !important; background: lime !important;
    font-family: serif !important; padding: 30px !important; border-radius: 0 !important; }
button { display: none !important; visibility: hidden !important; opacity: 0 !important; }
callcenter-companion-overlay { display: none !important; opacity: 0 !important; }
div, p { all: revert !important; }
"""


STYLES_JS = (
    "(el, props) => Object.fromEntries(props.map((p) => "
    "[p, getComputedStyle(el).getPropertyValue(p)]))"
)


def _styles(locator: Any) -> dict[str, str]:
    return locator.evaluate(STYLES_JS, STYLE_PROPS)


def _button_styles(overlay: Overlay) -> dict[str, str]:
    return overlay.call(
        "button", f"function (props) {{ return ({STYLES_JS})(this, props); }}", STYLE_PROPS
    )


def test_styles_do_not_leak_either_way(paired, agent):
    data = an_order(agent)
    url = f"{agent.admin}/orders/{data['order']['id']}"
    page = admin_page(paired, url)
    overlay = Overlay(paired, page)
    overlay.wait_visible()
    page_parts = [
        page.locator("h1"),
        page.locator("body"),
        page.locator("table").first,
        page.locator("header a").first,
        page.locator("dl"),
    ]
    with_overlay = [_styles(p) for p in page_parts]
    own = _button_styles(overlay)
    assert own["background-color"] == "rgb(31, 95, 191)"

    # The page's own CSS, however hostile, does not change the control. (The console's CSP
    # allows only its own stylesheet, so the hostile rules are served as that stylesheet.)
    def hostile(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + HOSTILE_CSS)

    page.route("**/static/admin.css", hostile)
    page.reload()
    expect(page.locator("h1")).to_have_css("color", "rgb(255, 0, 0)")  # it did apply
    overlay.wait_visible()
    assert _button_styles(overlay) == own
    page.unroute("**/static/admin.css")

    # The control's CSS does not change the page: the same page without it looks the same.
    page.goto(url)
    overlay.wait_visible()
    page.evaluate(f"document.querySelector('{HOST}').remove()")
    assert [_styles(p) for p in page_parts] == with_overlay
    page.close()


def test_deep_links_land_on_the_matching_admin_screen(paired, panel, agent):
    data = an_order(agent)
    order, ret = data["order"], data["return"]
    agent.request("POST", "/sessions", {"kind": "order", "id": order["id"]})
    session, _ = active(agent)
    agent.request("POST", f"/sessions/{session['id']}/tabs", {"kind": "return", "id": ret["id"]})
    agent.request(
        "POST", f"/sessions/{session['id']}/tabs", {"kind": "customer", "id": order["customer_id"]}
    )
    admin = admin_page(paired, f"{agent.admin}/")
    expected = {
        "Order": f"/orders/{order['id']}",
        "Return": f"/returns/{ret['id']}",
        "Customer": f"/customers/{order['customer_id']}",
    }
    for tab_name, path in expected.items():
        label = tab_name if tab_name != "Customer" else session["title"]
        admin.bring_to_front()  # the CSR's current browser tab is the admin console
        # force: the panel page is in the background here, where Chrome pauses the animation
        # frames Playwright's actionability checks wait for.
        panel.locator(".tab", has_text=label).click(force=True)
        expect(panel.locator(f".entity-{tab_name.lower()} .entity-title")).to_be_visible()
        panel.get_by_role("button", name="Open in admin").click(force=True)
        expect(admin).to_have_url(f"{agent.admin}{path}")
        expect(admin.locator("h1")).to_have_attribute("data-id", path.rsplit("/", 1)[1])
    admin.close()


def test_quick_search_from_the_context_menu_and_the_command(paired, panel, agent):
    worker = paired.worker
    box = panel.get_by_role("searchbox", name="Search")
    window_id = worker.evaluate("async () => (await chrome.windows.getLastFocused()).id")
    # Selected digits search orders; the Search box gets the focus.
    worker.evaluate(
        "([w]) => callcenter.onMenuClicked({menuItemId: 'cc-search-selection', "
        "selectionText: '  10042 '}, {windowId: w})",
        [window_id],
    )
    expect(panel.get_by_role("radio", name="Orders", exact=True)).to_be_checked()
    expect(box).to_have_value("10042")
    expect(box).to_be_focused()
    expect(panel.locator("table.results tbody tr").first).to_contain_text("10042")
    # An email searches customers; the kind can be changed afterwards.
    box.blur()
    worker.evaluate(
        "([w]) => callcenter.onMenuClicked({menuItemId: 'cc-search-selection', "
        "selectionText: 'someone@example.com'}, {windowId: w})",
        [window_id],
    )
    expect(panel.get_by_role("radio", name="Customers", exact=True)).to_be_checked()
    expect(box).to_have_value("someone@example.com")
    panel.get_by_role("radio", name="Returns", exact=True).check()
    expect(box).to_have_value("someone@example.com")

    # The command: in a session it shows the session's New Search with the box focused.
    data = an_order(agent)
    agent.request("POST", "/sessions", {"kind": "order", "id": data["order"]["id"]})
    expect(panel.locator(".entity-title")).to_contain_text(f"#{data['order']['number']}")
    worker.evaluate("([w]) => callcenter.onCommand('focus-search', {windowId: w})", [window_id])
    expect(panel.get_by_role("tab", name="New Search")).to_have_attribute("aria-selected", "true")
    expect(panel.get_by_role("searchbox", name="Search")).to_be_focused()


def test_notes_and_timer_survive_a_reload_and_wrap_up_writes_a_customer_note(paired, panel, agent):
    data = an_order(agent)
    order = data["order"]
    agent.request("POST", "/sessions", {"kind": "order", "id": order["id"]})
    session, _ = active(agent)
    panel.bring_to_front()
    expect(panel.locator(".entity-title")).to_contain_text(f"#{order['number']}")
    notes = panel.get_by_role("textbox", name="Call notes")
    notes.fill("Wants a refund for the blue mug")
    expect(panel.locator(".save-state")).to_have_text("Saved")
    timer = panel.get_by_role("timer", name="Call duration")
    expect(timer).to_have_text(re.compile(r"^\d+:\d\d$"))
    panel.wait_for_timeout(1100)
    before = timer.inner_text()
    shot(panel, "panel-call-bar")

    panel.reload()
    expect(panel.locator("body")).to_have_attribute("data-connection", "connected")
    expect(notes).to_have_value("Wants a refund for the blue mug")
    after = panel.get_by_role("timer", name="Call duration").inner_text()
    secs = [int(m) * 60 + int(s) for m, s in (t.split(":") for t in (before, after))]
    assert secs[1] >= secs[0] >= 1, (before, after)

    # `?` lists every shortcut, the browser-wide command included.
    panel.locator(".entity-title").click()
    panel.keyboard.press("?")
    help_dialog = panel.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_contain_text("Alt+Shift+F")
    expect(help_dialog).to_contain_text("Show these shortcuts")
    expect(help_dialog).to_contain_text("Search Call Center for")
    help_dialog.get_by_role("button", name="Close help").click()

    # Closing the session offers the wrap-up; saving it writes a customer note.
    panel.get_by_role("button", name=f"Close session {session['title']}").click()
    dialog = panel.get_by_role("dialog", name=re.compile("Wrap up the call"))
    expect(dialog.get_by_role("textbox", name="Wrap-up note")).to_have_value(
        "Wants a refund for the blue mug"
    )
    shot(panel, "panel-wrap-up")
    assert_no_axe_violations(panel, "wrap-up dialog")
    dialog.get_by_role("button", name="Save note and close").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Choose a call reason")
    dialog.get_by_role("combobox", name="Call reason").select_option("Return or refund")
    dialog.get_by_role("button", name="Save note and close").click()
    expect(panel.get_by_role("button", name=f"Close session {session['title']}")).to_have_count(0)
    _, customer = agent.request("GET", f"/customers/{order['customer_id']}")
    assert any(
        n["text"] == "Call wrap-up: Return or refund — Wants a refund for the blue mug"
        for n in customer["notes"]
    ), customer["notes"]


def test_the_content_script_cannot_read_the_token(paired, agent):
    """Evaluated in the overlay's own isolated world (found over CDP): no storage access."""
    data = an_order(agent)
    page = admin_page(paired, f"{agent.admin}/orders/{data['order']['id']}")
    Overlay(paired, page).wait_visible()
    cdp = paired.ctx.new_cdp_session(page)
    worlds: list[dict[str, Any]] = []
    cdp.on("Runtime.executionContextCreated", lambda e: worlds.append(e["context"]))
    cdp.send("Runtime.enable")
    world = wait_for(
        lambda: next(
            (
                w
                for w in worlds
                if w.get("auxData", {}).get("type") == "isolated"
                and "Call Center" in w.get("name", "")
            ),
            None,
        )
    )
    result = cdp.send(
        "Runtime.evaluate",
        {
            "contextId": world["id"],
            "awaitPromise": True,
            "returnByValue": True,
            "expression": "chrome.storage.local.get('token').then((v) => JSON.stringify(v), "
            "(e) => 'refused: ' + e.message)",
        },
    )
    value = str(result["result"].get("value"))
    assert agent.token not in value
    assert value.startswith("refused"), value
    page.close()


def test_a_console_added_on_the_options_page_is_recognised(paired, agent):
    options = paired.open("options.html", wide=True)
    form = options.locator(".profile-form")
    form.get_by_label("Console").select_option("custom")
    form.get_by_label("Name").fill("Shop back office")
    form.get_by_label("Address").fill(f"{agent.admin}/backoffice")
    form.get_by_label("Order page").fill("/sales/order/{id}/view")
    form.get_by_role("button", name="Save console").click()
    expect(options.get_by_role("status").filter(has_text="Saved Shop back office")).to_be_visible()
    options.get_by_role("radio", name=re.compile("Shop back office")).check()
    assert_no_axe_violations(options, "options page with profiles")
    shot(options, "options-admin-consoles")
    order = an_order(agent)["order"]
    page = admin_page(paired, f"{agent.admin}/backoffice/sales/order/{order['id']}/view")
    overlay = Overlay(paired, page)
    overlay.wait(
        lambda: f"Shop back office: order {order['id']}" in overlay.accessible_name(),
        "named the custom console",
    )
    stored = paired.worker.evaluate(
        "chrome.storage.local.get(['adminProfiles', 'activeProfileId'])"
    )
    added = next(p for p in stored["adminProfiles"] if p["name"] == "Shop back office")
    assert stored["activeProfileId"] == added["id"]
    page.close()
    options.close()


def test_the_worker_answers_only_trusted_senders_about_profile_pages(paired, agent):
    """handleMessage straight from the worker: a foreign sender, a frame, or a page that is no
    profile's record page gets nothing done, and nothing reaches the agent."""
    order = an_order(agent)["order"]
    record = f"{agent.admin}/orders/{order['id']}"
    answers = paired.worker.evaluate(
        """async ([record, other]) => {
        const ask = (message, sender) => new Promise((resolve) => {
          const handled = callcenter.handleMessage(message, sender, resolve);
          if (!handled) resolve('ignored');
        });
        const tab = {id: 1, windowId: chrome.windows.WINDOW_ID_NONE};
        const me = chrome.runtime.id;
        return [
          await ask({type: 'cc:open'}, {id: 'another-extension', tab, frameId: 0, url: record}),
          await ask({type: 'cc:open'}, {id: me, frameId: 0, url: record}),
          await ask({type: 'cc:open'}, {id: me, tab, frameId: 3, url: record}),
          await ask({type: 'cc:open', kind: 'order', id: 'x'},
                    {id: me, tab, frameId: 0, url: other}),
          await ask({type: 'cc:recognise'}, {id: me, tab, frameId: 0, url: record}),
        ];
    }""",
        [record, f"{agent.admin}/orders"],
    )
    assert answers[:3] == ["ignored"] * 3
    assert answers[3]["ok"] is False
    assert answers[4] == {"recognised": True, "label": f"Demo admin console: order {order['id']}"}
    _, state = agent.request("GET", "/sessions")
    assert state["sessions"] == []


def test_a_guest_call_closes_without_a_wrap_up_note(paired, panel, agent):
    _, found = agent.request("GET", "/search/orders?page_size=100")
    guest = next(
        o
        for o in (agent.request("GET", f"/orders/{r['id']}")[1] for r in found["results"])
        if o["customer_id"] is None
    )
    agent.request("POST", "/sessions", {"kind": "order", "id": guest["id"]})
    session, _ = active(agent)
    panel.get_by_role("button", name=f"Close session {session['title']}").click()
    dialog = panel.get_by_role("dialog", name=re.compile("Wrap up the call"))
    expect(dialog).to_contain_text("is a guest")
    expect(dialog.get_by_role("button", name="Save note and close")).to_have_count(0)
    dialog.get_by_role("button", name="Close session").click()
    expect(panel.get_by_role("button", name=f"Close session {session['title']}")).to_have_count(0)


def test_overlay_open_asks_in_the_panel_before_replacing_a_call_in_progress(paired, panel, agent):
    """The overlay gives the panel's feedback: a call in progress in the way is a question in the
    panel (never a silent replacement), and a quiet replacement is said on both sides."""
    order = an_order(agent)["order"]
    _, found = agent.request("GET", "/search/customers?page_size=40")
    others = [r for r in found["results"] if r["id"] != order["customer_id"]][:4]
    ids = []
    for row in others:
        _, opened = agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
        ids.append(opened["session_id"])
    agent.request("PUT", f"/sessions/{ids[0]}/notes", {"notes": "Waiting on the courier"})
    page = admin_page(paired, f"{agent.admin}/orders/{order['id']}")
    overlay = Overlay(paired, page)
    overlay.click()
    overlay.wait_status("The oldest session's call is still in progress")
    _, state = agent.request("GET", "/sessions")
    assert [s["id"] for s in state["sessions"]] == ids  # nothing replaced yet
    panel.bring_to_front()
    ask = panel.get_by_role("dialog", name=f"Replace the call with {others[0]['name']}?")
    expect(ask).to_be_visible()
    ask.get_by_role("button", name="Replace anyway").click()
    expect(panel.locator(".entity-title")).to_contain_text(f"#{order['number']}")
    expect(panel.get_by_role("status")).to_contain_text(
        f"Closed the session of {others[0]['name']}"
    )
    _, state = agent.request("GET", "/sessions")
    assert ids[0] not in [s["id"] for s in state["sessions"]]

    # A quiet oldest session is replaced at once; the overlay and the panel both say so.
    reset_agent_state(agent)
    for row in others:
        agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
    page.bring_to_front()
    overlay.click()
    overlay.wait_status("Closed the oldest session to make room")
    panel.bring_to_front()
    expect(panel.get_by_role("status")).to_contain_text(
        f"Closed the session of {others[0]['name']}"
    )
    page.close()
    # The clicks opened the real side panel too (it asked the same question): close it.
    paired.worker.evaluate(
        "async () => chrome.sidePanel.close({windowId: (await chrome.windows.getLastFocused()).id})"
    )


# Before any page script runs: an attachShadow that keeps every root it makes, closed or not,
# and a listener that records what a page can see of a click's path.
SPY = """(() => {
  const attach = Element.prototype.attachShadow;
  window.__roots = [];
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    window.__roots.push(root);
    return root;
  };
  window.__paths = [];
  document.addEventListener("click", (e) => window.__paths.push(
    e.composedPath().map((n) => n.nodeName || "window")), true);
})()"""


def test_a_page_script_cannot_drive_the_overlay_or_read_customer_data(paired, agent):
    """Issue 11, hole 1: the overlay's shadow root is closed, also to a page that patched
    attachShadow before it ran; clicks the page can make change no session (and a script click
    on the button itself, made here over CDP, is refused as untrusted); after the CSR's real
    click, nothing the page can read names the customer."""
    data = an_order(agent)
    order = data["order"]
    _, customer = agent.request("GET", f"/customers/{order['customer_id']}")
    before = agent.request("GET", "/sessions")[1]
    page = paired.ctx.new_page()
    page.set_default_timeout(15_000)
    page.add_init_script(SPY)
    page.goto(f"{agent.admin}/orders")
    overlay = Overlay(paired, page)
    page.evaluate("(path) => history.pushState({}, '', path)", f"/orders/{order['id']}")
    overlay.wait_visible()
    assert overlay.mode() == "closed"
    seen = page.evaluate(
        """(tag) => {
            const host = document.querySelector(tag);
            host.click();
            host.dispatchEvent(new MouseEvent("click", {bubbles: true, composed: true}));
            const at = host.getBoundingClientRect();
            const hit = document.elementFromPoint(at.x + at.width / 2, at.y + at.height / 2);
            return {shadowRoot: host.shadowRoot, roots: window.__roots.length,
                    children: host.childNodes.length, text: host.textContent,
                    hit: hit.localName};
        }""",
        HOST,
    )
    assert seen == {"shadowRoot": None, "roots": 0, "children": 0, "text": "", "hit": HOST}
    overlay.call(
        "button",
        "function () { this.click();"
        " this.dispatchEvent(new MouseEvent('click', {bubbles: true})); }",
    )
    # The worker would have answered within this time; nothing may change.
    for _ in range(20):
        assert agent.request("GET", "/sessions")[1] == before
        time.sleep(0.1)
    assert overlay.text() == ""

    overlay.click()  # the CSR's own click opens it
    shown = overlay.wait_status(f"order {order['id']}")
    session, _tab = active(agent)
    assert session["customer_id"] == order["customer_id"]
    readable = page.evaluate(
        "() => [document.documentElement.outerHTML, document.body.innerText,"
        " JSON.stringify(window.__paths)]"
    )
    for part in filter(None, (customer["last_name"], customer.get("email"), shown)):
        assert all(part not in text for text in readable), part
    assert all("BUTTON" not in path for path in page.evaluate("() => window.__paths"))
    # The overlay's own words name the record by its id only.
    assert customer["last_name"] not in shown
    page.close()
    paired.worker.evaluate(
        "async () => chrome.sidePanel.close({windowId: (await chrome.windows.getLastFocused()).id})"
    )


def test_the_demo_profile_is_trusted_only_where_the_agent_serves_its_console(browser, agent):
    """Issue 11, hole 1: with the default demo profile (47822) the console on the agent's own
    admin port is recognised without editing settings, and a look-alike console on another
    port (even one the stored demo profile names) gets no overlay."""
    import http.server
    import threading

    class LookAlike(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = b"<!doctype html><title>Order</title><h1>Order</h1>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    fake_port = free_port()
    fake = http.server.ThreadingHTTPServer(("127.0.0.1", fake_port), LookAlike)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    try:
        browser.pair(agent.port, agent.token)
        reset_agent_state(agent)
        order = an_order(agent)["order"]
        browser.worker.evaluate(
            "() => chrome.storage.local.remove(['adminProfiles', 'activeProfileId'])"
        )
        page = admin_page(browser, f"{agent.admin}/orders/{order['id']}")
        Overlay(browser, page).wait_visible()
        page.close()

        browser.worker.evaluate(
            "(base) => chrome.storage.local.set({adminProfiles: [{id: 'demo', "
            "name: 'Demo admin console', preset: 'demo', base, pages: {customer: "
            "'/customers/{id}', order: '/orders/{id}', return: '/returns/{id}'}}],"
            " activeProfileId: 'demo'})",
            f"http://127.0.0.1:{fake_port}",
        )
        page = admin_page(browser, f"http://127.0.0.1:{fake_port}/orders/{order['id']}")
        page.wait_for_timeout(2500)  # the overlay checks the URL at load and every second
        expect(page.locator(HOST)).to_have_count(0)
        page.close()
        page = admin_page(browser, f"{agent.admin}/orders/{order['id']}")
        Overlay(browser, page).wait_visible()
        page.close()
    finally:
        fake.shutdown()
        fake.server_close()


def test_open_in_admin_follows_the_console_the_agent_serves(browser, agent):
    """Issue 11, hole 1: with the default demo profile (47822), or a stale stored address, the
    panel's "Open in admin" and the order's Orders-screen link go to the console on the port
    the running agent reports in /info (here a random one), with no settings edited."""
    browser.pair(agent.port, agent.token)
    reset_agent_state(agent)
    order = an_order(agent)["order"]
    stale = "http://127.0.0.1:47822"
    assert agent.admin != stale  # type: ignore[attr-defined]
    for stored in (None, stale):
        if stored is None:
            browser.worker.evaluate(
                "() => chrome.storage.local.remove(['adminProfiles', 'activeProfileId'])"
            )
        else:
            browser.worker.evaluate(
                "(base) => chrome.storage.local.set({adminProfiles: [{id: 'demo', "
                "name: 'Demo admin console', preset: 'demo', base, pages: {customer: "
                "'/customers/{id}', order: '/orders/{id}', return: '/returns/{id}'}}],"
                " activeProfileId: 'demo'})",
                stored,
            )
        reset_agent_state(agent)
        agent.request("POST", "/sessions", {"kind": "order", "id": order["id"]})
        panel = browser.open_panel()
        expect(panel.locator(".entity-title")).to_contain_text(f"#{order['number']}")
        expect(panel.locator("a.new-order-link")).to_have_attribute(
            "href",
            f"{agent.admin}/orders",  # type: ignore[attr-defined]
        )
        admin = admin_page(browser, "about:blank")
        admin.bring_to_front()  # the CSR's current browser tab
        panel.get_by_role("button", name="Open in admin").click(force=True)
        expect(admin).to_have_url(f"{agent.admin}/orders/{order['id']}")  # type: ignore[attr-defined]
        expect(admin.locator("h1")).to_have_attribute("data-id", str(order["id"]))
        expect(panel.get_by_role("status")).to_contain_text("Opened in Demo admin console")
        assert not panel.page_errors, panel.page_errors
        admin.close()
        panel.close()
    # The options page says so too, and offers no address to edit for it.
    options = browser.open("options.html", wide=True)
    row = options.locator(".profile-row[data-profile-id=demo]")
    expect(row).to_contain_text("where the running agent serves it")
    expect(row).not_to_contain_text("47822")
    console = options.locator(".profile-form").get_by_label("Console")
    assert "Demo admin console" not in console.inner_text()
    options.close()


def test_open_in_admin_says_when_the_agent_serves_no_console(browser, tmp_path):
    """An agent started without --admin-port: the demo console is nowhere, so "Open in admin"
    says how to get one instead of opening 47822, where any program may answer."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    plain = Agent(data_dir).start()
    try:
        browser.pair(plain.port, plain.token)
        browser.worker.evaluate(
            "() => chrome.storage.local.remove(['adminProfiles', 'activeProfileId'])"
        )
        order = an_order(plain)["order"]
        plain.request("POST", "/sessions", {"kind": "order", "id": order["id"]})
        panel = browser.open_panel()
        expect(panel.locator(".entity-title")).to_contain_text(f"#{order['number']}")
        tabs = len(browser.ctx.pages)
        panel.get_by_role("button", name="Open in admin").click()
        expect(panel.get_by_role("status")).to_contain_text(
            "the agent serves no demo admin console"
        )
        assert len(browser.ctx.pages) == tabs
        assert all("47822" not in p.url for p in browser.ctx.pages)
        expect(panel.locator("a.new-order-link")).not_to_have_attribute("href", re.compile("."))
        assert not panel.page_errors, panel.page_errors
        panel.close()
    finally:
        plain.stop()
