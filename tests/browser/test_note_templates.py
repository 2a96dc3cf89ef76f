"""Note templates in the browser: managed on the options page (the agent's refusals shown
beside the field), then typed as ";name" in the call notes and filled in with the call's
customer and order. Demo store, real agent, real Chromium, 400 px wide like a side panel."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, reset_agent_state, shot

pytestmark = pytest.mark.browser

BODY = "Hi {customer.first_name}, order {order.number} ships today."
SIZE = {"width": 400, "height": 700}


def an_order_with_its_customer(agent):
    _, found = agent.request("GET", "/search/orders?page_size=20")
    for row in found["results"]:
        _, order = agent.request("GET", f"/orders/{row['id']}")
        if order["customer_id"]:
            _, customer = agent.request("GET", f"/customers/{order['customer_id']}")
            return order, customer
    raise AssertionError("no order with a customer account")


def test_templates_are_managed_in_options_and_typed_in_the_call_notes(paired, agent):
    reset_agent_state(agent)
    for template in agent.request("GET", "/note-templates")[1]["templates"]:
        agent.request("DELETE", f"/note-templates/{template['name']}")
    options = paired.open("options.html")
    options.set_viewport_size(SIZE)
    section = options.get_by_role("region", name="Note templates")
    expect(section.get_by_text("No templates yet.")).to_be_visible()
    section.get_by_role("textbox", name="Name").fill("ship")
    section.get_by_role("textbox", name="Text").fill(BODY)
    section.get_by_role("button", name="Save template").click()
    expect(section.get_by_role("status")).to_have_text("Saved ;ship.")
    expect(section.get_by_role("button", name="Edit ;ship")).to_be_visible()

    name = section.get_by_role("textbox", name="Name")
    name.fill("ship")
    section.get_by_role("textbox", name="Text").fill("Again")
    section.get_by_role("button", name="Save template").click()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(section.locator(".field-error").first).to_contain_text("exists already")
    name.fill("late")
    section.get_by_role("textbox", name="Text").fill("Sorry, {order.eta} is late")
    section.get_by_role("button", name="Save template").click()
    text = section.get_by_role("textbox", name="Text")
    expect(text).to_have_attribute("aria-invalid", "true")
    expect(section.locator(".field-error").nth(1)).to_contain_text("Unknown placeholder")
    names = [t["name"] for t in agent.request("GET", "/note-templates")[1]["templates"]]
    assert names == ["ship"]  # the refused ones changed nothing
    shot(options, "options-note-templates", full=True)
    assert_no_axe_violations(options, "options page with note templates")
    assert not options.page_errors, options.page_errors
    options.close()

    order, customer = an_order_with_its_customer(agent)
    _, opened = agent.request("POST", "/sessions", {"kind": "order", "id": order["id"]})
    page = paired.open_panel()
    page.set_viewport_size(SIZE)
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    notes = page.get_by_role("textbox", name="Call notes")
    notes.click()
    notes.press_sequentially("Called back. ;sh")
    listbox = page.get_by_role("listbox", name="Templates")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option").first).to_contain_text(";ship")
    expect(notes).to_have_attribute("aria-activedescendant", re.compile("-0$"))
    shot(page, "panel-note-template-list")
    assert_no_axe_violations(page, "call notes listing a template")
    notes.press("Enter")
    filled = f"Called back. Hi {customer['first_name']}, order {order['number']} ships today."
    expect(notes).to_have_value(filled)
    expect(listbox).to_be_hidden()
    expect(page.locator(".template-status")).to_have_text("Inserted ship.")
    notes.press_sequentially(" ;nothing")
    expect(listbox).to_be_hidden()  # no template of that name: the text stays as typed
    notes.press("Escape")
    expect(notes).to_have_value(filled + " ;nothing")
    shot(page, "panel-note-template-inserted")
    page.get_by_role("button", name=re.compile("^Hold")).focus()  # blur saves the notes

    def saved_notes():
        _, state = agent.request("GET", "/sessions")
        return next(s["notes"] for s in state["sessions"] if s["id"] == opened["session_id"])

    for _ in range(50):
        if saved_notes() == filled + " ;nothing":
            break
        page.wait_for_timeout(100)
    assert saved_notes() == filled + " ;nothing"

    # An entity note (the order's Add note) takes templates too, filled from that order.
    page.get_by_role("button", name="Add note to order").click()
    dialog = page.get_by_role("dialog", name=re.compile("Add note"))
    note = dialog.get_by_role("textbox", name="Note", exact=True)
    note.press_sequentially(";sh")
    expect(dialog.get_by_role("listbox", name="Templates").get_by_role("option")).to_have_count(1)
    note.press("Enter")
    expect(note).to_have_value(f"Hi {customer['first_name']}, order {order['number']} ships today.")
    shot(page, "panel-note-template-entity-note")
    dialog.get_by_role("button", name="Cancel").click()
    assert not page.page_errors, page.page_errors
    page.close()

    # Edit renames it, Delete removes it: the agent's list follows.
    options = paired.open("options.html")
    options.set_viewport_size(SIZE)
    section = options.get_by_role("region", name="Note templates")
    section.get_by_role("button", name="Edit ;ship").click()
    expect(section.get_by_role("heading", name="Edit ;ship")).to_be_visible()
    expect(section.get_by_role("textbox", name="Text")).to_have_value(BODY)
    section.get_by_role("textbox", name="Name").fill("shipped")
    section.get_by_role("button", name="Save template").click()
    expect(section.get_by_role("status")).to_have_text("Saved ;shipped.")
    assert [t["name"] for t in agent.request("GET", "/note-templates")[1]["templates"]] == [
        "shipped"
    ]
    section.get_by_role("button", name="Delete ;shipped").click()
    expect(section.get_by_role("status")).to_have_text("Deleted ;shipped.")
    expect(section.get_by_text("No templates yet.")).to_be_visible()
    assert agent.request("GET", "/note-templates")[1]["templates"] == []
    assert not options.page_errors, options.page_errors
    options.close()
