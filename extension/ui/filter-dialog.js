// Advanced Search: a modal <dialog> whose form is built from GET /search/{kind}/filters.
// Filter values are kept as query parameters ({param: string | string[]}), exactly what the
// agent reads and what the saved search state holds. Money is typed in major units and sent
// in minor units (cents), as the agent expects.

import { h, uid } from "../lib/dom.js";
import { date } from "../lib/format.js";

const MINOR = 100;

function toMinor(text) {
  const n = Number(String(text).replace(/[^0-9.,-]/g, "").replace(",", "."));
  return Number.isFinite(n) && String(text).trim() !== "" ? String(Math.round(n * MINOR)) : "";
}

function fromMinor(value) {
  if (value === undefined || value === null || value === "") return "";
  const n = Number(value);
  return Number.isFinite(n) ? String(n / MINOR) : String(value);
}

/** Human text of one active filter, for the chips under the search box. */
export function describeFilter(def, filters) {
  const values = def.params.map((p) => filters[p]);
  if (values.every((v) => v === undefined || v === "" || (Array.isArray(v) && !v.length))) return null;
  if (def.type === "enum") {
    const list = [].concat(values[0] || []);
    const labels = list.map((v) => def.options.find((o) => o.value === v)?.label || v);
    return `${def.label}: ${labels.join(", ")}`;
  }
  if (def.type === "date_range" || def.type === "money_range") {
    // Days as every date of the panel reads ("Nov 1, 2026"); the date inputs show the same day.
    const [a, b] = values.map((v) => (def.type === "money_range" ? fromMinor(v) : v ? date(v) : ""));
    if (a && b) return `${def.label}: ${a} – ${b}`;
    return a ? `${def.label}: from ${a}` : `${def.label}: up to ${b}`;
  }
  return `${def.label}: ${values[0]}`;
}

/**
 * @param {{catalog: any, filters: Record<string, string|string[]>, errors: Record<string, string>,
 *          onApply: (filters: Record<string, string|string[]>) => void}} props
 */
export function openFilterDialog({ catalog, filters, errors = {}, onApply, returnFocus }) {
  const titleId = uid("adv-title");
  const fields = [];

  function errorFor(params) {
    const param = params.find((p) => errors[p]);
    if (!param) return null;
    const id = uid("err");
    return { id, el: h("p", { id, class: "field-error" }, errors[param]) };
  }

  function helpFor(def) {
    if (!def.help) return null;
    const id = uid("help");
    return { id, el: h("p", { id, class: "field-help" }, def.help) };
  }

  function described(...parts) {
    const ids = parts.filter(Boolean).map((p) => p.id);
    return ids.length ? ids.join(" ") : null;
  }

  for (const def of catalog.filters) {
    if (def.unavailable) {
      // The backend cannot apply it: shown, so the CSR knows it exists, but not offered.
      const noteId = uid("note");
      fields.push(h("fieldset", { class: "field field-unavailable", disabled: true, "aria-disabled": "true", "aria-describedby": noteId },
        h("legend", null, def.label),
        h("p", { id: noteId, class: "field-help" }, `Not available on this store: ${def.unavailable}`)));
      continue;
    }
    const err = errorFor(def.params);
    const help = helpFor(def);
    const describedBy = described(err, help);
    const invalid = err ? "true" : null;
    if (def.type === "enum") {
      const current = new Set([].concat(filters[def.params[0]] || []));
      if (def.multiple) {
        const boxes = def.options.map((o) =>
          h("label", { class: "check" }, h("input", { type: "checkbox", name: def.params[0], value: o.value, checked: current.has(o.value) }), h("span", null, o.label)),
        );
        fields.push(h("fieldset", { class: "field field-enum", "aria-describedby": describedBy, "aria-invalid": invalid }, h("legend", null, def.label), h("div", { class: "check-grid" }, boxes), help?.el, err?.el));
      } else {
        const id = uid("f");
        fields.push(
          h("div", { class: "field" }, h("label", { for: id }, def.label),
            // A filter with a default always holds a value (Name Match: Starts with); it is
            // sent only when another is chosen.
            h("select", { id, name: def.params[0], "aria-describedby": describedBy, "aria-invalid": invalid, dataset: def.default ? { default: def.default } : null },
              def.default ? null : h("option", { value: "" }, "Any"),
              def.options.map((o) => h("option", { value: o.value, selected: current.has(o.value) || (!current.size && o.value === def.default) }, o.label))),
            help?.el, err?.el),
        );
      }
    } else if (def.type === "date_range" || def.type === "money_range") {
      const money = def.type === "money_range";
      const [lo, hi] = def.params;
      const inputs = [
        [lo, money ? "Minimum" : "From"],
        [hi, money ? "Maximum" : "To"],
      ].map(([param, word]) => {
        const id = uid("f");
        const value = money ? fromMinor(filters[param]) : filters[param] || "";
        return h("div", { class: "range-part" }, h("label", { for: id }, word),
          h("input", { id, name: param, type: money ? "text" : "date", inputmode: money ? "decimal" : null, value, "data-money": money ? "1" : null, "aria-describedby": errors[param] ? err?.id : null, "aria-invalid": errors[param] ? "true" : null }));
      });
      fields.push(h("fieldset", { class: "field field-range", "aria-describedby": described(err, help) }, h("legend", null, def.label), h("div", { class: "range" }, inputs), help?.el, err?.el));
    } else {
      const id = uid("f");
      fields.push(
        h("div", { class: "field" }, h("label", { for: id }, def.label),
          h("input", { id, name: def.params[0], type: "text", inputmode: def.type === "number" ? "numeric" : null, autocomplete: "off", spellcheck: "false", value: filters[def.params[0]] || "", "aria-describedby": describedBy, "aria-invalid": invalid }),
          help?.el, err?.el),
      );
    }
  }

  const form = h("form", { class: "filter-form", method: "dialog", novalidate: true },
    h("div", { class: "dialog-body" }, fields),
    h("div", { class: "dialog-actions" },
      h("button", { type: "button", class: "button", value: "clear", onclick: () => { form.reset(); for (const el of form.elements) { if (el.type === "checkbox") el.checked = false; else if (el.name) el.value = el.dataset.default || ""; } } }, "Clear all"),
      h("span", { class: "spacer" }),
      h("button", { type: "button", class: "button", onclick: () => dialog.close("cancel") }, "Cancel"),
      h("button", { type: "submit", class: "button primary" }, "Apply filters"),
    ),
  );
  const dialog = h("dialog", { class: "dialog filter-dialog", "aria-labelledby": titleId },
    h("div", { class: "dialog-head" }, h("h2", { id: titleId }, "Advanced Search"),
      h("button", { type: "button", class: "icon-button", "aria-label": "Close Advanced Search", onclick: () => dialog.close("cancel") }, "×")),
    form,
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = {};
    for (const el of form.elements) {
      if (!el.name || el.disabled) continue;
      if (el.type === "checkbox") {
        if (el.checked) (next[el.name] ||= []).push(el.value);
        continue;
      }
      const value = el.dataset.money ? toMinor(el.value) : el.value.trim();
      if (value && value !== el.dataset.default) next[el.name] = value;
    }
    dialog.close("apply");
    onApply(next);
  });
  dialog.addEventListener("close", () => {
    dialog.remove();
    returnFocus?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  const firstInvalid = dialog.querySelector("[aria-invalid=true] input, input[aria-invalid=true]");
  (firstInvalid || dialog.querySelector("input, select"))?.focus();
  return dialog;
}
