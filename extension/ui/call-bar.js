// The active session's call bar: how long the call has lasted (from the session's created_at,
// so it survives reloads, less the time on hold), a Hold button that pauses the clock (the
// wrap-up leaves holds out of the handle time) and the CSR's call notes, saved to the agent as
// they type, with note templates typed as ;name (template-picker.js). The agent keeps each
// session's holds (held_seconds, hold_since; docs/wrap-up.md): Hold and Resume ask it, and
// every panel shows the hold from the session state it sends, so a second panel or a reload
// sees the same paused clock, and a transferred call takes its holds along (docs/team.md).

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

/** Milliseconds a session's call has been on hold by ``now``, a running hold included. */
export function heldMs(session, now = Date.now()) {
  const running = session.hold_since ? Math.max(0, now - Date.parse(session.hold_since)) : 0;
  return (session.held_seconds || 0) * 1000 + running;
}

/**
 * @param {{getApi: () => any, announce: (msg: string, opts?: any) => void,
 *          limits: () => import("../lib/schema-types.js").Limits|undefined,
 *          onState: (state: import("../lib/schema-types.js").SessionsState) => void}} ctx
 *   ``onState``: the sessions state the agent answered a hold with.
 */
export function createCallBar(ctx) {
  let session = null;
  let timer = 0;
  let saveTimer = 0;
  let pending = null; // {sessionId, notes} not yet sent
  let inFlight = 0;
  let holding = false; // a hold or resume on its way to the agent

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

  async function toggleHold() {
    if (!session || holding) return; // one at a time; the button keeps focus (not disabled)
    const wanted = !session.hold_since;
    holding = true;
    try {
      ctx.onState(await ctx.getApi().put(`/sessions/${enc(session.id)}/hold`, { on_hold: wanted }));
      ctx.announce(wanted ? "On hold: the call clock is paused." : "Off hold: the call clock runs again.");
    } catch (error) {
      const what = wanted ? "Not put on hold" : "Not resumed";
      ctx.announce(error.network ? `${what}: the agent is not reachable.` : `${what}: ${error.message}`, { error: true });
    } finally {
      holding = false;
    }
  }

  function showHold() {
    const on = Boolean(session?.hold_since);
    hold.setAttribute("aria-pressed", String(on));
    hold.textContent = on ? "Resume" : "Hold";
  }

  function tick() {
    if (session) clock.textContent = duration(Date.now() - Date.parse(session.created_at) - heldMs(session));
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
