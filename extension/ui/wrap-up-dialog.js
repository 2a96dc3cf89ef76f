// Wrap-up when a session closes: a disposition (the agent's list, GET /dispositions) recorded
// with the call's handle time, records and actions (POST /sessions/{id}/wrap-up), and a note
// saved as a customer note through the agent's add_note action; or skipped. Guests have no
// customer record: their wrap-up records the disposition only.

import { enc } from "../lib/api.js";
import { h, uid } from "../lib/dom.js";
import { attachTemplates } from "./template-picker.js";

// Used when the agent cannot tell its list (an older agent).
export const REASONS = ["Order status", "Return or refund", "Address or delivery change", "Payment or billing", "Account help", "Product question", "Complaint", "Other"];
// Room kept for "Call wrap-up: <reason> — " in front of the CSR's words.
const PREFIX_ROOM = 60;

/** The customer note: the reason, then the CSR's words, cut to the note's limit. */
export function wrapUpText(reason, note, maxLength = Infinity) {
  return `Call wrap-up: ${reason}${note.trim() ? ` — ${note.trim()}` : ""}`.slice(0, maxLength);
}

/**
 * @param {{session: any, notes: string, getApi: () => any, maxLength?: number, returnFocus?: HTMLElement|null}} ctx
 *   maxLength: the agent's limit of a customer note (GET /info)
 * @returns {Promise<"saved"|"skipped"|"cancelled">}
 */
export async function openWrapUp(ctx) {
  let reasons = REASONS;
  try {
    reasons = (await ctx.getApi().get("/dispositions")).dispositions;
  } catch {
    // the built-in list
  }
  return showWrapUp(ctx, reasons);
}

function showWrapUp(ctx, reasons) {
  const { session } = ctx;
  const guest = !session.customer_id;
  const titleId = uid("wrap-title");
  const reasonId = uid("wrap-reason");
  const noteId = uid("wrap-note");
  const error = h("p", { class: "field-error", role: "alert", hidden: true });
  const reason = h("select", { id: reasonId, required: true },
    h("option", { value: "" }, "Choose a reason"), reasons.map((r) => h("option", { value: r }, r)));
  const room = ctx.maxLength ? ctx.maxLength - PREFIX_ROOM : undefined;
  const note = h("textarea", { id: noteId, rows: "4", maxlength: room });
  note.value = (ctx.notes || "").slice(0, room);
  let result = "cancelled";

  return new Promise((resolve) => {
    const save = h("button", { type: "submit", class: "button primary" }, guest ? "Save wrap-up and close" : "Save note and close");
    const skip = h("button", { type: "button", class: "button", onclick: () => done("skipped") }, guest ? "Close session" : "Skip and close");
    const cancel = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Keep the session open");
    const form = h("form", { class: "dialog-body wrap-up", method: "dialog", novalidate: true },
      guest
        ? h("p", null, `${session.title} is a guest: there is no customer record to keep a wrap-up note on. The call notes stay with the recently closed session.`)
        : h("p", { class: "muted small" }, `The note is added to ${session.title}'s customer notes.`),
      h("div", { class: "field" }, h("label", { for: reasonId }, "Call reason"), reason),
      guest ? null : h("div", { class: "field" }, h("label", { for: noteId }, "Wrap-up note"), note),
      error,
      h("div", { class: "dialog-actions" }, save, skip, cancel));
    if (!guest) attachTemplates(note, { getApi: ctx.getApi, where: () => ({ session_id: session.id }) });
    const dialog = h("dialog", { class: "dialog wrap-up-dialog", "aria-labelledby": titleId },
      h("div", { class: "dialog-head" }, h("h2", { id: titleId }, `Wrap up the call with ${session.title}`)),
      form);

    function done(outcome) {
      result = outcome;
      dialog.close();
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!reason.value) {
        error.hidden = false;
        error.textContent = "Choose a call reason, or skip the wrap-up.";
        reason.focus();
        return;
      }
      save.disabled = true;
      error.hidden = true;
      try {
        const api = ctx.getApi();
        await api.post(`/sessions/${enc(session.id)}/wrap-up`, { disposition: reason.value });
        if (!guest) {
          const customer = await api.get(`/customers/${enc(session.customer_id)}`);
          await api.post(`/customers/${enc(session.customer_id)}/actions/add_note`,
            { expected_version: customer.version, text: wrapUpText(reason.value, note.value, ctx.maxLength) },
            { headers: { "X-Callcenter-Session": session.id } });
        }
        done("saved");
      } catch (e) {
        error.hidden = false;
        error.textContent = e.network ? "Not saved: the agent is not reachable. Try again, or skip." : `Not saved: ${e.message}`;
        save.disabled = false;
      }
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      ctx.returnFocus?.focus?.();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
}
