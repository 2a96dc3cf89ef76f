"""A team of two desks in the panel (docs/team.md): two agent processes with a [team] section
sharing one real redis-server, each with its own Chromium and extension. Panel B sees that A
has the same customer open; a call transferred from panel A is accepted in panel B, another is
withdrawn by A and goes from B; a money
action on a record open elsewhere asks first, naming the colleague; panel B says when Redis is
down."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_axe_violations,
    customer_rows,
    reset_agent_state,
    shot,
)
from tests.support.agent_process import AgentProcess
from tests.support.chromium import Browser, launch
from tests.support.redis_server import RedisServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIDE_PANEL = {"width": 400, "height": 720}


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


def _desk(root: Path, name: str, redis: RedisServer) -> AgentProcess:
    data_dir = root / name
    data_dir.mkdir()
    (data_dir / "config.toml").write_text(
        f'[agent]\ncsr_name = "{name}"\n\n[team]\nredis_url = "{redis.url}"\npresence_ttl = 6\n',
        encoding="utf-8",
    )
    return AgentProcess(data_dir).start()


@pytest.fixture(scope="module")
def desks(
    redis: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AgentProcess, AgentProcess]]:
    root = tmp_path_factory.mktemp("team")
    alex = _desk(root, "Alex", redis)
    try:
        blake = _desk(root, "Blake", redis)
    except BaseException:
        alex.stop()
        raise
    yield alex, blake
    blake.stop()
    alex.stop()


def _panel(pw: Any, profile: Path, agent: AgentProcess) -> tuple[Browser, Any]:
    browser = launch(pw, profile)
    browser.pair(agent.port, agent.token)
    page = browser.open_panel()
    page.set_viewport_size(SIDE_PANEL)
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    return browser, page


@pytest.fixture(scope="module")
def panels(
    pw: Any, desks: tuple[AgentProcess, AgentProcess], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, Any]]:
    alex, blake = desks
    browser_a, page_a = _panel(pw, tmp_path_factory.mktemp("profile-a"), alex)
    browser_b, page_b = _panel(pw, tmp_path_factory.mktemp("profile-b"), blake)
    yield page_a, page_b
    for page in (page_a, page_b):
        assert not page.page_errors, page.page_errors
    browser_a.ctx.close()
    browser_b.ctx.close()


def _open(agent: AgentProcess, customer_id: str) -> str:
    status, body = agent.request("POST", "/sessions", {"kind": "customer", "id": customer_id})
    assert status in (200, 201), body
    return str(body["session_id"])


def test_presence_and_a_transfer_between_two_panels(panels, desks):
    page_a, page_b = panels
    alex, blake = desks
    dana, eli = customer_rows(blake, 2)
    _open(blake, dana["id"])
    expect(page_b.get_by_role("button", name=f"Close session {dana['name']}")).to_be_visible()
    expect(page_b.locator(".team-presence")).to_have_count(0)

    # A opens the same customer: B's tab says who else has it, live.
    _open(alex, dana["id"])
    expect(page_b.locator(".team-presence")).to_have_text("Also open by Alex (just now)")
    expect(page_a.locator(".team-presence")).to_have_text("Also open by Blake (just now)")
    shared_tab = page_b.get_by_role("tab", name=dana["name"])
    expect(shared_tab).to_have_attribute("aria-description", "Also open by Alex (just now)")
    # The wording past the first minute, from the panel's own module.
    later = page_b.evaluate(
        """async () => {
            const { alsoOpenBy } = await import("./ui/team-bar.js");
            const since = "2026-12-05T08:00:00Z", at = (s) => Date.parse(since) + s * 1000;
            const say = (s) => alsoOpenBy([{ desk: "Dana", since }], at(s));
            return [say(59), say(60), say(150)];
        }"""
    )
    assert later == [
        "Also open by Dana (just now)",
        "Also open by Dana (1 min)",
        "Also open by Dana (2 min)",
    ]
    shot(page_b, "panel-team-presence-400")
    assert_no_axe_violations(page_b, "team bar with a colleague on the record")

    # A transfers another caller's session to B, who accepts it.
    alex_session = _open(alex, eli["id"])
    expect(page_a.get_by_role("button", name=f"Close session {eli['name']}")).to_be_visible()
    page_a.get_by_role("button", name="Hold").click()  # the caller waits while A asks B
    page_a.get_by_role("button", name="Transfer call…").click()
    chooser = page_a.get_by_role("group", name="Transfer call")
    target = chooser.get_by_role("combobox", name="Transfer to")
    expect(target.locator("option")).to_have_text([re.compile(r"^Blake \(1 of 4 calls\)$")])
    chooser.get_by_role("button", name="Send").click()
    waiting = page_a.locator(".team-waiting")
    expect(waiting).to_have_text("Offered to Blake: waiting for them to accept.")
    # The chooser is gone; the keyboard lands on the message, not on the page body.
    expect(waiting).to_be_focused()
    focused = page_a.evaluate(
        "() => [document.activeElement === document.body, document.activeElement.textContent]"
    )
    assert focused == [False, "Offered to Blake: waiting for them to accept."]

    offer = page_b.locator(".team-offer")
    expect(offer).to_contain_text(f"Alex transfers {eli['name']}'s call to you.")
    shot(page_b, "panel-team-offer-400")
    assert_no_axe_violations(page_b, "team bar with a transfer offer")
    page_b.get_by_role("button", name=f"Accept {eli['name']}'s call from Alex").click()

    expect(page_b.get_by_role("button", name=f"Close session {eli['name']}")).to_be_visible()
    expect(offer).to_have_count(0)
    # The call is still on hold at B: its clock stays paused and the wrap-up leaves it out.
    # The hold is B's agent's record, so any panel of B shows it.
    expect(page_b.locator(".hold-button")).to_have_attribute("aria-pressed", "true")
    _, at_blake = blake.request("GET", "/sessions")
    [taken] = [s for s in at_blake["sessions"] if s["id"] == at_blake["active_session_id"]]
    assert taken["hold_since"] is not None
    expect(page_a.get_by_role("button", name=f"Close session {eli['name']}")).to_have_count(0)
    _, at_alex = alex.request("GET", "/sessions")
    assert alex_session not in {s["id"] for s in at_alex["sessions"]}
    assert alex_session in {c["id"] for c in at_alex["recently_closed"]}
    _, team_a = alex.request("GET", "/team")
    sent = next(o for o in team_a["outgoing"] if o["session_id"] == alex_session)
    assert (sent["to_desk"], sent["status"]) == ("Blake", "accepted")
    _, at_blake = blake.request("GET", "/sessions")
    assert [s["title"] for s in at_blake["sessions"]] == [dana["name"], eli["name"]]


def test_a_declined_offer_hands_focus_back_to_the_transfer_button(panels, desks):
    page_a, page_b = panels
    alex, _ = desks
    for agent in desks:
        reset_agent_state(agent)
    [fay] = customer_rows(alex, 1)
    _open(alex, fay["id"])
    expect(page_a.get_by_role("button", name=f"Close session {fay['name']}")).to_be_visible()
    page_a.get_by_role("button", name="Transfer call…").click()
    page_a.get_by_role("group", name="Transfer call").get_by_role("button", name="Send").click()
    expect(page_a.locator(".team-waiting")).to_be_focused()

    page_b.get_by_role("button", name=f"Decline {fay['name']}'s call from Alex").click()
    # The message goes when B declines; the keyboard is back on "Transfer call…", not the body.
    transfer = page_a.get_by_role("button", name="Transfer call…")
    expect(transfer).to_be_focused()
    assert page_a.evaluate("() => document.activeElement.textContent") == "Transfer call…"


def test_withdrawing_an_offer_takes_it_from_the_other_panel(panels, desks):
    page_a, page_b = panels
    alex, blake = desks
    for agent in desks:
        reset_agent_state(agent)
    [gus] = customer_rows(alex, 1)
    session = _open(alex, gus["id"])
    expect(page_a.get_by_role("button", name=f"Close session {gus['name']}")).to_be_visible()
    page_a.get_by_role("button", name="Transfer call…").click()
    page_a.get_by_role("group", name="Transfer call").get_by_role("button", name="Send").click()
    expect(page_a.locator(".team-waiting")).to_be_focused()
    offer = page_b.locator(".team-offer")
    expect(offer).to_contain_text(f"Alex transfers {gus['name']}'s call to you.")

    withdraw = page_a.get_by_role("button", name="Withdraw the offer to Blake")
    expect(withdraw).to_have_text("Withdraw")
    shot(page_a, "panel-team-withdraw-400")
    assert_no_axe_violations(page_a, "team bar waiting for a colleague, with Withdraw")
    withdraw.click()
    # B's offer goes, said politely; A's keyboard lands on "Transfer call…", not the body.
    expect(offer).to_have_count(0)
    expect(page_b.get_by_test_id("status")).to_have_text(
        re.compile(rf"^Alex withdrew the call {re.escape(gus['name'])}\.")
    )
    expect(page_b.get_by_test_id("status")).to_have_attribute("aria-live", "polite")
    transfer = page_a.get_by_role("button", name="Transfer call…")
    expect(transfer).to_be_focused()
    expect(page_a.locator(".team-waiting-row")).to_have_count(0)
    _, team_a = alex.request("GET", "/team")
    sent = next(o for o in team_a["outgoing"] if o["session_id"] == session)
    assert sent["status"] == "withdrawn"
    _, at_blake = blake.request("GET", "/sessions")
    assert at_blake["sessions"] == []  # nothing reached B
    _, at_alex = alex.request("GET", "/sessions")
    assert [s["id"] for s in at_alex["sessions"]] == [session]  # the call stays with A

    # While A's agent waits for B's word the row says "Withdrawing…" (too brief to see above,
    # so driven here through the panel's own module); the keyboard follows the row.
    steps = page_a.evaluate(
        """async () => {
            const { createTeamBar } = await import("./ui/team-bar.js");
            const said = [];
            const bar = createTeamBar({ getApi: () => null, announce: (m) => said.push(m) });
            document.body.append(bar.el);
            const base = { enabled: true, connected: true, desk: "Alex", detail: "",
                desks: [], presence: [], incoming: [], withdrawn: [] };
            const offer = { id: "o1", from_desk: "Alex", to_desk: "Blake", title: "Gus",
                offered_at: "2026-12-05T08:00:00Z", session_id: "s1", status: "pending" };
            bar.update({ id: "s1" }, null);
            const as = (status) => bar.setStatus({ ...base, outgoing: [{ ...offer, status }] });
            const now = () => [
                bar.el.querySelector(".team-waiting")?.textContent ?? null,
                bar.el.querySelectorAll(".team-withdraw").length,
                document.activeElement.textContent,
            ];
            as("pending");
            bar.el.querySelector(".team-withdraw").focus();
            const seen = [now()];
            as("withdrawing");
            seen.push(now());
            as("withdrawn");
            seen.push(now());
            bar.el.remove();
            return [seen, said];
        }"""
    )
    assert steps == [
        [
            ["Offered to Blake: waiting for them to accept.", 1, "Withdraw"],
            ["Withdrawing…", 0, "Withdrawing…"],
            [None, 0, "Transfer call…"],
        ],
        ["Offer to Blake withdrawn; the call stays here."],
    ]


def _cancellable_order(agent: AgentProcess) -> dict[str, Any]:
    _, found = agent.request("GET", "/search/orders?status=Processing&page_size=50")
    for row in found["results"]:
        _, order = agent.request("GET", f"/orders/{row['id']}")
        if "cancel_order" in order["available_actions"]:
            return order  # type: ignore[no-any-return]
    raise AssertionError("no cancellable order in the demo store")


def test_cancelling_an_order_a_colleague_has_open_asks_first_naming_them(panels, desks):
    _, page_b = panels
    alex, blake = desks
    for agent in desks:
        reset_agent_state(agent)
    order = _cancellable_order(blake)
    for agent in (alex, blake):
        status, body = agent.request("POST", "/sessions", {"kind": "order", "id": order["id"]})
        assert status in (200, 201), body
    expect(page_b.locator(".entity-order .entity-title")).to_contain_text(f"#{order['number']}")
    expect(page_b.locator(".team-presence")).to_have_text("Also open by Alex (just now)")

    page_b.get_by_role("button", name="Actions").click()
    page_b.get_by_role("menuitem", name="Cancel order", exact=True).click()
    box = page_b.get_by_role("dialog")
    box.get_by_label("Reason").select_option("CustomerRequest")
    box.get_by_role("button", name="Review").click()
    box.get_by_role("button", name="Cancel order").click()

    alert = box.get_by_role("alert")
    expect(alert).to_contain_text("Alex also has this order open")
    anyway = box.get_by_role("button", name="Cancel order anyway")
    expect(anyway).to_be_focused()
    # One way forward besides Cancel: the primary button itself now says "anyway".
    expect(box.locator(".dialog-actions button[type=submit]")).to_have_text("Cancel order anyway")
    confirms = box.get_by_role("button", name=re.compile(r"^Cancel order"))
    expect(confirms).to_have_count(1)
    expect(box.get_by_role("button", name="Cancel", exact=True)).to_be_visible()
    _, still = blake.request("GET", f"/orders/{order['id']}")
    assert still["status"] == order["status"]  # nothing happened before the CSR said so
    shot(page_b, "panel-team-confirm-400")
    assert_no_axe_violations(page_b, "action dialog naming the colleague")

    anyway.click()
    expect(box).to_be_hidden()
    _, now = blake.request("GET", f"/orders/{order['id']}")
    assert now["status"] == "Cancelled"


def test_redis_down_is_said_and_the_desk_keeps_working(panels, desks, redis):
    _, page_b = panels
    _, blake = desks
    redis.kill()
    try:
        down = page_b.locator(".team-down")
        expect(down).to_contain_text("Team offline", timeout=20_000)
        expect(down).to_contain_text("This desk keeps working")
        expect(page_b.get_by_role("button", name="Transfer call…")).to_have_count(0)
        shot(page_b, "panel-team-offline-400")
        status, _ = blake.request("GET", "/sessions")
        assert status == 200
    finally:
        redis.start()
    expect(page_b.locator(".team-down")).to_have_count(0, timeout=30_000)
