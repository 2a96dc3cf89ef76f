// Messages from the admin-page content script. Only our own content scripts in a tab's top
// frame are answered, and the record is read from the sender's tab URL (never from the
// message), matched against the admin console profiles. What goes back names only what the
// page's own URL says (kind and id), never customer data: the overlay lives in the page's DOM.
// Opens are rate-limited per tab (docs/security.md, "the overlay").

import { atAgentConsole, recognise } from "../lib/admin-profiles.js";
import { loadProfiles } from "../lib/profile-store.js";
import { NotPaired, agentInfo, openRecord } from "./agent-calls.js";
import { leave, openPanel } from "./panel-requests.js";

const NAMES = { customer: "customer", order: "order", return: "return" };
const OPENS_PER_MINUTE = 10;
/** @type {Map<number, number[]>} tab id → times of its recent opens */
const recentOpens = new Map();

function overLimit(tabId, now = Date.now()) {
  const times = (recentOpens.get(tabId) || []).filter((t) => now - t < 60_000);
  const limited = times.length >= OPENS_PER_MINUTE;
  if (!limited) times.push(now);
  recentOpens.set(tabId, times);
  return limited;
}

function trusted(sender) {
  return sender.id === chrome.runtime.id && !!sender.tab && sender.frameId === 0 && typeof sender.url === "string";
}

// The top frame's current URL. `sender.url` keeps the URL the document loaded with, so after a
// single-page app's history.pushState only the tab's URL names the record on screen.
function pageUrl(sender) {
  return typeof sender.tab.url === "string" && sender.tab.url ? sender.tab.url : sender.url;
}

// The built-in demo console is trusted only where the running, proven agent says it serves
// it (`admin_console_url` of /info): any local program can bind 47822, and any web site can
// send the CSR there. A console on another port works without editing settings.
export async function consoleProfiles() {
  const { profiles } = await loadProfiles();
  return atAgentConsole(profiles, (await agentInfo())?.admin_console_url);
}

async function recognised(sender) {
  return recognise(pageUrl(sender), await consoleProfiles());
}

async function open(sender) {
  const found = await recognised(sender);
  if (!found) return { ok: false, message: "This page is not a record of a known admin console." };
  if (overLimit(sender.tab.id)) return { ok: false, message: "Opened many records from this tab in the last minute: wait a little." };
  const label = `${NAMES[found.kind]} ${found.id}`;
  try {
    const { result } = await openRecord(found.kind, found.id);
    const where = result.created ? "a new session" : "its customer's session";
    // The panel says the same as for its own Open (with Reopen for a replaced session).
    const { state: _, ...summary } = result;
    await leave({ type: "opened", result: summary });
    const gone = result.evicted ? " Closed the oldest session to make room." : "";
    return { ok: true, message: `Opened ${label} in ${where} of the Call Center panel.${gone}` };
  } catch (error) {
    if (error instanceof NotPaired) return { ok: false, message: error.message };
    if (error.code === "session_in_progress") {
      // Never silently: the panel asks the CSR what to do with the call in progress.
      await leave({ type: "confirm-open", kind: found.kind, id: String(found.id), label, details: error.details });
      return { ok: false, message: "The oldest session's call is still in progress: choose in the Call Center panel whether to wrap it up or replace it." };
    }
    if (error.network) return { ok: false, message: "The Call Center agent is not running: start it with callcenter-agent serve." };
    return { ok: false, message: "The Call Center could not open it: see the panel." };
  }
}

export function handleMessage(message, sender, reply) {
  if (!trusted(sender) || typeof message?.type !== "string") return false;
  if (message.type === "cc:recognise") {
    recognised(sender).then((found) => reply(found
      ? { recognised: true, label: `${found.profile.name}: ${NAMES[found.kind]} ${found.id}` }
      : { recognised: false }));
    return true;
  }
  if (message.type === "cc:open") {
    openPanel(sender.tab.windowId); // first, while the click's user gesture holds
    open(sender).then(reply);
    return true;
  }
  return false;
}

chrome.runtime.onMessage.addListener(handleMessage);
