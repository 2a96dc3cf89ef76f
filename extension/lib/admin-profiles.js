// Admin console profiles: where a store's admin screens live, and how a page's URL maps to a
// (kind, id) and back. Pure functions, no chrome.* calls: the service worker, the panel and the
// options page share them.
//
// A profile is {id, name, preset, base, pages: {customer, order, return}}: `base` is the
// console's origin plus an optional path prefix; each page is a path template below it with
// one `{id}` placeholder, matched case-insensitively (Kibo writes both /Admin and /admin).

export const KINDS = ["customer", "order", "return"];

/** The demo admin console the agent serves with `serve --admin-port 47822` (`make run`). */
export const DEMO_PROFILE = Object.freeze({
  id: "demo",
  name: "Demo admin console",
  preset: "demo",
  base: "http://127.0.0.1:47822",
  pages: Object.freeze({ customer: "/customers/{id}", order: "/orders/{id}", return: "/returns/{id}" }),
});

/**
 * Presets offered on the options page. Kibo's admin URLs are INFERRED: the order page
 * (`/Admin/s-{site}/orders/edit/{orderId}`) appears in public integration code linking into
 * Kibo's admin; the customer and return pages follow the same pattern by analogy and need
 * checking on a real tenant. The base holds the tenant host and the site segment.
 */
export const PRESETS = Object.freeze({
  kibo: Object.freeze({
    name: "Kibo admin",
    inferred: true,
    baseHint: "https://t12345.sandbox.mozu.com/Admin/s-23456",
    pages: Object.freeze({ customer: "/customers/edit/{id}", order: "/orders/edit/{id}", return: "/returns/edit/{id}" }),
  }),
  demo: Object.freeze({ name: DEMO_PROFILE.name, inferred: false, baseHint: DEMO_PROFILE.base, pages: DEMO_PROFILE.pages }),
});

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** @returns {string|null} a problem with the profile, or null when it is usable */
export function profileProblem(profile) {
  let base;
  try {
    base = new URL(profile?.base);
  } catch {
    return "Enter the console's address, starting with https:// or http://";
  }
  if (!["http:", "https:"].includes(base.protocol)) return "The address must start with http:// or https://";
  if (base.search || base.hash || base.username) return "The address cannot hold a query, fragment or user name";
  for (const kind of KINDS) {
    const page = profile.pages?.[kind];
    if (typeof page !== "string" || !page.startsWith("/") || page.split("{id}").length !== 2) {
      return `The ${kind} page must be a path starting with / holding {id} once`;
    }
  }
  return null;
}

function basePath(base) {
  return base.pathname.replace(/\/+$/, "");
}

function templateRegex(template) {
  const [before, after] = template.split("{id}").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${before}([^/?#]+)${after}/?$`, "i");
}

/**
 * Which record a page shows.
 * @returns {{profile: any, kind: string, id: string}|null}
 */
export function recognise(url, profiles) {
  let page;
  try {
    page = new URL(url);
  } catch {
    return null;
  }
  for (const profile of profiles || []) {
    if (profileProblem(profile)) continue;
    const base = new URL(profile.base);
    if (page.origin !== base.origin) continue;
    const prefix = basePath(base);
    if (!page.pathname.toLowerCase().startsWith(prefix.toLowerCase())) continue;
    const rest = page.pathname.slice(prefix.length);
    for (const kind of KINDS) {
      const match = templateRegex(profile.pages[kind]).exec(rest);
      if (!match) continue;
      let id;
      try {
        id = decodeURIComponent(match[1]);
      } catch {
        continue;
      }
      if (ID.test(id)) return { profile, kind, id };
    }
  }
  return null;
}

/** The admin screen of a record. */
export function deepLink(profile, kind, id) {
  const base = new URL(profile.base);
  const path = profile.pages[kind].replace("{id}", encodeURIComponent(String(id)));
  return `${base.origin}${basePath(base)}${path}`;
}

/**
 * The profiles as the running agent serves them: the built-in demo console (unless a policy
 * sets it) lives only at the `admin_console_url` the agent reports in /info, whatever base is
 * stored, and is left out when the agent serves none (docs/security.md, "The overlay").
 * @param {any[]} profiles
 * @param {string|null|undefined} consoleUrl
 */
export function atAgentConsole(profiles, consoleUrl) {
  return profiles.flatMap((p) => {
    if (p.id !== DEMO_PROFILE.id || p.managed) return [p];
    return consoleUrl ? [{ ...p, base: consoleUrl.replace(/\/$/, "") }] : [];
  });
}

/** The host permission pattern a profile needs (every port of its host). */
export function originPattern(profile) {
  const base = new URL(profile.base);
  return `${base.protocol}//${base.hostname}/*`;
}

/** Covered by the manifest's host_permissions and static content script already. */
export function coveredByManifest(profile) {
  return new URL(profile.base).hostname === "127.0.0.1" && new URL(profile.base).protocol === "http:";
}
