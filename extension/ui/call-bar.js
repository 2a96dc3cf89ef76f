// The active session's call bar: how long the call has lasted (from the session's created_at,
// so it survives reloads, less the time on hold), a Hold button that pauses the clock (the
// wrap-up leaves holds out of the handle time) and the CSR's call notes, saved to the agent as
// they type, with note templates typed as ;name (template-picker.js). Holds are kept in this
// panel's sessionStorage, per session; a transferred call takes its holds along (docs/team.md).

import { enc } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { attachTemplates } from "./template-picker.js";

const SAVE_MS = 500;

/** "4:05" or "1:02:09" */
export function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * @param {{getApi: () => any, announce: (msg: string, opts?: any) => void,
 *          limits: () => import("../lib/schema-types.js").Limits|undefined}} ctx
 */
export function createCallBar(ctx) {
  let session = null;
  let timer = 0;
  let saveTimer = 0;
  let pending = null; // {sessionId, notes} not yet sent
  let inFlight = 0;

  const clock = h("span", { class: "call-timer", role: "timer", "aria-label": "Call duration" }, "0:00");
  const hold = h("button", { type: "button", class: "button small hold-button", "aria-pressed": "false", onclick: () => toggleHold() }, "Hold");
  const notesId = "call-notes";
  const notes = h("textarea", { id: notesId, class: "call-notes", rows: "2", placeholder: "What the caller needs, what you promised… (; inserts a template)" });
  const saved = h("span", { class: "muted small save-state", "aria-live": "polite" });
  const el = h("section", { class: "call-bar", "aria-label": "Call", hidden: true },
    h("div", { class: "call-bar-head" },
      h("span", { class: "small" }, "On call ", clock), hold,
      h("label", { for: notesId, class: "small call-notes-label" }, "Call notes"),
      saved),
    notes);
  attachTemplates(notes, { getApi: ctx.getApi, where: () => ({ session_id: session?.id }) });

  /** {held: ms on hold before, since: when the running hold began, or 0} */
  function holdOf(sessionId) {
    try {
      return JSON.parse(sessionStorage.getItem(`hold:${sessionId}`) || "") || { held: 0, since: 0 };
    } catch {
      return { held: 0, since: 0 };
    }
  }

  function heldMs(sessionId) {
    const h0 = holdOf(sessionId);
    return h0.held + (h0.since ? Date.now() - h0.since : 0);
  }

  function toggleHold() {
    if (!session) return;
    const h0 = holdOf(session.id);
    const next = h0.since ? { held: h0.held + Date.now() - h0.since, since: 0 } : { held: h0.held, since: Date.now() };
    sessionStorage.setItem(`hold:${session.id}`, JSON.stringify(next));
    showHold();
    ctx.announce(next.since ? "On hold: the call clock is paused." : "Off hold: the call clock runs again.");
  }

  function showHold() {
    const on = Boolean(session && holdOf(session.id).since);
    hold.setAttribute("aria-pressed", String(on));
    hold.textContent = on ? "Resume" : "Hold";
  }

  function tick() {
    if (session) clock.textContent = duration(Date.now() - Date.parse(session.created_at) - heldMs(session.id));
  }

  async function flush() {
    clearTimeout(saveTimer);
    const job = pending;
    pending = null;
    if (!job) return;
    inFlight += 1;
    saved.textContent = "Saving…";
    try {
      await ctx.getApi().put(`/sessions/${enc(job.sessionId)}/notes`, { notes: job.notes });
      if (!pending) saved.textContent = "Saved";
    } catch (error) {
      if (error.status === 404) return; // the session was closed meanwhile
      saved.textContent = "Not saved";
      ctx.announce(error.network ? "Call notes not saved: the agent is not reachable." : `Call notes not saved: ${error.message}`, { error: true });
    } finally {
      inFlight -= 1;
    }
  }

  notes.addEventListener("input", () => {
    if (!session) return;
    pending = { sessionId: session.id, notes: notes.value };
    saved.textContent = "Editing…";
    clearTimeout(saveTimer);
    saveTimer = setTimeout(flush, SAVE_MS);
  });
  notes.addEventListener("blur", () => flush());

  return {
    el,
    /** The current notes of the session being shown, including unsaved typing. */
    notesOf(sessionId) {
      return session?.id === sessionId ? notes.value : null;
    },
    flush,
    /** Whole seconds the session's call was on hold (a running hold counts up to now). */
    heldSeconds(sessionId) {
      return Math.floor(heldMs(sessionId) / 1000);
    },
    /** Whether the session's call is on hold now. */
    onHold(sessionId) {
      return Boolean(holdOf(sessionId).since);
    },
    /** A call taken from a colleague: its holds so far, and whether it is still on hold. */
    setHold(sessionId, heldSeconds, onHold) {
      sessionStorage.setItem(`hold:${sessionId}`, JSON.stringify({ held: heldSeconds * 1000, since: onHold ? Date.now() : 0 }));
      if (session?.id === sessionId) {
        showHold();
        tick();
      }
    },
    /** @param {any|null} next the active session, or null on the landing page */
    update(next) {
      if (!next) {
        flush();
        session = null;
        el.hidden = true;
        clearInterval(timer);
        timer = 0;
        return;
      }
      const switched = session?.id !== next.id;
      if (switched) {
        flush();
        notes.value = next.notes || "";
        saved.textContent = "";
      } else if (!pending && !inFlight && document.activeElement !== notes && notes.value !== (next.notes || "")) {
        notes.value = next.notes || ""; // changed in another panel
      }
      session = next;
      const max = ctx.limits()?.call_notes_max_length;
      if (max) notes.maxLength = max;
      el.hidden = false;
      showHold();
      tick();
      if (!timer) timer = setInterval(tick, 1000);
    },
  };
}
