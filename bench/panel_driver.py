"""Typing into the panel's Search box like a CSR and reading back its search timing
(the User Timing entries of extension/lib/search-timing.js)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

KEY_DELAY_S = (0.080, 0.150)  # between keystrokes
PAUSE_S = (0.300, 0.600)  # after clearing the box, before the next query
LABELS = {"customers": "Customers", "orders": "Orders", "returns": "Returns"}

PAINTED = """([kind, q]) => performance.getEntriesByName("cc-keystroke-to-paint")
  .some((e) => e.detail.kind === kind && e.detail.q === q)"""
TAKE = """() => {
  const names = ["cc-keystroke-to-paint", "cc-request-to-paint"];
  const out = names.map((name) => performance.getEntriesByName(name)
    .map((e) => ({name, start: e.startTime, duration: e.duration, detail: e.detail}))).flat();
  for (const name of names) performance.clearMeasures(name);
  for (const name of ["cc-search-keystroke", "cc-search-request", "cc-search-painted"]) {
    performance.clearMarks(name);
  }
  return out;
}"""


@dataclass
class Typed:
    """One query typed to its end: the measures of its final paint, in ms."""

    kind: str
    q: str
    keystroke_to_paint: float
    request_to_paint: float
    detail: dict[str, Any]
    intermediate: int  # earlier prefixes painted on the way (a pause longer than the debounce)


@dataclass
class Network:
    """Search requests the page sent, and those it aborted (a newer keystroke made them stale)."""

    sent: int = 0
    aborted: int = 0


class Panel:
    def __init__(self, tab: Any, seed: int = 3) -> None:
        self.tab = tab
        self.box = tab.get_by_role("searchbox", name="Search")
        self.rng = random.Random(seed)
        self.network = Network()
        tab.on("request", self._sent)
        tab.on("requestfailed", self._failed)

    @staticmethod
    def _is_search(url: str) -> bool:
        return "/api/v1/search/" in url and "/filters" not in url

    def _sent(self, request: Any) -> None:
        if self._is_search(request.url):
            self.network.sent += 1

    def _failed(self, request: Any) -> None:
        if self._is_search(request.url) and request.failure == "net::ERR_ABORTED":
            self.network.aborted += 1

    def choose(self, kind: str) -> None:
        self.tab.get_by_role("radio", name=LABELS[kind], exact=True).check()
        self.box.fill("")
        self.box.focus()

    def type(self, kind: str, query: str, timeout_ms: int = 15_000) -> Typed | None:
        """Clear the box, type ``query`` key by key, wait for its results to be painted."""
        self.box.fill("")
        time.sleep(self.rng.uniform(*PAUSE_S))
        self.tab.evaluate(TAKE)  # drop what the clearing left
        for index, char in enumerate(query):
            self.tab.keyboard.type(char)
            if index < len(query) - 1:
                time.sleep(self.rng.uniform(*KEY_DELAY_S))
        try:
            self.tab.wait_for_function(
                PAINTED, arg=[kind, query.strip()], polling=20, timeout=timeout_ms
            )
        except PlaywrightTimeout:  # an error state, or no answer: counted as failed
            return None
        entries = self.tab.evaluate(TAKE)
        return _final(kind, query.strip(), entries)


def _final(kind: str, q: str, entries: list[dict[str, Any]]) -> Typed:
    by_name: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_name.setdefault(entry["name"], []).append(entry)
    paints = by_name["cc-keystroke-to-paint"]
    last = [e for e in paints if e["detail"]["kind"] == kind and e["detail"]["q"] == q][-1]
    request = [e for e in by_name["cc-request-to-paint"] if e["detail"] == last["detail"]][-1]
    return Typed(
        kind, q, last["duration"], request["duration"], last["detail"], intermediate=len(paints) - 1
    )
