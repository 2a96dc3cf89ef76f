// The search page ("Start New Call" landing, or a session's New Search tab): kind radios, the
// Search box, Advanced Search, results with sort, columns and paging. Its state (kind, q,
// filters, sort, order, page) is saved to the agent and restored from it.

/** @typedef {import("../lib/schema-types.js").SearchState} SearchState */
/** @typedef {import("../lib/schema-types.js").SearchResponse} SearchResponse */
/** @typedef {import("../lib/schema-types.js").FiltersResponse} FiltersResponse */

import { isAbort } from "../lib/api.js";
import { getCatalog, KINDS, kindInfo, visibleColumns } from "../lib/catalog.js";
import { h, icon, replace, uid } from "../lib/dom.js";
import { number } from "../lib/format.js";
import { MARKS, mark, measureWhenPainted } from "../lib/search-timing.js";
import { columnsMenu } from "./columns-menu.js";
import { describeFilter, openFilterDialog } from "./filter-dialog.js";
import { resultsTable } from "./results-table.js";

const PAGE_SIZE = 25;
// Typing searches at once against the local store (a stale request is aborted, and the agent
// stops its query); a remote backend (Kibo) gets a debounce so a burst of keys is one call.
const REMOTE_DEBOUNCE_MS = 150;
const SAVE_MS = 400;

function normalise(state) {
  return {
    kind: KINDS.some((k) => k.value === state?.kind) ? state.kind : "customers",
    q: typeof state?.q === "string" ? state.q : "",
    filters: state?.filters && typeof state.filters === "object" ? { ...state.filters } : {},
    sort: state?.sort ?? null,
    order: state?.order ?? null,
    page: Number.isInteger(state?.page) && state.page >= 1 ? state.page : 1,
  };
}

const same = (a, b) => JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));

/**
 * @param {{getApi: () => any, actions: import("../lib/actions.js").Actions, store: any,
 *          sessionId: string|null, initial: any, onOpen: (kind: string, row: any) => Promise<void>,
 *          announce: (msg: string, opts?: any) => void, remote?: () => boolean}} ctx
 */
export function createSearchPage(ctx) {
  let state = normalise(ctx.initial);
  let catalog = null;
  let response = null;
  let controller = null;
  let typingTimer = 0;
  let keystroke = null; // the latest input event's mark, until a search takes it on
  let saveTimer = 0;
  let saving = 0;
  let savePending = false;
  let fieldErrors = {};
  let destroyed = false;
  const debounceMs = () => (ctx.remote?.() ? REMOTE_DEBOUNCE_MS : 0);
  const titleId = uid("search-title");
  const resultsId = uid("results");

  const radios = KINDS.map((k) =>
    h("label", { class: "seg" }, h("input", { type: "radio", name: uid("kind"), value: k.value, checked: state.kind === k.value }), h("span", null, k.label)),
  );
  const radioName = radios[0].querySelector("input").name;
  for (const label of radios) label.querySelector("input").name = radioName;
  const kindGroup = h("div", { class: "segmented", role: "radiogroup", "aria-label": "Search for" }, radios);

  const qError = h("p", { class: "field-error", id: uid("q-err"), hidden: true });
  const input = h("input", {
    type: "search",
    class: "search-input",
    "aria-label": "Search",
    placeholder: "Name, email, phone, #",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "200",
    value: state.q,
    "aria-controls": resultsId,
  });
  const filterCount = h("span", { class: "badge", "aria-hidden": "true", hidden: true });
  const advanced = h("button", { type: "button", class: "tool-button", "aria-haspopup": "dialog" }, icon("filter"), h("span", null, "Advanced Search"), filterCount);
  const chips = h("ul", { class: "chips", "aria-label": "Active filters" });
  const interpretation = h("p", { class: "interpretation" });
  const results = h("div", { class: "results-area", id: resultsId, "aria-live": "off" });
  const busy = h("div", { class: "progress", hidden: true, "aria-hidden": "true" });
  // One persistent live region for result counts: re-created elements are not announced.
  const spoken = h("p", { class: "visually-hidden", "aria-live": "polite", "aria-atomic": "true" });
  const say = (text) => {
    if (spoken.textContent !== text) spoken.textContent = text;
  };

  const el = h(
    "section",
    { class: "search-page", "aria-labelledby": titleId },
    h("h2", { id: titleId, class: "visually-hidden" }, ctx.sessionId ? "New Search" : "Start New Call"),
    kindGroup,
    h("div", { class: "search-bar" }, h("span", { class: "search-icon" }, icon("search")), input, advanced),
    qError,
    chips,
    busy,
    interpretation,
    results,
    spoken,
  );

  // ----- events -----
  kindGroup.addEventListener("change", (event) => {
    const kind = event.target.value;
    if (kind === state.kind) return;
    state = { ...state, kind, filters: {}, sort: null, order: null, page: 1 };
    fieldErrors = {};
    response = null;
    changed({ now: true });
  });
  input.addEventListener("input", () => {
    keystroke = mark(MARKS.keystroke);
    state = { ...state, q: input.value, page: 1 };
    scheduleSave(); // marks the state as ours at once, so a snapshot can't undo the keystroke
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => changed({ now: true }), debounceMs());
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      const row = results.querySelector("tbody tr");
      if (row) {
        event.preventDefault();
        row.focus();
      }
    } else if (event.key === "Enter") {
      clearTimeout(typingTimer);
      changed({ now: true });
    }
  });
  advanced.addEventListener("click", async () => {
    const cat = await loadCatalog();
    if (!cat) return;
    openFilterDialog({
      catalog: cat,
      filters: state.filters,
      errors: fieldErrors,
      returnFocus: advanced,
      onApply: (filters) => {
        state = { ...state, filters, page: 1 };
        fieldErrors = {};
        changed({ now: true });
      },
    });
  });

  // ----- data -----
  async function loadCatalog() {
    try {
      const cat = await getCatalog(ctx.getApi(), state.kind);
      if (cat.kind && cat.kind !== state.kind) return null;
      return cat;
    } catch (error) {
      showError(error);
      return null;
    }
  }

  function prefs() {
    return ctx.store.preferences?.[state.kind] || {};
  }

  function effectiveSort() {
    return {
      sort: state.sort || prefs().sort || catalog?.default_sort || "relevance",
      order: state.order || prefs().order || catalog?.default_order || "desc",
    };
  }

  function hasCriteria() {
    return state.q.trim() !== "" || Object.keys(state.filters).length > 0;
  }

  function changed({ now = false, save = true } = {}) {
    syncControls();
    if (save) scheduleSave();
    if (now) run();
  }

  function scheduleSave() {
    clearTimeout(saveTimer);
    savePending = true;
    saveTimer = setTimeout(saveNow, SAVE_MS);
  }

  async function saveNow() {
    clearTimeout(saveTimer);
    savePending = false;
    saving += 1;
    try {
      await ctx.actions.saveSearchState(ctx.sessionId, { ...state });
    } catch (error) {
      // 404: the session was closed meanwhile, so there is nothing left to save it to.
      if (!error.network && error.status !== 404) ctx.announce(`Could not save the search: ${error.message}`, { error: true });
    } finally {
      saving -= 1;
    }
  }

  async function run() {
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const kind = state.kind;
    const typed = keystroke;
    keystroke = null;
    catalog = await loadCatalog();
    if (signal.aborted || destroyed || kind !== state.kind) return;
    syncChips();
    if (!hasCriteria()) {
      response = null;
      busy.hidden = true;
      renderEmpty();
      return;
    }
    const { sort, order } = effectiveSort();
    busy.hidden = false;
    const q = state.q.trim();
    const request = typed && mark(MARKS.request);
    try {
      const data = await ctx.getApi().get(`/search/${kind}`, {
        query: { q, sort, order, page: state.page, page_size: PAGE_SIZE, ...state.filters },
        signal,
      });
      if (signal.aborted || destroyed) return;
      const answered = performance.now();
      response = data;
      fieldErrors = {};
      qError.hidden = true;
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      renderResults();
      if (typed) {
        measureWhenPainted({
          keystroke: typed,
          request,
          response: answered,
          stillShown: () => !destroyed && response === data,
          detail: { kind, q, debounce_ms: debounceMs() },
        });
      }
    } catch (error) {
      if (isAbort(error) || signal.aborted || destroyed) return;
      showError(error);
    } finally {
      if (!signal.aborted) busy.hidden = true;
    }
  }

  // ----- rendering -----
  function syncControls() {
    for (const label of radios) {
      const radio = label.querySelector("input");
      radio.checked = radio.value === state.kind;
    }
    if (input.value !== state.q) input.value = state.q;
    syncChips();
  }

  function syncChips() {
    const defs = catalog?.filters || [];
    const items = [];
    for (const def of defs) {
      const text = describeFilter(def, state.filters);
      if (!text) continue;
      items.push(
        h("li", null, h("span", { class: "chip" }, h("span", null, text),
          h("button", { type: "button", class: "chip-x", "aria-label": `Remove filter ${def.label}`, onclick: () => {
            const filters = { ...state.filters };
            for (const p of def.params) delete filters[p];
            state = { ...state, filters, page: 1 };
            changed({ now: true });
            input.focus();
          } }, "×"))),
      );
    }
    replace(chips, items);
    chips.hidden = !items.length;
    const count = items.length;
    filterCount.hidden = !count;
    filterCount.textContent = String(count);
  }

  function renderEmpty() {
    interpretation.textContent = "";
    const info = kindInfo(state.kind);
    replace(
      results,
      h("div", { class: "empty-state" },
        h("p", { class: "empty-title" }, `Search ${info.many}`),
        h("p", null, state.kind === "customers" ? "Type a name, email or phone number, or use Advanced Search." : `Type an ${info.one} number, a name or an email, or use Advanced Search.`)),
    );
  }

  function showError(error) {
    const field = error.field;
    if (field === "q") {
      qError.textContent = error.message;
      qError.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", qError.id);
      return;
    }
    if (field && field !== "q") {
      fieldErrors = { [field]: error.message };
      const def = catalog?.filters.find((f) => f.params.includes(field));
      replace(results, h("div", { class: "error-state", role: "alert" },
        h("p", null, `${def ? def.label : field}: ${error.message}`),
        h("button", { type: "button", class: "button", onclick: () => advanced.click() }, "Fix in Advanced Search")));
      return;
    }
    if (error.network) {
      // Offline: keep what is on screen; the connection banner says the agent went away.
      if (!response) replace(results, h("div", { class: "error-state" }, h("p", null, "The agent is not reachable. Results appear when it is back.")));
      return;
    }
    replace(results, h("div", { class: "error-state", role: "alert" },
      h("p", null, error.message || "Search failed."),
      h("button", { type: "button", class: "button", onclick: () => run() }, "Try again")));
  }

  let menuKey = "";
  let menu = null;
  function renderResults() {
    const data = response;
    const info = kindInfo(state.kind);
    interpretation.textContent = data.interpretation ? `Searching ${data.interpretation}` : "";
    if (!data.results.length) {
      const what = state.q.trim() ? `“${state.q.trim()}”` : "these filters";
      say(`No ${info.many} match ${what}`);
      replace(results, h("div", { class: "empty-state" },
        h("p", { class: "empty-title" }, `No ${info.many} match ${what}`),
        h("p", null, Object.keys(state.filters).length ? "Try fewer filters or another spelling." : "Check the spelling, or search by email, phone or number.")));
      return;
    }
    const columns = data.columns;
    const visible = visibleColumns(columns, prefs());
    const key = `${state.kind}:${columns.map((c) => c.key).join(",")}:${visible.join(",")}`;
    if (key !== menuKey || !menu) {
      menu = columnsMenu({
        columns,
        visible,
        onChange: (keys) => {
          menuKey = `${state.kind}:${columns.map((c) => c.key).join(",")}:${keys.join(",")}`;
          const { sort, order } = effectiveSort();
          ctx.actions.savePreferences(state.kind, { columns: keys, sort, order }).catch((e) => ctx.announce(e.message, { error: true }));
          drawTable(keys);
        },
      });
      menuKey = key;
    }
    const total = data.total_exact ? number(data.total) : `${number(data.total)}+`;
    const pages = Math.max(1, Math.ceil(data.total / data.page_size));
    const last = data.total_exact ? Math.min(pages, 400) : 400;
    const noun = data.total === 1 && data.total_exact ? info.one : info.many;
    const count = h("p", { class: "result-count" }, h("strong", null, total), ` ${noun}`);
    say(`${total} ${noun}, page ${data.page}`);
    const pager = h("nav", { class: "pager", "aria-label": "Result pages" },
      h("button", { type: "button", class: "button small", disabled: data.page <= 1, onclick: () => go(data.page - 1) }, "Previous"),
      h("span", { class: "page-of" }, data.total_exact ? `Page ${data.page} of ${number(last)}` : `Page ${data.page}`),
      h("button", { type: "button", class: "button small", disabled: data.page >= last || data.results.length < data.page_size, onclick: () => go(data.page + 1) }, "Next"));
    const tableWrap = h("div", { class: "table-wrap" });
    replace(results, h("div", { class: "results-toolbar" }, count, menu), tableWrap, pager);
    drawTable(visible, tableWrap);
  }

  function drawTable(visible, wrap = results.querySelector(".table-wrap")) {
    if (!wrap || !response) return;
    const { sort, order } = { sort: response.sort, order: response.order };
    const info = kindInfo(state.kind);
    replace(wrap, resultsTable({
      columns: response.columns,
      visible,
      rows: response.results,
      sort,
      order,
      caption: `${info.label} search results`,
      onSort: (keyName) => {
        const col = response.columns.find((c) => c.key === keyName);
        const nextOrder = keyName === sort ? (order === "asc" ? "desc" : "asc") : col && ["text"].includes(col.type) ? "asc" : "desc";
        state = { ...state, sort: keyName, order: nextOrder, page: 1 };
        ctx.actions.savePreferences(state.kind, { columns: visible, sort: keyName, order: nextOrder }).catch((e) => ctx.announce(e.message, { error: true }));
        changed({ now: true });
        refocusHeader(keyName);
      },
      onOpen: (row) => ctx.onOpen(state.kind, row),
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

  function go(page) {
    state = { ...state, page };
    changed({ now: true });
    el.querySelector(".table-wrap")?.scrollTo?.(0, 0);
    setTimeout(() => results.querySelector("tbody tr")?.focus(), 0);
  }

  syncControls();
  run();

  return {
    el,
    get state() {
      return state;
    },
    focus() {
      input.focus();
    },
    /** A snapshot from the agent: follow it unless we have our own change in flight. */
    applyExternal(next) {
      if (savePending || saving > 0 || same(next, state)) return;
      state = normalise(next);
      changed({ now: true, save: false });
    },
    refresh() {
      if (hasCriteria()) run();
    },
    /** Another panel changed this kind's columns: follow unless the menu is open here. */
    syncPreferences() {
      if (!response || !response.results.length) return;
      if (el.querySelector('.menu-wrap [aria-expanded="true"]')) return;
      const visible = visibleColumns(response.columns, prefs());
      const key = `${state.kind}:${response.columns.map((c) => c.key).join(",")}:${visible.join(",")}`;
      if (key !== menuKey) renderResults();
    },
    destroy() {
      destroyed = true;
      controller?.abort();
      clearTimeout(typingTimer);
      // The user's last change must not be lost, and must land before the next page's own.
      if (savePending) saveNow();
    },
  };
}
