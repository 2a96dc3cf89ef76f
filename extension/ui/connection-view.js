// The panel's connection surfaces: a full card when there is nothing to show yet (with the next
// step and, when needed, the pairing form), and a slim banner over the UI when the agent went away.

import { h } from "../lib/dom.js";
import { describe } from "./messages.js";
import { pairingForm } from "./pairing-form.js";

function retryText(state) {
  if (!state.retryAt) return null;
  const seconds = Math.max(0, Math.round((state.retryAt - Date.now()) / 1000));
  return seconds ? `Trying again in ${seconds} s.` : "Trying again…";
}

function commandLine(command) {
  const code = h("code", { class: "command" }, command);
  const copy = h("button", { type: "button", class: "button small", "aria-label": `Copy command ${command}` }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(command);
      copy.textContent = "Copied";
    } catch {
      copy.textContent = "Select and copy";
    }
    setTimeout(() => (copy.textContent = "Copy"), 2000);
  });
  return h("p", { class: "command-line" }, code, copy);
}

/** @param {any} state @param {{onRetry: () => void, onSettings: () => void}} handlers */
export function connectionCard(state, { onRetry, onSettings }) {
  const d = describe(state);
  return h(
    "section",
    { class: `connection-card tone-${d.tone}`, "aria-labelledby": "conn-title", dataset: { connection: state.status } },
    h("h2", { id: "conn-title" }, h("span", { class: "dot", "aria-hidden": "true" }), d.title),
    h("p", null, d.text),
    d.command ? commandLine(d.command) : null,
    d.retry ? h("p", { class: "muted small retry-note" }, retryText(state) || "") : null,
    d.pair ? pairingForm({ compact: true }) : null,
    h("div", { class: "form-actions" },
      d.retry ? h("button", { type: "button", class: "button", onclick: onRetry }, "Retry now") : null,
      h("button", { type: "button", class: "button", onclick: onSettings }, "Open settings")),
  );
}

/** @param {any} state @param {{onRetry: () => void}} handlers */
export function connectionBanner(state, { onRetry }) {
  const d = describe(state);
  return h(
    "div",
    { class: `conn-banner tone-${d.tone}`, dataset: { connection: state.status } },
    h("p", null, h("strong", null, d.title), " ", h("span", { class: "retry-note" }, retryText(state) || ""), " ", d.text, " ", d.command ? h("code", null, d.command) : null),
    d.retry ? h("button", { type: "button", class: "button small", onclick: onRetry }, "Retry now") : null,
  );
}

export function connectionPill(state) {
  const d = describe(state);
  const short = { connected: "Connected", offline: "Offline", checking: "Connecting", "no-agent": "No agent", "not-paired": "Not paired", "token-rejected": "Token rejected", incompatible: "Wrong agent", impostor: "Another program", refused: "Refused" };
  return h("span", { class: `pill tone-${d.tone}`, title: `${d.title}. ${d.text}`, dataset: { connection: state.status } },
    h("span", { class: "dot", "aria-hidden": "true" }), short[state.status] || state.status, state.status === "connected" && !state.live ? " (not live)" : "");
}
