// "Open in admin": show the record's screen of the active admin console profile in the browser
// tab beside the panel. From the full-page view (itself a tab) it opens a new tab instead.

import { deepLink } from "../lib/admin-profiles.js";
import { h } from "../lib/dom.js";
import { activeProfile } from "../lib/profile-store.js";

export async function openInAdmin(kind, id) {
  const profile = await activeProfile();
  const url = deepLink(profile, kind, id);
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  const self = await chrome.tabs.getCurrent?.();
  if (active && (!self || self.id !== active.id)) await chrome.tabs.update(active.id, { url });
  else await chrome.tabs.create({ url, openerTabId: self?.id });
  return { url, profile };
}

/** @param {{kind: string, id: string, announce?: (msg: string, opts?: any) => void}} props */
export function adminLinkButton({ kind, id, announce }) {
  return h("button", {
    type: "button",
    class: "button small open-in-admin",
    title: "Show this record's screen in the admin console (current browser tab)",
    onclick: async () => {
      try {
        const { profile } = await openInAdmin(kind, id);
        announce?.(`Opened in ${profile.name}.`);
      } catch (error) {
        announce?.(`Could not open the admin screen: ${error.message}`, { error: true });
      }
    },
  }, "Open in admin");
}
