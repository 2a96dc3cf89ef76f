// Service worker: kept deliberately small. The side panel owns all UI state and talks to the
// agent itself; the worker wires the toolbar icon to the panel, pairs through the native host
// (or opens the pairing page) on first install, and (sw/) answers the admin-page overlay, runs quick search and keeps the overlay's
// dynamic content-script registration in step with the profiles. Listeners are registered at
// top level (in each imported module) so they survive worker restarts.

import { handleMessage } from "./sw/overlay-messages.js";
import { onCommand, onMenuClicked } from "./sw/quick-search.js";
import { syncContentScripts } from "./sw/content-scripts.js";
import { pairThroughNativeHost } from "./lib/native-pairing.js";

// The pairing token lives in storage.local: keep it out of content scripts' reach.
chrome.storage.local.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});

// The event handlers, for tests and debugging from the worker's console (the browser UI that
// fires them - context menu, shortcut - cannot be clicked by automation).
globalThis.callcenter = { handleMessage, onCommand, onMenuClicked, syncContentScripts };

chrome.runtime.onInstalled.addListener(async ({ reason }) => {
  await chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true });
  if (reason === chrome.runtime.OnInstalledReason.INSTALL) {
    // Paired by the native host when `callcenter-agent install` ran; else the pairing page.
    await pairThroughNativeHost().catch(() => null);
    const { token } = await chrome.storage.local.get("token");
    if (!token) await chrome.runtime.openOptionsPage();
  }
});

// setPanelBehavior is persisted by Chrome, but setting it again on start-up is cheap and covers
// profiles where the extension was updated without an onInstalled "install" event.
chrome.runtime.onStartup.addListener(() => {
  chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true });
});
