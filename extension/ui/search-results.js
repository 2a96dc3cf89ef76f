// The search page's results area: the prompt before a search, "no match", errors, and the
// results themselves — count, Columns menu, sortable table and pager. The table's column choice
// and sort are saved per kind by the page's callbacks.

import { kindInfo, visibleColumns } from "../lib/catalog.js";
import { EXPORT_CAP, collectRows, toCsv } from "../lib/csv-export.js";
import { h, replace } from "../lib/dom.js";
import { number } from "../lib/format.js";
import { columnsMenu } from "./columns-menu.js";
import { resultsTable } from "./results-table.js";

/**
 * @param {{results: HTMLElement, interpretation: HTMLElement, say: (text: string) => void,
 *          pageCap: () => number|undefined,
 *          prefs: (kind: string) => any, onColumns: (kind: string, keys: string[]) => void,
 *          onSort: (kind: string, key: string, order: string, visible: string[]) => void,
 *          onPage: (page: number) => void, onOpen: (row: any) => void, onRetry: () => void,
 *          onFixFilters: () => void,
 *          fetchPage: (page: number, pageSize: number) => Promise<any>,
 *          exportLimits: () => {pageSize: number, maxPage: number}}} ctx
 */
export function createSearchResults(ctx) {
  const { results, interpretation } = ctx;
  let shown = null; // {kind, state, response} on screen
  let menuKey = "";
  let menu = null;

  const keyOf = (kind, columns, visible) => `${kind}:${columns.map((c) => c.key).join(",")}:${visible.join(",")}`;

  function prompt(kind) {
    shown = null;
    interpretation.textContent = "";
    const info = kindInfo(kind);
    replace(
      results,
      h("div", { class: "empty-state" },
        h("p", { class: "empty-title" }, `Search ${info.many}`),
        h("p", null, kind === "customers" ? "Type a name, email or phone number, or use Advanced Search." : `Type an ${info.one} number, a name or an email, or use Advanced Search.`)),
    );
  }

  function show(kind, state, response) {
    shown = { kind, state, response };
    const data = response;
    const info = kindInfo(kind);
    interpretation.textContent = data.interpretation ? `Searching ${data.interpretation}` : "";
    if (!data.results.length) {
      const what = state.q.trim() ? `“${state.q.trim()}”` : "these filters";
      ctx.say(`No ${info.many} match ${what}`);
      replace(results, h("div", { class: "empty-state" },
        h("p", { class: "empty-title" }, `No ${info.many} match ${what}`),
        h("p", null, Object.keys(state.filters).length ? "Try fewer filters or another spelling." : "Check the spelling, or search by email, phone or number.")));
      return;
    }
    const columns = data.columns;
    const visible = visibleColumns(columns, ctx.prefs(kind));
    const key = keyOf(kind, columns, visible);
    if (key !== menuKey || !menu) {
      menu = columnsMenu({
        columns,
        visible,
        onChange: (keys) => {
          menuKey = keyOf(kind, columns, keys);
          ctx.onColumns(kind, keys);
          drawTable(keys);
        },
      });
      menuKey = key;
    }
    const total = data.total_exact ? number(data.total) : `${number(data.total)}+`;
    const pages = Math.max(1, Math.ceil(data.total / data.page_size));
    // The agent serves pages up to its cap; an inexact count stops paging at the cap or when a
    // page comes back short.
    const cap = ctx.pageCap() ?? Infinity;
    const last = data.total_exact ? Math.min(pages, cap) : cap;
    const noun = data.total === 1 && data.total_exact ? info.one : info.many;
    const count = h("p", { class: "result-count" }, h("strong", null, total), ` ${noun}`);
    ctx.say(`${total} ${noun}, page ${data.page}`);
    const pager = h("nav", { class: "pager", "aria-label": "Result pages" },
      h("button", { type: "button", class: "button small", disabled: data.page <= 1, onclick: () => ctx.onPage(data.page - 1) }, "Previous"),
      h("span", { class: "page-of" }, data.total_exact ? `Page ${data.page} of ${number(last)}` : `Page ${data.page}`),
      h("button", { type: "button", class: "button small", disabled: data.page >= last || data.results.length < data.page_size, onclick: () => ctx.onPage(data.page + 1) }, "Next"));
    const tableWrap = h("div", { class: "table-wrap" });
    replace(results, h("div", { class: "results-toolbar" }, count, exportButton(kind, columns), menu), tableWrap, pager);
    drawTable(visible, tableWrap);
  }

  function exportButton(kind, columns) {
    const status = h("span", { class: "muted small export-status", role: "status" });
    const bar = h("progress", { class: "export-progress", max: "1", value: "0", hidden: true, "aria-label": "Export progress" });
    const button = h("button", { type: "button", class: "button small", title: `The columns shown, up to ${EXPORT_CAP.toLocaleString("en-US")} rows` }, "Export CSV");
    button.addEventListener("click", async () => {
      const shownKeys = visibleColumns(columns, ctx.prefs(kind));
      const chosen = shownKeys.map((k) => columns.find((c) => c.key === k)).filter(Boolean);
      button.disabled = true;
      bar.hidden = false;
      try {
        const rows = await collectRows(ctx.fetchPage, (done, of) => {
          bar.max = Math.max(1, of);
          bar.value = done;
          status.textContent = `Exporting ${number(done)} of ${number(of)}…`;
        }, ctx.exportLimits());
        const blob = new Blob([toCsv(chosen, rows)], { type: "text/csv;charset=utf-8" });
        const link = h("a", { href: URL.createObjectURL(blob), download: `${kind}-${new Date().toISOString().slice(0, 10)}.csv` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 1000);
        status.textContent = `Exported ${number(rows.length)} ${rows.length === 1 ? kindInfo(kind).one : kindInfo(kind).many}${rows.length >= EXPORT_CAP ? ` (the first ${number(EXPORT_CAP)})` : ""}.`;
      } catch (e) {
        status.textContent = e.network ? "Not exported: the agent is not reachable." : `Not exported: ${e.message}`;
      } finally {
        button.disabled = false;
        bar.hidden = true;
      }
    });
    return h("span", { class: "export" }, button, bar, status);
  }

  function drawTable(visible, wrap = results.querySelector(".table-wrap")) {
    if (!wrap || !shown) return;
    const { kind, response } = shown;
    const { sort, order } = response;
    const info = kindInfo(kind);
    replace(wrap, resultsTable({
      columns: response.columns,
      visible,
      rows: response.results,
      sort,
      order,
      caption: `${info.label} search results`,
      onSort: (keyName) => {
        const col = response.columns.find((c) => c.key === keyName);
        const nextOrder = keyName === sort ? (order === "asc" ? "desc" : "asc") : col?.default_order ?? order;
        ctx.onSort(kind, keyName, nextOrder, visible);
        refocusHeader(keyName);
      },
      onOpen: ctx.onOpen,
    }));
  }

  function refocusHeader(keyName) {
    // The table is redrawn when the answer arrives: keep focus on the header the user clicked.
    const observer = new MutationObserver(() => {
      const button = results.querySelector(`th[data-key="${CSS.escape(keyName)}"] button`);
      if (button) {
        button.focus();
        observer.disconnect();
      }
    });
    observer.observe(results, { childList: true, subtree: true });
    setTimeout(() => observer.disconnect(), 3000);
  }

  /** A failed search; `filterLabel` names the Advanced Search field the agent refused. */
  function error(err, { field, filterLabel, keepShown }) {
    if (field) {
      replace(results, h("div", { class: "error-state", role: "alert" },
        h("p", null, `${filterLabel || field}: ${err.message}`),
        h("button", { type: "button", class: "button", onclick: () => ctx.onFixFilters() }, "Fix in Advanced Search")));
      return;
    }
    if (err.network) {
      // Offline: keep what is on screen; the connection banner says the agent went away.
      if (!keepShown) replace(results, h("div", { class: "error-state" }, h("p", null, "The agent is not reachable. Results appear when it is back.")));
      return;
    }
    replace(results, h("div", { class: "error-state", role: "alert" },
      h("p", null, err.message || "Search failed."),
      h("button", { type: "button", class: "button", onclick: () => ctx.onRetry() }, "Try again")));
  }

  return {
    prompt,
    show,
    error,
    /** The first result row, for ↓ from the Search box and after paging. */
    firstRow: () => results.querySelector("tbody tr"),
    /** Another panel changed this kind's columns: follow unless the menu is open here. */
    syncPreferences() {
      if (!shown || !shown.response.results.length) return;
      if (results.querySelector('.menu-wrap [aria-expanded="true"]')) return;
      const { kind, state, response } = shown;
      const visible = visibleColumns(response.columns, ctx.prefs(kind));
      if (keyOf(kind, response.columns, visible) !== menuKey) show(kind, state, response);
    },
  };
}
