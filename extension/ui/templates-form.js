// Options page: the desk's note templates, kept by the agent (GET/POST /note-templates,
// PUT/DELETE /note-templates/{name}). Each is typed as ";name" in a note box of the panel.
// The agent checks names and placeholders; its refusal is shown beside the field it names.

import { enc } from "../lib/api.js";
import { h, replace, uid } from "../lib/dom.js";

const PREVIEW = 90;

/** @param {import("../lib/connection.js").Connection} conn */
export function templatesForm(conn) {
  const list = h("div", { class: "template-rows" });
  const status = h("p", { class: "pair-result", role: "status" });
  const nameId = uid("tpl-name");
  const bodyId = uid("tpl-body");
  const name = h("input", { id: nameId, type: "text", autocomplete: "off", spellcheck: "false", maxlength: 32, "aria-describedby": `${nameId}-help` });
  const body = h("textarea", { id: bodyId, rows: 4, maxlength: 2000, "aria-describedby": `${bodyId}-help` });
  const nameError = h("p", { class: "field-error", id: `${nameId}-error`, hidden: true });
  const bodyError = h("p", { class: "field-error", id: `${bodyId}-error`, hidden: true });
  const placeholders = h("ul", { class: "placeholder-list small" });
  const heading = h("h3", null, "Add a template");
  const cancel = h("button", { type: "button", class: "button", hidden: true, onclick: () => edit(null) }, "Cancel edit");
  const save = h("button", { type: "submit", class: "button primary" }, "Save template");
  const form = h("form", { class: "template-form", novalidate: true },
    heading,
    h("div", { class: "field" }, h("label", { for: nameId }, "Name"), name,
      h("p", { class: "muted small", id: `${nameId}-help` }, "One word of lower-case letters, digits, - or _; type ; and the name in a note to insert it."), nameError),
    h("div", { class: "field" }, h("label", { for: bodyId }, "Text"), body,
      h("p", { class: "muted small", id: `${bodyId}-help` }, "Placeholders are filled in from the call or the record the note is on:"), bodyError),
    placeholders,
    h("div", { class: "form-actions" }, save, cancel));
  const el = h("div", { class: "templates" }, list, form, status);
  let editing = null; // the name of the template being edited
  let shownFor = null;

  const say = (text, tone = "neutral") => {
    status.className = `pair-result tone-${tone}`;
    status.textContent = text;
  };

  function showError(error) {
    for (const [input, line] of [[name, nameError], [body, bodyError]]) {
      line.hidden = true;
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", `${input.id}-help`);
    }
    if (!error) return;
    const [input, line] = error.field === "name" ? [name, nameError] : [body, bodyError];
    line.hidden = false;
    line.textContent = error.message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", `${input.id}-help ${line.id}`);
    input.focus();
  }

  function edit(template) {
    editing = template?.name ?? null;
    name.value = template?.name ?? "";
    body.value = template?.body ?? "";
    heading.textContent = template ? `Edit ;${template.name}` : "Add a template";
    cancel.hidden = !template;
    showError(null);
    if (template) name.focus();
  }

  function render(answer) {
    replace(placeholders, answer.placeholders.map((p) => h("li", null, h("code", null, `{${p.name}}`), ` ${p.description}`)));
    replace(list, answer.templates.length
      ? h("ul", { class: "template-table" }, answer.templates.map((t) => h("li", { class: "template-row", dataset: { name: t.name } },
          h("div", { class: "template-text" }, h("strong", null, `;${t.name}`), " ",
            h("span", { class: "muted" }, t.body.length > PREVIEW ? `${t.body.slice(0, PREVIEW)}…` : t.body)),
          h("div", { class: "template-buttons" },
            h("button", { type: "button", class: "button small", "aria-label": `Edit ;${t.name}`, onclick: () => edit(t) }, "Edit"),
            h("button", { type: "button", class: "button small", "aria-label": `Delete ;${t.name}`, onclick: () => remove(t.name) }, "Delete")))))
      : h("p", { class: "muted" }, "No templates yet."));
  }

  async function load() {
    try {
      render(await conn.api.get("/note-templates"));
      form.hidden = false;
    } catch (error) {
      say(`Could not load the note templates: ${error.message}`, "bad");
    }
  }

  async function remove(templateName) {
    try {
      render(await conn.api.delete(`/note-templates/${enc(templateName)}`));
      if (editing === templateName) edit(null);
      say(`Deleted ;${templateName}.`, "good");
    } catch (error) {
      say(`Not deleted: ${error.message}`, "bad");
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const wanted = { name: name.value.trim(), body: body.value };
    save.disabled = true;
    try {
      const saved = editing
        ? await conn.api.put(`/note-templates/${enc(editing)}`, wanted)
        : await conn.api.post("/note-templates", wanted);
      edit(null);
      await load();
      say(`Saved ;${saved.name}.`, "good");
    } catch (error) {
      say("");
      showError(error.network ? { field: "body", message: "Not saved: the agent is not reachable." } : error);
    } finally {
      save.disabled = false;
    }
  });

  form.hidden = true;
  replace(list, h("p", { class: "muted" }, "Connect to the agent to manage the note templates."));
  conn.subscribe((state) => {
    if (state.status !== "connected" || shownFor === conn.api) return;
    shownFor = conn.api;
    load();
  });
  return el;
}
