// One management action in a modal dialog: the form generated from the action's request model,
// a confirmation with a before/after preview for money-moving and destructive actions, the
// agent's refusals shown next to the field they name, and a draft saved while the CSR types.
//
// One Idempotency-Key per dialog: a double click, a retry after a network failure or a resubmit
// after a refusal all send the same key, so money moves at most once.

import { enc } from "../lib/api.js";
import { h, replace, uid } from "../lib/dom.js";
import { COLLECTION_OF } from "../lib/kinds.js";
import * as fmt from "../lib/format.js";
import { label as codeLabel } from "../lib/labels.js";
import { genericPreview } from "./action-hints.js";
import { createSchemaForm } from "./json-schema-form.js";
import { attachTemplates } from "./template-picker.js";


function entityRef(kind, e) {
  if (kind === "customer") return e.full_name;
  return `${kind === "order" ? "Order" : "Return"} #${e.number}`;
}

function newKey() {
  return crypto.randomUUID();
}

/**
 * @param {{kind: string, entity: any, info: import("../lib/schema-types.js").ActionInfo, schemas: Record<string, any>,
 *          hints: any, preset?: Record<string, any>, draft?: {data: any, entity_version: number|null}|null,
 *          drafts: import("../lib/drafts.js").DraftStore|null, getApi: () => any, sessionId?: string|null,
 *          onSuccess: (result: any) => void, onClosed?: (how: string, restore: () => void) => void, returnFocus?: HTMLElement|null}} ctx
 */
export function openActionDialog(ctx) {
  const { kind, info, hints, schemas } = ctx;
  let entity = ctx.entity;
  const name = info.name;
  const schema = schemas[info.request_schema];
  const restored = ctx.draft?.data?.entity_id === entity.id ? ctx.draft : null;
  let expectedVersion = restored?.entity_version ?? entity.version;
  const key = restored?.data?.key || newKey();
  const baseline = hints.prefill?.(entity, ctx.preset) || {};
  const fieldHints = hints.fields?.(entity) || {};
  const form = createSchemaForm({ schema, schemas, hints: fieldHints, currency: entity.currency || "USD", initial: { ...baseline, ...ctx.preset, ...(restored?.data?.raw || {}) } });

  const titleId = uid("act-title");
  const topError = h("div", { class: "form-alert", role: "alert", hidden: true });
  const draftNote = h("p", { class: "draft-note muted small", "aria-live": "off" }, restored ? `Draft restored (${fmt.dateTime(restored.updated_at)})` : "");
  const choices = hints.choices ? h("div", { class: "field action-choices", hidden: true }) : null;
  const formPane = h("div", { class: "action-pane" }, choices, form.el, Object.keys(schema.properties || {}).length <= 1 ? h("p", { class: "muted" }, `${info.label} for ${entityRef(kind, entity)}.`) : null);
  const confirmPane = h("div", { class: "action-pane confirm-pane", hidden: true });
  const cancelButton = h("button", { type: "button", class: "button", onclick: () => close("cancel") }, "Cancel");
  const backButton = h("button", { type: "button", class: "button", hidden: true, onclick: () => showStep("form") }, "Back");
  const submitButton = h("button", { type: "submit", class: `button primary${info.confirm ? " confirm-next" : ""}` }, info.confirm ? "Review" : info.label);
  const body = h("form", { class: "action-form", novalidate: true },
    h("div", { class: "dialog-body" }, topError, formPane, confirmPane),
    h("div", { class: "dialog-actions" }, draftNote, h("span", { class: "spacer" }), backButton, cancelButton, submitButton));
  const dialog = h("dialog", { class: `dialog action-dialog action-${name}`, "aria-labelledby": titleId, dataset: { action: name } },
    h("div", { class: "dialog-head" },
      h("h2", { id: titleId }, info.label, h("span", { class: "dialog-sub" }, ` · ${entityRef(kind, entity)}`)),
      h("button", { type: "button", class: "icon-button", "aria-label": "Close", title: "Close (Esc)", onclick: () => close("cancel") }, "×")),
    body);

  // An entity note's text takes note templates (;name), filled in from this record.
  const noteBox = /_note$/.test(name) ? body.querySelector('textarea[name="text"]') : null;
  if (noteBox) attachTemplates(noteBox, { getApi: ctx.getApi, where: () => ({ session_id: ctx.sessionId || undefined, kind, id: entity.id }) });

  let step = "form";
  let busy = false;
  let pending = null; // the body awaiting confirmation
  let closed = false;
  let colleaguesOk = false; // docs/team.md: the CSR confirmed although a colleague has it open

  // ---------- drafts ----------
  const saveDraft = () => ctx.drafts?.save(name, { entity_id: entity.id, raw: form.raw(), key }, expectedVersion);
  form.onChange(() => {
    saveDraft();
    draftNote.textContent = "Draft saved as you type";
  });
  for (const [path, hint] of Object.entries(fieldHints)) {
    if (!hint.reprefill) continue;
    body.querySelector(`[name="${CSS.escape(path)}"]`)?.addEventListener("change", (e) => {
      form.setRaw(hints.prefill?.(entity, { [path]: e.target.value }) || {});
      saveDraft();
    });
  }

  // ---------- ready-made inputs (e.g. the customer's saved addresses) ----------
  async function loadChoices() {
    let list = [];
    try {
      list = await hints.choices.load(entity, ctx.getApi());
    } catch {
      return; // the form works without them
    }
    if (!list.length || closed) return;
    const id = uid("choice");
    const select = h("select", { id },
      h("option", { value: "" }, `${list.length} saved`),
      list.map((c, i) => h("option", { value: String(i) }, c.label)));
    select.addEventListener("change", () => {
      const chosen = list[Number(select.value)];
      if (!chosen) return;
      form.setRaw(chosen.raw);
      saveDraft();
      draftNote.textContent = "Filled in from the saved address";
    });
    replace(choices, h("label", { for: id }, hints.choices.label), select);
    choices.hidden = false;
  }
  if (choices) loadChoices();

  // ---------- steps ----------
  /** The primary button's words: "Review", the action, or "<Action> anyway" once the CSR is
   * told a colleague has the record open (docs/team.md). */
  function primaryLabel(next) {
    if (next !== "confirm" && info.confirm) return "Review";
    const label = next === "confirm" ? (hints.confirm?.(entity, pending) || info.label) : info.label;
    return colleaguesOk ? `${label} anyway` : label;
  }

  function showStep(next) {
    step = next;
    formPane.hidden = next !== "form";
    confirmPane.hidden = next !== "confirm";
    backButton.hidden = next !== "confirm";
    submitButton.textContent = primaryLabel(next);
    submitButton.classList.toggle("danger", next === "confirm" || colleaguesOk);
    if (next === "form") form.focusFirst();
    else confirmPane.querySelector("h3")?.focus();
  }

  function renderConfirm(request) {
    const rows = (hints.preview ? hints.preview(entity, request) : genericPreview(request)) || [];
    const headId = uid("cf");
    replace(confirmPane,
      h("h3", { id: headId, class: "confirm-title", tabindex: "-1" }, `${info.label}: please confirm`),
      h("p", { class: "confirm-lead" }, `${rows.length ? `${entityRef(kind, entity)} will change as shown.` : `${info.label} for ${entityRef(kind, entity)}.`} ${info.needs_idempotency_key ? "Money or stock moves once, even if you click twice." : ""}`),
      rows.length
        ? h("table", { class: "data preview", "aria-labelledby": headId },
            h("thead", null, h("tr", null, h("th", { scope: "col" }, "What"), h("th", { scope: "col" }, "Before"), h("th", { scope: "col" }, "After"))),
            h("tbody", null, rows.map((r) => h("tr", null, h("th", { scope: "row" }, r.label), h("td", null, r.before ?? ""), h("td", { class: "after" }, r.after ?? "")))))
        : null,
      request.note || request.reason_code ? h("p", { class: "small" }, [request.reason_code ? `Reason: ${codeLabel(request.reason_code)}` : "", request.note ? `Note: ${request.note}` : ""].filter(Boolean).join(" · ")) : null,
    );
  }

  // ---------- errors ----------
  function showTop(message, extra) {
    replace(topError, h("p", null, message), extra);
    topError.hidden = !message;
  }

  function showRefusal(error) {
    if (error.network) {
      showTop("Not done: the agent is not reachable. Your input is kept; try again when it is back (the retry is safe).");
      return;
    }
    if (error.code === "stale_version") {
      const current = error.details?.current_version;
      showStep("form");
      showTop(`${error.message}`, h("button", { type: "button", class: "button small", onclick: useLatest }, current ? `Use the latest version (${current})` : "Use the latest version"));
      return;
    }
    const errors = {};
    for (const p of error.details?.problems || []) if (p.field) errors[p.field] = p.problem;
    if (error.details?.field && !errors[error.details.field]) errors[error.details.field] = error.message;
    showStep("form");
    const { unclaimed, focused } = form.showErrors(errors);
    const claimed = Object.keys(errors).length - unclaimed.length;
    showTop(claimed ? `${claimed === 1 ? "A field needs" : "Some fields need"} attention: ${error.message}` : error.message);
    if (!focused) topError.focus?.();
  }

  async function useLatest() {
    try {
      const fresh = await ctx.getApi().get(`/${COLLECTION_OF[kind]}/${enc(entity.id)}`);
      entity = fresh;
      expectedVersion = fresh.version;
      saveDraft();
      showTop("");
      draftNote.textContent = `Now based on version ${fresh.version}: check and submit again`;
      form.focusFirst();
    } catch (error) {
      showTop(error.message);
    }
  }

  // ---------- submit ----------
  body.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    if (step === "form") {
      const { body: request, errors } = form.value({ changedFrom: hints.changedOnly ? baseline : undefined });
      if (Object.keys(errors).length) {
        form.showErrors(errors);
        showTop(Object.keys(errors).length === 1 ? "One field needs attention." : `${Object.keys(errors).length} fields need attention.`);
        return;
      }
      if (hints.changedOnly && name === "edit_general" && !Object.keys(request).length) {
        showTop("Nothing changed yet.");
        return;
      }
      showTop("");
      pending = request;
      if (info.confirm) {
        renderConfirm(request);
        showStep("confirm");
        return;
      }
    }
    await send(pending);
  });

  /** A colleague has this record open: say who, and make the primary button "<Action> anyway"
   * (one way forward besides Cancel); pressing it sends again with the confirmation. */
  function askAboutColleagues(error) {
    colleaguesOk = true;
    showTop(error.message, h("p", { class: "small" }, "They may be changing it right now; check with them first."));
    submitButton.textContent = primaryLabel(step);
    submitButton.classList.add("danger");
    submitButton.focus();
  }

  async function send(request) {
    busy = true;
    dialog.setAttribute("aria-busy", "true");
    let colleague = null; // the 409 open_elsewhere to ask about once the button is back
    submitButton.disabled = true;
    const label = submitButton.textContent;
    submitButton.textContent = "Working…";
    const headers = { "Idempotency-Key": key };
    if (ctx.sessionId) headers["X-Callcenter-Session"] = ctx.sessionId;
    if (colleaguesOk) headers["X-Callcenter-Colleagues-Confirmed"] = "1";
    try {
      const result = await ctx.getApi().post(`/${COLLECTION_OF[kind]}/${enc(entity.id)}/actions/${enc(name)}`, { ...request, expected_version: expectedVersion }, { headers });
      await ctx.drafts?.discard(name).catch(() => {});
      closed = true;
      dialog.close("done");
      ctx.onSuccess(result);
    } catch (error) {
      saveDraft();
      if (error.code === "open_elsewhere" && !colleaguesOk) colleague = error;
      else showRefusal(error);
    } finally {
      busy = false;
      dialog.removeAttribute("aria-busy");
      submitButton.disabled = false;
      if (!closed) submitButton.textContent = label;
    }
    if (colleague) askAboutColleagues(colleague);
  }

  // ---------- closing ----------
  function close(how) {
    if (closed) return;
    closed = true;
    const raw = form.raw();
    if (how === "cancel") ctx.drafts?.discard(name).catch(() => {});
    else ctx.drafts?.flush(name);
    dialog.close(how);
    ctx.onClosed?.(how, () => openActionDialog({ ...ctx, entity, draft: { data: { entity_id: entity.id, raw, key }, entity_version: expectedVersion } }));
  }
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (step === "confirm" && !busy) showStep("form");
    else close("cancel");
  });
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (ctx.returnFocus?.isConnected) ctx.returnFocus.focus();
  });

  document.body.append(dialog);
  dialog.showModal();
  form.focusFirst();
  if (restored) saveDraft();
  if (restored && expectedVersion !== entity.version) {
    // Say it now, not after the agent refuses the stale version.
    showTop(`This ${kind} changed since this draft was saved (it was version ${expectedVersion}, now ${entity.version}): check the values against the current ${kind}, then use the latest version.`,
      h("button", { type: "button", class: "button small", onclick: useLatest }, `Use the latest version (${entity.version})`));
  }
  return {
    dialog,
    /** The entity changed elsewhere while the form is open: say so before the CSR submits. */
    entityChanged(next) {
      if (closed || busy || next.version === expectedVersion) return;
      showTop(`This ${kind} changed elsewhere (now version ${next.version}); sending now would be refused.`,
        h("button", { type: "button", class: "button small", onclick: useLatest }, `Use the latest version (${next.version})`));
    },
    /** The tab went away: keep the draft, close quietly. */
    dismiss() {
      if (closed) return;
      closed = true;
      ctx.drafts?.flush(name);
      dialog.close("dismiss");
    },
  };
}
