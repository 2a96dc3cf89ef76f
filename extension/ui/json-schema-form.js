// A form generated from a request model's JSON Schema (openapi.json components). Supports the
// subset the action models use: strings (enum → select, maxLength, pattern), integers (money in
// minor units → an amount input in the entity currency), booleans, nullable fields, nested
// objects (fieldsets), discriminated unions (a type select + one fieldset per branch) and arrays
// of rows built from the entity (per-item quantities, typed checkboxes) or of plain strings.
//
// The form keeps raw input per dotted path ({"address.city": "Austin"}) so a draft restores
// exactly what the CSR typed; value() turns it into the request body and checks it locally.

import { bounds, deref, unwrapNullable } from "../lib/action-catalog.js";
import { h, uid } from "../lib/dom.js";
import * as fmt from "../lib/format.js";
import { label as codeLabel, countryOptions } from "../lib/labels.js";
import { createRowsField } from "./form-rows.js";

const LABELS = {
  address1: "Address line 1", address2: "Address line 2", postal_code: "Postal code", state: "State / province",
  country: "Country", first_name: "First name", last_name: "Last name", reason_code: "Reason",
  amount_cents: "Amount", unit_price_cents: "New unit price", note: "Note (optional)", text: "Note",
  tax_id: "Tax ID", tax_exempt: "Tax exempt", accepts_marketing: "Accepts marketing messages",
  is_primary: "Primary", address: "Address", payment_id: "Payment", contact_id: "Address", note_id: "Note", fqn: "Attribute",
};

/** Digits after the decimal point of a currency (USD 2, JPY 0). */
export function currencyDigits(currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "12.50" → 1250 (minor units), or NaN. Accepts "$1,234.50", "1234,5". */
export function toMinorUnits(text, currency) {
  const raw = String(text ?? "").trim().replace(/[^\d.,-]/g, "");
  if (!raw) return NaN;
  const normalised = /,\d{1,2}$/.test(raw) && !raw.includes(".") ? raw.replace(",", ".") : raw.replace(/,/g, "");
  if (!/^-?\d*(\.\d*)?$/.test(normalised)) return NaN;
  const digits = currencyDigits(currency);
  const [whole, frac = ""] = normalised.split(".");
  if (frac.length > digits) return NaN;
  const n = Number(`${whole || "0"}.${frac || "0"}`);
  return Math.round(n * 10 ** digits);
}

export function fromMinorUnits(cents, currency) {
  if (cents === null || cents === undefined || cents === "") return "";
  const digits = currencyDigits(currency);
  return (Number(cents) / 10 ** digits).toFixed(digits);
}

export function labelFor(key, schema, hint) {
  if (hint?.label) return hint.label;
  if (LABELS[key]) return LABELS[key];
  return fmt.humanise(schema.title || key).replace(/\bId\b/, "ID");
}

// Forms read top to bottom like the store's screens, whatever order the schema lists fields in.
const ORDER = ["contact_id", "note_id", "payment_id", "code", "mode", "label", "first_name", "last_name", "company", "email", "username", "phone",
  "address1", "address2", "city", "state", "postal_code", "country", "address", "types", "type", "line_id", "unit_price_cents", "items",
  "amount_cents", "method", "credit_type", "reason_code", "adjustment", "accepts_marketing", "tax_exempt", "tax_id", "text", "note", "comments"];
const rank = (key) => { const i = ORDER.indexOf(key); return i < 0 ? ORDER.length : i; };

const isMoney = (key, hint) => hint?.widget === "money" || (!hint?.widget && /_cents$/.test(key));

/**
 * @param {{schema: any, schemas: Record<string, any>, hints?: Record<string, any>, currency?: string,
 *          initial?: Record<string, any>, hidden?: string[]}} opts
 *   hints: per dotted path {label, help, widget: "money"|"textarea"|"select"|"rows"|"hidden",
 *   options: [{value, label}], rows: [{key, label, max, fixed}], rowKey, rowQuantity}
 */
export function createSchemaForm({ schema, schemas, hints = {}, currency = "USD", initial = {}, hidden = ["expected_version"] }) {
  /** @type {Map<string, {get: () => any, set: (v: any) => void, error: (msg: string|null) => void, focus: () => void, read: (errors: Record<string,string>) => any, present: () => boolean, nullable?: boolean, branchOf?: any}>} */
  const leaves = new Map();
  /** Fields shown only while another field has a value: {path, wrap, when: [otherPath, value]}. */
  const conditional = [];
  const listeners = new Set();
  const changed = () => listeners.forEach((fn) => fn());

  function errorSlot() {
    const id = uid("err");
    return { id, el: h("p", { id, class: "field-error", hidden: true }) };
  }

  function helpSlot(text) {
    if (!text) return null;
    const id = uid("help");
    return { id, el: h("p", { id, class: "field-help" }, text) };
  }

  function wireError(control, err, help) {
    const describe = (withError) => {
      const ids = [help?.id, withError ? err.id : null].filter(Boolean);
      if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
      else control.removeAttribute("aria-describedby");
    };
    describe(false);
    return (msg) => {
      err.el.textContent = msg || "";
      err.el.hidden = !msg;
      if (msg) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
      describe(Boolean(msg));
    };
  }

  function leaf(path, key, rawSchema, required) {
    const hint = hints[path] || {};
    const { schema: s, nullable } = unwrapNullable(rawSchema, schemas);
    if (hint.widget === "hidden") {
      let stored = initial[path];
      leaves.set(path, { get: () => stored, set: (v) => { stored = v; }, error: () => {}, focus: () => {}, present: () => stored !== undefined && stored !== "", read: () => stored });
      return null;
    }
    const id = uid("f");
    const label = labelFor(key, s, hint);
    const help = helpSlot(hint.help ?? (s.description && !LABELS[key] && !/minor units|line_id|return item's id/i.test(s.description) ? s.description : null));
    const err = errorSlot();
    const req = required && !nullable && s.default === undefined;
    let control;
    let wrap;
    if (s.type === "boolean") {
      control = h("input", { id, type: "checkbox", name: path, checked: Boolean(initial[path] ?? s.default) });
      wrap = h("div", { class: "field field-check" }, h("label", { class: "check", for: id }, control, h("span", null, label)), help?.el, err.el);
    } else {
      // A country is picked by name from the agent's list (it refuses any other code).
      const options = hint.options || (key === "country" ? countryOptions() : null) || (Array.isArray(s.enum) ? s.enum.map((v) => ({ value: v, label: codeLabel(v) })) : null);
      if (options) {
        const placeholder = req && s.default === undefined ? h("option", { value: "" }, "Choose…") : nullable || !req ? (s.default === undefined ? h("option", { value: "" }, "—") : null) : null;
        control = h("select", { id, name: path, "aria-required": req ? "true" : null }, placeholder, options.map((o) => h("option", { value: String(o.value) }, o.label)));
        control.value = String(initial[path] ?? s.default ?? "");
      } else if (s.type === "integer" && isMoney(key, hint)) {
        control = h("input", { id, name: path, type: "text", inputmode: "decimal", autocomplete: "off", "aria-required": req ? "true" : null, value: initial[path] ?? "" });
      } else if (s.type === "integer") {
        const { min, max } = bounds(s);
        control = h("input", { id, name: path, type: "number", step: "1", min, max, "aria-required": req ? "true" : null, value: initial[path] ?? "" });
      } else if (hint.widget === "textarea" || (s.maxLength || 0) > 254) {
        control = h("textarea", { id, name: path, rows: hint.rows || 3, maxlength: s.maxLength, "aria-required": req ? "true" : null }, "");
        control.value = initial[path] ?? "";
      } else {
        control = h("input", { id, name: path, type: hint.type || "text", maxlength: s.maxLength, autocomplete: hint.autocomplete || "off", spellcheck: "false", "aria-required": req ? "true" : null, value: initial[path] ?? "" });
      }
      const labelEl = h("label", { for: id }, label, req ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null);
      const moneyWrap = s.type === "integer" && isMoney(key, hint) && !options
        ? h("div", { class: "money-input" }, h("span", { class: "money-code", "aria-hidden": "true" }, currency), control)
        : control;
      const counter = s.maxLength && (control.tagName === "TEXTAREA") ? h("p", { class: "field-help counter", "aria-hidden": "true" }) : null;
      if (counter) {
        const update = () => { counter.textContent = `${control.value.length} / ${s.maxLength}`; };
        control.addEventListener("input", update);
        queueMicrotask(update);
      }
      wrap = h("div", { class: `field${hint.wide ? " field-wide" : ""}` }, labelEl, moneyWrap, help?.el, counter, err.el);
      if (s.type === "integer" && isMoney(key, hint)) control.setAttribute("aria-label", `${label} (${currency})`);
    }
    if (hint.showWhen) conditional.push({ path, wrap, when: hint.showWhen });
    const setError = wireError(control, err, help);
    control.addEventListener("input", () => { setError(null); changed(); });
    control.addEventListener("change", changed);
    const isBool = s.type === "boolean";
    leaves.set(path, {
      nullable,
      get: () => (isBool ? control.checked : control.value),
      set: (v) => { if (isBool) control.checked = Boolean(v); else control.value = v ?? ""; },
      error: setError,
      focus: () => control.focus(),
      present: () => (isBool ? true : control.value.trim() !== ""),
      read: (errors) => {
        if (isBool) return control.checked;
        const text = control.value.trim();
        if (!text) {
          if (req) errors[path] = `${label.replace(/ \(optional\)$/, "")} is required`;
          return nullable ? null : undefined;
        }
        if (s.type === "integer") {
          const n = isMoney(key, hint) ? toMinorUnits(text, currency) : Number(text);
          if (!Number.isInteger(n)) {
            errors[path] = isMoney(key, hint) ? `Enter an amount like 12.50 (${currency})` : "Enter a whole number";
            return undefined;
          }
          const { min, max } = bounds(s);
          const show = (v) => (isMoney(key, hint) ? fmt.money(v, currency) : fmt.number(v));
          if (min !== undefined && n < min) errors[path] = `Must be at least ${show(min)}`;
          else if (max !== undefined && n > max) errors[path] = `Must be at most ${show(max)}`;
          if (hint.max !== undefined && n > hint.max) errors[path] = `Must be at most ${show(hint.max)}`;
          return n;
        }
        if (s.minLength && text.length < s.minLength) errors[path] = `At least ${s.minLength} characters`;
        if (s.maxLength && text.length > s.maxLength) errors[path] = `At most ${s.maxLength} characters`;
        if (s.pattern && !new RegExp(s.pattern).test(text)) errors[path] = hint.patternMessage || (key === "country" ? "Two capital letters, e.g. US" : "This format is not accepted");
        return text;
      },
    });
    return wrap;
  }

  function rowsField(path, key, s, required) {
    const { el: fieldset, leaf: rows } = createRowsField({ path, key, schema: s, required, hint: hints[path], hints, schemas, initial, labelFor, errorSlot, helpSlot, onChange: changed });
    leaves.set(path, rows);
    return fieldset;
  }

  /** An array of plain strings: one per line. */
  function stringList(path, key, s, required) {
    const id = uid("f");
    const hint = hints[path] || {};
    const err = errorSlot();
    const help = helpSlot(hint.help || "One per line");
    const control = h("textarea", { id, name: path, rows: 3 });
    control.value = initial[path] ?? "";
    const wrap = h("div", { class: "field field-wide" }, h("label", { for: id }, labelFor(key, s, hint), required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null), control, help?.el, err.el);
    if (hint.showWhen) conditional.push({ path, wrap, when: hint.showWhen });
    const setError = wireError(control, err, help);
    control.addEventListener("input", () => { setError(null); changed(); });
    leaves.set(path, {
      get: () => control.value, set: (v) => { control.value = v ?? ""; }, error: setError, focus: () => control.focus(), present: () => true,
      read: () => control.value.split(/\n|,/).map((x) => x.trim()).filter(Boolean),
    });
    return wrap;
  }

  function union(path, key, s) {
    const hint = hints[path] || {};
    const prop = s.discriminator?.propertyName || "type";
    const branches = s.oneOf.map((b) => deref(b, schemas));
    const typePath = `${path}.${prop}`;
    const id = uid("f");
    const select = h("select", { id, name: typePath, "aria-required": "true" },
      h("option", { value: "" }, "Choose…"),
      branches.map((b) => { const v = b.properties[prop].const ?? b.properties[prop].enum?.[0]; return h("option", { value: v }, hint.branchLabels?.[v] || b.title || codeLabel(v)); }));
    select.value = initial[typePath] ?? "";
    const err = errorSlot();
    const setError = wireError(select, err, null);
    const panes = branches.map((b) => {
      const v = b.properties[prop].const ?? b.properties[prop].enum?.[0];
      const { [prop]: _, ...rest } = b.properties;
      const pane = h("div", { class: "union-branch", dataset: { branch: v } }, objectFields(path, { ...b, properties: rest }));
      return { v, pane };
    });
    const sync = () => panes.forEach((p) => { p.pane.hidden = p.v !== select.value; });
    select.addEventListener("change", () => { setError(null); sync(); changed(); });
    sync();
    leaves.set(typePath, {
      get: () => select.value, set: (v) => { select.value = v ?? ""; sync(); }, error: setError, focus: () => select.focus(), present: () => select.value !== "",
      read: (errors) => { if (!select.value) errors[typePath] = "Choose one"; return select.value || undefined; },
      branchOf: path,
    });
    return h("fieldset", { class: "field field-group" }, h("legend", null, labelFor(key, s, hint)),
      h("div", { class: "field" }, h("label", { for: id }, hint.typeLabel || "Type", h("span", { class: "req", "aria-hidden": "true" }, " *")), select, err.el),
      panes.map((p) => p.pane));
  }

  function objectFields(prefix, s) {
    const required = new Set(s.required || []);
    const out = [];
    const entries = Object.entries(s.properties || {}).sort(([a], [b]) => rank(a) - rank(b));
    for (const [key, raw] of entries) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (!prefix && hidden.includes(key)) continue;
      const hint = hints[path];
      if (hint?.widget === "omit") continue;
      const { schema: sub } = unwrapNullable(raw, schemas);
      if (sub.oneOf) out.push(union(path, key, sub));
      else if (sub.type === "object" || sub.properties) {
        out.push(h("fieldset", { class: "field field-group" }, h("legend", null, labelFor(key, sub, hint)), objectFields(path, sub)));
      } else if (sub.type === "array") {
        if (hint?.rows) out.push(rowsField(path, key, sub, required.has(key)));
        else if (deref(sub.items, schemas).type === "string") out.push(stringList(path, key, sub, required.has(key)));
      } else {
        out.push(leaf(path, key, raw, required.has(key)));
      }
    }
    return out;
  }

  const el = h("div", { class: "schema-form" }, objectFields("", schema));
  const hiddenByCondition = new Set();
  function syncConditions() {
    for (const c of conditional) {
      const other = leaves.get(c.when[0]);
      const show = String(other?.get() ?? "") === String(c.when[1]);
      c.wrap.hidden = !show;
      if (show) hiddenByCondition.delete(c.path);
      else hiddenByCondition.add(c.path);
    }
  }
  if (conditional.length) {
    listeners.add(syncConditions);
    queueMicrotask(syncConditions);
    syncConditions();
  }

  function nestedSet(target, path, value) {
    const parts = path.split(".");
    let node = target;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts[parts.length - 1]] = value;
  }

  /** The current branch of each union, so fields of hidden branches are left out. */
  function inActiveBranch(path) {
    for (const [p, l] of leaves) {
      if (!l.branchOf || !path.startsWith(`${l.branchOf}.`) || p === path) continue;
      const chosen = l.get();
      const pane = el.querySelector(`.union-branch[data-branch="${CSS.escape(chosen)}"]`);
      const control = el.querySelector(`[name="${CSS.escape(path)}"]`);
      if (control && (!pane || !pane.contains(control))) return false;
    }
    return true;
  }

  return {
    el,
    onChange(fn) { listeners.add(fn); },
    /** Raw input per path (what a draft stores). */
    raw() {
      const out = {};
      for (const [path, l] of leaves) {
        const v = l.get();
        if (v && typeof v === "object") Object.assign(out, v);
        else out[path] = v;
      }
      return out;
    },
    setRaw(raw) {
      for (const [path, l] of leaves) {
        if (raw[path] !== undefined) l.set(raw[path]);
        else if (l.read && l.get && typeof l.get() === "object") l.set(raw);
      }
      if (conditional.length) syncConditions();
    },
    /**
     * The request body from the inputs, and local errors per path.
     * @param {{changedFrom?: Record<string, any>}} [opts] changedFrom: send only nullable fields
     *   whose raw input differs from these (edit forms)
     */
    value({ changedFrom } = {}) {
      const errors = {};
      const body = {};
      for (const [path, l] of leaves) {
        if (!inActiveBranch(path) || hiddenByCondition.has(path)) continue;
        if (changedFrom && l.nullable && !path.includes(".") && String(changedFrom[path] ?? "") === String(l.get() ?? "")) continue;
        const v = l.read(errors);
        if (v === undefined) continue;
        if (v === null && changedFrom) continue;
        nestedSet(body, path, v);
      }
      return { body, errors };
    },
    /** Show errors by path; returns the messages no field claimed. */
    showErrors(errors) {
      const unclaimed = [];
      for (const l of leaves.values()) l.error(null);
      let first = null;
      for (const [path, msg] of Object.entries(errors)) {
        let target = path;
        while (target && !leaves.has(target)) target = target.includes(".") ? target.slice(0, target.lastIndexOf(".")) : "";
        const l = target ? leaves.get(target) : null;
        if (l && l.error !== undefined && el.querySelector(`[name^="${CSS.escape(target)}"]`)) {
          l.error(msg);
          first ||= l;
        } else unclaimed.push(msg);
      }
      first?.focus();
      return { unclaimed, focused: Boolean(first) };
    },
    clearErrors() { for (const l of leaves.values()) l.error(null); },
    focusFirst() { el.querySelector("input:not([type=hidden]), select, textarea")?.focus(); },
  };
}
