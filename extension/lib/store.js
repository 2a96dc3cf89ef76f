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
    this.takeNext = false;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(what) {
    for (const listener of this.listeners) listener(what);
  }

  /**
   * A (re)connect: the next state applied is taken whatever its version (the agent may have
   * been reset or replaced), and from then on only newer ones. A snapshot fetched before an
   * event that arrives first is then older than that event, and ignored.
   */
  expectSnapshot() {
    this.takeNext = true;
  }

  /**
   * @param {SessionsState} state an HTTP answer, a fetched snapshot or a "sessions" event
   * @returns {boolean} whether it was applied
   */
  setSessions(state) {
    if (!state || typeof state.version !== "number") return false;
    const takeAny = this.takeNext;
    this.takeNext = false;
    if (!takeAny && this.sessions && state.version < this.sessions.version) return false;
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
