"""The panel in Chromium on the Kibo backend: search, open, follow links between customer,
order and return — every call the agent makes checked by the fake against Kibo's documents."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.kibo.fake_thread import FakeKiboThread
from tests.kibo.run_fake import write_agent_config

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")
browser_support = pytest.importorskip("tests.browser.conftest")
expect = playwright_api.expect


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeKiboThread]:
    with FakeKiboThread() as running:
        yield running
    assert running.server.violations == []


@pytest.fixture(scope="module")
def agent(fake: FakeKiboThread, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    data_dir = tmp_path_factory.mktemp("kibo-agent") / "data"
    write_agent_config(data_dir, fake.url)
    process = browser_support.Agent(data_dir).start()
    yield process
    process.stop()


def in_chromium(agent: Any, profile: Path, flow: Callable[[Any], None]) -> None:
    """Run ``flow(page)`` on a paired panel. Sync Playwright runs on its own thread so it
    cannot collide with the browser tests' Playwright when both run in one session."""
    def run() -> None:
        browser_support._require_chromium()
        with playwright_api.sync_playwright() as pw:
            browser = browser_support.launch(pw, profile)
            try:
                browser.pair(agent.port, agent.token)
                page = browser.open_panel()
                expect(page.locator("body")).to_have_attribute("data-connection", "connected")
                flow(page)
                assert not page.page_errors, page.page_errors
            finally:
                browser.ctx.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()
    shutil.rmtree(profile, ignore_errors=True)


def search(page: Any, kind: str, query: str) -> None:
    page.get_by_role("radio", name=kind, exact=True).check()
    box = page.get_by_role("searchbox", name="Search")
    box.fill(query)
    box.press("Enter")
    expect(page.locator("table.results tbody tr").first).to_be_visible()


def open_and_follow_links(page: Any) -> None:
    search(page, "Orders", "5002")
    expect(page.locator(".result-count")).to_contain_text("1 order")
    page.locator('table.results tbody tr[data-id="1b2c3d4e5f60718293a4b5c6d7e8f90a"]').click()
    expect(page.locator(".entity-title")).to_contain_text("#5002")
    tabs = page.get_by_role("tablist").first.get_by_role("tab")
    expect(tabs).to_have_count(2)
    page.get_by_role("button", name="Open customer John Smith").click()
    expect(page.locator(".entity-customer .entity-title")).to_contain_text("John Smith")
    expect(tabs).to_have_count(3)

    page.get_by_role("tab", name="New Search").click()
    search(page, "Returns", "7001")
    page.locator('table.results tbody tr[data-id="9f8e7d6c5b4a39281706f5e4d3c2b1a0"]').click()
    expect(page.locator(".entity-return .entity-title")).to_contain_text("#7001")
    page.get_by_role("button", name="Open order 5001").click()
    expect(page.locator(".entity-order .entity-title")).to_contain_text("#5001")


def test_search_open_and_follow_links_on_kibo(agent: Any, fake: FakeKiboThread,
                                              tmp_path: Path) -> None:
    in_chromium(agent, tmp_path / "profile", open_and_follow_links)
    assert fake.server.calls("/commerce/returns/9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    assert fake.server.violations == []
