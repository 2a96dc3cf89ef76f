// The overlay content script. http://127.0.0.1/* (the demo console) is covered statically by
// the manifest; a profile the user adds on another host is registered here, once its host
// permission has been granted on the options page.

import { coveredByManifest, originPattern } from "../lib/admin-profiles.js";
import { loadProfiles, onProfilesChanged } from "../lib/profile-store.js";

const SCRIPT_ID = "cc-overlay-profiles";

export async function syncContentScripts() {
  const { profiles } = await loadProfiles();
  const wanted = [...new Set(profiles.filter((p) => !coveredByManifest(p)).map(originPattern))];
  const granted = [];
  for (const pattern of wanted) {
    if (await chrome.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (granted.length) {
    await chrome.scripting.registerContentScripts([{
      id: SCRIPT_ID, matches: granted, js: ["content/overlay.js"], runAt: "document_idle", allFrames: false, persistAcrossSessions: true,
    }]);
  }
  return granted;
}

const sync = () => syncContentScripts().catch((error) => console.warn("content scripts:", error?.message));
chrome.runtime.onInstalled.addListener(sync);
chrome.runtime.onStartup.addListener(sync);
chrome.permissions.onAdded.addListener(sync);
chrome.permissions.onRemoved.addListener(sync);
onProfilesChanged(sync);
