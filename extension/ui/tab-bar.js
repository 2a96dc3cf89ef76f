// A session's tabs: New Search first, then at most one tab per kind. ARIA tabs pattern with
// automatic activation; Delete closes the focused tab (the × is a pointer shortcut for the same
// thing — a button inside role=tab would be nested interactive content). The active entity view
// also has a visible "Close tab" button for keyboard and screen-reader users.

import { h, icon } from "../lib/dom.js";

export const PANEL_ID = "view";

export function tabId(tab) {
  return `tab-${tab.id}`;
}

export function tabLabel(tab) {
  if (tab.kind === "search") return "New Search";
  return tab.title;
}

/**
 * @param {{session: any, onSelect: (tab: any) => void, onClose: (tab: any) => void}} props
 */
export function tabBar({ session, onSelect, onClose }) {
  const tabs = session.tabs.map((tab, index) => {
    const selected = tab.id === session.active_tab_id;
    const closable = tab.kind !== "search";
    return h(
      "div",
      {
        role: "tab",
        id: tabId(tab),
        class: `tab tab-${tab.kind}${tab.foreign ? " is-foreign" : ""}`,
        "aria-selected": String(selected),
        "aria-controls": PANEL_ID,
        tabindex: selected ? "0" : "-1",
        "aria-keyshortcuts": closable ? "Delete" : null,
        title: `${tabLabel(tab)}${tab.foreign && tab.customer_name ? ` — ${tab.customer_name}'s record` : ""} (Alt+Shift+${index + 1})${closable ? " · Delete closes" : ""}`,
        dataset: { focusKey: `t:${tab.id}`, tabKind: tab.kind },
        onclick: () => onSelect(tab),
      },
      tab.kind === "search" ? icon("search") : h("span", { class: `kind-dot kind-${tab.kind}`, "aria-hidden": "true" }),
      h("span", { class: "tab-label" }, tabLabel(tab)),
      tab.foreign && tab.customer_name ? h("span", { class: "tab-owner" }, `(${tab.customer_name})`) : null,
      closable
        ? h("span", {
            class: "tab-close",
            "aria-hidden": "true",
            onclick: (event) => {
              event.stopPropagation();
              onClose(tab);
            },
          }, icon("close"))
        : null,
    );
  });
  const list = h("div", { role: "tablist", class: "tabs", "aria-label": `Tabs of ${session.title}` }, tabs);
  list.addEventListener("keydown", (event) => {
    const current = event.target.closest("[role=tab]");
    if (!current) return;
    const all = [...list.querySelectorAll("[role=tab]")];
    const i = all.indexOf(current);
    let next = null;
    if (event.key === "ArrowRight") next = all[(i + 1) % all.length];
    else if (event.key === "ArrowLeft") next = all[(i - 1 + all.length) % all.length];
    else if (event.key === "Home") next = all[0];
    else if (event.key === "End") next = all[all.length - 1];
    else if (event.key === "Delete" || event.key === "Backspace") {
      const tab = session.tabs[i];
      if (tab.kind !== "search") {
        event.preventDefault();
        onClose(tab);
      }
      return;
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onSelect(session.tabs[i]);
      return;
    } else return;
    event.preventDefault();
    next.focus();
    onSelect(session.tabs[all.indexOf(next)]);
  });
  return list;
}
