"""Money in the search results is shown in each record's own currency (the demo store sells in
the US, Canada and the UK), never assumed to be USD."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import connected_panel, shot

pytestmark = pytest.mark.browser

FORMAT = (
    "([cents, code]) => new Intl.NumberFormat(undefined, {style: 'currency', currency: code})"
    ".format(cents / 100)"
)


@pytest.fixture
def page(paired, agent):
    with connected_panel(paired, agent, wide=True) as tab:
        yield tab


def search(page, kind, query):
    page.get_by_role("radio", name=kind, exact=True).check()
    box = page.get_by_role("searchbox", name="Search")
    box.fill(query)
    box.press("Enter")
    expect(page.locator("table.results tbody tr").first).to_be_visible()


def test_order_totals_show_their_own_currency(page, agent):
    _, found = agent.request("GET", "/search/orders?page_size=100")
    first_of: dict[str, dict] = {}
    for row in found["results"]:
        first_of.setdefault(row["currency"], row)
    assert {"USD", "CAD", "GBP"} <= set(first_of), sorted(first_of)

    for code, mark in (("CAD", "CA"), ("GBP", "£"), ("USD", "$")):
        row = first_of[code]
        search(page, "Orders", str(row["number"]))
        cell = page.locator(
            f'table.results tbody tr[data-id="{row["id"]}"] td.key-total .cell-value'
        )
        own = page.evaluate(FORMAT, [row["total"], code])
        expect(cell).to_have_text(own)
        assert mark in own, own
        if code != "USD":
            assert own != page.evaluate(FORMAT, [row["total"], "USD"])


def test_results_table_mixes_currencies(page, agent):
    """A page of orders from all three stores: each Total in its own currency (screenshot)."""
    query, rows = "", []
    for letter in "abcdefghijklmnopqrstuvwxyz":
        _, found = agent.request("GET", f"/search/orders?q={letter}&page_size=25")
        if len({r["currency"] for r in found["results"][:10]}) == 3:
            query, rows = letter, found["results"]
            break
    assert query, "no one-letter query shows all three currencies in its first rows"
    search(page, "Orders", query)
    for row in rows[:10]:
        cell = page.locator(
            f'table.results tbody tr[data-id="{row["id"]}"] td.key-total .cell-value'
        )
        expect(cell).to_have_text(page.evaluate(FORMAT, [row["total"], row["currency"]]))
    shot(page, "wide-results-currencies")
    # Customers' lifetime value too.
    _, customers = agent.request("GET", "/search/customers?page_size=100")
    gbp = next(r for r in customers["results"] if r["currency"] == "GBP" and r["lifetime_value"])
    search(page, "Customers", gbp["id"])
    cell = page.locator(
        f'table.results tbody tr[data-id="{gbp["id"]}"] td.key-lifetime_value .cell-value'
    )
    expect(cell).to_contain_text("£")
