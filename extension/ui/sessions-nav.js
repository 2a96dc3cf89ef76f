// Session list: Start New Call, the count ("3/4"), then one entry per open session (at most 4)
// with its close X. A sidebar in the wide view; in the narrow side panel a grid under Start New
// Call, so every caller's name shows at once and nothing scrolls sideways (CSS decides).
// Closing by keyboard: Tab to the X ("Close session <name>"), or press Delete on the session's
// own button; both open the same wrap-up dialog the mouse path does.

import { h, icon } from "../lib/dom.js";
import { initials } from "../lib/format.js";

/**
 * @param {{state: any, onStart: () => void, onSelect: (id: string) => void, onClose: (session: any) => void}} props
 */
export function sessionsNav({ state, onStart, onSelect, onClose }) {
  const activeId = state?.active_session_id ?? null;
  const sessions = state?.sessions || [];
  const start = h(
    "button",
    { type: "button", class: "start-call", "aria-current": activeId === null ? "page" : null, title: "Start New Call (Alt+0)", dataset: { focusKey: "start" }, onclick: onStart },
    icon("plus"),
    // In the narrow strip "Start " is visually hidden; the accessible name stays "Start New Call".
    h("span", null, h("span", { class: "narrow-hidden" }, "Start "), "New Call"),
  );
  const items = sessions.map((s, index) =>
    h(
      "li",
      { class: `session${s.id === activeId ? " is-active" : ""}` },
      h(
        "button",
        {
          type: "button",
          class: "session-button",
          "aria-current": s.id === activeId ? "page" : null,
          title: `${index < 4 ? `${s.title} (Alt+${index + 1})` : s.title} · Delete closes`,
          "aria-keyshortcuts": "Delete",
          dataset: { focusKey: `s:${s.id}`, sessionId: s.id },
          onclick: () => onSelect(s.id),
          onkeydown: (event) => {
            if ((event.key === "Delete" || event.key === "Backspace") && !event.altKey && !event.ctrlKey && !event.metaKey) {
              event.preventDefault();
              onClose(s);
            }
          },
        },
        h("span", { class: "avatar small", "aria-hidden": "true" }, initials(s.title)),
        h("span", { class: "session-title" }, s.title),
      ),
      h(
        "button",
        { type: "button", class: "icon-button session-close", "aria-label": `Close session ${s.title}`, title: `Close session ${s.title}`, dataset: { focusKey: `x:${s.id}` }, onclick: () => onClose(s) },
        icon("close"),
      ),
    ),
  );
  const max = state?.max_sessions ?? 4;
  return h(
    "nav",
    { class: "sessions-nav", "aria-label": "Sessions" },
    start,
    h("h2", { class: "sessions-heading", id: "sessions-heading" }, "Sessions ", h("span", { class: "session-count" }, `${sessions.length}/${max}`)),
    sessions.length
      ? h("ul", { class: "session-list", "aria-labelledby": "sessions-heading" }, items)
      : h("p", { class: "muted sessions-empty" }, "No open sessions"),
  );
}
