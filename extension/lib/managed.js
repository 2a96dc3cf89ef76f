// What an IT admin presets by policy (chrome.storage.managed, schema in managed-schema.json,
// docs/deploy.md): the agent port and the admin consoles. Read-only for the extension; a value
// that does not fit is left out with a console warning rather than breaking the panel.

import { DEMO_PROFILE, KINDS, PRESETS, profileProblem } from "./admin-profiles.js";

/** @typedef {{port: number|null, consoles: any[]}} Managed */

/** Turn the policy's raw object into usable settings. Pure (tests call it with any input). */
export function normaliseManaged(raw) {
  const port = Number.isInteger(raw?.agentPort) && raw.agentPort >= 1 && raw.agentPort <= 65535 ? raw.agentPort : null;
  const consoles = [];
  const list = Array.isArray(raw?.adminConsoles) ? raw.adminConsoles : [];
  list.forEach((entry, index) => {
    const preset = ["kibo", "demo", "custom"].includes(entry?.preset) ? entry.preset : "custom";
    const pages = preset === "custom" ? entry?.pages : PRESETS[preset].pages;
    const profile = {
      id: preset === "demo" ? DEMO_PROFILE.id : `managed-${index}`,
      name: typeof entry?.name === "string" && entry.name.trim() ? entry.name.trim().slice(0, 60) : PRESETS[preset]?.name || "Admin console",
      preset,
      base: typeof entry?.base === "string" ? entry.base.trim().replace(/\/+$/, "") : "",
      pages: Object.fromEntries(KINDS.map((k) => [k, pages?.[k]])),
      managed: true,
    };
    const problem = profileProblem(profile);
    if (problem) console.warn(`Admin console ${index + 1} from policy left out: ${problem}`);
    else consoles.push(profile);
  });
  return { port, consoles };
}

/** @returns {Promise<Managed>} */
export async function loadManaged() {
  try {
    return normaliseManaged(await chrome.storage.managed.get(null));
  } catch {
    return { port: null, consoles: [] }; // no policy support (or none set) on this browser
  }
}
