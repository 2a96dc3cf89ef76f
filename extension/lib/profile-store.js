// Typed wrapper over chrome.storage.local for admin console profiles and the active one (used
// by "Open in admin"). The demo console's profile is always there; its address can be edited.

import { DEMO_PROFILE, profileProblem } from "./admin-profiles.js";

const KEY = "adminProfiles";
const ACTIVE = "activeProfileId";

/** @returns {Promise<{profiles: any[], activeId: string}>} */
export async function loadProfiles() {
  const raw = await chrome.storage.local.get([KEY, ACTIVE]);
  const stored = Array.isArray(raw[KEY]) ? raw[KEY].filter((p) => p && !profileProblem(p)) : [];
  const demo = stored.find((p) => p.id === DEMO_PROFILE.id);
  const profiles = [demo ? { ...DEMO_PROFILE, base: demo.base } : { ...DEMO_PROFILE }, ...stored.filter((p) => p.id !== DEMO_PROFILE.id)];
  const activeId = profiles.some((p) => p.id === raw[ACTIVE]) ? raw[ACTIVE] : DEMO_PROFILE.id;
  return { profiles, activeId };
}

export async function activeProfile() {
  const { profiles, activeId } = await loadProfiles();
  return profiles.find((p) => p.id === activeId) || profiles[0];
}

/** Replace the stored profiles (each already checked with profileProblem). */
export async function saveProfiles(profiles, activeId) {
  const next = { [KEY]: profiles.map(({ id, name, preset, base, pages }) => ({ id, name, preset, base, pages })) };
  if (activeId !== undefined) next[ACTIVE] = activeId;
  await chrome.storage.local.set(next);
}

export function onProfilesChanged(listener) {
  const handler = (changes, area) => {
    if (area === "local" && (KEY in changes || ACTIVE in changes)) listener();
  };
  chrome.storage.onChanged.addListener(handler);
  return () => chrome.storage.onChanged.removeListener(handler);
}
