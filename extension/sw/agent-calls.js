// The few agent calls the service worker makes for the overlay and quick search. The panel
// makes every other call itself; the token never leaves trusted extension contexts.

import { ApiClient } from "../lib/api.js";
import { impostorText, proveAgent } from "../lib/handshake.js";
import { COLLECTION_OF } from "../lib/kinds.js";
import { loadSettings } from "../lib/storage.js";

export class NotPaired extends Error {}

async function client() {
  const settings = await loadSettings();
  if (!settings.token) throw new NotPaired("Pair the Call Center first: open its settings and paste the agent's token.");
  if (!(await proveAgent(settings))) throw new NotPaired(impostorText(settings.port));
  return new ApiClient(settings);
}

let infoCache = { at: 0, info: null };

/** The running agent's /info (after its proof), cached for a few seconds: the overlay asks on
 * every URL change. */
export async function agentInfo() {
  if (Date.now() - infoCache.at < 5000) return infoCache.info;
  let info = null;
  try {
    info = await (await client()).get("/info");
  } catch {
    info = null;
  }
  infoCache = { at: Date.now(), info };
  return info;
}

/** Open a record from an admin page: creates or focuses its customer's session (docs/design.md
 * §3.2). */
export async function openRecord(kind, id) {
  const api = await client();
  const result = await api.post("/sessions", { kind, id: String(id) });
  const session = result.state.sessions.find((s) => s.id === result.session_id);
  const tab = session?.tabs.find((t) => t.id === result.tab_id);
  return { result, title: tab?.title ?? "the record", session: session?.title ?? "the caller" };
}

/**
 * Show a search page (the active session's New Search, else Start New Call), optionally
 * with a query and kind.
 * @param {{q?: string, kind?: string}|null} query
 */
export async function showSearch(query) {
  const api = await client();
  const state = await api.get("/sessions");
  const session = state.sessions.find((s) => s.id === state.active_session_id);
  if (session) {
    const searchTab = session.tabs[0];
    if (session.active_tab_id !== searchTab.id) await api.put(`/sessions/${encodeURIComponent(session.id)}/active-tab`, { tab_id: searchTab.id });
    if (query) await api.put(`/sessions/${encodeURIComponent(session.id)}/search-state`, searchState(query));
  } else if (query) {
    await api.put("/landing/search-state", searchState(query));
  }
}

function searchState({ q, kind }) {
  return { kind: COLLECTION_OF[kind] || kind || "customers", q, filters: {}, sort: null, order: null, page: 1 };
}
