"""Debian's Chromium with the unpacked extension, through sync Playwright: shared by the
browser tests (tests/browser) and the keystroke-to-paint bench (bench/browser_bench.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
CHROMIUM = os.environ.get("CALLCENTER_CHROMIUM", "/usr/bin/chromium")
NARROW = {"width": 360, "height": 640}
WIDE = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000
# Playwright's assertions wait 5 s by default, apart from the pages' own timeout: too little
# when the whole suite shares two cores. A passing assertion returns as soon as it holds.
expect.set_options(timeout=TIMEOUT_MS)


class Browser:
    """A persistent context with the extension loaded, plus helpers to open its pages."""

    def __init__(self, ctx: Any, ext_id: str, worker: Any) -> None:
        self.ctx = ctx
        self.ext_id = ext_id
        self.worker = worker

    def url(self, page: str) -> str:
        return f"chrome-extension://{self.ext_id}/{page}"

    def pair(self, port: int, token: str) -> None:
        """Store settings directly (the pairing UI itself is tested in test_connection)."""
        self.worker.evaluate("(s) => chrome.storage.local.set(s)", {"port": port, "token": token})

    def open(self, page: str = "panel.html", *, wide: bool = False, scheme: str = "light") -> Any:
        tab = self.ctx.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.set_viewport_size(WIDE if wide else NARROW)
        tab.emulate_media(color_scheme=scheme)
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.page_errors = errors
        target = page + ("?view=full" if wide and page == "panel.html" else "")
        tab.goto(self.url(target))
        return tab

    def open_panel(self, *, wide: bool = False, scheme: str = "light") -> Any:
        tab = self.open("panel.html", wide=wide, scheme=scheme)
        tab.wait_for_selector("body[data-connection]")
        return tab


def launch(
    pw: Any, profile: Path, *, extension: Path = EXTENSION, executable: str = CHROMIUM
) -> Browser:
    """Chromium with the unpacked extension on a persistent profile (reusable: a relaunch on
    the same folder is a browser restart)."""
    ctx = pw.chromium.launch_persistent_context(
        str(profile),
        executable_path=executable,
        headless=True,
        args=[f"--disable-extensions-except={extension}", f"--load-extension={extension}"],
    )
    worker = (
        ctx.service_workers[0]
        if ctx.service_workers
        else ctx.wait_for_event("serviceworker", timeout=15_000)
    )
    ext_id = worker.url.split("/")[2]
    # The options page opens itself on install; tests open their own pages.
    for page in ctx.pages:
        if page.url.startswith("chrome-extension://"):
            page.close()
    return Browser(ctx, ext_id, worker)
