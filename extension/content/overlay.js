// Content script for admin console pages: one small "Open in Call Center" control, in a
// CLOSED shadow root so the page's CSS cannot restyle it, its CSS cannot leak into the page,
// and the page's scripts cannot reach into it (`host.shadowRoot` is null for them; this
// script runs in its own world, so a page patching attachShadow never sees our call).
//
// It acts only on trusted clicks (a page script cannot press it), and the worker's answers
// name only the kind and id in the page's own URL, never customer data: nothing it shows
// tells more than the URL, should a page ever read it. It knows nothing but the page it runs
// in: it never reads extension storage, never sees the pairing token and never calls the agent.
// It asks the service worker whether this page shows a record (the worker matches the sender's
// URL against the admin console profiles) and, on a click, asks the worker to open it; the
// worker checks the sender and makes the agent call.

(() => {
  const TAG = "callcenter-companion-overlay";
  if (globalThis.__callcenterOverlay) return; // injected twice (static + dynamic registration)
  globalThis.__callcenterOverlay = true;

  const CSS = `
    :host { all: initial !important; position: fixed !important; right: 16px !important;
      bottom: 16px !important; z-index: 2147483647 !important; display: block !important; }
    .box { display: flex; flex-direction: column; align-items: flex-end; gap: 4px;
      font: 500 13px/1.3 system-ui, -apple-system, "Segoe UI", sans-serif; }
    button { all: unset; box-sizing: border-box; cursor: pointer; display: inline-flex;
      align-items: center; gap: 6px; padding: 7px 12px; border-radius: 999px;
      background: #1f5fbf; color: #ffffff; font: inherit; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
    button:hover { background: #174c99; }
    button:focus-visible { outline: 3px solid #f5b400; outline-offset: 2px; }
    button[aria-busy="true"] { opacity: .7; cursor: progress; }
    .status { max-width: 280px; padding: 4px 8px; border-radius: 6px; background: #ffffff;
      color: #1d2433; box-shadow: 0 1px 4px rgba(0,0,0,.2); }
    .status:empty { display: none; }
    .status.error { color: #a3132b; }
  `;

  let host = null;
  let current = "";

  function build(label) {
    host = document.createElement(TAG);
    const root = host.attachShadow({ mode: "closed" });
    const style = document.createElement("style");
    style.textContent = CSS;
    const box = document.createElement("div");
    box.className = "box";
    const status = document.createElement("p");
    status.className = "status";
    status.setAttribute("role", "status");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Open in Call Center";
    button.title = label;
    button.setAttribute("aria-label", `Open in Call Center: ${label}`);
    button.addEventListener("click", async (event) => {
      // Only a real user gesture: a page script's click() or dispatched event does nothing.
      if (!event.isTrusted || button.getAttribute("aria-busy") === "true") return;
      button.setAttribute("aria-busy", "true");
      status.className = "status";
      status.textContent = "";
      try {
        const answer = await chrome.runtime.sendMessage({ type: "cc:open" });
        status.className = `status${answer?.ok ? "" : " error"}`;
        status.textContent = answer?.message || "The Call Center did not answer.";
      } catch {
        status.className = "status error";
        status.textContent = "The Call Center extension is not available; reload the page.";
      } finally {
        button.removeAttribute("aria-busy");
      }
    });
    box.append(status, button);
    root.append(style, box);
    (document.body || document.documentElement).append(host);
  }

  async function check() {
    if (location.href === current) return;
    current = location.href;
    let answer = null;
    try {
      answer = await chrome.runtime.sendMessage({ type: "cc:recognise" });
    } catch {
      answer = null;
    }
    host?.remove();
    host = null;
    if (answer?.recognised) build(answer.label);
  }

  check();
  // Admin consoles are often single-page apps: follow URL changes without a reload, as they
  // happen where the Navigation API reaches this script, and once a second in any case.
  globalThis.navigation?.addEventListener?.("currententrychange", () => check());
  setInterval(check, 1000);
})();
