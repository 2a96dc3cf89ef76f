// Typed wrapper over chrome.storage.local: the only module that touches chrome.storage.
//
// Trade-off (see docs/security.md): the pairing token lives in storage.local so it
// survives browser restarts. storage.local is readable by every extension context, including
// content scripts; we ship none today. When the admin-console content script arrives, either
// move the token to storage.session (memory only, trusted contexts; re-pair after a restart) or
// keep content scripts away from storage by messaging through the service worker.

import { loadManaged } from "./managed.js";

export const DEFAULT_PORT = 47821;

/** @typedef {{ port: number, token: string }} Settings */

/** @param {unknown} value @returns {number} */
export function normalisePort(value) {
  const port = Number(value);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : DEFAULT_PORT;
}

/** @param {unknown} value @returns {string} */
export function normaliseToken(value) {
  return typeof value === "string" ? value.trim() : "";
}

/** The port: what pairing stored, else the policy's preset (lib/managed.js), else 47821. */
/** @returns {Promise<Settings>} */
export async function loadSettings() {
  const [raw, managed] = await Promise.all([chrome.storage.local.get(["port", "token"]), loadManaged()]);
  return { port: normalisePort(raw.port ?? managed.port ?? DEFAULT_PORT), token: normaliseToken(raw.token) };
}

/** @param {Partial<Settings>} patch @returns {Promise<Settings>} */
export async function saveSettings(patch) {
  const next = {};
  if ("port" in patch) next.port = normalisePort(patch.port);
  if ("token" in patch) next.token = normaliseToken(patch.token);
  await chrome.storage.local.set(next);
  return loadSettings();
}

/**
 * Calls `listener` with the new settings whenever another page changes them.
 * @param {(settings: Settings) => void} listener
 * @returns {() => void} unsubscribe
 */
export function onSettingsChanged(listener) {
  const handler = (changes, area) => {
    const relevant = area === "managed" ? "agentPort" in changes : area === "local" && ("port" in changes || "token" in changes);
    if (!relevant) return;
    loadSettings().then(listener);
  };
  chrome.storage.onChanged.addListener(handler);
  return () => chrome.storage.onChanged.removeListener(handler);
}
