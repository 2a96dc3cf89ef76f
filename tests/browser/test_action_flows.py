"""Action flows of issue 13: an order's address change offers the customer's saved addresses,
countries are picked by name from the agent's list, and a draft resumed on a record that changed
since says so when it opens (not after a 409). Demo store, real agent, real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, reset_agent_state, shot

pytestmark = pytest.mark.browser


def order_with_saved_addresses(agent) -> tuple[dict, dict]:
    """An open order offering change_shipping_address, whose customer gets a second saved
    address (in Halifax) through the API first."""
    _, found = agent.request("GET", "/search/orders?status=Accepted&status=Processing&page_size=50")
    for row in found["results"]:
        _, order = agent.request("GET", f"/orders/{row['id']}")
        if "change_shipping_address" in order["available_actions"] and order["customer_id"]:
            break
    else:
        pytest.fail("the demo store has no open order of a customer that can change address")
    _, customer = agent.request("GET", f"/customers/{order['customer_id']}")
    status, added = agent.request(
        "POST",
        f"/customers/{customer['id']}/actions/add_address",
        {
            "expected_version": customer["version"],
            "label": "Cottage",
            "first_name": customer["first_name"],
            "last_name": customer["last_name"],
            "address": {
                "address1": "77 Harbour St",
                "city": "Halifax",
                "state": "NS",
                "postal_code": "B3H 1A1",
                "country": "CA",
            },
            "types": [{"name": "Shipping", "is_primary": False}],
        },
    )
    assert status == 200, added
    return order, added["entity"]["contacts"][-1]


def open_tab(agent, kind: str, entity_id: str) -> tuple[str, str]:
    reset_agent_state(agent)
    status, opened = agent.request("POST", "/sessions", {"kind": kind, "id": entity_id})
    assert status in (200, 201), opened
    return opened["session_id"], opened["tab_id"]


def test_change_address_offers_the_customers_saved_addresses(paired, agent):
    order, contact = order_with_saved_addresses(agent)
    open_tab(agent, "order", order["id"])
    page = paired.open_panel()
    page.set_viewport_size({"width": 400, "height": 760})
    page.get_by_role("button", name="Change Address (shipping)").click()
    box = page.get_by_role("dialog")
    saved = box.get_by_label("Use a saved address")
    expect(saved).to_be_visible()
    want = contact["address"]
    option = saved.locator("option").filter(has_text=want["address1"])
    saved.select_option(value=option.first.get_attribute("value"))
    expect(box.get_by_label("City")).to_have_value(want["city"])
    expect(box.get_by_label("Address line 1")).to_have_value(want["address1"])
    # The country is a choice by name, set to the saved address's country.
    country = box.get_by_role("combobox", name="Country")
    expect(country).to_have_value(want["country"])
    names = {"US": "United States", "CA": "Canada", "GB": "United Kingdom"}
    expect(country.locator("option:checked")).to_have_text(names[want["country"]])
    assert_no_axe_violations(page, "change address with saved addresses")
    shot(page, "panel-change-address-saved-light")
    box.get_by_role("button", name="Change shipping address").click()
    expect(box).to_have_count(0)
    _, after = agent.request("GET", f"/orders/{order['id']}")
    assert after["shipping_address"]["address"]["city"] == want["city"]
    assert after["shipping_address"]["address"]["address1"] == want["address1"]
    page.close()


def test_a_resumed_draft_on_a_changed_record_says_so_when_it_opens(paired, agent):
    _, found = agent.request("GET", "/search/orders?status=Completed&page_size=5")
    order_id = found["results"][0]["id"]
    sid, tid = open_tab(agent, "order", order_id)
    _, order = agent.request("GET", f"/orders/{order_id}")
    draft = {
        "data": {"entity_id": order_id, "raw": {"text": "Promised a callback"}, "key": "k" * 20},
        "entity_version": order["version"],
    }
    status, _ = agent.request("PUT", f"/sessions/{sid}/tabs/{tid}/drafts/add_note", draft)
    assert status == 200
    # Someone else changes the order after the draft was saved.
    status, changed = agent.request(
        "POST",
        f"/orders/{order_id}/actions/add_note",
        {"expected_version": order["version"], "text": "Elsewhere"},
    )
    assert status == 200, changed
    page = paired.open_panel()
    item = page.locator(".draft-item")
    expect(item).to_contain_text("the order changed since")
    page.get_by_role("button", name="Resume Add note").click()
    box = page.get_by_role("dialog")
    alert = box.get_by_role("alert")
    expect(alert).to_contain_text("changed since this draft was saved")
    expect(box.get_by_label("Note")).to_have_value("Promised a callback")
    shot(page, "panel-stale-draft-light")
    box.get_by_role("button", name=f"Use the latest version ({changed['version']})").click()
    expect(alert).to_be_hidden()
    box.get_by_role("button", name="Add note").click()
    expect(box).to_have_count(0)
    _, after = agent.request("GET", f"/orders/{order_id}")
    assert {"Elsewhere", "Promised a callback"} <= {n["text"] for n in after["notes"]}
    page.close()
