"""The admin-page overlay as the tests see it. It renders in a CLOSED shadow root, which page
scripts and Playwright's selectors cannot enter; the DevTools protocol can (`DOM.getDocument`
with `pierce`), so the tests read it there and press it with a real mouse click at its
coordinates (a trusted event, as the CSR's own click)."""

from __future__ import annotations

import time
from typing import Any

HOST = "callcenter-companion-overlay"


class Overlay:
    """One admin page's overlay, read through a CDP session of that page."""

    def __init__(self, browser: Any, page: Any) -> None:
        self.page = page
        self.cdp = browser.ctx.new_cdp_session(page)

    # ------------------------------------------------------------ reading

    def _root(self) -> dict[str, Any] | None:
        """The host's shadow root node (with its mode), or None without an overlay."""
        doc = self.cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        stack = [doc]
        while stack:
            node = stack.pop()
            if node.get("localName") == HOST:
                roots = node.get("shadowRoots") or []
                return roots[0] if roots else None
            stack.extend(node.get("children") or [])
            stack.extend(node.get("shadowRoots") or [])
            if node.get("contentDocument"):
                stack.append(node["contentDocument"])
        return None

    def _node(self, selector: str) -> int | None:
        root = self._root()
        if root is None:
            return None
        found = self.cdp.send("DOM.querySelector", {"nodeId": root["nodeId"], "selector": selector})
        return found["nodeId"] or None

    def mode(self) -> str | None:
        root = self._root()
        return root.get("shadowRootType") if root else None

    def call(self, selector: str, function: str, *args: Any) -> Any:
        """`function` (a JS function declaration) called with `this` = the element."""
        node = self._node(selector)
        if node is None:
            raise LookupError(f"no {selector} in the overlay")
        obj = self.cdp.send("DOM.resolveNode", {"nodeId": node})["object"]["objectId"]
        try:
            result = self.cdp.send(
                "Runtime.callFunctionOn",
                {
                    "objectId": obj,
                    "functionDeclaration": function,
                    "arguments": [{"value": a} for a in args],
                    "returnByValue": True,
                    "awaitPromise": True,
                },
            )
        finally:
            self.cdp.send("Runtime.releaseObject", {"objectId": obj})
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def text(self, selector: str = "[role=status]") -> str:
        return str(self.call(selector, "function () { return this.textContent; }"))

    def accessible_name(self, selector: str = "button") -> str:
        node = self._node(selector)
        if node is None:
            raise LookupError(f"no {selector} in the overlay")
        tree = self.cdp.send(
            "Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False}
        )
        return str(tree["nodes"][0]["name"]["value"])

    def visible(self) -> bool:
        try:
            return bool(
                self.call(
                    "button",
                    "function () { const r = this.getBoundingClientRect();"
                    " return r.width > 0 && r.height > 0 && this.checkVisibility(); }",
                )
            )
        except LookupError:
            return False

    # ------------------------------------------------------------ waiting and acting

    def wait(self, predicate: Any, what: str, timeout: float = 15) -> Any:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = predicate()
            except (LookupError, RuntimeError) as error:  # the root is being rebuilt
                last = error
            else:
                if last:
                    return last
            time.sleep(0.1)
        raise AssertionError(f"the overlay never {what} (last: {last!r})")

    def wait_visible(self) -> None:
        self.wait(self.visible, "showed its button")

    def wait_status(self, part: str) -> str:
        return str(self.wait(lambda: part in self.text() and self.text(), f"said {part!r}"))

    def click(self) -> None:
        """A real mouse click (isTrusted) in the middle of the button."""
        self.wait_visible()
        box = self.call(
            "button",
            "function () { const r = this.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; }",
        )
        self.page.mouse.click(box[0], box[1])
