// Array fields of a schema form whose rows come from the entity, not from the CSR: per-item
// quantities ({line_id, quantity} from an order's items, {item_id, quantity} from a return's)
// and typed choices ({name, is_primary} per Billing / Shipping). Empty rows are left out.

import { deref } from "../lib/action-catalog.js";
import { h, uid } from "../lib/dom.js";
import * as fmt from "../lib/format.js";
import { label } from "../lib/labels.js";

/**
 * @param {{path: string, key: string, schema: any, required: boolean, hint: {rows: Array<{key: string, label: string, note?: string, max?: number, fixed?: any, defaults?: any}>, rowKey: string, rowQuantity?: string, label?: string, help?: string, emptyMessage?: string},
 *          hints: Record<string, any>, schemas: Record<string, any>, initial: Record<string, any>, labelFor: Function,
 *          errorSlot: () => {id: string, el: HTMLElement}, helpSlot: (text?: string) => {id: string, el: HTMLElement}|null, onChange: () => void}} o
 */
export function createRowsField({ path, key, schema: s, required, hint, hints, schemas, initial, labelFor, errorSlot, helpSlot, onChange }) {
  const item = deref(s.items, schemas);
  const props = item.properties || {};
  const qtyKey = hint.rowQuantity || (props.quantity ? "quantity" : null);
  const err = errorSlot();
  const help = helpSlot(hint.help);
  const legendId = uid("lg");
  const controls = [];
  const body = hint.rows.map((row) => {
    const rowId = uid("row");
    const cells = [h("span", { class: "row-label", id: rowId }, row.label, row.note ? h("span", { class: "muted small block" }, row.note) : null)];
    const inputs = {};
    if (qtyKey) {
      const word = fmt.humanise(qtyKey).replace(/^./, (c) => c.toUpperCase());
      const input = h("input", { type: "number", min: "0", max: row.max, step: "1", inputmode: "numeric", class: "qty", name: `${path}.${row.key}.${qtyKey}`,
        "aria-label": `${word} of ${row.label}${row.max !== undefined ? ` (up to ${row.max})` : ""}`, value: initial[`${path}.${row.key}.${qtyKey}`] ?? "" });
      inputs[qtyKey] = input;
      cells.push(h("span", { class: "row-max muted small" }, row.max !== undefined ? `of ${row.max}` : ""), input);
    } else {
      const box = h("input", { type: "checkbox", name: `${path}.${row.key}.include`, checked: Boolean(initial[`${path}.${row.key}.include`]), "aria-labelledby": rowId });
      inputs.include = box;
      cells.unshift(box);
    }
    for (const [k, ps] of Object.entries(props)) {
      if (k === hint.rowKey || k === qtyKey) continue;
      const sub = deref(ps, schemas);
      const name = `${path}.${row.key}.${k}`;
      if (sub.type === "boolean") {
        const box = h("input", { type: "checkbox", name, checked: Boolean(initial[name]) });
        inputs[k] = box;
        cells.push(h("label", { class: "check small" }, box, h("span", null, labelFor(k, sub, hints[`${path}.${k}`]))));
      } else if (sub.enum) {
        const sel = h("select", { name, "aria-label": `${labelFor(k, sub, hints[`${path}.${k}`])} for ${row.label}` }, sub.enum.map((v) => h("option", { value: v }, label(v))));
        sel.value = initial[name] ?? row.defaults?.[k] ?? sub.enum[0];
        inputs[k] = sel;
        cells.push(sel);
      }
    }
    for (const c of Object.values(inputs)) controls.push(c);
    return { row, inputs, el: h("div", { class: "row-item" }, cells) };
  });
  const fieldset = h("fieldset", { class: "field field-rows", "aria-describedby": help?.id || null },
    h("legend", { id: legendId }, labelFor(key, s, hint), required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    h("div", { class: "rows" }, body.map((b) => b.el)), help?.el, err.el);
  const setError = (msg) => {
    err.el.textContent = msg || "";
    err.el.hidden = !msg;
    const ids = [help?.id, msg ? err.id : null].filter(Boolean).join(" ");
    if (ids) fieldset.setAttribute("aria-describedby", ids); else fieldset.removeAttribute("aria-describedby");
    for (const c of controls) { if (msg && c.type === "number") c.setAttribute("aria-invalid", "true"); else c.removeAttribute("aria-invalid"); }
  };
  for (const c of controls) {
    c.addEventListener("input", () => { setError(null); onChange(); });
    c.addEventListener("change", onChange);
  }
  const leaf = {
    get: () => Object.fromEntries(body.flatMap((b) => Object.entries(b.inputs).map(([k, el]) => [`${path}.${b.row.key}.${k}`, el.type === "checkbox" ? el.checked : el.value]))),
    set: (raw) => { for (const b of body) for (const [k, el] of Object.entries(b.inputs)) { const v = raw?.[`${path}.${b.row.key}.${k}`]; if (v === undefined) continue; if (el.type === "checkbox") el.checked = Boolean(v); else el.value = v; } },
    error: setError,
    focus: () => controls[0]?.focus(),
    present: () => true,
    read: (errors) => {
      const out = [];
      for (const b of body) {
        const entry = { [hint.rowKey]: b.row.fixed ?? b.row.key };
        if (qtyKey) {
          const text = b.inputs[qtyKey].value.trim();
          if (!text || text === "0") continue;
          const n = Number(text);
          if (!Number.isInteger(n) || n < 0) { errors[path] = `Quantities are whole numbers (${b.row.label})`; continue; }
          if (b.row.max !== undefined && n > b.row.max) { errors[path] = `${b.row.label}: at most ${b.row.max}`; continue; }
          entry[qtyKey] = n;
        } else if (!b.inputs.include.checked) continue;
        for (const [k, el] of Object.entries(b.inputs)) {
          if (k === qtyKey || k === "include") continue;
          entry[k] = el.type === "checkbox" ? el.checked : el.value;
        }
        out.push(entry);
      }
      if (!out.length && (required || s.minItems) && !errors[path]) errors[path] = hint.emptyMessage || (qtyKey ? "Enter a quantity for at least one item" : "Choose at least one");
      return out;
    },
  };
  return { el: fieldset, leaf };
}
