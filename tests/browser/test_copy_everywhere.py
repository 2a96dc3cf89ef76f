"""Every email, phone and record number a customer, order or return view shows has a Copy
button naming what it copies; each one puts its value on the clipboard and says "Copied".
Demo store, real agent, real Chromium, 400 px wide."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_axe_violations,
    connected_panel,
    return_with_customer,
    shot,
)

pytestmark = pytest.mark.browser

# Emails are <span class="email">; phones are matched in the text (the demo's and Kibo's forms).
UNCOPYABLE = """(root) => {
  const outside = (el) => !el.closest('.copyable')?.querySelector('.copy-button');
  const emails = [...root.querySelectorAll('.email')].filter(outside).map((el) => el.textContent);
  const phone = /\\(?\\d{3}\\)?[-. ]\\d{3}[-. ]\\d{4}/;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const phones = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (phone.test(n.data) && el.offsetParent && outside(el)) phones.push(n.data);
  }
  return [...emails, ...phones];
}"""


@pytest.fixture
def page(paired, agent):
    with connected_panel(paired, agent, clipboard=True, size={"width": 400, "height": 800}) as tab:
        yield tab


def copies(scope: Any, page: Any, what: str, value: str) -> None:
    """The button "Copy <what>" in ``scope`` copies ``value`` and says so."""
    button = scope.get_by_role("button", name=f"Copy {what}", exact=True)
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == value
    expect(page.get_by_role("status").filter(has_text=f"Copied {what}:")).to_have_text(
        f"Copied {what}: {value}"
    )


def nothing_uncopied(page: Any) -> None:
    left = page.locator(".entity").evaluate(UNCOPYABLE)
    assert left == [], f"shown without a Copy button: {left}"


def a_customer_with_contacts(agent: Any) -> dict[str, Any]:
    _, found = agent.request("GET", "/search/customers?page_size=50")
    for row in found["results"]:
        _, customer = agent.request("GET", f"/customers/{row['id']}")
        contacts = customer["contacts"]
        if (
            customer["registered"]
            and customer["store_credits"]
            and any(c["phone"] and c["email"] for c in contacts)
        ):
            return customer
    raise AssertionError("no registered customer with a saved phone, email and store credit")


def test_the_customer_view_copies_ids_emails_phones_and_codes(page, agent):
    c = a_customer_with_contacts(agent)
    agent.request("POST", "/sessions", {"kind": "customer", "id": c["id"]})
    expect(page.locator(".entity-title")).to_contain_text(c["full_name"])
    profile = page.locator(".profile")
    copies(profile, page, "Customer ID", c["id"])
    copies(profile, page, "Username", c["username"])
    general = page.get_by_role("tabpanel", name="General")
    copies(general, page, "Email", c["email"])
    nothing_uncopied(page)

    page.get_by_role("tab", name="Contact Information").click()
    items = page.locator("li.contact")
    expect(items).to_have_count(len(c["contacts"]))
    for i, contact in enumerate(c["contacts"]):
        whose = contact["label"] or f"{contact['first_name']} {contact['last_name']}"
        if contact["phone"]:
            copies(items.nth(i), page, f"phone of {whose}", contact["phone"])
        if contact["email"]:
            copies(items.nth(i), page, f"email of {whose}", contact["email"])
    nothing_uncopied(page)
    shot(page, "panel-copy-customer-contacts")
    assert_no_axe_violations(page, "customer contacts with copy buttons")

    page.get_by_role("tab", name="Gift Card & Store Credits").click()
    for credit in c["store_credits"]:
        copies(page, page, f"store credit code {credit['code']}", credit["code"])
    shot(page, "panel-copy-customer-credits")


def test_the_order_view_copies_its_number_email_phones_and_tracking_numbers(page, agent):
    _, found = agent.request("GET", "/search/orders?status=Completed&page_size=20")
    for row in found["results"]:
        _, o = agent.request("GET", f"/orders/{row['id']}")
        if any(s["tracking_number"] for s in o["shipments"]) and o["billing_address"]["phone"]:
            break
    else:
        raise AssertionError("no completed order with a tracking number and a phone")
    agent.request("POST", "/sessions", {"kind": "order", "id": o["id"]})
    expect(page.locator(".entity-title")).to_contain_text(f"#{o['number']}")
    copies(page.locator(".entity-head"), page, "order number", str(o["number"]))
    copies(page.locator(".entity-head"), page, "email", o["email"])
    addresses = page.locator(".address-grid")
    copies(addresses.locator("address").first, page, "phone", o["billing_address"]["phone"])
    for s in o["shipments"]:
        copies(page, page, f"shipment number {s['number']}", str(s["number"]))
        if s["tracking_number"]:
            copies(page, page, f"tracking number of shipment {s['number']}", s["tracking_number"])
    nothing_uncopied(page)
    page.get_by_role("region", name="Shipments table").scroll_into_view_if_needed()
    shot(page, "panel-copy-order-tracking")


def test_the_return_view_copies_its_number_its_order_number_and_email(page, agent):
    r = return_with_customer(agent)
    agent.request("POST", "/sessions", {"kind": "return", "id": r["id"]})
    expect(page.locator(".entity-title")).to_contain_text(f"#{r['number']}")
    copies(page, page, "return number", str(r["number"]))
    copies(page, page, "original order number", str(r["order_number"]))
    copies(page, page, "Email", r["email"])
    nothing_uncopied(page)
    expect(
        page.get_by_role("button", name=re.compile(f"Open order {r['order_number']}"))
    ).to_be_visible()
    shot(page, "panel-copy-return")
    assert_no_axe_violations(page, "return view with copy buttons")


@pytest.mark.parametrize(("kind", "prefix"), [("order", "POS-"), ("return", "RMA-")])
def test_the_order_and_return_views_show_external_id_and_location(page, agent, kind, prefix):
    _, found = agent.request("GET", f"/search/{kind}s?external_id={prefix}&page_size=1")
    row = found["results"][0]
    assert row["external_id"].startswith(prefix) and row["location"]
    agent.request("POST", "/sessions", {"kind": kind, "id": row["id"]})
    expect(page.locator(".entity-title")).to_contain_text(f"#{row['number']}")
    fact = page.locator(".fact").filter(has=page.locator("dt", has_text="External ID"))
    expect(fact.locator("dd")).to_contain_text(row["external_id"])
    place = page.locator(".fact").filter(has=page.locator("dt", has_text="Location"))
    expect(place.locator("dd")).to_have_text(row["location"])
    copies(fact, page, "External ID", row["external_id"])
    fact.scroll_into_view_if_needed()
    shot(page, f"panel-{kind}-external-id")


def test_an_order_without_an_external_id_shows_no_such_row(page, agent):
    _, found = agent.request("GET", "/search/orders?channel=Web&page_size=1")
    row = found["results"][0]
    agent.request("POST", "/sessions", {"kind": "order", "id": row["id"]})
    expect(page.locator(".entity-title")).to_contain_text(f"#{row['number']}")
    expect(page.locator(".fact dt", has_text="Location")).to_have_count(1)
    expect(page.locator(".fact dt", has_text="External ID")).to_have_count(0)
