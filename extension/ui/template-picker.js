// Note templates in a note box (docs/note-templates.md): typing ";" and the start of a
// template's name lists the matching templates (GET /note-templates); Enter or Tab puts the
// chosen one in, filled in by the agent with the call's or the record's values
// (POST /note-templates/{name}/fill); Escape closes the list and keeps the text as typed.
// The list floats over what follows the box (under it, or above it when the window has no
// room below), so opening it never moves the page.

import { enc } from "../lib/api.js";
import { h, replace, uid } from "../lib/dom.js";

const TRIGGER = /(^|\s);([a-z0-9_-]*)$/;
const PREVIEW = 60;

/** The ";name" typed just before the caret, {start, end, word}, or null. */
export function typedTrigger(text, caret) {
  const m = TRIGGER.exec(text.slice(0, caret));
  return m ? { start: caret - m[2].length - 1, end: caret, word: m[2] } : null;
}

/** The CSR's day, YYYY-MM-DD, for {today}. */
function localDay() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * @param {HTMLTextAreaElement} box
 * @param {{getApi: () => any, where: () => {session_id?: string|null, kind?: string, id?: string}}} ctx
 *   where: the call and the record the note is on, for the placeholders' values
 */
export function attachTemplates(box, ctx) {
  const listId = uid("note-templates");
  const list = h("ul", { id: listId, role: "listbox", class: "template-list", "aria-label": "Templates", hidden: true });
  // Its own status line: the box may be in a modal dialog, where the panel's announcer is not read.
  const status = h("p", { class: "template-status muted small", role: "status" });
  box.after(list, status);
  const announce = (text) => {
    status.textContent = text;
  };
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", listId);
  box.setAttribute("aria-description", "Type ; and a template's name to insert it");
  let templates = null;
  let loading = null;
  let shown = [];
  let active = 0;
  let trigger = null;

  function load() {
    loading ??= ctx.getApi().get("/note-templates")
      .then((r) => (templates = r.templates), () => (templates = []))
      .finally(() => (loading = null));
    return loading;
  }

  function hide() {
    list.hidden = true;
    box.removeAttribute("aria-activedescendant");
    shown = [];
  }

  /** Anchor the open list to the box's left edge, under it or (no room below) above it. */
  function place() {
    const frame = list.offsetParent ?? document.body;
    const at = frame.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    const below = window.innerHeight - b.bottom;
    const above = b.top > list.offsetHeight + 4 && below < list.offsetHeight + 4;
    const top = above ? b.top - list.offsetHeight - 2 : b.bottom + 2;
    list.style.top = `${top - at.top - frame.clientTop + frame.scrollTop}px`;
    list.style.left = `${b.left - at.left - frame.clientLeft + frame.scrollLeft}px`;
    list.style.width = `${b.width}px`;
    list.classList.toggle("above", above);
  }

  /** Scroll the list itself (never the page) so the active option is seen. */
  function keepInView(option) {
    if (!option) return;
    if (option.offsetTop < list.scrollTop) list.scrollTop = option.offsetTop;
    const bottom = option.offsetTop + option.offsetHeight;
    if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
  }

  function show() {
    replace(list, shown.map((t, i) => h("li", {
      id: `${listId}-${i}`, role: "option", class: "template-option", "aria-selected": String(i === active), dataset: { name: t.name },
      onmousedown: (e) => e.preventDefault(), // keeps the caret in the box
      onclick: () => insert(t),
    }, h("strong", null, `;${t.name}`), " ", h("span", { class: "muted" }, t.body.length > PREVIEW ? `${t.body.slice(0, PREVIEW)}…` : t.body))));
    list.hidden = false;
    place();
    box.setAttribute("aria-activedescendant", `${listId}-${active}`);
    keepInView(list.children[active]);
  }

  function update() {
    trigger = typedTrigger(box.value, box.selectionStart ?? box.value.length);
    shown = trigger && templates ? templates.filter((t) => t.name.startsWith(trigger.word)) : [];
    active = 0;
    if (shown.length) show();
    else hide();
  }

  async function insert(template) {
    const at = trigger;
    hide();
    if (!at) return;
    let filled;
    try {
      filled = await ctx.getApi().post(`/note-templates/${enc(template.name)}/fill`, { ...ctx.where(), today: localDay() });
    } catch (error) {
      announce(error.network ? "Template not inserted: the agent is not reachable." : `Template not inserted: ${error.message}`);
      return;
    }
    // The CSR may have typed on meanwhile: replace the ";name" only if it is still there.
    const still = box.value.slice(at.start, at.end) === `;${at.word}`;
    const [start, end] = still ? [at.start, at.end] : [box.selectionStart, box.selectionEnd];
    const length = box.value.length - (end - start) + filled.text.length;
    if (box.maxLength > 0 && length > box.maxLength) {
      announce(`Template not inserted: the note would be longer than ${box.maxLength} characters.`);
      return;
    }
    box.setRangeText(filled.text, start, end, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
    announce(filled.missing.length
      ? `Inserted ${template.name}. No value here for ${filled.missing.map((m) => `{${m}}`).join(", ")}: left as written.`
      : `Inserted ${template.name}.`);
  }

  box.addEventListener("focus", () => {
    templates = null; // edited on the options page meanwhile
    announce("");
    load();
  });
  box.addEventListener("input", async (event) => {
    if (!event.isTrusted) return hide();
    if (!templates) await load();
    update();
  });
  box.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      active = (active + (event.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      show();
    } else if (event.key === "Enter" || event.key === "Tab") {
      insert(shown[active]);
    } else if (event.key === "Escape") {
      event.stopPropagation();
      hide();
    } else {
      return;
    }
    event.preventDefault();
  });
  box.addEventListener("blur", hide);
}
