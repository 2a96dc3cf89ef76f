// Orders are never created in the Call Center (docs/design.md §1.1): the order tab points to the
// store's Orders screen instead, in the active admin console profile.

import { h } from "../lib/dom.js";
import { activeConsole } from "../lib/profile-store.js";

const TEXT = "New orders are created in the store's Orders screen";

/** The Orders list: the profile's order page up to its collection ("/orders/edit/{id}" → "/orders"). */
export function ordersScreenUrl(profile) {
  const base = new URL(profile.base);
  const page = profile.pages.order.split("{id}")[0].replace(/\/(edit|view|details?)\/?$/i, "").replace(/\/+$/, "");
  return `${base.origin}${base.pathname.replace(/\/+$/, "")}${page}`;
}

/**
 * A plain link (no create button); the address fills in once the profile is read.
 * @param {string|null|undefined} [consoleUrl] the agent's `admin_console_url` (GET /info)
 */
export function newOrderLink(consoleUrl) {
  const link = h("a", { class: "new-order-link", target: "_blank", rel: "noopener" }, TEXT);
  activeConsole(consoleUrl)
    .then((profile) => profile && link.setAttribute("href", ordersScreenUrl(profile)))
    .catch(() => {}); // no profile storage (tests of the view alone): the sentence stays as text
  return link;
}
