"""The panel's search timing (extension/lib/search-timing.js): a search whose results are painted
leaves its keystroke-to-paint and request-to-paint measures; a stale one, aborted by the next
keystroke, leaves none; and the entries stay bounded."""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import customer_rows

pytestmark = pytest.mark.browser

ENTRIES = """() => Object.fromEntries(
  ["cc-search-keystroke", "cc-search-request", "cc-search-painted",
   "cc-keystroke-to-paint", "cc-request-to-paint"]
    .map((name) => [name, performance.getEntriesByName(name).map((e) => e.detail)]))"""
PAINTED = """(q) => performance.getEntriesByName("cc-keystroke-to-paint")
  .some((e) => e.detail.q === q)"""
NEXT_PAINT = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))"


def test_marks_for_a_painted_search_and_none_for_a_stale_one(page, agent):
    stale, fresh = customer_rows(agent, 2)

    def searches(row):
        def match(url: str) -> bool:
            parts = urlsplit(url)
            return parts.path.endswith("/search/customers") and parse_qs(parts.query).get("q") == [
                row["name"]
            ]

        return match

    held = []

    def hold(route) -> None:  # not answered while the next search runs
        held.append(route)

    page.route(searches(stale), hold)
    box = page.get_by_role("searchbox", name="Search")
    with page.expect_request(lambda request: searches(stale)(request.url)):
        box.fill(stale["name"])
    box.fill(fresh["name"])  # the next search aborts the held one
    page.wait_for_function(PAINTED, arg=fresh["name"])
    expect(page.locator(f'table.results tbody tr[data-id="{fresh["id"]}"]')).to_be_visible()
    for route in held:  # too late: the page gave up on it
        with contextlib.suppress(Exception):
            route.continue_()
    page.evaluate(NEXT_PAINT)
    assert held, "the stale search never reached the network"

    entries = page.evaluate(ENTRIES)
    assert len(entries["cc-search-keystroke"]) >= 2
    assert len(entries["cc-search-request"]) == 2
    assert len(entries["cc-search-painted"]) == 1
    for name in ("cc-keystroke-to-paint", "cc-request-to-paint"):
        assert [d["q"] for d in entries[name]] == [fresh["name"]], name
        detail = entries[name][0]
        assert detail["kind"] == "customers"
        assert {"debounce_ms", "fetch_ms", "render_ms", "paint_ms"} <= set(detail)


def test_entries_stay_bounded(page):
    counts = page.evaluate("""async () => {
      const t = await import(chrome.runtime.getURL("lib/search-timing.js"));
      for (let i = 0; i < 5 * t.KEEP; i++) t.mark(t.MARKS.keystroke);
      return {keep: t.KEEP, kept: performance.getEntriesByName(t.MARKS.keystroke).length};
    }""")
    assert counts["keep"] <= counts["kept"] <= 2 * counts["keep"]
