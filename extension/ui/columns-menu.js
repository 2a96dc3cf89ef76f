// "Columns" menu in the results table's top-right corner: a disclosure with one checkbox per
// column. The choice is saved per kind by the caller.

import { h, icon, uid } from "../lib/dom.js";

/**
 * @param {{columns: any[], visible: string[], onChange: (keys: string[]) => void}} props
 */
export function columnsMenu({ columns, visible, onChange }) {
  const popupId = uid("columns");
  const chosen = new Set(visible);
  const button = h(
    "button",
    { type: "button", class: "tool-button", "aria-expanded": "false", "aria-controls": popupId },
    icon("columns"),
    h("span", null, "Columns"),
  );
  const boxes = columns.map((col) => {
    const input = h("input", { type: "checkbox", value: col.key, checked: chosen.has(col.key) });
    input.addEventListener("change", () => {
      if (input.checked) chosen.add(col.key);
      else chosen.delete(col.key);
      if (!chosen.size) {
        // An empty table helps no one: keep at least one column.
        input.checked = true;
        chosen.add(col.key);
        return;
      }
      onChange(columns.map((c) => c.key).filter((key) => chosen.has(key)));
    });
    return h("label", { class: "check" }, input, h("span", null, col.label));
  });
  const popup = h(
    "div",
    { id: popupId, class: "popover columns-popover", role: "group", "aria-label": "Visible columns", hidden: true },
    boxes,
    h("button", { type: "button", class: "link-button", onclick: () => reset() }, "Default columns"),
  );
  const wrap = h("div", { class: "menu-wrap" }, button, popup);

  function reset() {
    const defaults = columns.filter((c) => c.default_visible).map((c) => c.key);
    chosen.clear();
    for (const key of defaults) chosen.add(key);
    for (const label of popup.querySelectorAll("input")) label.checked = chosen.has(label.value);
    onChange(defaults);
  }

  function setOpen(open) {
    popup.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      popup.querySelector("input")?.focus();
      document.addEventListener("pointerdown", outside, true);
    } else {
      document.removeEventListener("pointerdown", outside, true);
    }
  }
  function outside(event) {
    if (!wrap.contains(event.target)) setOpen(false);
  }
  button.addEventListener("click", () => setOpen(popup.hidden));
  wrap.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !popup.hidden) {
      event.stopPropagation();
      setOpen(false);
      button.focus();
    }
  });
  wrap.addEventListener("focusout", (event) => {
    if (!popup.hidden && event.relatedTarget && !wrap.contains(event.relatedTarget)) setOpen(false);
  });
  return wrap;
}
