// Search results table: header buttons sort (aria-sort on the <th>), arrow keys move through the
// rows, Enter or a click opens the row. Only one row is in the tab order at a time. In a narrow
// panel each row is drawn as a card (css/tables.css): every visible column, labelled, wraps
// instead of scrolling sideways; the headers stay as the sort buttons.

import { h, icon } from "../lib/dom.js";
import * as fmt from "../lib/format.js";
import { label } from "../lib/labels.js";
import { status } from "./status-badge.js";

const ID_LIKE = /(^id$|_id$|number$|^number)/;

export function formatCell(column, value, row) {
  if (value === null || value === undefined || value === "") return "—";
  switch (column.type) {
    case "money":
      return fmt.money(value, row.currency);
    case "date":
      return fmt.date(String(value));
    case "number":
      return ID_LIKE.test(column.key) ? String(value) : fmt.number(value);
    case "status":
      return status(String(value));
    case "code":
      return label(value);
    case "list":
      return (Array.isArray(value) ? value : String(value).split(/,\s*/)).map(label).join(", ");
    default:
      return typeof value === "boolean" ? (value ? "Yes" : "No") : String(value);
  }
}

/**
 * @param {{columns: any[], visible: string[], rows: any[], sort: string, order: "asc"|"desc",
 *          caption: string, onSort: (key: string) => void, onOpen: (row: any) => void}} props
 */
export function resultsTable({ columns, visible, rows, sort, order, caption, onSort, onOpen }) {
  const shown = visible.map((key) => columns.find((c) => c.key === key)).filter(Boolean);
  const head = h(
    "tr",
    null,
    shown.map((col) => {
      const sorted = col.key === sort;
      const ariaSort = sorted ? (order === "asc" ? "ascending" : "descending") : col.sortable ? "none" : null;
      const label = h("span", null, col.label);
      return h(
        "th",
        { scope: "col", "aria-sort": ariaSort, class: `col-${col.type}`, dataset: { key: col.key } },
        col.sortable
          ? h(
              "button",
              { type: "button", class: "sort-button", onclick: () => onSort(col.key) },
              label,
              icon(sorted ? (order === "asc" ? "up" : "down") : "updown"),
            )
          : label,
      );
    }),
  );
  const body = h(
    "tbody",
    null,
    rows.map((row, index) =>
      h(
        "tr",
        {
          tabindex: index === 0 ? "0" : "-1",
          class: "result-row",
          dataset: { id: String(row.id) },
          onclick: () => onOpen(row),
        },
        shown.map((col) => {
          const value = row[col.key];
          const empty = value === null || value === undefined || value === "";
          return h("td", { class: `col-${col.type} key-${col.key}${empty ? " is-empty" : ""}` },
            h("span", { class: "cell-label", "aria-hidden": "true" }, col.label),
            h("span", { class: "cell-value" }, formatCell(col, value, row)));
        }),
      ),
    ),
  );
  body.addEventListener("keydown", (event) => {
    const row = event.target.closest("tr");
    if (!row) return;
    const all = [...body.rows];
    const i = all.indexOf(row);
    let next = null;
    if (event.key === "ArrowDown") next = all[Math.min(i + 1, all.length - 1)];
    else if (event.key === "ArrowUp") next = all[Math.max(i - 1, 0)];
    else if (event.key === "Home") next = all[0];
    else if (event.key === "End") next = all[all.length - 1];
    else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onOpen(rows[i]);
      return;
    } else return;
    event.preventDefault();
    for (const r of all) r.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
  body.addEventListener("focusin", (event) => {
    const row = event.target.closest("tr");
    if (!row) return;
    for (const r of body.rows) r.tabIndex = r === row ? 0 : -1;
  });
  return h("table", { class: "results stack-narrow" }, h("caption", { class: "visually-hidden" }, caption), h("thead", null, head), body);
}
