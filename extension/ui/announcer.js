// The status line: one polite live region for what just happened ("Closed the session of …"),
// optionally with action buttons (e.g. "Reopen", or one per tab offered from a closed session).

import { h, replace } from "../lib/dom.js";

export function createAnnouncer() {
  const text = h("span", { class: "status-text" });
  const actions = h("span", { class: "status-actions" });
  const dismiss = h("button", { type: "button", class: "icon-button status-dismiss", "aria-label": "Dismiss message", hidden: true }, "×");
  const el = h("div", { class: "status-line", role: "status", "aria-live": "polite", "data-testid": "status" }, text, actions, dismiss);
  let timer = 0;

  function clear() {
    clearTimeout(timer);
    text.textContent = "";
    actions.replaceChildren();
    dismiss.hidden = true;
    el.classList.remove("has-message", "is-error");
  }
  dismiss.addEventListener("click", clear);

  /**
   * @param {string} message
   * @param {{action?: {label: string, run: () => void}, actions?: Array<{label: string, run: () => void}>,
   *          error?: boolean, sticky?: boolean}} [options]
   *   action: one button that also dismisses the message; actions: several that keep it
   */
  function announce(message, { action, actions: many = [], error = false, sticky = false } = {}) {
    clearTimeout(timer);
    text.textContent = message;
    replace(
      actions,
      action &&
        h("button", { type: "button", class: "link-button", onclick: () => { clear(); action.run(); } }, action.label),
      many.map((a) => h("button", { type: "button", class: "link-button", onclick: (e) => { e.currentTarget.remove(); a.run(); } }, a.label)),
    );
    dismiss.hidden = false;
    el.classList.add("has-message");
    el.classList.toggle("is-error", error);
    if (!sticky && !action && !many.length) timer = setTimeout(clear, 8000);
  }

  return { el, announce, clear };
}
