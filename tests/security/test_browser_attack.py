"""In real Chromium: a web page on another 127.0.0.1 port attacks the agent and achieves nothing,
while the extension, loaded in the same browser, keeps working.

The page even knows the pairing token (as if it had leaked), so what stops it is the gate's
Origin / fetch-metadata checks and the preflight the write header forces, not secrecy.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from agent.extension_id import EXTENSION_ID
from tests.security.live import LiveAgent, snapshot

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
CHROMIUM = os.environ.get("CALLCENTER_CHROMIUM", "/usr/bin/chromium")

ATTACK_PAGE = """<!doctype html>
<meta charset="utf-8"><title>cheap flights</title>
<iframe name="sink" style="display:none"></iframe>
<form id="form" method="POST" target="sink" enctype="text/plain"
      action="@AGENT@/api/v1/landing/search-state">
  <input name='{"kind":"orders","q":"form","x":"' value='"}'>
</form>
<form id="form2" method="POST" target="sink" action="@AGENT@/api/v1/sessions">
  <input name="kind" value="customer"><input name="id" value="@CUSTOMER@">
</form>
<script>
const AGENT = "@AGENT@", TOKEN = "@TOKEN@";
const results = {};
const json = {"Content-Type": "application/json", "X-Callcenter-Api": "1",
              "Authorization": "Bearer " + TOKEN};
async function attempt(name, fn) {
  try { results[name] = await fn(); } catch (e) { results[name] = "error: " + e.name; }
}
function ws(name, protocols) {
  return new Promise((resolve) => {
    const sock = new WebSocket(AGENT.replace("http", "ws") + "/api/v1/events", protocols);
    sock.onopen = () => { resolve("open"); sock.close(); };
    sock.onerror = () => resolve("error");
    setTimeout(() => resolve("timeout"), 5000);
  });
}
async function run() {
  await attempt("cors fetch POST JSON with the token", async () =>
    (await fetch(AGENT + "/api/v1/sessions", {method: "POST", headers: json,
      body: JSON.stringify({kind: "customer", id: "@CUSTOMER@"})})).status);
  await attempt("cors fetch GET sessions with the token", async () =>
    (await fetch(AGENT + "/api/v1/sessions", {headers: {"Authorization": "Bearer " + TOKEN}}))
      .status);
  await attempt("no-cors simple POST text/plain", async () =>
    (await fetch(AGENT + "/api/v1/sessions", {method: "POST", mode: "no-cors",
      headers: {"Content-Type": "text/plain"},
      body: JSON.stringify({kind: "customer", id: "@CUSTOMER@"})})).type);
  await attempt("no-cors GET sessions", async () =>
    (await fetch(AGENT + "/api/v1/sessions", {mode: "no-cors"})).type);
  await attempt("no-cors DELETE-less GET health", async () =>
    (await fetch(AGENT + "/api/v1/health", {mode: "no-cors"})).type);
  await attempt("img", () => new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve("load"); img.onerror = () => resolve("error");
    img.src = AGENT + "/api/v1/sessions";
  }));
  await attempt("websocket with the token as subprotocol",
                () => ws("ws", ["callcenter.v1", "bearer." + TOKEN]));
  await attempt("websocket without a token", () => ws("ws2", ["callcenter.v1"]));
  document.getElementById("form").submit();
  await new Promise((r) => setTimeout(r, 300));
  document.getElementById("form2").submit();
  await new Promise((r) => setTimeout(r, 300));
  results["forms"] = "submitted";
  window.results = results;
  document.body.dataset.done = "1";
}
run();
</script>
"""


class AttackSite:
    """A tiny aiohttp site on another 127.0.0.1 port, in its own thread and event loop."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._runner: web.AppRunner | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def index(request: web.Request) -> web.Response:
            return web.Response(text=self.page, content_type="text/html")

        async def start() -> None:
            app = web.Application()
            app.router.add_get("/", index)
            self._runner = web.AppRunner(app)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.port = self._runner.addresses[0][1]
            self._ready.set()

        self.loop.run_until_complete(start())
        self.loop.run_forever()

    def __enter__(self) -> AttackSite:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)", pytrace=False
        )
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("attack-profile")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}"],
        )
        try:
            worker = (
                ctx.service_workers[0]
                if ctx.service_workers
                else ctx.wait_for_event("serviceworker", timeout=15_000)
            )
            assert worker.url.split("/")[2] == EXTENSION_ID
            yield ctx
        finally:
            ctx.close()
            shutil.rmtree(profile, ignore_errors=True)


def log_mark(agent: LiveAgent, name: str) -> int:
    """Where the log stands once every earlier request is in it (a 404 for a marker path)."""
    assert agent.call("GET", f"/log-mark-{name}")[0] == 404
    for _ in range(200):
        text = agent.log_text()
        at = text.find(f"/api/v1/log-mark-{name}")
        if at >= 0:
            return text.index("\n", at) + 1
        threading.Event().wait(0.02)
    raise AssertionError("the marker never reached the agent log")


def test_a_web_page_achieves_nothing_while_the_extension_works(
    chromium: Any, live_agent: LiveAgent
) -> None:
    agent = live_agent
    _, found = agent.call("GET", "/search/customers?page_size=2")
    first, second = found["results"]
    assert agent.call("POST", "/sessions", {"kind": "customer", "id": first["id"]})[0] == 201
    before = snapshot(agent)
    log_start = log_mark(agent, "before-the-attack")
    page_text = (
        ATTACK_PAGE.replace("@AGENT@", f"http://127.0.0.1:{agent.port}")
        .replace("@TOKEN@", agent.token)
        .replace("@CUSTOMER@", str(second["id"]))
    )

    with AttackSite(page_text) as site:
        page = chromium.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"http://127.0.0.1:{site.port}/")
        page.wait_for_function("window.results !== undefined")
        results = page.evaluate("window.results")
        page.wait_for_timeout(300)  # let the form navigations reach the agent
        page.close()

    # What the page could observe: nothing readable, no socket.
    assert str(results["cors fetch POST JSON with the token"]).startswith("error")
    assert str(results["cors fetch GET sessions with the token"]).startswith("error")
    assert results["no-cors simple POST text/plain"] == "opaque"
    assert results["img"] == "error"
    assert results["websocket with the token as subprotocol"] == "error"
    assert results["websocket without a token"] == "error"
    # What the agent did: nothing. Its log shows each attempt refused by the gate.
    log = agent.log_text()[log_start:]
    assert snapshot(agent) == before
    refusals = re.findall(r"refused (\S+) (\S+): (\w+)", log)
    assert ("OPTIONS", "/api/v1/sessions", "origin_not_allowed") in refusals  # the preflight
    assert ("POST", "/api/v1/sessions", "origin_not_allowed") in refusals  # simple POST
    assert ("GET", "/api/v1/events", "origin_not_allowed") in refusals  # WebSocket
    assert ("POST", "/api/v1/landing/search-state", "origin_not_allowed") in refusals  # form
    assert {code for *_, code in refusals} <= {"origin_not_allowed", "cross_site_request"}
    assert len(refusals) >= 8
    assert agent.token not in log
    assert '" 200 ' not in log and '" 201 ' not in log  # nothing the page sent succeeded

    # The extension page, in the same browser, reads and writes through the same gate.
    panel = chromium.new_page()
    try:
        panel.goto(f"chrome-extension://{EXTENSION_ID}/panel.html")
        answers = panel.evaluate(
            """async ([base, token]) => {
            const auth = {"Authorization": "Bearer " + token};
            const health = await fetch(base + "/health");
            const sessions = await fetch(base + "/sessions", {headers: auth});
            const write = await fetch(base + "/preferences/orders", {method: "PUT",
                headers: {...auth, "Content-Type": "application/json", "X-Callcenter-Api": "1"},
                body: JSON.stringify({columns: ["number", "status"]})});
            return [health.status, sessions.status, (await sessions.json()).version,
                    write.status];
        }""",
            [agent.base, agent.token],
        )
    finally:
        panel.close()
    assert answers == [200, 200, before["sessions"]["version"], 200]
    assert agent.call("GET", "/preferences")[1]["orders"]["columns"] == ["number", "status"]
