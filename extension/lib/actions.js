// Session and tab commands (docs/design.md §3). Each sends one request and applies the agent's
// answer; the rules themselves live in the agent.

/** @typedef {import("./schema-types.js").OpenSessionResult} OpenSessionResult */
/** @typedef {import("./schema-types.js").OpenTabResult} OpenTabResult */
/** @typedef {import("./schema-types.js").SearchState} SearchState */
/** @typedef {import("./schema-types.js").Preferences} Preferences */

import { enc } from "./api.js";
import { KIND_OF } from "./kinds.js";

export class Actions {
  /** @param {() => import("./api.js").ApiClient} getApi @param {import("./store.js").Store} store */
  constructor(getApi, store) {
    this.getApi = getApi;
    this.store = store;
  }

  get api() {
    return this.getApi();
  }

  /** Fresh snapshots after a (re)connect; an event that overtakes them wins (Store.expectSnapshot). */
  async refresh() {
    this.store.expectSnapshot();
    const [sessions, prefs] = await Promise.all([this.api.get("/sessions"), this.api.get("/preferences")]);
    this.store.setSessions(sessions);
    this.store.setPreferences(prefs);
  }

  /**
   * Open a search result: a new (or the customer's existing) session from the landing page.
   * @param {boolean} [replaceInProgress] close the oldest session even if its call is in progress
   */
  async openFromLanding(searchKind, id, replaceInProgress = false) {
    const body = { kind: KIND_OF[searchKind] || searchKind, id: String(id) };
    if (replaceInProgress) body.replace_in_progress = true;
    const result = await this.api.post("/sessions", body);
    this.store.setSessions(result.state);
    return result;
  }

  async openInSession(sessionId, kind, id) {
    const result = await this.api.post(`/sessions/${enc(sessionId)}/tabs`, { kind: KIND_OF[kind] || kind, id: String(id) });
    this.store.setSessions(result.state);
    return result;
  }

  async activateSession(sessionId) {
    this.store.setSessions(await this.api.put("/active-session", { session_id: sessionId }));
  }

  /** The landing page, clean: the next caller's search starts empty. */
  async startNewCall() {
    this.store.setSessions(await this.api.put("/active-session", { session_id: null, new_call: true }));
  }

  async activateTab(sessionId, tabId) {
    this.store.setSessions(await this.api.put(`/sessions/${enc(sessionId)}/active-tab`, { tab_id: tabId }));
  }

  async closeSession(sessionId) {
    this.store.setSessions(await this.api.delete(`/sessions/${enc(sessionId)}`));
  }

  async closeTab(sessionId, tabId) {
    this.store.setSessions(await this.api.delete(`/sessions/${enc(sessionId)}/tabs/${enc(tabId)}`));
  }

  async reopen(closedId, replaceInProgress = false) {
    const body = replaceInProgress ? { replace_in_progress: true } : {};
    const result = await this.api.post(`/recently-closed/${enc(closedId)}/reopen`, body);
    this.store.setSessions(result.state);
    return result;
  }

  /** @param {string|null} sessionId null = the Start New Call landing page */
  async saveSearchState(sessionId, state) {
    const path = sessionId ? `/sessions/${enc(sessionId)}/search-state` : "/landing/search-state";
    this.store.setSessions(await this.api.put(path, state));
  }

  async savePreferences(kind, prefs) {
    const saved = await this.api.put(`/preferences/${enc(kind)}`, prefs);
    // The agent answers with the kind's preferences (or all of them); keep ours in step either way.
    if (saved && saved.customers) this.store.setPreferences(saved);
    else if (this.store.preferences) this.store.setPreferences({ ...this.store.preferences, [kind]: saved || prefs });
  }
}
