// The panel's view of the agent's state. The agent is the source of truth: every snapshot it
// sends (HTTP answer or WebSocket "sessions" event) replaces ours if it is not older.

/** @typedef {import("./schema-types.js").SessionsState} SessionsState */
/** @typedef {import("./schema-types.js").Session} Session */
/** @typedef {import("./schema-types.js").AllPreferences} AllPreferences */

export class Store {
  constructor() {
    /** @type {SessionsState|null} */
    this.sessions = null;
    /** @type {AllPreferences|null} */
    this.preferences = null;
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(what) {
    for (const listener of this.listeners) listener(what);
  }

  /**
   * @param {SessionsState} state
   * @param {{force?: boolean}} [options] force: a full snapshot fetched after (re)connecting;
   *   applied even if its version is lower (the agent's state may have been reset or replaced).
   * @returns {boolean} whether the snapshot was applied
   */
  setSessions(state, { force = false } = {}) {
    if (!state || typeof state.version !== "number") return false;
    if (!force && this.sessions && state.version < this.sessions.version) return false;
    if (this.sessions && state.version === this.sessions.version && this.sessionsJson === JSON.stringify(state)) {
      return false;
    }
    this.sessions = state;
    this.sessionsJson = JSON.stringify(state);
    this.emit("sessions");
    return true;
  }

  setPreferences(prefs) {
    if (!prefs) return;
    this.preferences = prefs;
    this.emit("preferences");
  }

  activeSession() {
    const s = this.sessions;
    return s?.sessions.find((x) => x.id === s.active_session_id) || null;
  }

  session(id) {
    return this.sessions?.sessions.find((x) => x.id === id) || null;
  }
}
