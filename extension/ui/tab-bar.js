// A session's tabs: New Search first, then at most one tab per kind. ARIA tabs pattern with
// automatic activation and one tab stop (roving tabindex): ← → Home End move, Delete closes the
// focused tab (not New Search); the agent then activates its right neighbour, else its left one,
// and app.js moves focus there.
//
// Each closable tab has a × button named "Close <title> tab". A button inside role=tab is nested
// interactive content (children of a tab are presentational), and a tablist may only contain
// tabs, so each tab and its × sit side by side in a plain wrapper and the (empty) tablist element
// takes its tabs with aria-owns: the accessibility tree is tablist > tabs, then the × buttons.
// The × buttons have tabindex=-1 so they are not extra tab stops; keyboard users press Delete
// (aria-keyshortcuts on the tab), screen-reader users can also reach them by reading on.

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
 * The label as shown: what tells the tab apart (the number of "Order #12977", the caller's
 * name) never gives way; a narrow strip drops or shortens the generic word before it.
 */
function labelParts(tab) {
  const text = tabLabel(tab);
  const numbered = tab.kind !== "customer" && tab.kind !== "search" ? /^(.*?)\s*(#\S+)$/.exec(text) : null;
  if (!numbered) return h("span", { class: "tab-label" }, h("span", { class: "tab-name" }, text));
  return h("span", { class: "tab-label" }, h("span", { class: "tab-prefix" }, `${numbered[1]} `), h("span", { class: "tab-number" }, numbered[2]));
}

/** The accessible name of a tab's × (also its tooltip, with the key). */
export function closeTabLabel(tab) {
  return `Close ${tabLabel(tab)} tab`;
}

/**
 * @param {{session: any, onSelect: (tab: any) => void, onClose: (tab: any) => void,
 *          colleagues?: (tab: any) => string}} props
 *   ``colleagues``: "Also open by Dana (2 min)" when another desk has the tab's record open
 *   (docs/team.md), else "".
 */
export function tabBar({ session, onSelect, onClose, colleagues = () => "" }) {
  const items = session.tabs.map((tab, index) => {
    const selected = tab.id === session.active_tab_id;
    const closable = tab.kind !== "search";
    const shared = tab.entity_id ? colleagues(tab) : "";
    const el = h(
      "div",
      {
        role: "tab",
        id: tabId(tab),
        class: `tab tab-${tab.kind}${tab.foreign ? " is-foreign" : ""}${shared ? " is-shared" : ""}`,
        "aria-selected": String(selected),
        "aria-controls": PANEL_ID,
        tabindex: selected ? "0" : "-1",
        "aria-keyshortcuts": closable ? "Delete" : null,
        "aria-description": shared || null,
        title: `${shared ? `${shared} · ` : ""}${tabLabel(tab)}${tab.foreign && tab.customer_name ? ` — ${tab.customer_name}'s record` : ""} (Alt+Shift+${index + 1})${closable ? " · Delete closes" : ""}`,
        dataset: { focusKey: `t:${tab.id}`, tabKind: tab.kind },
        onclick: () => onSelect(tab),
      },
      tab.kind === "search" ? icon("search") : h("span", { class: `kind-dot kind-${tab.kind}`, "aria-hidden": "true" }),
      labelParts(tab),
      tab.foreign && tab.customer_name ? h("span", { class: "tab-owner" }, `(${tab.customer_name})`) : null,
      shared ? h("span", { class: "tab-shared", "aria-hidden": "true" }, "●") : null,
    );
    const close = closable
      ? h("button", {
          type: "button",
          class: "tab-close",
          tabindex: "-1",
          "aria-label": closeTabLabel(tab),
          title: `${closeTabLabel(tab)} (Delete)`,
          dataset: { tabId: tab.id },
          onclick: () => onClose(tab),
        }, icon("close"))
      : null;
    return h("div", { class: `tab-item item-${tab.kind}${selected ? " is-selected" : ""}${closable ? " is-closable" : ""}` }, el, close);
  });
  const list = h("div", {
    role: "tablist",
    class: "tablist",
    "aria-label": `Tabs of ${session.title}`,
    "aria-owns": session.tabs.map(tabId).join(" "),
  });
  const strip = h("div", { class: "tabs" }, list, items);
  strip.addEventListener("keydown", (event) => {
    const current = event.target.closest("[role=tab]");
    if (!current || event.altKey || event.ctrlKey || event.metaKey) return;
    const all = [...strip.querySelectorAll("[role=tab]")];
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
  return strip;
}
