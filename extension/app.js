// Call Center app: the side panel (narrow) and the full-page view (?view=full, wide) share it.
// The agent owns the state; this module wires the connection, the store and the views, and
// re-renders from every sessions snapshot the agent sends.

import { Actions } from "./lib/actions.js";
import { Connection } from "./lib/connection.js";
import { pairWhenNeeded } from "./lib/native-pairing.js";
import { h, icon, replace } from "./lib/dom.js";
import { dateTime } from "./lib/format.js";
import { setVocabulary } from "./lib/labels.js";
import { Store } from "./lib/store.js";
import { createAnnouncer } from "./ui/announcer.js";
import { connectionBanner, connectionCard, connectionPill } from "./ui/connection-view.js";
import { createEntityView } from "./ui/entity-view.js";
import { createCallBar } from "./ui/call-bar.js";
import { createTeamBar } from "./ui/team-bar.js";
import { openHelp } from "./ui/help-dialog.js";
import { listenForPanelRequests } from "./ui/panel-requests.js";
import { askBeforeReplacing } from "./ui/replace-dialog.js";
import { openWrapUp } from "./ui/wrap-up-dialog.js";
import { openMyDay } from "./ui/my-day.js";
import { createSearchPage } from "./ui/search-page.js";
import { sessionsNav } from "./ui/sessions-nav.js";
import { installShortcuts } from "./ui/shortcuts.js";
import { PANEL_ID, tabBar, tabId } from "./ui/tab-bar.js";

const full = new URLSearchParams(location.search).get("view") === "full";
document.body.classList.add(full ? "view-full" : "view-panel");

const conn = new Connection();
const store = new Store();
const actions = new Actions(() => conn.api, store);
const announcer = createAnnouncer();

const $ = (id) => document.getElementById(id);
const pillSlot = $("conn-pill");
const bannerSlot = $("conn-banner");
const cardSlot = $("conn-card");
const layout = $("layout");
const navSlot = $("sessions");
const tabbarSlot = $("tabbar");
/** The agent's limits (GET /info): page size and cap, query and notes lengths. */
const limits = () => conn.state.info?.limits;
const callBar = createCallBar({ getApi: () => conn.api, announce: announcer.announce, limits, onState: (state) => store.setSessions(state) });
$("callbar").append(callBar.el);
const teamBar = createTeamBar({
  getApi: () => conn.api,
  announce: announcer.announce,
  onPresence: () => render(),
});
$("callbar").append(teamBar.el);
const view = $("view");
$("status-slot").append(announcer.el);

/** @type {{key: string, comp: any}|null} */
let current = null;
let loadedFor = null;
let pendingFocus = null;
let wantSearchFocus = false; // set by listenForPanelRequests below
let lastConnKey = "";

// ---------- header ----------
const headerActions = $("header-actions");
headerActions.append(
  full
    ? h("button", { type: "button", class: "icon-button", "aria-label": "Open in side panel", title: "Open in side panel", onclick: openSidePanel }, icon("panel"))
    : h("button", { type: "button", class: "icon-button", "aria-label": "Open full page", title: "Open full page", onclick: () => chrome.tabs.create({ url: chrome.runtime.getURL("panel.html?view=full") }) }, icon("expand")),
  h("button", { type: "button", class: "icon-button", "aria-label": "Keyboard shortcuts", title: "Keyboard shortcuts", onclick: (e) => openHelp(e.currentTarget) }, icon("help")),
  h("button", { type: "button", class: "icon-button", "aria-label": "Settings", title: "Settings (agent port and pairing token)", onclick: () => chrome.runtime.openOptionsPage() }, icon("gear")),
);

async function openSidePanel() {
  try {
    const win = await chrome.windows.getCurrent();
    await chrome.sidePanel.open({ windowId: win.id });
  } catch (error) {
    announcer.announce(`Could not open the side panel: ${error.message}`, { error: true });
  }
}

// ---------- connection ----------
conn.subscribe((state) => {
  replace(pillSlot, connectionPill(state));
  document.body.dataset.connection = state.status;
  setVocabulary(state.info?.vocabulary);
  if (state.status === "connected" && loadedFor !== conn.api) {
    loadedFor = conn.api;
    actions.refresh().catch((e) => announcer.announce(e.message, { error: true }));
  }
  if (state.status !== "connected" && state.status !== "offline" && state.status !== "checking") loadedFor = null;
  render();
});
pairWhenNeeded(conn);
conn.onLive(() => {
  // Fresh snapshots after every (re)connect of the live channel: nothing missed in between.
  actions.refresh().then(() => current?.comp.refresh?.()).catch(() => {});
  teamBar.reload();
});
conn.onMessage((msg) => {
  if (msg.type === "sessions") store.setSessions(msg.data);
  else if (msg.type === "preferences") store.setPreferences(msg.data);
  else if (msg.type === "entity" && current?.comp.matches?.(msg.data?.kind, msg.data?.id, msg.data?.version)) current.comp.refresh();
  else if (msg.type === "drafts") current?.comp.draftsChanged?.(msg.data);
  else if (msg.type === "team") teamBar.setStatus(msg.data);
});
store.subscribe(() => render());
setInterval(() => {
  const note = document.querySelector(".retry-note, .conn-banner");
  if (note && conn.state.retryAt) renderConnection(true);
}, 1000);

function usable() {
  const s = conn.state.status;
  return store.sessions && (s === "connected" || s === "offline" || s === "checking");
}

function renderConnection(force = false) {
  const state = conn.state;
  const key = `${state.status}:${usable() ? "ui" : "card"}`;
  if (!force && key === lastConnKey) return;
  lastConnKey = key;
  if (usable()) {
    replace(cardSlot);
    cardSlot.hidden = true;
    const banner = state.status === "offline" ? connectionBanner(state, { onRetry: () => conn.check() }) : null;
    const note = bannerSlot.querySelector(".retry-note");
    if (force && banner && note) note.textContent = banner.querySelector(".retry-note").textContent;
    else replace(bannerSlot, banner);
  } else {
    replace(bannerSlot);
    cardSlot.hidden = false;
    if (force) {
      const note = cardSlot.querySelector(".retry-note");
      const fresh = connectionCard(state, { onRetry: () => conn.check(), onSettings: () => chrome.runtime.openOptionsPage() }).querySelector(".retry-note");
      if (note && fresh) note.textContent = fresh.textContent;
      return;
    }
    replace(cardSlot, connectionCard(state, { onRetry: () => conn.check(), onSettings: () => chrome.runtime.openOptionsPage() }));
  }
}

// ---------- rendering ----------
function render() {
  renderConnection();
  if (!usable()) {
    layout.hidden = true;
    unmount();
    return;
  }
  layout.hidden = false;
  const data = store.sessions;
  const focusKey = document.activeElement?.dataset?.focusKey;
  replace(navSlot, sessionsNav({
    state: data,
    onStart: () => startNewCall(),
    onSelect: (id) => run(() => actions.activateSession(id)),
    onClose: (s) => closeSession(s),
  }));
  // In the narrow strip the active session may be scrolled out of sight: bring it in.
  navSlot.querySelector(".session.is-active")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  const session = store.activeSession();
  callBar.update(session);
  teamBar.update(session, session ? session.tabs.find((t) => t.id === session.active_tab_id) || null : null);
  if (!session) {
    replace(tabbarSlot);
    view.removeAttribute("role");
    view.removeAttribute("aria-labelledby");
    view.removeAttribute("tabindex");
    mount("landing", () => withRecentlyClosed(searchPage(null, data.landing)), (comp) => {
      comp.applyExternal(data.landing);
      comp.syncPreferences();
      comp.updateRecent?.();
    });
  } else {
    replace(tabbarSlot, tabBar({
      session,
      onSelect: (tab) => run(() => actions.activateTab(session.id, tab.id)),
      onClose: (tab) => closeTab(session, tab),
      colleagues: (tab) => teamBar.colleaguesOn(tab),
    }));
    const tab = session.tabs.find((t) => t.id === session.active_tab_id) || session.tabs[0];
    view.setAttribute("role", "tabpanel");
    view.setAttribute("aria-labelledby", tabId(tab));
    view.id = PANEL_ID;
    if (tab.kind === "search") {
      mount(`search:${session.id}`, () => searchPage(session.id, tab.search_state), (comp) => {
        comp.applyExternal(tab.search_state);
        comp.syncPreferences();
      });
    } else {
      mount(`entity:${session.id}:${tab.id}:${tab.kind}:${tab.entity_id}`, () => createEntityView({
        tab,
        sessionId: session.id,
        announce: announcer.announce,
        getApi: () => conn.api,
        consoleUrl: () => conn.state.info?.admin_console_url,
        openEntity: (kind, id) => openInSession(session.id, kind, id),
        closeTab: () => closeTab(session, tab),
      }));
    }
  }
  restoreFocus(focusKey);
  if (wantSearchFocus && (current?.key === "landing" || current?.key.startsWith("search:"))) {
    wantSearchFocus = false;
    current.comp.focus?.();
  }
}

function mount(key, create, update) {
  if (current?.key === key) {
    update?.(current.comp);
    return;
  }
  unmount();
  current = { key, comp: create() };
  replace(view, current.comp.el);
}

function unmount() {
  current?.comp.destroy?.();
  current = null;
  view.replaceChildren();
}

function restoreFocus(previousKey) {
  const want = pendingFocus;
  pendingFocus = null;
  if (want === "start-search") {
    current?.comp.focus?.();
    return;
  }
  if (want?.startsWith("tab:")) {
    document.getElementById(`tab-${want.slice(4)}`)?.focus();
    return;
  }
  if (want === "start") {
    document.querySelector('[data-focus-key="start"]')?.focus();
    return;
  }
  if (want?.startsWith("session:")) {
    document.querySelector(`[data-focus-key="${CSS.escape(`s:${want.slice(8)}`)}"]`)?.focus();
    return;
  }
  if (previousKey && !document.activeElement?.dataset?.focusKey) {
    document.querySelector(`[data-focus-key="${CSS.escape(previousKey)}"]`)?.focus();
  }
}

function searchPage(sessionId, initial) {
  return createSearchPage({
    getApi: () => conn.api,
    actions,
    store,
    sessionId,
    initial,
    announce: announcer.announce,
    remote: () => conn.state.info?.backend === "kibo",
    limits,
    onOpen: (kind, row) => (sessionId ? openInSession(sessionId, kind, row.id) : openFromLanding(kind, row.id)),
  });
}

function withRecentlyClosed(page) {
  const slot = h("div", { class: "recent-slot" });
  const update = () => {
    const closed = store.sessions?.recently_closed || [];
    replace(slot, closed.length
      ? h("details", { class: "recently-closed" },
          h("summary", null, `Recently closed (${closed.length})`),
          h("ul", null, closed.map((c) => h("li", null,
            h("button", { type: "button", class: "link-button", onclick: () => reopen(c) }, `Reopen ${c.title}`),
            h("span", { class: "muted small" }, ` ${c.reason === "evicted" ? "replaced" : "closed"} ${dateTime(c.closed_at)}`)))))
      : null);
  };
  const callers = h("div", { class: "recent-callers-slot" });
  let callersKey = null;
  async function loadCallers() {
    const key = (store.sessions?.recently_closed || []).map((c) => `${c.id}@${c.closed_at}`).join();
    if (key === callersKey || !conn.api) return;
    callersKey = key;
    try {
      replace(callers, recentCallers((await conn.api.get("/recent-callers")).callers));
    } catch {
      callersKey = null; // tried again on the next change
    }
  }
  update();
  loadCallers();
  const myDay = h("button", { type: "button", class: "link-button my-day-button", onclick: () => openMyDay({ getApi: () => conn.api, returnFocus: myDay }) }, "My day");
  const el = h("div", { class: "landing" }, page.el, callers, h("div", { class: "day-link" }, myDay), slot);
  return { ...page, el, updateRecent: () => { update(); loadCallers(); } };
}

/** The last customers whose calls closed: one click reopens the call, or opens them anew. */
function recentCallers(list) {
  if (!list.length) return null;
  const titleId = "recent-callers-title";
  return h("section", { class: "recent-callers", "aria-labelledby": titleId },
    h("h3", { id: titleId }, "Recent callers"),
    h("ul", null, list.map((c) => h("li", null,
      h("button", { type: "button", class: "link-button", onclick: () => (c.session_id ? reopen({ id: c.session_id, title: c.title }) : openFromLanding("customers", c.customer_id)) },
        `${c.session_id ? "Reopen" : "Open"} ${c.title}`),
      h("span", { class: "muted small" }, ` ${dateTime(c.closed_at)}`)))));
}

// ---------- commands ----------
async function run(fn, focus) {
  try {
    if (focus) pendingFocus = focus;
    await fn();
  } catch (error) {
    pendingFocus = null;
    announcer.announce(error.network ? "Not done: the agent is not reachable. Try again when it is back." : error.message, { error: true });
  }
}

/**
 * Run an open that may need room; when the session to be replaced holds a call in progress
 * (409 session_in_progress) ask first: wrap it up, replace it anyway, or cancel.
 * @param {(replaceInProgress: boolean) => Promise<any>} open
 * @param {string} newcomer what is being opened, for the question
 * @returns {Promise<any|null>} the open's answer, or null when cancelled
 */
async function withRoom(open, newcomer) {
  try {
    return await open(false);
  } catch (error) {
    if (error.code !== "session_in_progress") throw error;
    const choice = await askBeforeReplacing({ details: error.details, newcomer, returnFocus: document.activeElement });
    if (choice === "replace") return open(true);
    if (choice === "wrap-up") {
      const busy = store.session(error.details.session_id);
      if (busy && !(await closeSession(busy))) return null;
      return open(false);
    }
    return null;
  }
}

/** What the panel says after a session was opened for a record (here or from the overlay). */
function announceOpened(result) {
  const session = store.session(result.session_id);
  if (result.evicted) {
    const gone = result.evicted;
    announcer.announce(`Closed the session of ${gone.title} (the oldest) to make room for ${session?.title ?? "the new call"}.`, {
      action: { label: "Reopen", run: () => reopen(gone) },
    });
  } else if (!result.created) {
    announcer.announce(`${session?.title ?? "This customer"} already has a session: opened it there.`);
  }
}

/** Start New Call: a clean landing page (what was typed there is not the next caller's). */
function startNewCall() {
  if (current?.key === "landing") {
    current.comp.destroy({ save: false });
    current = null;
    render(); // again from the agent's landing search; its answer below makes it clean
  }
  return run(() => actions.startNewCall(), "start-search");
}

async function openFromLanding(kind, id) {
  await run(async () => {
    const result = await withRoom((confirmed) => actions.openFromLanding(kind, id, confirmed), `this ${kind.replace(/s$/, "")}`);
    if (!result) return;
    pendingFocus = `tab:${result.tab_id}`;
    render();
    announceOpened(result);
  });
}

async function openInSession(sessionId, kind, id) {
  await run(async () => {
    const result = await actions.openInSession(sessionId, kind, id);
    pendingFocus = `tab:${result.tab_id}`;
    render();
    if (result.replaced) {
      const tab = store.session(result.session_id)?.tabs.find((t) => t.id === result.tab_id);
      announcer.announce(`Replaced ${result.replaced.title} with ${tab?.title ?? "the new tab"}.`);
    }
  });
}

/** The wrap-up, then close; answers whether the session was closed. */
async function closeSession(session) {
  const index = store.sessions?.sessions.findIndex((s) => s.id === session.id) ?? -1;
  const notes = callBar.notesOf(session.id) ?? session.notes ?? "";
  await callBar.flush();
  const wrapUp = await openWrapUp({ session, notes, getApi: () => conn.api, maxLength: limits()?.customer_note_max_length, returnFocus: document.activeElement });
  if (wrapUp === "cancelled") return false;
  if (wrapUp === "saved") announcer.announce(`Saved the wrap-up note on ${session.title}.`);
  let closed = false;
  await run(async () => {
    await actions.closeSession(session.id);
    // Focus moves to the session that took its place in the list, else the one before it,
    // else Start New Call (the landing page).
    const left = store.sessions?.sessions ?? [];
    const neighbour = index < 0 ? null : left[index] ?? left[index - 1];
    pendingFocus = neighbour ? `session:${neighbour.id}` : "start";
    render();
    const entry = store.sessions?.recently_closed?.find((c) => c.id === session.id) || store.sessions?.recently_closed?.[0];
    announcer.announce(`Closed the session of ${session.title}.`, entry ? { action: { label: "Reopen", run: () => reopen(entry) } } : {});
    closed = true;
  });
  return closed;
}

async function closeTab(session, tab) {
  await run(async () => {
    await actions.closeTab(session.id, tab.id);
    // The agent activated the closed tab's right neighbour, else its left one (the ARIA tabs
    // pattern's Delete): focus follows it, so the keyboard user stays in the tab strip.
    const next = store.session(session.id);
    if (next) pendingFocus = `tab:${next.active_tab_id}`;
    render();
  });
}

async function reopen(closed) {
  await run(async () => {
    const result = await withRoom((confirmed) => actions.reopen(closed.id, confirmed), `${closed.title}'s session again`);
    if (!result) return;
    pendingFocus = `tab:${result.tab_id}`;
    render();
    if (!result.created) {
      // The customer is open again: that session is shown; the closed one's tabs are offered.
      const offered = result.offered_tabs || [];
      announcer.announce(`${closed.title} already has an open session: switched to it.${offered.length ? " Open here from the closed session:" : ""}`, {
        actions: offered.map((tab) => ({ label: tab.title, run: () => openInSession(result.session_id, tab.kind, tab.entity_id) })),
        sticky: offered.length > 0,
      });
      return;
    }
    announcer.announce(`Reopened the session of ${closed.title}.`);
    if (result.evicted) {
      const gone = result.evicted;
      announcer.announce(`Reopened ${closed.title}; closed the session of ${gone.title} (the oldest) to make room.`, { action: { label: "Reopen", run: () => reopen(gone) } });
    }
  });
}

installShortcuts({
  startNewCall: () => startNewCall(),
  session: (n) => {
    const s = store.sessions?.sessions[n - 1];
    if (s) run(() => actions.activateSession(s.id));
  },
  tab: (n) => {
    const s = store.activeSession();
    const t = s?.tabs[n - 1];
    if (t) run(async () => {
      pendingFocus = `tab:${t.id}`;
      await actions.activateTab(s.id, t.id);
    });
  },
  focusSearch: () => current?.comp.focus?.(),
  help: () => {
    if (!document.querySelector("dialog[open]")) openHelp(document.activeElement);
  },
});

// The keyboard command and the context-menu quick search (service worker) ask for the Search
// box: it is focused as soon as a search page shows. The admin console overlay's Open leaves
// what happened (announced as the panel's own Open is) or the question it could not ask.
listenForPanelRequests((request) => {
  if (request.type === "focus-search") {
    wantSearchFocus = true;
    if (usable()) render();
  } else if (request.type === "opened" && request.result) {
    whenUsable(() => announceOpened(request.result));
  } else if (request.type === "confirm-open" && request.details) {
    whenUsable(() => run(async () => {
      const { kind, id, label } = request;
      const choice = await askBeforeReplacing({ details: request.details, newcomer: label || `this ${kind}`, returnFocus: null });
      let result = null;
      if (choice === "replace") result = await actions.openFromLanding(kind, id, true);
      else if (choice === "wrap-up") {
        const busy = store.session(request.details.session_id);
        if (!busy || (await closeSession(busy))) result = await withRoom((confirmed) => actions.openFromLanding(kind, id, confirmed), label || `this ${kind}`);
      }
      if (!result) return;
      pendingFocus = `tab:${result.tab_id}`;
      render();
      announceOpened(result);
    }));
  }
});

/** Run once the panel shows its UI (a request can arrive while it is still connecting). */
function whenUsable(fn) {
  if (usable()) {
    fn();
    return;
  }
  const stop = store.subscribe(() => {
    if (!usable()) return;
    stop();
    fn();
  });
}

conn.start();
