// Agent port + Pairing token + Connect. Saves to chrome.storage (every open panel follows) and
// reports the result of the same checks the panel runs.

import { h, uid } from "../lib/dom.js";
import { pairWith } from "../lib/pairing.js";
import { DEFAULT_PORT, loadSettings } from "../lib/storage.js";
import { describe } from "./messages.js";

async function openPanel() {
  // A click is the user gesture sidePanel.open() needs.
  const win = await chrome.windows.getCurrent();
  await chrome.sidePanel.open({ windowId: win.id });
}

export function pairingForm({ compact = false } = {}) {
  const portId = uid("port");
  const tokenId = uid("token");
  const portError = h("p", { class: "field-error", id: uid("perr"), hidden: true });
  const port = h("input", { id: portId, name: "port", type: "text", inputmode: "numeric", autocomplete: "off", value: String(DEFAULT_PORT), required: true, "aria-describedby": portError.id });
  const token = h("input", { id: tokenId, name: "token", type: "password", autocomplete: "off", spellcheck: "false", required: true });
  const show = h("input", { type: "checkbox" });
  show.addEventListener("change", () => (token.type = show.checked ? "text" : "password"));
  const result = h("div", { class: "pair-result", role: "status", "aria-live": "polite" });
  const button = h("button", { type: "submit", class: "button primary" }, "Connect");

  const form = h("form", { class: `pairing-form${compact ? " compact" : ""}`, novalidate: true },
    h("div", { class: "field" }, h("label", { for: portId }, "Agent port"), port, portError),
    h("div", { class: "field" }, h("label", { for: tokenId }, "Pairing token"), token,
      h("label", { class: "check small" }, show, h("span", null, "Show token"))),
    h("div", { class: "form-actions" }, button),
    result);

  loadSettings().then((s) => {
    port.value = String(s.port);
    if (!token.value) token.value = s.token;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const portNumber = Number(port.value.trim());
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
      portError.textContent = "Enter a port number between 1 and 65535.";
      portError.hidden = false;
      port.setAttribute("aria-invalid", "true");
      port.focus();
      return;
    }
    portError.hidden = true;
    port.removeAttribute("aria-invalid");
    button.disabled = true;
    result.className = "pair-result";
    result.textContent = "Checking…";
    try {
      const settings = { port: portNumber, token: token.value.trim() };
      const outcome = await pairWith(settings);
      const d = describe({ ...outcome, port: portNumber });
      result.className = `pair-result tone-${d.tone}`;
      result.replaceChildren(h("strong", null, d.title), " ", d.text, d.command ? h("code", null, d.command) : "");
      if (outcome.status === "connected" && !compact) {
        result.append(h("p", { class: "form-actions" }, h("button", { type: "button", class: "button", onclick: openPanel }, "Open the Call Center side panel")));
      }
      form.dispatchEvent(new CustomEvent("paired", { detail: outcome }));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
