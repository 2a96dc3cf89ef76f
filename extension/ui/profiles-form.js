// Options page: admin console profiles. The demo console is always listed, at the address the
// running agent reports for it (only a policy moves it); other consoles are added here, and
// their host access is asked for at that moment (chrome.permissions.request needs this click),
// never at install.

import { DEMO_PROFILE, KINDS, PRESETS, coveredByManifest, originPattern, profileProblem } from "../lib/admin-profiles.js";
import { h, replace, uid } from "../lib/dom.js";
import { loadProfiles, onProfilesChanged, saveProfiles } from "../lib/profile-store.js";

const PAGE_LABELS = { customer: "Customer page", order: "Order page", return: "Return page" };

function field(label, input, hint) {
  const id = uid("pf");
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("p", { class: "muted small" }, hint) : null);
}

/** A console set by policy still needs its host access granted once, by a click, for the
 * overlay (Open in admin works without it). */
function accessButton(profile) {
  if (coveredByManifest(profile)) return null;
  const origins = [originPattern(profile)];
  const button = h("button", { type: "button", class: "button small", hidden: true, "aria-label": `Allow the overlay on ${profile.name}` }, "Allow overlay");
  chrome.permissions.contains({ origins }).then((has) => (button.hidden = has));
  button.addEventListener("click", () => chrome.permissions.request({ origins }).then((ok) => (button.hidden = ok), () => {}));
  return button;
}

export function profilesForm() {
  const list = h("div", { class: "profile-list" });
  const status = h("p", { class: "pair-result", role: "status" });
  const say = (text, tone = "neutral") => {
    status.className = `pair-result tone-${tone}`;
    status.textContent = text;
  };

  async function renderList() {
    const { profiles, activeId } = await loadProfiles();
    const name = uid("active-profile");
    replace(list, h("fieldset", null, h("legend", null, "Open in admin uses"),
      profiles.map((p) => {
        const radioId = uid("prof");
        return h("div", { class: "profile-row", dataset: { profileId: p.id } },
          h("input", { type: "radio", id: radioId, name, value: p.id, checked: p.id === activeId,
            onchange: () => saveProfiles(profiles, p.id).then(() => say(`Open in admin now uses ${p.name}.`, "good")) }),
          h("label", { for: radioId }, h("strong", null, p.name), " ",
            p.id === DEMO_PROFILE.id && !p.managed
              ? h("span", { class: "muted small" }, "where the running agent serves it (serve --admin-port)")
              : h("code", null, p.base),
            p.managed ? h("span", { class: "muted small" }, " (set by your organisation)") : null),
          p.managed ? accessButton(p) : null,
          p.id === DEMO_PROFILE.id || p.managed ? null : h("button", { type: "button", class: "button small", "aria-label": `Remove ${p.name}`,
            onclick: async () => {
              const rest = profiles.filter((x) => x.id !== p.id);
              await saveProfiles(rest, activeId === p.id ? DEMO_PROFILE.id : activeId);
              if (!coveredByManifest(p) && !rest.some((x) => originPattern(x) === originPattern(p))) {
                await chrome.permissions.remove({ origins: [originPattern(p)] }).catch(() => false);
              }
              say(`Removed ${p.name}.`, "good");
            } }, "Remove"));
      })));
  }

  // ----- the add / edit form -----
  const preset = h("select", null,
    h("option", { value: "kibo" }, "Kibo admin (inferred URLs: check them on your tenant)"),
    h("option", { value: "custom" }, "Other admin console"));
  const nameInput = h("input", { type: "text", maxlength: "60", autocomplete: "off" });
  const baseInput = h("input", { type: "url", autocomplete: "off", spellcheck: "false" });
  const pageInputs = Object.fromEntries(KINDS.map((k) => [k, h("input", { type: "text", autocomplete: "off", spellcheck: "false" })]));
  const applyPreset = () => {
    const p = PRESETS[preset.value];
    nameInput.value = p ? p.name : "";
    baseInput.placeholder = p ? p.baseHint : "";
    for (const k of KINDS) pageInputs[k].value = p ? p.pages[k] : `/${k}s/{id}`;
  };
  preset.addEventListener("change", applyPreset);
  applyPreset();

  const form = h("form", { class: "profile-form", novalidate: true },
    field("Console", preset),
    field("Name", nameInput),
    field("Address", baseInput, "The console's address up to where the record pages differ, e.g. the tenant host and /Admin/s-<site> for Kibo."),
    KINDS.map((k) => field(PAGE_LABELS[k], pageInputs[k], k === "customer" ? "Paths below the address, with {id} where the record's id goes." : null)),
    h("button", { type: "submit", class: "button primary" }, "Save console"));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const profile = {
      id: `p-${Date.now().toString(36)}`,
      name: nameInput.value.trim() || "Admin console",
      preset: preset.value,
      base: baseInput.value.trim().replace(/\/+$/, ""),
      pages: Object.fromEntries(KINDS.map((k) => [k, pageInputs[k].value.trim()])),
    };
    const problem = profileProblem(profile);
    if (problem) {
      say(problem, "bad");
      return;
    }
    // Asked for here, inside the click: Chrome shows its prompt only for a user gesture.
    const granted = coveredByManifest(profile) ? Promise.resolve(true) : chrome.permissions.request({ origins: [originPattern(profile)] });
    granted.then(async (ok) => {
      if (!ok) {
        say(`Access to ${new URL(profile.base).host} was not granted, so the console was not saved.`, "bad");
        return;
      }
      const { profiles, activeId } = await loadProfiles();
      const others = profiles.filter((p) => p.id !== profile.id);
      await saveProfiles([...others, profile], activeId);
      say(`Saved ${profile.name}. Its record pages now show "Open in Call Center".`, "good");
    }, (error) => say(`Could not ask for access: ${error.message}`, "bad"));
  });

  renderList();
  onProfilesChanged(renderList);
  return h("div", { class: "profiles" }, list, h("h3", null, "Add or change a console"), form, status);
}
