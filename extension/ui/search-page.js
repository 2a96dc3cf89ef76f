// The search page ("Start New Call" landing, or a session's New Search tab): it owns the search
// state (kind, q, filters, sort, order, page), runs the search when it changes and hands the
// answer to the results area. The controls (search-controls.js), the results
// (search-results.js) and the saved state (search-state.js) each live in their own module.

/** @typedef {import("../lib/schema-types.js").SearchState} SearchState */
/** @typedef {import("../lib/schema-types.js").SearchResponse} SearchResponse */
/** @typedef {import("../lib/schema-types.js").FiltersResponse} FiltersResponse */

import { isAbort } from "../lib/api.js";
import { getCatalog } from "../lib/catalog.js";
import { h, uid } from "../lib/dom.js";
import { MARKS, mark, measureWhenPainted } from "../lib/search-timing.js";
import { openFilterDialog } from "./filter-dialog.js";
import { createSearchControls } from "./search-controls.js";
import { createSearchResults } from "./search-results.js";
import { createStateSaver, hasCriteria, normalise, sameState } from "./search-state.js";

// Typing searches at once against the local store (a stale request is aborted, and the agent
// stops its query); a remote backend (Kibo) gets a debounce so a burst of keys is one call.
const REMOTE_DEBOUNCE_MS = 150;
const SAVE_MS = 400;

/**
 * @param {{getApi: () => any, actions: import("../lib/actions.js").Actions, store: any,
 *          sessionId: string|null, initial: any, onOpen: (kind: string, row: any) => Promise<void>,
 *          announce: (msg: string, opts?: any) => void, remote?: () => boolean,
 *          limits: () => import("../lib/schema-types.js").Limits|undefined}} ctx
 *   limits: the agent's (GET /info), for the page size, page cap and query length
 */
export function createSearchPage(ctx) {
  let state = normalise(ctx.initial);
  let catalog = null;
  let response = null;
  let controller = null;
  let typingTimer = 0;
  let keystroke = null; // the latest input event's mark, until a search takes it on
  let fieldErrors = {};
  let destroyed = false;
  const debounceMs = () => (ctx.remote?.() ? REMOTE_DEBOUNCE_MS : 0);
  const titleId = uid("search-title");
  const resultsId = uid("results");
  const saver = createStateSaver({
    current: () => state,
    save: (s) => ctx.actions.saveSearchState(ctx.sessionId, s),
    announce: ctx.announce,
    delayMs: SAVE_MS,
  });

  const controls = createSearchControls({
    state,
    resultsId,
    queryMaxLength: ctx.limits()?.search_query_max_length,
    onKind(kind) {
      if (kind === state.kind) return;
      state = { ...state, kind, filters: {}, sort: null, order: null, page: 1 };
      fieldErrors = {};
      response = null;
      changed({ now: true });
    },
    onInput(q) {
      keystroke = mark(MARKS.keystroke);
      state = { ...state, q, page: 1 };
      saver.schedule(); // marks the state as ours at once, so a snapshot can't undo the keystroke
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => changed({ now: true }), debounceMs());
    },
    onEnter() {
      clearTimeout(typingTimer);
      changed({ now: true });
    },
    onArrowDown() {
      const row = view.firstRow();
      row?.focus();
      return Boolean(row);
    },
    onAdvanced: () => openAdvanced(),
    onRemoveFilter(def) {
      const filters = { ...state.filters };
      for (const p of def.params) delete filters[p];
      state = { ...state, filters, page: 1 };
      changed({ now: true });
    },
  });

  const interpretation = h("p", { class: "interpretation" });
  const results = h("div", { class: "results-area", id: resultsId, "aria-live": "off" });
  const busy = h("div", { class: "progress", hidden: true, "aria-hidden": "true" });
  // One persistent live region for result counts: re-created elements are not announced.
  const spoken = h("p", { class: "visually-hidden", "aria-live": "polite", "aria-atomic": "true" });

  const view = createSearchResults({
    results,
    fetchPage(page, pageSize) {
      const { sort, order } = effectiveSort();
      return ctx.getApi().get(`/search/${state.kind}`, { query: { q: state.q.trim(), sort, order, page, page_size: pageSize, ...state.filters } });
    },
    exportLimits: () => ({ pageSize: ctx.limits()?.search_max_page_size ?? 100, maxPage: ctx.limits()?.search_max_page ?? 400 }),
    pageCap: () => ctx.limits()?.search_max_page,
    interpretation,
    say: (text) => {
      if (spoken.textContent !== text) spoken.textContent = text;
    },
    prefs,
    onColumns(kind, keys) {
      const { sort, order } = catalog ? effectiveSort() : {};
      ctx.actions.savePreferences(kind, { columns: keys, sort, order }).catch((e) => ctx.announce(e.message, { error: true }));
    },
    onSort(kind, sort, order, visible) {
      state = { ...state, sort, order, page: 1 };
      ctx.actions.savePreferences(kind, { columns: visible, sort, order }).catch((e) => ctx.announce(e.message, { error: true }));
      changed({ now: true });
    },
    onPage: (page) => go(page),
    onOpen: async (row) => {
      // The search that found this record goes with it (a session's New Search starts from the
      // landing page's): the agent must have the last keystrokes before the open.
      if (saver.pending) await saver.flush();
      return ctx.onOpen(state.kind, row);
    },
    onRetry: () => run(),
    onFixFilters: () => controls.advanced.click(),
  });

  const el = h(
    "section",
    { class: "search-page", "aria-labelledby": titleId },
    h("h2", { id: titleId, class: "visually-hidden" }, ctx.sessionId ? "New Search" : "Start New Call"),
    controls.kindGroup,
    controls.searchBar,
    controls.qError,
    controls.chips,
    busy,
    interpretation,
    results,
    spoken,
  );

  async function openAdvanced() {
    const cat = await loadCatalog();
    if (!cat) return;
    openFilterDialog({
      catalog: cat,
      filters: state.filters,
      errors: fieldErrors,
      returnFocus: controls.advanced,
      onApply: (filters) => {
        state = { ...state, filters, page: 1 };
        fieldErrors = {};
        changed({ now: true });
      },
    });
  }

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

  function prefs(kind = state.kind) {
    return ctx.store.preferences?.[kind] || {};
  }

  function effectiveSort() {
    return {
      sort: state.sort || prefs().sort || catalog.default_sort,
      order: state.order || prefs().order || catalog.default_order,
    };
  }

  function changed({ now = false, save = true } = {}) {
    controls.sync(state, catalog?.filters || []);
    if (save) saver.schedule();
    if (now) run();
  }

  async function run() {
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const kind = state.kind;
    const typed = keystroke;
    keystroke = null;
    catalog = await loadCatalog();
    if (signal.aborted || destroyed || kind !== state.kind || !catalog) return;
    controls.syncChips(state.filters, catalog.filters);
    if (!hasCriteria(state)) {
      response = null;
      busy.hidden = true;
      view.prompt(state.kind);
      return;
    }
    const { sort, order } = effectiveSort();
    busy.hidden = false;
    const q = state.q.trim();
    const request = typed && mark(MARKS.request);
    try {
      const data = await ctx.getApi().get(`/search/${kind}`, {
        query: { q, sort, order, page: state.page, page_size: ctx.limits()?.search_page_size, ...state.filters },
        signal,
      });
      if (signal.aborted || destroyed) return;
      const answered = performance.now();
      response = data;
      fieldErrors = {};
      controls.clearQueryError();
      view.show(kind, state, data);
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

  function showError(error) {
    const field = error.field;
    if (field === "q") {
      controls.showQueryError(error.message);
      return;
    }
    if (field) {
      fieldErrors = { [field]: error.message };
      const def = catalog?.filters.find((f) => f.params.includes(field));
      view.error(error, { field, filterLabel: def?.label });
      return;
    }
    view.error(error, { keepShown: Boolean(response) });
  }

  function go(page) {
    state = { ...state, page };
    changed({ now: true });
    el.querySelector(".table-wrap")?.scrollTo?.(0, 0);
    setTimeout(() => view.firstRow()?.focus(), 0);
  }

  controls.sync(state, []);
  run();

  return {
    el,
    get state() {
      return state;
    },
    focus() {
      controls.focus();
    },
    /** A snapshot from the agent: follow it unless we have our own change in flight. */
    applyExternal(next) {
      if (saver.busy || sameState(next, state)) return;
      state = normalise(next);
      changed({ now: true, save: false });
    },
    refresh() {
      if (hasCriteria(state)) run();
    },
    syncPreferences: () => view.syncPreferences(),
    /** @param {{save?: boolean}} [opts] save: false drops a change not yet saved (Start New Call) */
    destroy({ save = true } = {}) {
      destroyed = true;
      controller?.abort();
      clearTimeout(typingTimer);
      // The user's last change must not be lost, and must land before the next page's own.
      if (saver.pending && save) saver.flush();
      else saver.cancel();
    },
  };
}
