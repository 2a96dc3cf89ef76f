"""The ";name" template list floats over the page, anchored under its note box: opening it moves
nothing, and it is still a listbox driven from the box (arrow keys, Enter, Escape). In the call
bar and the wrap-up dialog, 360 px wide. Demo store, real agent, real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_axe_violations,
    connected_panel,
    customer_rows,
    shot,
)

pytestmark = pytest.mark.browser

TEMPLATES = {"ship": "Ships today.", "shipback": "Send it back with the label we emailed."}


@pytest.fixture
def page(paired, agent):
    for template in agent.request("GET", "/note-templates")[1]["templates"]:
        agent.request("DELETE", f"/note-templates/{template['name']}")
    for name, body in TEMPLATES.items():
        status, _ = agent.request("POST", "/note-templates", {"name": name, "body": body})
        assert status == 200
    with connected_panel(paired, agent, size={"width": 360, "height": 720}) as tab:
        yield tab


def box_of(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


def floats_under(page, box, listbox) -> None:
    """Typing ";sh" opens the list over what lies under the box without moving it, the list
    starting at the box's bottom left and as wide as the box."""
    under = box_of(box)
    spot = [under["x"] + 10, under["y"] + under["height"] + 20]
    page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).setAttribute('data-below', '')", spot
    )
    follower = page.locator("[data-below]")
    before = box_of(follower)
    box.press_sequentially(";sh")
    expect(listbox.get_by_role("option")).to_have_count(2)
    assert box_of(follower) == before
    assert box_of(box) == under
    where = box_of(listbox)
    assert abs(where["x"] - under["x"]) < 1 and abs(where["width"] - under["width"]) < 1
    assert 0 <= where["y"] - (under["y"] + under["height"]) < 6
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('[role=listbox]') !== null", spot
    )
    assert on_top, "the list is drawn under what follows the box"


def test_the_call_notes_list_floats_and_keeps_its_keys(page, agent):
    row = customer_rows(agent, 1)[0]
    agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
    notes = page.get_by_role("textbox", name="Call notes")
    notes.click()
    listbox = page.get_by_role("listbox", name="Templates")
    floats_under(page, notes, listbox)
    expect(notes).to_have_attribute("aria-activedescendant", re.compile("-0$"))
    notes.press("ArrowDown")
    expect(notes).to_have_attribute("aria-activedescendant", re.compile("-1$"))
    expect(listbox.get_by_role("option").nth(1)).to_have_attribute("aria-selected", "true")
    shot(page, "panel-note-template-float-callbar")
    assert_no_axe_violations(page, "call bar with the floating template list")
    notes.press("Escape")
    expect(listbox).to_be_hidden()
    expect(notes).to_have_value(";sh")
    notes.press_sequentially("i")
    notes.press("ArrowDown")
    notes.press("Enter")
    expect(notes).to_have_value(TEMPLATES["shipback"])
    expect(listbox).to_be_hidden()


def test_the_wrap_up_list_floats_over_the_dialog(page, agent):
    row = customer_rows(agent, 1)[0]
    agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
    page.get_by_role("button", name=f"Close session {row['name']}").click()
    dialog = page.get_by_role("dialog", name=re.compile("Wrap up the call"))
    note = dialog.get_by_role("textbox", name="Wrap-up note")
    note.click()
    listbox = dialog.get_by_role("listbox", name="Templates")
    floats_under(page, note, listbox)
    shot(page, "panel-note-template-float-wrap-up")
    note.press("Enter")
    expect(note).to_have_value(TEMPLATES["ship"])
    expect(listbox).to_be_hidden()
    expect(dialog).to_be_visible()  # Enter chose a template; it did not submit the wrap-up


def test_with_no_room_below_the_list_opens_above_the_box(page, agent):
    row = customer_rows(agent, 1)[0]
    agent.request("POST", "/sessions", {"kind": "customer", "id": row["id"]})
    notes = page.get_by_role("textbox", name="Call notes")
    notes.click()
    under = box_of(notes)
    page.set_viewport_size({"width": 360, "height": int(under["y"] + under["height"]) + 20})
    notes.press_sequentially(";sh")
    listbox = page.get_by_role("listbox", name="Templates")
    expect(listbox.get_by_role("option")).to_have_count(2)
    where = box_of(listbox)
    assert 0 <= under["y"] - (where["y"] + where["height"]) < 6
    assert where["y"] >= 0
    shot(page, "panel-note-template-float-above")
