// Before the token goes anywhere, the listener on the port must prove it knows it
// (docs/security.md, "port squatting"): GET /handshake with a fresh client nonce answers a
// server nonce and an HMAC-SHA256 under the token of both nonces and the port. The agent's
// side is agent/handshake.py.

import { ApiClient, PRODUCT } from "./api.js";

const PREFIX = "callcenter-handshake-v1";

function randomNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function hmacHex(key, message) {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message)));
  return Array.from(signature, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether the program on `settings.port` proved it knows `settings.token`; sends no token. */
export async function proveAgent(settings, signal) {
  const api = new ApiClient(settings);
  const nonce = randomNonce();
  let answer;
  try {
    answer = await api.get("/handshake", { auth: false, query: { client_nonce: nonce }, signal });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    return false;
  }
  if (answer?.product !== PRODUCT || typeof answer.server_nonce !== "string" || typeof answer.proof !== "string") return false;
  const expected = await hmacHex(settings.token, `${PREFIX}|${settings.port}|${nonce}|${answer.server_nonce}`);
  return expected === answer.proof;
}

export function impostorText(port) {
  return `Another program is answering on port ${port}: it did not prove it is your Call Center agent, so the token was not sent.`;
}
