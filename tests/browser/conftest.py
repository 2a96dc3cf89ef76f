"""Browser tests: the real extension in Debian's Chromium, driven by sync Playwright, against a
real agent process (own free port, own temp data dir, token read through the CLI).

Layout (see docs/testing.md, "Browser tests"): one agent and one browser context per test
module; a fresh tab per test. Extension pages are opened in ordinary tabs at
chrome-extension://<id>/panel.html (360x640, like the side panel) or ?view=full (1280x800).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.kibo import fake_data
from tests.kibo.fake_thread import FakeKiboThread
from tests.kibo.openapi_docs import require_documents
from tests.kibo.run_fake import write_agent_config
from tests.support.agent_process import AgentProcess
from tests.support.chromium import CHROMIUM, ROOT, Browser, launch
from tests.support.chromium import EXTENSION as EXTENSION  # re-exported for the tests

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


BACKENDS = ("demo", "kibo")
# Tests that exercise the whole panel flow carry this marker and run once per backend: the
# embedded demo store and the fake Kibo tenant (tests/kibo). Everything else (admin console,
# actions forms, specific demo data) runs on the demo store only.
# The marker is registered in pyproject.toml (a conftest below the root is loaded too late
# for --strict-markers when the whole suite runs).
both_backends = pytest.mark.both_backends
kibo_only = pytest.mark.kibo_only  # what only a remote tenant can do (e.g. fail one call)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "agent" not in metafunc.fixturenames:
        return
    both = metafunc.definition.get_closest_marker("both_backends") is not None
    kibo = metafunc.definition.get_closest_marker("kibo_only") is not None
    backends = BACKENDS[1:] if kibo else BACKENDS if both else BACKENDS[:1]
    metafunc.parametrize("agent", backends, indirect=True, scope="module")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# ---------------------------------------------------------------- agent process


class Agent(AgentProcess):
    """An agent process that knows which backend it serves ("demo" or "kibo")."""

    backend = "demo"
    fake: FakeKiboThread | None = None


# The fake tenant has three customers; the session tests need five with distinct names.
EXTRA_KIBO_CUSTOMERS = (
    (1004, "Omar", "Haddad", "omar.haddad@example.com", "512-555-0144"),
    (1005, "Priya", "Patel", "priya.patel@example.com", "512-555-0177"),
)


@pytest.fixture(scope="module")
def agent(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Agent]:
    backend = getattr(request, "param", "demo")
    data_dir = tmp_path_factory.mktemp(f"agent-{backend}") / "data"
    data_dir.mkdir()
    if backend == "demo":
        proc = Agent(data_dir).start()
        yield proc
        proc.stop()
        return
    assert backend == "kibo", backend
    require_documents()  # skips (fails under CI=true) without Kibo's documents
    with FakeKiboThread() as fake:
        accounts = fake.server.data["accounts"]
        for account_id, *person in EXTRA_KIBO_CUSTOMERS:
            accounts[account_id] = fake_data.account(account_id, *person)
        write_agent_config(data_dir, fake.url)
        proc = Agent(data_dir, extra_args=("--backend", "kibo"))
        proc.backend, proc.fake = "kibo", fake
        proc.start()
        try:
            yield proc
        finally:
            proc.stop()
    assert fake.server.violations == [], "requests/answers outside Kibo's documents"


# ---------------------------------------------------------------- browser


def _require_chromium() -> None:
    if not (Path(CHROMIUM).exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: browser tests need it "
            "(apt-get install -y chromium, or set CALLCENTER_CHROMIUM).",
            pytrace=False,
        )


@pytest.fixture(scope="package")
def pw() -> Iterator[Any]:
    # Package scope: sync Playwright keeps an event loop running in this thread while it
    # lives, and the asyncio tests collected after this package need that loop gone.
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(pw: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    profile = tmp_path_factory.mktemp("profile")
    launched = launch(pw, profile)
    try:
        yield launched
    finally:
        launched.ctx.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def paired(browser: Browser, agent: Agent) -> Browser:
    browser.pair(agent.port, agent.token)
    return browser


@contextlib.contextmanager
def connected_panel(
    paired: Browser,
    agent: Agent,
    *,
    wide: bool = False,
    size: dict[str, int] | None = None,
    clipboard: bool = False,
) -> Iterator[Any]:
    """A panel tab on a clean agent (no sessions, empty landing search), connected; it must end
    the test with no page errors."""
    reset_agent_state(agent)
    if clipboard:
        paired.ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = paired.open_panel(wide=wide)
    if size:
        tab.set_viewport_size(size)
    expect(tab.locator("body")).to_have_attribute("data-connection", "connected")
    yield tab
    assert not tab.page_errors, tab.page_errors
    tab.close()


@pytest.fixture
def page(paired: Browser, agent: Agent) -> Iterator[Any]:
    """The usual start of a panel test: see ``connected_panel``."""
    with connected_panel(paired, agent) as tab:
        yield tab


# ---------------------------------------------------------------- helpers


def shot(page: Any, name: str, full: bool = False) -> Path:
    """The viewport (or the whole page, ``full``) as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    return path


def assert_no_axe_violations(page: Any, label: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response.get("violations", [])
    details = [
        f"{v['id']} ({v.get('impact')}): {v['help']} -> "
        + "; ".join(" ".join(n.get("target", [])) for n in v.get("nodes", [])[:4])
        for v in violations
    ]
    assert not violations, f"axe violations on {label}:\n" + "\n".join(details)


def reset_agent_state(agent: Agent) -> None:
    """Close every session and clear the landing search so each test starts clean."""
    status, state = agent.request("GET", "/sessions")
    assert status == 200, state
    for session in state["sessions"]:
        agent.request("DELETE", f"/sessions/{session['id']}")
    agent.request("PUT", "/active-session", {"session_id": None})
    agent.request("PUT", "/landing/search-state", {"kind": "customers", "q": "", "filters": {}})


def shot_name(agent: Agent, name: str) -> str:
    """Screenshot names: the demo keeps the plain name, other backends get a suffix."""
    return name if agent.backend == "demo" else f"{name}-{agent.backend}"


# ---------------------------------------------------------------- test data, from the agent
# Backend-neutral: found through the agent's own API, never hard-coded names or ids.


def customer_rows(agent: Agent, count: int) -> list[dict[str, Any]]:
    """Ids and names of `count` customers with distinct names."""
    _, found = agent.request("GET", "/search/customers?page_size=50")
    seen: set[str] = set()
    rows = []
    for row in found["results"]:
        if row["name"] and row["name"] not in seen:
            seen.add(row["name"])
            rows.append(row)
    assert len(rows) >= count, f"{agent.backend}: need {count} customers, found {len(rows)}"
    return rows[:count]


def orders_with_customer(agent: Agent, count: int) -> list[dict[str, Any]]:
    """`count` search rows of orders that belong to a customer account (not guest orders),
    Completed ones first."""
    rows: list[dict[str, Any]] = []
    for query in ("status=Completed&page_size=50", "page_size=50"):
        _, found = agent.request("GET", f"/search/orders?{query}")
        for row in found["results"]:
            if len(rows) == count:
                return rows
            if not row["customer_name"] or any(r["id"] == row["id"] for r in rows):
                continue
            _, detail = agent.request("GET", f"/orders/{row['id']}")
            if detail["customer_id"]:
                rows.append(row)
    assert len(rows) == count, f"{agent.backend}: need {count} orders, found {len(rows)}"
    return rows


def a_return(agent: Agent) -> dict[str, Any]:
    """A return row with its original order."""
    _, found = agent.request("GET", "/search/returns?page_size=20")
    rows = [r for r in found["results"] if r["order_number"]]
    assert rows, f"{agent.backend}: no return with an order"
    return rows[0]


def return_with_customer(agent: Agent) -> dict[str, Any]:
    """The detail of a return whose order belongs to a customer (preferably Authorized)."""
    for query in ("status=Authorized&page_size=20", "page_size=50"):
        _, found = agent.request("GET", f"/search/returns?{query}")
        for row in found["results"]:
            _, ret = agent.request("GET", f"/returns/{row['id']}")
            if ret["customer_id"]:
                return ret
    raise AssertionError(f"{agent.backend}: no return with a customer")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Generator[None, Any, None]:
    """On a failure, keep a screenshot of the test's page for the CI artifacts."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        funcargs = getattr(item, "funcargs", {})
        page = funcargs.get("page") or funcargs.get("panel")
        if page is not None and not page.is_closed():
            folder = ROOT / "test-artifacts" / "failures"
            folder.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(Exception):  # best effort only
                page.screenshot(path=str(folder / f"{item.name}.png"))
