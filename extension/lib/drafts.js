// Form drafts kept by the agent per session tab (docs/design.md §3.6): saved while the CSR types
// (debounced), listed when a tab opens, dropped after the action succeeds or is cancelled.

/** @typedef {import("./schema-types.js").Draft} Draft */

import { enc } from "./api.js";

const DELAY_MS = 400;

export class DraftStore {
  /**
   * @param {() => import("./api.js").ApiClient} getApi
   * @param {string} sessionId
   * @param {string} tabId
   */
  constructor(getApi, sessionId, tabId) {
    this.getApi = getApi;
    this.base = `/sessions/${enc(sessionId)}/tabs/${enc(tabId)}/drafts`;
    /** @type {Map<string, {timer: number, data: any, version: number|null}>} */
    this.pending = new Map();
  }

  /** @returns {Promise<Draft[]>} */
  async list() {
    const answer = await this.getApi().get(this.base);
    return answer?.drafts || [];
  }

  /** Save after a pause in typing; the last call wins. */
  save(form, data, entityVersion) {
    const prev = this.pending.get(form);
    if (prev) clearTimeout(prev.timer);
    const timer = setTimeout(() => this.flush(form), DELAY_MS);
    this.pending.set(form, { timer, data, version: entityVersion });
  }

  /** Write a pending draft now (e.g. before the dialog closes or the page hides). */
  async flush(form, { keepalive = false } = {}) {
    const entry = this.pending.get(form);
    if (!entry) return null;
    clearTimeout(entry.timer);
    this.pending.delete(form);
    try {
      return await this.getApi().put(`${this.base}/${enc(form)}`, { data: entry.data, entity_version: entry.version }, { keepalive });
    } catch {
      return null; // a lost autosave is retried by the next keystroke; the form still holds it
    }
  }

  /** @param {{keepalive?: boolean}} [options] keepalive: the page is unloading */
  flushAll(options) {
    return Promise.all([...this.pending.keys()].map((form) => this.flush(form, options)));
  }

  async discard(form) {
    const entry = this.pending.get(form);
    if (entry) clearTimeout(entry.timer);
    this.pending.delete(form);
    try {
      await this.getApi().delete(`${this.base}/${enc(form)}`);
    } catch (error) {
      if (error?.status !== 404) throw error;
    }
  }
}
