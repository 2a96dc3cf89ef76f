// Building blocks shared by the customer, order and return views.

import { h, uid } from "../lib/dom.js";
import * as fmt from "../lib/format.js";
import { countryName, label } from "../lib/labels.js";
import { status } from "./status-badge.js";

export { status };

/** A card with a title; one holding only "No …" (and its Add button) collapses to one line. */
export function section(title, ...children) {
  const id = uid("sec");
  const shown = children.filter((c) => c !== null && c !== undefined && c !== false);
  const empty = shown.length > 0 && shown.every((c) => c instanceof Element && (c.classList.contains("empty-note") || c.classList.contains("inline-action")));
  return h("section", { class: `card${empty ? " is-empty" : ""}`, "aria-labelledby": id }, h("h3", { id, class: "card-title" }, title), ...children);
}

// Facts worth copying into another tool: ids, numbers, emails, phones, usernames.
const COPYABLE = /(\bID\b|Number|#|Email|Phone|Username)/i;
let copyStatus = null;

/** Say "Copied …" to screen readers through one polite live region of the page. */
function sayCopied(text) {
  if (!copyStatus?.isConnected) {
    copyStatus = h("div", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    document.body.append(copyStatus);
  }
  copyStatus.textContent = text;
}

/** ``node`` followed by a small button copying ``text`` (the node's text by default). */
export function copyable(what, node, text) {
  const value = text ?? (node instanceof Node ? node.textContent : String(node));
  return h("span", { class: "copyable" }, node, copyButton(what, value));
}

/** A small button that copies ``value`` and says so ("Copied", and to screen readers). */
export function copyButton(what, value) {
  const button = h("button", { type: "button", class: "copy-button", "aria-label": `Copy ${what}`, title: `Copy ${what}` }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = "Copied";
      sayCopied(`Copied ${what}: ${value}`);
      setTimeout(() => { button.textContent = "Copy"; }, 1500);
    } catch {
      sayCopied(`Could not copy ${what}: the browser refused the clipboard`);
    }
  });
  return button;
}

/** Definition list from [label, value] pairs; null values are skipped. An email gets a row;
 *  ids, numbers, emails, phones and usernames get a Copy button unless the pair's third item is
 *  false (a value that only describes, e.g. "None (guest account)"). */
export function facts(pairs, cls = "facts") {
  return h(
    "dl",
    { class: cls },
    pairs.filter((p) => p && p[1] !== null && p[1] !== undefined).map(([label, value, copyIt]) => {
      const wide = value instanceof Element && value.classList.contains("email");
      const text = value instanceof Node ? value.textContent : String(value);
      const copy = copyIt !== false && COPYABLE.test(label) && text && text !== "—";
      return h("div", { class: `fact${wide ? " fact-wide" : ""}` }, h("dt", null, label), h("dd", null, copy ? copyable(label, value, text) : value));
    }),
  );
}

/** An email that may break only after its "@", never inside a word. */
export function email(text) {
  if (!text) return "—";
  const at = text.indexOf("@");
  return at < 0 ? h("span", { class: "email" }, text) : h("span", { class: "email" }, text.slice(0, at + 1), h("wbr"), text.slice(at + 1));
}

/** An id or code ("BTY-MST-001", "SC-0000000002"): kept whole on one line. */
export function code(text) {
  return h("span", { class: "code" }, text);
}

/** The entry of `detail.unavailable_sections` for one of its fields, or null when it loaded. */
export function missingSection(detail, name) {
  return (detail.unavailable_sections || []).find((m) => m.section === name) || null;
}

/**
 * In place of a section the agent could not load this time: why (the backend's message and
 * correlation id) and a Retry that reloads the whole view. A polite status, never an alert.
 */
export function unavailableNotice(missing, what, onRetry) {
  return h("div", { class: "section-unavailable", role: "status", dataset: { section: missing.section } },
    h("p", null, missing.message),
    onRetry
      ? h("button", { type: "button", class: "button small", onclick: onRetry }, "Retry", h("span", { class: "visually-hidden" }, ` loading ${what}`))
      : null);
}

export function emptyNote(text) {
  return h("p", { class: "muted empty-note" }, text);
}

export function partyAddress(party) {
  if (!party) return emptyNote("No address");
  const a = party.address || {};
  return h(
    "address",
    { class: "address" },
    h("strong", null, [party.first_name, party.last_name].filter(Boolean).join(" ")),
    h("span", null, [a.address1, a.address2].filter(Boolean).join(", ")),
    h("span", null, `${a.city || ""}, ${a.state || ""} ${a.postal_code || ""}`.trim()),
    a.country ? h("span", null, countryName(a.country)) : null,
    party.phone ? copyable("phone", h("span", null, party.phone)) : null,
    party.email ? copyable("email", email(party.email)) : null,
  );
}

export function notesList(notes) {
  if (!notes?.length) return emptyNote("No notes");
  return h(
    "ul",
    { class: "notes" },
    notes.map((n) => h("li", null, h("p", null, n.text), h("p", { class: "muted small" }, `${n.created_by} · ${fmt.dateTime(n.created_at)}`))),
  );
}

export function historyList(history, currency) {
  if (!history?.length) return emptyNote("No history yet");
  return h(
    "ol",
    { class: "timeline" },
    history.map((m) =>
      h(
        "li",
        null,
        h("p", null, h("strong", null, `${m.subject} ${m.verb}`), m.amount_cents !== null && m.amount_cents !== undefined ? ` · ${fmt.money(m.amount_cents, currency)}` : "", m.message ? ` — ${m.message}` : ""),
        m.old_value || m.new_value ? h("p", { class: "small" }, `${label(m.old_value)} → ${label(m.new_value)}`) : null,
        h("p", { class: "muted small" }, `${m.who} · ${fmt.dateTime(m.at)}`),
      ),
    ),
  );
}

/**
 * A plain data table (not the sortable results table). Too narrow for its columns (four or
 * more), each row becomes a card with labelled values (css/tables.css); empty values drop out.
 */
export function dataTable(caption, headers, rows, { numeric = [] } = {}) {
  if (!rows.length) return emptyNote(`No ${caption.toLowerCase()}`);
  const stack = headers.length >= 5 ? "stack-narrow" : headers.length === 4 ? "stack-tiny" : "";
  const blank = (c) => c === null || c === undefined || c === "" || c === "—";
  return h(
    "div",
    // Focusable so keyboard users can scroll a table wider than the panel.
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `${caption} table` },
    h(
      "table",
      { class: `data ${stack}` },
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", null, h("tr", null, headers.map((label, i) => h("th", { scope: "col", class: numeric.includes(i) ? "num" : null }, label)))),
      h("tbody", null, rows.map((cells) => h("tr", null, cells.map((c, i) => h("td", { class: `${numeric.includes(i) ? "num" : ""}${blank(c) && i ? " is-empty" : ""}` || null },
        h("span", { class: "cell-label", "aria-hidden": "true" }, headers[i]),
        h("span", { class: "cell-value" }, c)))))),
    ),
  );
}

/**
 * ACTIONS SLOT — management actions (docs/design.md §4) will mount here. Until then it lists what
 * the agent says is possible so CSRs know the record is manageable in the admin console.
 */
export function actionsSlot(actions) {
  return h(
    "div",
    { class: "actions-slot", dataset: { actions: (actions || []).join(" ") } },
    actions?.length
      ? h("details", { class: "small" },
          h("summary", { class: "muted" }, `Actions (${actions.length}) — managed in the admin console for now`),
          h("p", { class: "muted" }, actions.map(label).join(", ")))
      : null,
  );
}

/** In-view section tabs (General, Contact Information, ...). Panels render lazily. */
export function sectionTabs(label, sections, { selected = 0, onChange } = {}) {
  selected = Math.min(Math.max(0, selected), sections.length - 1);
  const base = uid("st");
  const tabs = sections.map((s, i) =>
    h("button", { type: "button", role: "tab", id: `${base}-t${i}`, "aria-controls": `${base}-p${i}`, "aria-selected": String(i === selected), tabindex: i === selected ? "0" : "-1", class: "subtab" }, s.label),
  );
  const panels = sections.map((s, i) =>
    h("div", { role: "tabpanel", id: `${base}-p${i}`, "aria-labelledby": `${base}-t${i}`, class: "subpanel", hidden: i !== selected, tabindex: "0" }),
  );
  const rendered = new Set();
  function show(i, focus = false) {
    tabs.forEach((t, j) => {
      t.setAttribute("aria-selected", String(i === j));
      t.tabIndex = i === j ? 0 : -1;
      panels[j].hidden = i !== j;
    });
    if (!rendered.has(i)) {
      rendered.add(i);
      const content = sections[i].render();
      if (content instanceof Promise) {
        panels[i].append(h("p", { class: "muted" }, "Loading…"));
        content.then((node) => panels[i].replaceChildren(node)).catch((e) => panels[i].replaceChildren(h("p", { class: "field-error" }, e.message)));
      } else panels[i].append(content);
    }
    if (focus) tabs[i].focus();
    onChange?.(i);
  }
  const list = h("div", { role: "tablist", "aria-label": label, class: "subtabs" }, tabs);
  list.addEventListener("click", (e) => {
    const t = e.target.closest("[role=tab]");
    if (t) show(tabs.indexOf(t));
  });
  list.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(e.target.closest("[role=tab]"));
    if (i < 0) return;
    const n = tabs.length;
    const map = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 };
    if (e.key in map) {
      e.preventDefault();
      show(map[e.key], true);
    }
  });
  show(selected);
  return h("div", { class: "section-tabs" }, list, panels);
}

export function linkButton(text, onclick, label) {
  return h("button", { type: "button", class: "link-button", onclick, "aria-label": label || null }, text);
}
