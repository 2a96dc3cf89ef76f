// The search page's state — kind, q, filters, sort, order, page — in its normal form, and the
// saver that writes it to the agent a moment after the last change (the agent keeps it, so a
// reload or another panel shows the same search).

import { KINDS } from "../lib/catalog.js";

/** The state with every field present and of the right type (unknown kinds become customers). */
export function normalise(state) {
  return {
    kind: KINDS.some((k) => k.value === state?.kind) ? state.kind : "customers",
    q: typeof state?.q === "string" ? state.q : "",
    filters: state?.filters && typeof state.filters === "object" ? { ...state.filters } : {},
    sort: state?.sort ?? null,
    order: state?.order ?? null,
    page: Number.isInteger(state?.page) && state.page >= 1 ? state.page : 1,
  };
}

export const sameState = (a, b) => JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));

/** Free text or any filter: something to search for (an empty query lists nothing). */
export function hasCriteria(state) {
  return state.q.trim() !== "" || Object.keys(state.filters).length > 0;
}

/**
 * @param {{current: () => any, save: (state: any) => Promise<void>,
 *          announce: (msg: string, opts?: any) => void, delayMs: number}} opts
 */
export function createStateSaver({ current, save, announce, delayMs }) {
  let timer = 0;
  let saving = 0;
  let pending = false;

  async function flush() {
    clearTimeout(timer);
    pending = false;
    saving += 1;
    try {
      await save({ ...current() });
    } catch (error) {
      // 404: the session was closed meanwhile, so there is nothing left to save it to.
      if (!error.network && error.status !== 404) announce(`Could not save the search: ${error.message}`, { error: true });
    } finally {
      saving -= 1;
    }
  }

  return {
    /** Save after the quiet period; marks the state as ours at once. */
    schedule() {
      clearTimeout(timer);
      pending = true;
      timer = setTimeout(flush, delayMs);
    },
    flush,
    /** Drop the change waiting to be saved. */
    cancel() {
      clearTimeout(timer);
      pending = false;
    },
    /** A change of ours is waiting or on its way: an agent snapshot must not undo it. */
    get busy() {
      return pending || saving > 0;
    },
    get pending() {
      return pending;
    },
  };
}
