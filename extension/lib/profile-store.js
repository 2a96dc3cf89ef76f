// Typed wrapper over chrome.storage.local for admin console profiles and the active one (used
// by "Open in admin"). The demo console's profile is always there; its address can be edited.
// Consoles set by policy (lib/managed.js) follow the demo console, cannot be removed here, and
// the first of them is the default for "Open in admin".

import { DEMO_PROFILE, atAgentConsole, profileProblem } from "./admin-profiles.js";
import { loadManaged } from "./managed.js";

const KEY = "adminProfiles";
const ACTIVE = "activeProfileId";

/** @returns {Promise<{profiles: any[], activeId: string}>} */
export async function loadProfiles() {
  const [raw, managed] = await Promise.all([chrome.storage.local.get([KEY, ACTIVE]), loadManaged()]);
  const stored = Array.isArray(raw[KEY]) ? raw[KEY].filter((p) => p && !profileProblem(p) && !p.managed) : [];
  const policyDemo = managed.consoles.find((p) => p.id === DEMO_PROFILE.id);
  const demo = policyDemo || stored.find((p) => p.id === DEMO_PROFILE.id);
  const demoProfile = demo ? { ...DEMO_PROFILE, base: demo.base, ...(policyDemo ? { managed: true } : {}) } : { ...DEMO_PROFILE };
  const others = [...managed.consoles, ...stored].filter((p) => p.id !== DEMO_PROFILE.id);
  const profiles = [demoProfile, ...others];
  const fallback = managed.consoles[0]?.id || DEMO_PROFILE.id;
  const activeId = profiles.some((p) => p.id === raw[ACTIVE]) ? raw[ACTIVE] : fallback;
  return { profiles, activeId };
}

export async function activeProfile() {
  const { profiles, activeId } = await loadProfiles();
  return profiles.find((p) => p.id === activeId) || profiles[0];
}

/**
 * The active profile where its console is served: the demo console at the running agent's
 * `admin_console_url` (GET /info); null when that is the active one and the agent serves none.
 * @param {string|null|undefined} consoleUrl
 */
export async function activeConsole(consoleUrl) {
  return atAgentConsole([await activeProfile()], consoleUrl)[0] || null;
}

/** Replace the stored profiles (each already checked with profileProblem). */
export async function saveProfiles(profiles, activeId) {
  const own = profiles.filter((p) => !p.managed);
  const next = { [KEY]: own.map(({ id, name, preset, base, pages }) => ({ id, name, preset, base, pages })) };
  if (activeId !== undefined) next[ACTIVE] = activeId;
  await chrome.storage.local.set(next);
}

export function onProfilesChanged(listener) {
  const handler = (changes, area) => {
    if (area === "managed" || (area === "local" && (KEY in changes || ACTIVE in changes))) listener();
  };
  chrome.storage.onChanged.addListener(handler);
  return () => chrome.storage.onChanged.removeListener(handler);
}
