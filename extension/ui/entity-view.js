// Loads one entity for a session tab and shows it with the matching view. Refreshes when the
// agent says the entity changed; keeps the last good copy on screen when offline.

import { enc } from "../lib/api.js";
import { h, replace } from "../lib/dom.js";
import { COLLECTION_OF } from "../lib/kinds.js";
import { adminLinkButton } from "./admin-link.js";
import { customerView } from "./customer-view.js";
import { createEntityActions } from "./entity-actions.js";
import { orderView } from "./order-view.js";
import { returnView } from "./return-view.js";

const VIEWS = { customer: customerView, order: orderView, return: returnView };
const NAMES = { customer: "customer", order: "order", return: "return" };

/**
 * @param {{tab: any, getApi: () => any, openEntity: (kind: string, id: string) => void, closeTab: () => void,
 *          sessionId?: string, announce?: (msg: string, opts?: any) => void,
 *          consoleUrl?: () => string|null|undefined}} ctx
 */
export function createEntityView(ctx) {
  const { kind, entity_id: id } = ctx.tab;
  const body = h("div", { class: "entity-body" }, h("p", { class: "muted loading" }, "Loading…"));
  const closeButton = h("button", { type: "button", class: "button small close-tab", onclick: () => ctx.closeTab() }, "Close tab");
  const el = h("div", { class: "entity-view" },
    ctx.tab.foreign && ctx.tab.customer_name ? h("p", { class: "foreign-note" }, `This is ${ctx.tab.customer_name}'s record, not this caller's.`) : null,
    h("div", { class: "entity-frame" }, h("div", { class: "entity-tools" }, adminLinkButton({ kind, id, consoleUrl: ctx.consoleUrl, announce: ctx.announce }), closeButton), body));
  let loaded = null;
  const memory = {}; // view choices (e.g. the customer section) kept across reloads
  let controller = null;
  let destroyed = false;
  const actions = createEntityActions({ kind, tab: ctx.tab, sessionId: ctx.sessionId, getApi: ctx.getApi, announce: ctx.announce, onResult: (result) => show(result.entity) });

  /** Render an entity (loaded, or returned by an action). */
  function show(data) {
    if (destroyed || !data) return;
    const hadFocus = el.contains(document.activeElement) && !document.activeElement.closest("dialog");
    const scroll = [window.scrollX, window.scrollY];
    loaded = data;
    actions.setEntity(data);
    replace(body, VIEWS[kind](data, { ...ctx, memory, actions, reload: retry }));
    window.scrollTo(...scroll); // a live reload must not jump the page
    if (hadFocus) body.querySelector(".entity-title")?.focus({ preventScroll: true });
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    try {
      const [data] = await Promise.all([ctx.getApi().get(`/${COLLECTION_OF[kind]}/${enc(id)}`, { signal: controller.signal }), actions.ready]);
      if (destroyed) return false;
      show(data);
      return true;
    } catch (error) {
      if (error?.name === "AbortError" || destroyed) return false;
      if (error.network && loaded) return false; // offline: keep what is on screen
      const message = error.status === 404 ? `This ${NAMES[kind]} no longer exists.` : error.message;
      replace(body, h("div", { class: "error-state", role: "alert" }, h("p", null, message),
        error.status === 404 ? null : h("button", { type: "button", class: "button", onclick: load }, "Try again")));
      return false;
    }
  }
  load();

  /** Retry of a section the agent could not load: reload, then say how it went. */
  async function retry() {
    if (!(await load()) || destroyed) return;
    const still = loaded.unavailable_sections || [];
    ctx.announce?.(still.length ? `Still not loaded: ${still.map((m) => m.message).join(" ")}` : "All sections loaded.", { error: still.length > 0 });
  }

  return {
    el,
    matches(k, entityId, version) {
      return k === kind && String(entityId) === String(id) && (!loaded || version === undefined || version !== loaded.version);
    },
    refresh: load,
    draftsChanged: (info) => actions.draftsChanged(info),
    focus() {
      body.querySelector(".entity-title")?.focus();
    },
    destroy() {
      destroyed = true;
      actions.destroy();
      controller?.abort();
    },
  };
}
