// Zero-touch pairing: ask the native messaging host that `callcenter-agent install` registered
// (`callcenter-agent native-host`, docs/install.md) for the agent's port and token, then pair
// through the same path as the form (lib/pairing.js). The demo admin console's address is not
// taken from here: the paired agent's GET /info says where it serves one (lib/admin-profiles.js).
// Without the host (not installed, or blocked by policy) nothing changes and the form stays the
// way to pair.
//
// The host answers only this extension's origin; the answer is shared_schema/pairing.py's
// PairingAnswer.

import { loadSettings } from "./storage.js";
import { pairWith } from "./pairing.js";

export const HOST_NAME = "com.callcentercompanion.agent";

/** The host's answer if it is a usable pairing, else null. Pure. */
export function readAnswer(answer) {
  if (answer?.type !== "pairing" || answer.product !== "callcenter-agent") return null;
  const { port, token } = answer;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]{32,128}$/.test(token)) return null;
  return { port, token };
}

/** @returns {Promise<{port: number, token: string}|null>} */
export async function askNativeHost() {
  if (!chrome.runtime.sendNativeMessage) return null; // permission missing
  try {
    return readAnswer(await chrome.runtime.sendNativeMessage(HOST_NAME, { type: "pairing" }));
  } catch {
    return null; // no host registered, host refused, or it failed: the form is the fallback
  }
}

/**
 * Pair from the host's answer when it differs from what is stored.
 * @returns {Promise<any|null>} the checks' outcome, or null when the host gave nothing new
 */
export async function pairThroughNativeHost() {
  const answer = await askNativeHost();
  if (!answer) return null;
  const current = await loadSettings();
  if (current.port === answer.port && current.token === answer.token) return null;
  return pairWith({ port: answer.port, token: answer.token });
}

const NEEDS_PAIRING = new Set(["not-paired", "token-rejected", "no-agent"]);

/**
 * Ask the host once each time `connection` needs pairing (no token, a rotated one, or nothing
 * on the stored port: the agent may have moved); again only after it was connected.
 * @param {{subscribe: (listener: (state: any) => void) => void}} connection
 */
export function pairWhenNeeded(connection) {
  let asked = false;
  connection.subscribe((state) => {
    if (state.status === "connected") asked = false;
    if (asked || !NEEDS_PAIRING.has(state.status)) return;
    asked = true;
    pairThroughNativeHost().catch((error) => console.warn("native pairing:", error?.message));
  });
}
