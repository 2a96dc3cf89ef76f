// Management actions of one entity tab: the compact "Actions" menu (only what the entity's
// available_actions lists, grouped), inline buttons next to the section an action changes,
// the tab's saved drafts (Resume / Discard) and the dialog that runs an action.

import { getActionCatalog } from "../lib/action-catalog.js";
import { DraftStore } from "../lib/drafts.js";
import { h, replace, uid } from "../lib/dom.js";
import { openActionDialog } from "./action-dialog.js";
import { hintsFor } from "./action-hints.js";

/**
 * @param {{kind: string, tab: any, sessionId?: string|null, getApi: () => any,
 *          announce?: (msg: string, opts?: any) => void, onResult: (result: any) => void}} ctx
 */
export function createEntityActions(ctx) {
  const { kind } = ctx;
  const drafts = ctx.sessionId && ctx.tab?.id ? new DraftStore(ctx.getApi, ctx.sessionId, ctx.tab.id) : null;
  let entity = null;
  let open = null; // the open dialog
  let savedDrafts = [];
  const draftSlot = h("div", { class: "draft-slot" });
  const announce = ctx.announce || (() => {});
  // A reload or closing the panel right after typing still saves the last keystrokes.
  const onHide = () => drafts?.flushAll({ keepalive: true });
  window.addEventListener("pagehide", onHide);

  const available = (name) => Boolean(entity?.available_actions?.includes(name));

  async function refreshDrafts() {
    if (!drafts || !entity) return;
    try {
      const list = await drafts.list();
      savedDrafts = list.filter((d) => d.data?.entity_id === entity.id && available(d.form));
    } catch {
      savedDrafts = [];
    }
    renderDrafts();
  }

  function renderDrafts() {
    replace(draftSlot, savedDrafts.length
      ? h("ul", { class: "draft-list", "aria-label": "Unsaved drafts" }, savedDrafts.map((d) => {
          const label = labelOf(d.form);
          const stale = d.entity_version !== null && d.entity_version !== undefined && d.entity_version !== entity.version;
          return h("li", { class: `draft-item${stale ? " is-stale" : ""}` },
            h("span", null, h("strong", null, "Unsaved draft: "), label,
              stale ? h("span", { class: "draft-stale" }, ` — the ${kind} changed since`) : null),
            h("span", { class: "draft-buttons" },
              h("button", { type: "button", class: "button small", onclick: (e) => run(d.form, { returnFocus: e.currentTarget }) }, "Resume", h("span", { class: "visually-hidden" }, ` ${label}`)),
              h("button", { type: "button", class: "link-button small", onclick: () => discard(d) }, "Discard", h("span", { class: "visually-hidden" }, ` draft of ${label}`))));
        }))
      : null);
  }

  // From the catalogue: the agent's words in the menu, buttons and drafts, and its menu groups.
  const labels = new Map();
  const groupOf = new Map();
  let groupOrder = [];
  function labelOf(name) {
    return labels.get(name) || name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  }

  async function discard(d) {
    await drafts?.discard(d.form).catch(() => {});
    savedDrafts = savedDrafts.filter((x) => x.form !== d.form);
    renderDrafts();
    announce(`Discarded the draft of ${labelOf(d.form)}.`);
  }

  /** Open an action's dialog (restoring its draft if there is one). */
  async function run(name, { preset, returnFocus } = {}) {
    if (!entity || !available(name)) return;
    if (open) return;
    let catalog;
    try {
      catalog = await getActionCatalog(ctx.getApi());
    } catch (error) {
      announce(`Could not load the action forms: ${error.message}`, { error: true });
      return;
    }
    const info = catalog.find(kind, name);
    if (!info || !catalog.schema(info.request_schema)) {
      announce(`The agent does not describe ${name}.`, { error: true });
      return;
    }
    let draft = savedDrafts.find((d) => d.form === name) || null;
    if (!draft && drafts) {
      draft = (await drafts.list().catch(() => [])).find((d) => d.form === name && d.data?.entity_id === entity.id) || null;
    }
    open = openActionDialog({
      kind, entity, info, schemas: catalog.schemas, hints: hintsFor(kind, name), preset, draft, drafts,
      getApi: ctx.getApi, sessionId: ctx.sessionId, returnFocus: returnFocus || document.activeElement,
      onSuccess: (result) => {
        open = null;
        savedDrafts = savedDrafts.filter((x) => x.form !== name);
        renderDrafts();
        ctx.onResult(result);
        // The view was re-rendered: put focus back on the same control, or the title.
        const again = document.querySelector(`.inline-action[data-action="${CSS.escape(name)}"]`) || document.querySelector(".actions-toggle") || document.querySelector(".entity-title");
        again?.focus({ preventScroll: true });
        announce(result.replayed ? `${result.message} (already done — nothing changed twice)` : result.message);
      },
      onClosed: (how, reopen) => {
        open = null;
        savedDrafts = savedDrafts.filter((x) => x.form !== name);
        renderDrafts();
        if (how === "cancel") announce(`${info.label} cancelled; draft discarded.`, { action: { label: "Undo", run: () => { if (!open) open = reopen(); } } });
      },
    });
    open.dialog.addEventListener("close", () => { open = null; }, { once: true });
  }

  /**
   * Inline button next to the section an action changes; null when not available.
   * suffix: words for screen readers after the visible text ("Change Address" + " (shipping)"),
   * so the accessible name starts with what is seen (WCAG 2.5.3); label replaces the name.
   */
  function button(name, text, { preset, label, suffix, cls = "link-button small" } = {}) {
    if (!available(name)) return null;
    return h("button", { type: "button", class: `${cls} inline-action`, "aria-label": label || null, dataset: { action: name }, onclick: (e) => run(name, { preset, returnFocus: e.currentTarget }) },
      text, suffix ? h("span", { class: "visually-hidden" }, suffix) : null);
  }

  /** The "Actions" menu: a disclosure button and a menu of the available actions by group. */
  function menu() {
    const names = entity?.available_actions || [];
    if (!names.length) return null;
    const menuId = uid("actmenu");
    const toggle = h("button", { type: "button", class: "tool-button actions-toggle", "aria-haspopup": "menu", "aria-expanded": "false", "aria-controls": menuId }, "Actions", h("span", { class: "badge" }, String(names.length)), h("span", { "aria-hidden": "true" }, " ▾"));
    const groups = new Map();
    for (const name of names) {
      const g = groupOf.get(name) || "Other";
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(name);
    }
    const ordered = [...groups.keys()].sort((a, b) => (groupOrder.indexOf(a) + 1 || 99) - (groupOrder.indexOf(b) + 1 || 99));
    const items = [];
    const list = h("div", { id: menuId, role: "menu", class: "popover actions-menu", "aria-label": "Actions", hidden: true },
      ordered.map((g) => {
        const gid = uid("grp");
        return h("div", { role: "group", "aria-labelledby": gid, class: "menu-group" },
          h("div", { id: gid, class: "menu-group-label", role: "presentation" }, g),
          groups.get(g).map((name) => {
            const item = h("button", { type: "button", role: "menuitem", tabindex: "-1", class: "menu-item", dataset: { action: name } }, labelOf(name));
            item.addEventListener("click", () => { hide(); run(name, { returnFocus: toggle }); });
            items.push(item);
            return item;
          }));
      }));
    function show(focusIndex = 0) {
      list.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      items[focusIndex]?.focus();
      document.addEventListener("pointerdown", outside, true);
    }
    function hide(focusToggle = false) {
      list.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      document.removeEventListener("pointerdown", outside, true);
      if (focusToggle) toggle.focus();
    }
    function outside(e) {
      if (!wrap.contains(e.target)) hide();
    }
    toggle.addEventListener("click", () => (list.hidden ? show() : hide()));
    toggle.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        show(e.key === "ArrowUp" ? items.length - 1 : 0);
      }
    });
    list.addEventListener("keydown", (e) => {
      const i = items.indexOf(document.activeElement);
      const n = items.length;
      const map = { ArrowDown: (i + 1) % n, ArrowUp: (i - 1 + n) % n, Home: 0, End: n - 1 };
      if (e.key in map) {
        e.preventDefault();
        items[map[e.key]].focus();
      } else if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        hide(true);
      } else if (e.key === "Tab") hide();
    });
    const wrap = h("div", { class: "menu-wrap actions-menu-wrap" }, toggle, list);
    return wrap;
  }

  /** The bar under the entity head: Actions menu and saved drafts. */
  function bar() {
    return h("div", { class: "actions-bar", dataset: { actions: (entity?.available_actions || []).join(" ") } }, menu(), draftSlot);
  }

  const ready = getActionCatalog(ctx.getApi()).then((catalog) => {
    for (const info of catalog.actions.filter((a) => a.kind === kind)) {
      labels.set(info.name, info.label);
      groupOf.set(info.name, info.group);
    }
    groupOrder = catalog.groups;
  }).catch(() => {});

  return {
    ready,
    available,
    button,
    bar,
    run,
    /** The entity as just loaded (or returned by an action). */
    setEntity(next) {
      const first = !entity;
      entity = next;
      open?.entityChanged?.(next);
      if (first) refreshDrafts();
      else renderDrafts();
    },
    /** Another panel saved or dropped a draft of this tab. */
    draftsChanged(info) {
      if (!open && info?.tab_id === ctx.tab?.id) refreshDrafts();
    },
    destroy() {
      window.removeEventListener("pagehide", onHide);
      open?.dismiss();
      drafts?.flushAll();
    },
  };
}
