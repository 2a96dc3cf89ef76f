// The Audit Log as a CSR reads it: one entry per change (who, when, which action), then what
// changed, field by field, old → new. The agent stores each field's values as text (JSON for
// anything but a string): objects are opened up into their fields, money is formatted in its
// currency, codes and field names are the agent's words (lib/labels.js).

import { h } from "../lib/dom.js";
import * as fmt from "../lib/format.js";
import { fieldLabel, label } from "../lib/labels.js";
import { emptyNote } from "./entity-parts.js";

/** Entries of one action (same moment, person, action and session) become one entry. */
export function groupEntries(entries) {
  const groups = [];
  for (const e of entries) {
    const last = groups[groups.length - 1];
    if (last && last.at === e.at && last.who === e.who && last.action === e.action && last.session_id === e.session_id) last.changes.push(e);
    else groups.push({ at: e.at, who: e.who, action: e.action, session_id: e.session_id, changes: [e] });
  }
  return groups;
}

/** The stored text back to a value: JSON where it is JSON, else the string itself. */
export function parseValue(text) {
  if (text === null || text === undefined) return null;
  if (/^[[{]|^(true|false|null)$|^-?\d+(\.\d+)?$/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** "store_credits[SC-12].current_balance_cents" → "Store credit SC-12 · Balance" */
export function pathLabel(path) {
  if (!path) return "";
  return path.split(".").map((part) => {
    const keyed = /^([a-z_]+)\[(.+)\]$/.exec(part);
    if (keyed) return `${fieldLabel(keyed[1])} ${keyed[2]}`;
    return /^\d+$/.test(part) ? `#${Number(part) + 1}` : fieldLabel(part);
  }).join(" · ");
}

/** One value as words: money in its currency, dates, yes/no, codes as labels, objects inline. */
export function valueText(key, value, currency) {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return /_cents$/.test(key || "") ? fmt.money(value, currency) : fmt.number(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => valueText(key, v, currency)).join(", ") : "None";
  if (typeof value === "object") {
    if ("address1" in value || "city" in value) return fmt.addressLine(value);
    const own = typeof value.currency === "string" ? value.currency : currency;
    return Object.entries(value)
      .filter(([k, v]) => k !== "currency" && k !== "id" && v !== null && v !== "" && !(Array.isArray(v) && !v.length))
      .map(([k, v]) => `${fieldLabel(k)}: ${valueText(k, v, own)}`)
      .join(" · ");
  }
  if (/(_at|_on)$/.test(key || "") && /^\d{4}-\d{2}-\d{2}/.test(value)) return /expires/.test(key) ? fmt.date(value) : fmt.dateTime(value);
  return label(value);
}

/** The rows of one field's change: an object changed in place shows only its fields that moved. */
export function changeRows(change, currency) {
  const before = parseValue(change.old_value);
  const after = parseValue(change.new_value);
  const key = (change.field || "").split(".").pop().replace(/\[.*\]$/, "");
  const where = pathLabel(change.field);
  if (before && after && typeof before === "object" && typeof after === "object" && !Array.isArray(before)) {
    const own = after.currency || before.currency || currency;
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => ({ what: `${where} · ${fieldLabel(k)}`, before: valueText(k, before[k], own), after: valueText(k, after[k], own) }));
  }
  if (before === null && after !== null && typeof after === "object") return [{ what: where, before: "—", after: `Added: ${valueText(key, after, currency)}` }];
  if (after === null && before !== null && typeof before === "object") return [{ what: where, before: valueText(key, before, currency), after: "Removed" }];
  return [{ what: where, before: valueText(key, before, currency), after: valueText(key, after, currency) }];
}

/**
 * @param {Array<any>} entries the AuditLogPage's entries, newest first
 * @param {{currency: string, actionLabel: (name: string) => string}} ctx
 */
export function auditLog(entries, ctx) {
  if (!entries.length) return emptyNote("No changes recorded yet");
  return h("ol", { class: "timeline audit-log" }, groupEntries(entries).map((g) => {
    const rows = g.changes.filter((c) => c.field).flatMap((c) => changeRows(c, ctx.currency));
    return h("li", { class: "audit-entry" },
      h("p", { class: "audit-head" }, h("strong", null, ctx.actionLabel(g.action)),
        h("span", { class: "muted small" }, ` · ${g.who} · ${fmt.dateTime(g.at)}`)),
      rows.length
        ? h("dl", { class: "audit-changes" }, rows.map((r) => h("div", { class: "audit-change" },
            h("dt", null, r.what),
            h("dd", null, h("span", { class: "audit-before" }, r.before), h("span", { "aria-hidden": "true" }, " → "), h("span", { class: "visually-hidden" }, " changed to "), h("span", { class: "audit-after" }, r.after)))))
        : null);
  }));
}
