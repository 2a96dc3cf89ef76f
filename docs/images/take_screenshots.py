"""Take the README's "What a CSR sees" screenshots from a real panel: a real agent on a fresh
small demo store, Chromium with the extension at side-panel width (360x640).

    .venv/bin/python docs/images/take_screenshots.py      # rewrites docs/images/*.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from agent.backends.demo.seed import seed_store  # noqa: E402
from tests.support.agent_process import AgentProcess  # noqa: E402
from tests.support.chromium import launch  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="cc-shots-"))
    data = work / "data"
    data.mkdir()
    seed_store(data / "demo.db", "small")
    agent = AgentProcess(data).start()
    try:
        _, found = agent.request("GET", "/search/orders?status=Completed&page_size=40")
        rows = [r for r in found["results"] if r["customer_name"]]
        seen: set[str] = set()
        picked = []
        for row in rows:
            if row["customer_name"] not in seen:
                seen.add(row["customer_name"])
                picked.append(row)
        # Two callers on hold or on the line; the second one is about an order.
        for row in picked[:2]:
            _, opened = agent.request("POST", "/sessions", {"kind": "order", "id": row["id"]})
        sid = opened["session_id"]
        agent.request(
            "PUT", f"/sessions/{sid}/notes", {"notes": "Parcel arrived damaged; wants a refund."}
        )
        # A third caller, already wrapped up: "Recently closed" on New Call.
        _, extra = agent.request("POST", "/sessions", {"kind": "order", "id": picked[2]["id"]})
        agent.request("DELETE", f"/sessions/{extra['session_id']}")
        agent.request("PUT", "/active-session", {"session_id": sid})

        with sync_playwright() as pw:
            browser = launch(pw, work / "profile")
            try:
                browser.pair(agent.port, agent.token)
                panel = browser.open_panel()
                expect(panel.locator("body")).to_have_attribute("data-connection", "connected")
                expect(panel.locator(".entity-title")).to_be_visible()
                panel.wait_for_timeout(500)
                panel.screenshot(path=str(OUT / "csr-session.png"))

                title = panel.locator(".session.is-active .session-title").inner_text()
                panel.get_by_role("button", name=f"Close session {title}").click()
                dialog = panel.get_by_role("dialog", name="Wrap up the call")
                expect(dialog).to_be_visible()
                panel.wait_for_timeout(300)
                panel.screenshot(path=str(OUT / "csr-wrap-up.png"))
            finally:
                browser.ctx.close()
    finally:
        agent.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {OUT / 'csr-session.png'} and {OUT / 'csr-wrap-up.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
