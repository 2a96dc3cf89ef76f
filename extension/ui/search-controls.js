// The search page's controls: the kind radios (Customers, Orders, Returns), the Search box with
// its error line, the Advanced Search button with the count of active filters, and one chip per
// active filter (its × removes it). They show a state; what a change means is the page's.

import { KINDS } from "../lib/catalog.js";
import { h, icon, replace, uid } from "../lib/dom.js";
import { describeFilter } from "./filter-dialog.js";

/**
 * @param {{state: any, resultsId: string, queryMaxLength?: number, onKind: (kind: string) => void, onInput: (q: string) => void,
 *          onEnter: () => void, onArrowDown: () => boolean, onAdvanced: () => void,
 *          onRemoveFilter: (def: any) => void}} ctx
 *   onArrowDown answers whether it moved focus (then the key's default is prevented)
 */
export function createSearchControls(ctx) {
  const radios = KINDS.map((k) =>
    h("label", { class: "seg" }, h("input", { type: "radio", name: uid("kind"), value: k.value, checked: ctx.state.kind === k.value }), h("span", null, k.label)),
  );
  const radioName = radios[0].querySelector("input").name;
  for (const label of radios) label.querySelector("input").name = radioName;
  const kindGroup = h("div", { class: "segmented", role: "radiogroup", "aria-label": "Search for" }, radios);

  const qError = h("p", { class: "field-error", id: uid("q-err"), hidden: true });
  const input = h("input", {
    type: "search",
    class: "search-input",
    "aria-label": "Search",
    placeholder: "Name, email, phone, #",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: ctx.queryMaxLength,
    value: ctx.state.q,
    "aria-controls": ctx.resultsId,
  });
  const filterCount = h("span", { class: "badge", "aria-hidden": "true", hidden: true });
  const advanced = h("button", { type: "button", class: "tool-button", "aria-haspopup": "dialog" }, icon("filter"), h("span", null, "Advanced Search"), filterCount);
  const chips = h("ul", { class: "chips", "aria-label": "Active filters" });
  const searchBar = h("div", { class: "search-bar" }, h("span", { class: "search-icon" }, icon("search")), input, advanced);

  kindGroup.addEventListener("change", (event) => ctx.onKind(event.target.value));
  input.addEventListener("input", () => ctx.onInput(input.value));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      if (ctx.onArrowDown()) event.preventDefault();
    } else if (event.key === "Enter") {
      ctx.onEnter();
    }
  });
  advanced.addEventListener("click", () => ctx.onAdvanced());

  /** The chips of the filters the catalogue knows (before it loads there are none). */
  function syncChips(filters, defs) {
    const items = [];
    for (const def of defs) {
      const text = describeFilter(def, filters);
      if (!text) continue;
      items.push(
        h("li", null, h("span", { class: "chip" }, h("span", null, text),
          h("button", { type: "button", class: "chip-x", "aria-label": `Remove filter ${def.label}`, onclick: () => {
            ctx.onRemoveFilter(def);
            input.focus();
          } }, "×"))),
      );
    }
    replace(chips, items);
    chips.hidden = !items.length;
    filterCount.hidden = !items.length;
    filterCount.textContent = String(items.length);
  }

  return {
    kindGroup,
    searchBar,
    qError,
    chips,
    advanced,
    /** Show the state: checked kind, the query text (unless already typed), the chips. */
    sync(state, defs) {
      for (const label of radios) {
        const radio = label.querySelector("input");
        radio.checked = radio.value === state.kind;
      }
      if (input.value !== state.q) input.value = state.q;
      syncChips(state.filters, defs);
    },
    syncChips,
    showQueryError(message) {
      qError.textContent = message;
      qError.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", qError.id);
    },
    clearQueryError() {
      qError.hidden = true;
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    },
    focus() {
      input.focus();
    },
  };
}
