// Before a new call replaces a call in progress: the session to be closed (the oldest) still has
// call notes or an unsaved draft, so the agent refused (409 session_in_progress) and the CSR
// chooses: wrap that call up first, replace it anyway, or cancel. The panel's Open, Reopen and
// the admin console overlay's Open all ask here.

import { h, uid } from "../lib/dom.js";

/**
 * @param {{details: {session_id: string, title: string, call_notes?: boolean, draft?: boolean},
 *          newcomer: string, returnFocus?: HTMLElement|null}} ctx
 *   newcomer: who or what is being opened ("Order #1234")
 * @returns {Promise<"wrap-up"|"replace"|"cancel">}
 */
export function askBeforeReplacing(ctx) {
  const { details } = ctx;
  const titleId = uid("replace-title");
  const held = [details.call_notes ? "call notes" : "", details.draft ? "an unsaved draft" : ""].filter(Boolean).join(" and ");
  let choice = "cancel";
  return new Promise((resolve) => {
    const wrapUp = h("button", { type: "button", class: "button primary", onclick: () => done("wrap-up") }, `Wrap up ${details.title}`);
    const replace = h("button", { type: "button", class: "button", onclick: () => done("replace") }, "Replace anyway");
    const cancel = h("button", { type: "button", class: "button", onclick: () => done("cancel") }, "Cancel");
    const dialog = h("dialog", { class: "dialog replace-dialog", "aria-labelledby": titleId, dataset: { sessionId: details.session_id } },
      h("div", { class: "dialog-head" }, h("h2", { id: titleId }, `Replace the call with ${details.title}?`)),
      h("div", { class: "dialog-body" },
        h("p", null, `Four calls are open. Opening ${ctx.newcomer} closes the oldest, ${details.title}'s, which still has ${held || "work in progress"}.`),
        h("p", { class: "muted small" }, "Wrap up saves the call notes as a customer note, closes that session and then opens the new one. A replaced session can be reopened from Recently closed."),
        h("div", { class: "dialog-actions" }, wrapUp, replace, cancel)));

    function done(outcome) {
      choice = outcome;
      dialog.close();
    }
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (choice === "cancel") ctx.returnFocus?.focus?.();
      resolve(choice);
    });
    document.body.append(dialog);
    dialog.showModal();
    wrapUp.focus();
  });
}
