// Help: every keyboard shortcut (the panel's own and the browser-wide command, as the user has
// bound it at chrome://extensions/shortcuts) and the other ways in from the admin console.

import { h, uid } from "../lib/dom.js";
import { BROWSER_SHORTCUTS, OTHER_WAYS_IN, SHORTCUTS } from "./shortcuts.js";

function table(caption, headers, rows, { keys = true } = {}) {
  return h("table", { class: "data shortcuts" }, h("caption", { class: "visually-hidden" }, caption),
    h("thead", null, h("tr", null, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", null, rows.map(([first, what]) => h("tr", null, h("td", null, keys ? h("kbd", null, first) : first), h("td", null, what)))));
}

async function browserRows() {
  let bound = [];
  try {
    bound = await chrome.commands.getAll();
  } catch {
    bound = [];
  }
  return BROWSER_SHORTCUTS.map(([name, fallback, what]) => {
    const command = bound.find((c) => c.name === name);
    const keys = command ? command.shortcut || "not set" : fallback;
    return [keys, what];
  });
}

export function openHelp(returnFocus) {
  const titleId = uid("help-title");
  const browserSlot = h("div", null, table("In the browser", ["Keys", "Action"], BROWSER_SHORTCUTS.map(([, keys, what]) => [keys, what])));
  const dialog = h("dialog", { class: "dialog help-dialog", "aria-labelledby": titleId },
    h("div", { class: "dialog-head" }, h("h2", { id: titleId }, "Keyboard shortcuts"),
      h("button", { type: "button", class: "icon-button", "aria-label": "Close help", onclick: () => dialog.close() }, "×")),
    h("div", { class: "dialog-body" },
      h("h3", null, "In the Call Center"),
      table("In the Call Center", ["Keys", "Action"], SHORTCUTS),
      h("h3", null, "In the browser"),
      browserSlot,
      h("p", { class: "small" }, h("button", { type: "button", class: "link-button",
        onclick: () => chrome.tabs.create({ url: "chrome://extensions/shortcuts" }) }, "Change browser shortcuts")),
      h("h3", null, "Beside the admin console"),
      table("Beside the admin console", ["Where", "What"], OTHER_WAYS_IN, { keys: false }),
      h("p", { class: "muted small" }, "Up to 4 sessions; opening a fifth closes the oldest (it can be reopened). Each session keeps one tab per kind next to New Search.")));
  browserRows().then((rows) => browserSlot.replaceChildren(table("In the browser", ["Keys", "Action"], rows)));
  dialog.addEventListener("close", () => {
    dialog.remove();
    returnFocus?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
