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

async function tokenId(token) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`callcenter-token-id|${token}`)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

/**
 * Whether the program on `settings.port` proved it knows `settings.token`; sends no token.
 * @returns {Promise<"proven"|"other-token"|"no-proof">} other-token: it names a different
 *   token (rotated, or a listener pretending so); the token was not sent either way.
 */
export async function checkAgent(settings, signal) {
  const api = new ApiClient(settings);
  const nonce = randomNonce();
  let answer;
  try {
    answer = await api.get("/handshake", { auth: false, query: { client_nonce: nonce }, signal });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    return "no-proof";
  }
  if (answer?.product !== PRODUCT || typeof answer.server_nonce !== "string" || typeof answer.proof !== "string") return "no-proof";
  const expected = await hmacHex(settings.token, `${PREFIX}|${settings.port}|${nonce}|${answer.server_nonce}`);
  if (expected === answer.proof) return "proven";
  const ours = await tokenId(settings.token);
  return typeof answer.token_id === "string" && answer.token_id !== ours ? "other-token" : "no-proof";
}

export async function proveAgent(settings, signal) {
  return (await checkAgent(settings, signal)) === "proven";
}

export function impostorText(port) {
  return `Another program is answering on port ${port}: it did not prove it is your Call Center agent, so the token was not sent.`;
}
