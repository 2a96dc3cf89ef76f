// Where the panel stands with the agent, and the way back to "connected".
//
// checking → no-agent | incompatible | impostor | not-paired | token-rejected | refused | connected
// connected → offline (agent went away; retried with backoff) → connected
// Nothing is sent with the token until /health proved it is our agent and API version and
// /handshake proved it knows the token (lib/handshake.js).

/** @typedef {import("./schema-types.js").Health} Health */
/** @typedef {import("./schema-types.js").Info} Info */

import { ApiClient, ApiError, API_VERSION, PRODUCT } from "./api.js";
import { Backoff } from "./backoff.js";
import { EventStream } from "./events.js";
import { checkAgent, impostorText } from "./handshake.js";
import { loadSettings, onSettingsChanged } from "./storage.js";

/**
 * @typedef {"checking"|"no-agent"|"incompatible"|"impostor"|"not-paired"|"token-rejected"|"refused"|"connected"|"offline"} Status
 * @typedef {{status: Status, port: number, info: any, retryAt: number|null, live: boolean, detail: string}} ConnectionState
 */

/** Checks the agent at `settings` once: the same steps the pairing page shows. */
export async function probe(settings, signal) {
  const api = new ApiClient(settings);
  let health;
  try {
    health = await api.get("/health", { auth: false, signal });
  } catch (error) {
    if (error instanceof ApiError && !error.network) {
      return { status: "incompatible", detail: `Port ${settings.port} answered ${error.status || "something else"}.` };
    }
    if (error?.name === "AbortError") throw error;
    return { status: "no-agent", detail: "" };
  }
  if (health?.product !== PRODUCT || health?.api_version !== API_VERSION) {
    return {
      status: "incompatible",
      detail: `Port ${settings.port} answered, but not as ${PRODUCT} API v${API_VERSION}.`,
    };
  }
  if (!settings.token) return { status: "not-paired", detail: "", health };
  const proof = await checkAgent(settings, signal);
  if (proof === "no-proof") return { status: "impostor", detail: impostorText(settings.port), health };
  if (proof === "other-token") {
    const detail = `The agent on port ${settings.port} holds a different token (was it rotated?); the token was not sent.`;
    return { status: "token-rejected", detail, health };
  }
  try {
    const info = await api.get("/info", { signal });
    return { status: "connected", info: { ...info, version: info.version || health.version }, health };
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    if (error instanceof ApiError && error.status === 401) return { status: "token-rejected", detail: error.message, health };
    if (error instanceof ApiError && error.network) return { status: "no-agent", detail: "" };
    return { status: "refused", detail: error.message, health };
  }
}

export class Connection {
  /** @param {{live?: boolean}} [options] live=false: checks only, no event stream (pairing page) */
  constructor({ live = true } = {}) {
    this.live = live;
    /** @type {ConnectionState} */
    this.state = { status: "checking", port: 0, info: null, retryAt: null, live: false, detail: "" };
    this.settings = null;
    this.api = null;
    this.stream = null;
    this.backoff = new Backoff();
    this.wsBackoff = new Backoff({ first: 1000, max: 10000 });
    this.timer = 0;
    this.streamDelay = 0;
    this.wsTimer = 0;
    this.checkRun = 0;
    this.everConnected = false;
    /** @type {Set<(state: ConnectionState) => void>} */
    this.listeners = new Set();
    /** @type {Set<(msg: any) => void>} */
    this.messageListeners = new Set();
    /** @type {Set<() => void>} */
    this.liveListeners = new Set();
  }

  async start() {
    this.useSettings(await loadSettings());
    onSettingsChanged((settings) => {
      this.everConnected = false;
      this.useSettings(settings);
    });
  }

  useSettings(settings) {
    this.settings = settings;
    this.api = new ApiClient(settings);
    this.api.onFailure = (error) => this.onApiFailure(error);
    this.closeStream();
    this.backoff.reset();
    this.check();
  }

  subscribe(listener) {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  onMessage(listener) {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Called each time the live channel (re)opens: the moment to fetch fresh snapshots. */
  onLive(listener) {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  }

  setState(patch) {
    this.state = { ...this.state, ...patch, port: this.settings?.port ?? 0 };
    for (const listener of this.listeners) listener(this.state);
  }

  /** Run the checks now (cancels a pending retry). */
  async check() {
    clearTimeout(this.timer);
    const run = ++this.checkRun;
    const settings = this.settings;
    // While retrying, keep saying what is wrong instead of flickering to "checking".
    if (!["offline", "no-agent", "incompatible", "impostor"].includes(this.state.status)) this.setState({ status: "checking", retryAt: null });
    const result = await probe(settings);
    if (run !== this.checkRun) return;
    if (result.status === "connected") {
      this.everConnected = true;
      this.backoff.reset();
      this.setState({ status: "connected", info: result.info, retryAt: null, detail: "" });
      this.scheduleStream();
      return;
    }
    this.closeStream();
    let status = result.status;
    if (status === "no-agent" && this.everConnected) status = "offline";
    // Keep retrying while the agent may come (back); a token problem waits for new settings.
    const retry = status === "no-agent" || status === "offline" || status === "incompatible" || status === "impostor";
    const delay = retry ? this.backoff.next() : 0;
    this.setState({ status, detail: result.detail || "", live: false, retryAt: retry ? Date.now() + delay : null });
    if (retry) this.timer = setTimeout(() => this.check(), delay);
  }

  onApiFailure(error) {
    if (this.state.status !== "connected") return;
    if (error.network || error.status === 401) this.check();
  }

  scheduleStream() {
    clearTimeout(this.wsTimer);
    if (this.stream || !this.live) return;
    const delay = this.streamDelay || 0;
    this.streamDelay = 0;
    this.wsTimer = setTimeout(() => this.openStream(), delay);
  }

  openStream() {
    clearTimeout(this.wsTimer);
    if (this.stream) return;
    const stream = new EventStream(this.api.eventsUrl, this.settings.token, {
      onOpen: () => {
        this.wsBackoff.reset();
        this.setState({ live: true });
        for (const listener of this.liveListeners) listener();
      },
      onMessage: (msg) => {
        for (const listener of this.messageListeners) listener(msg);
      },
      onClose: () => {
        if (this.stream !== stream) return;
        this.stream = null;
        this.streamDelay = this.wsBackoff.next();
        this.setState({ live: false });
        // Was it the agent going away, or only the socket? The checks tell.
        this.check();
      },
    });
    this.stream = stream;
  }

  closeStream() {
    clearTimeout(this.wsTimer);
    const stream = this.stream;
    this.stream = null;
    stream?.close();
  }
}
