// "Open in admin": show the record's screen of the active admin console profile in the browser
// tab beside the panel. From the full-page view (itself a tab) it opens a new tab instead.
// The built-in demo console is where the running agent says it serves it (`admin_console_url`
// of /info), so `serve --admin-port N` on any port works without editing settings.

import { DEMO_PROFILE, deepLink } from "../lib/admin-profiles.js";
import { h } from "../lib/dom.js";
import { activeConsole } from "../lib/profile-store.js";

/**
 * @param {string} kind
 * @param {string} id
 * @param {string|null|undefined} consoleUrl the agent's `admin_console_url` (GET /info)
 */
export async function openInAdmin(kind, id, consoleUrl) {
  const profile = await activeConsole(consoleUrl);
  if (!profile) {
    throw new Error(`the agent serves no ${DEMO_PROFILE.name.toLowerCase()} (start it with callcenter-agent serve --admin-port, as make run does), or choose another console in the settings`);
  }
  const url = deepLink(profile, kind, id);
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  const self = await chrome.tabs.getCurrent?.();
  if (active && (!self || self.id !== active.id)) await chrome.tabs.update(active.id, { url });
  else await chrome.tabs.create({ url, openerTabId: self?.id });
  return { url, profile };
}

/** @param {{kind: string, id: string, consoleUrl?: () => string|null|undefined, announce?: (msg: string, opts?: any) => void}} props */
export function adminLinkButton({ kind, id, consoleUrl, announce }) {
  return h("button", {
    type: "button",
    class: "button small open-in-admin",
    title: "Show this record's screen in the admin console (current browser tab)",
    onclick: async () => {
      try {
        const { profile } = await openInAdmin(kind, id, consoleUrl?.());
        announce?.(`Opened in ${profile.name}.`);
      } catch (error) {
        announce?.(`Could not open the admin screen: ${error.message}`, { error: true });
      }
    },
  }, "Open in admin");
}
