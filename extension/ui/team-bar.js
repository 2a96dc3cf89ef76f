// The team of desks (docs/team.md): whether the team's Redis answers, which colleagues have
// this tab's record open ("Also open by Dana (2 min)"), "Transfer call…" and offers to accept.
// Fed by GET /team and the live "team" events; hidden when the agent has no [team] section.
// Changes worth hearing (team offline, a new offer or its withdrawal, a colleague on this record)
// go through the announcer once; the bar itself is redrawn often and holds no live region.

import { enc } from "../lib/api.js";
import { h, uid } from "../lib/dom.js";

const MAX_SESSIONS = 4; // a desk takes four calls (docs/team.md)
const TICK_MS = 15_000;

/** "just now" under a minute, else "2 min" */
function openFor(since, now) {
  const minutes = Math.floor((now - Date.parse(since)) / 60000);
  return minutes < 1 ? "just now" : `${minutes} min`;
}

/** "Also open by Dana (2 min)", or "(just now)" under a minute, from the record's colleagues. */
export function alsoOpenBy(others, now = Date.now()) {
  return `Also open by ${others.map((o) => `${o.desk} (${openFor(o.since, now)})`).join(", ")}`;
}

/** An offer the receiver may still accept: pending, or being withdrawn (docs/team.md). */
const unsettled = (offer) => offer.status === "pending" || offer.status === "withdrawing";

/**
 * @param {{getApi: () => any, announce: (msg: string, opts?: any) => void, onPresence?: () => void}} ctx
 *   ``onPresence``: who has which record open changed (the tab bar marks shared tabs).
 *   A call's holds go with it in the agents (docs/team.md); the call bar shows them.
 */
export function createTeamBar(ctx) {
  /** @type {import("../lib/schema-types.js").TeamStatus|null} */
  let status = null;
  let session = null;
  let tab = null;
  let picker = null; // the open "Transfer call…" chooser, kept across redraws
  const heard = { connected: true, offers: new Set(), unsettled: new Set(), presence: "" };
  const el = h("section", { class: "team-bar", "aria-label": "Team", hidden: true });

  async function act(work, failure) {
    try {
      await work();
    } catch (error) {
      ctx.announce(`${failure}: ${error.message}`, { error: true });
    }
  }

  function openPicker() {
    const desks = status.desks;
    const id = uid("team-desk");
    const free = desks.filter((d) => d.sessions < MAX_SESSIONS);
    if (!free.length) {
      picker = h("div", { class: "team-picker" }, h("span", { class: "muted" }, desks.length ? "Every colleague desk has four calls." : "No colleague desk is online."),
        h("button", { type: "button", class: "button small", onclick: closePicker }, "Cancel"));
      render();
      return;
    }
    const select = h("select", { id, class: "team-desk" },
      ...desks.map((d) => h("option", { value: d.name, disabled: d.sessions >= MAX_SESSIONS }, `${d.name} (${d.sessions} of ${MAX_SESSIONS} calls)`)));
    select.value = free[0].name;
    const send = h("button", { type: "button", class: "button small primary team-send", onclick: () => act(async () => {
      const offer = await ctx.getApi().post(`/sessions/${enc(session.id)}/transfer`, { to_desk: select.value });
      picker = null;
      ctx.announce(`Call offered to ${offer.to_desk}; it stays here until they accept.`);
      await reload();
      render();
      (waitingRows.get(offer.id)?.text || transferButton).focus(); // the chooser that had focus is gone
    }, "Transfer not sent") }, "Send");
    picker = h("div", { class: "team-picker", role: "group", "aria-label": "Transfer call" },
      h("label", { for: id, class: "small" }, "Transfer to"), select, send,
      h("button", { type: "button", class: "button small", onclick: closePicker }, "Cancel"));
    render();
    select.focus();
  }

  function closePicker() {
    picker = null;
    render();
    transferButton.focus();
  }

  function othersOn(record) {
    if (!status?.enabled || !record?.entity_id) return [];
    return status.presence.find((p) => p.kind === record.kind && p.id === record.entity_id)?.others || [];
  }

  const presenceOfTab = () => othersOn(tab);

  const transferButton = h("button", { type: "button", class: "button small team-transfer", onclick: openPicker }, "Transfer call…");
  const offerRows = new Map(); // offer id -> its row, kept across redraws (focus stays put)
  const waitingRows = new Map(); // outgoing offer id -> "Offered to …" and Withdraw, likewise

  /** "Offered to Lee: waiting…" with Withdraw; "Withdrawing…" until Lee's agent answers. */
  function waitingRow(offer) {
    let parts = waitingRows.get(offer.id);
    if (!parts) {
      const text = h("p", { class: "team-waiting", tabindex: "-1" });
      const withdraw = h("button", { type: "button", class: "button small team-withdraw", "aria-label": `Withdraw the offer to ${offer.to_desk}`,
        onclick: () => act(async () => {
          await ctx.getApi().post(`/team/offers/${enc(offer.id)}/withdraw`);
          await reload();
        }, "Could not withdraw the offer") }, "Withdraw");
      parts = { row: h("div", { class: "team-waiting-row" }, text, withdraw), text, withdraw };
      waitingRows.set(offer.id, parts);
    }
    const withdrawing = offer.status === "withdrawing";
    parts.text.textContent = withdrawing ? "Withdrawing…" : `Offered to ${offer.to_desk}: waiting for them to accept.`;
    if (withdrawing && parts.withdraw.isConnected) {
      const hadFocus = document.activeElement === parts.withdraw;
      parts.withdraw.remove();
      if (hadFocus) parts.text.focus(); // the button went; the row says what happens
    }
    return parts.row;
  }

  function offerRow(offer) {
    if (offerRows.has(offer.id)) return offerRows.get(offer.id);
    const what = `${offer.from_desk} transfers ${offer.title}'s call to you.`;
    const row = h("div", { class: "team-offer", dataset: { offer: offer.id } },
      h("span", null, what),
      h("span", { class: "team-offer-buttons" },
        h("button", { type: "button", class: "button small primary team-accept", "aria-label": `Accept ${offer.title}'s call from ${offer.from_desk}`,
          onclick: () => act(async () => {
            const taken = await ctx.getApi().post(`/team/offers/${enc(offer.id)}/accept`);
            if (taken.on_hold) ctx.announce(`${offer.title}'s call is on hold: Resume when you speak to them.`);
          }, "Could not take the call") }, "Accept"),
        h("button", { type: "button", class: "button small team-decline", "aria-label": `Decline ${offer.title}'s call from ${offer.from_desk}`,
          onclick: () => act(async () => setStatus(await ctx.getApi().post(`/team/offers/${enc(offer.id)}/decline`)), "Could not decline") }, "Decline")));
    offerRows.set(offer.id, row);
    return row;
  }

  /**
   * Puts ``rows`` in the bar without moving the ones already there (a moved node loses focus).
   * When the row holding focus goes (an offer answered, the chooser replaced by "Offered to …"),
   * focus moves to what took its place rather than falling to the page body.
   */
  function place(rows) {
    const hadFocus = el.contains(document.activeElement);
    for (const child of [...el.children]) if (!rows.includes(child)) child.remove();
    rows.forEach((row, i) => {
      if (el.children[i] !== row) el.insertBefore(row, el.children[i] || null);
    });
    if (hadFocus && !el.contains(document.activeElement)) {
      const next = rows.find((row) => row.matches(".team-waiting-row, .team-transfer, .team-picker")) || rows.find((row) => row.matches(".team-offer"));
      const inside = { ".team-picker": "select, button", ".team-offer": "button", ".team-waiting-row": ".team-waiting" };
      const within = Object.keys(inside).find((kind) => next?.matches(kind));
      const target = within ? next.querySelector(inside[within]) : next;
      target?.focus();
    }
  }

  function render() {
    if (!status?.enabled) {
      el.hidden = true;
      return;
    }
    el.hidden = false;
    const rows = [];
    if (!status.connected) {
      rows.push(h("p", { class: "team-down" }, h("strong", null, "Team offline"), ` (${status.detail || "reconnecting"}). This desk keeps working; colleagues and transfers come back when the team's Redis does.`));
    }
    const others = presenceOfTab();
    if (others.length) rows.push(h("p", { class: "team-presence" }, alsoOpenBy(others)));
    if (session && status.connected) {
      const waiting = status.outgoing.find((o) => o.session_id === session.id && unsettled(o));
      if (waiting) rows.push(waitingRow(waiting));
      else rows.push(picker || transferButton);
    }
    for (const offer of status.incoming) rows.push(offerRow(offer));
    for (const id of offerRows.keys()) if (!status.incoming.some((o) => o.id === id)) offerRows.delete(id);
    for (const id of waitingRows.keys()) if (!status.outgoing.some((o) => o.id === id && unsettled(o))) waitingRows.delete(id);
    place(rows);
  }

  function tellChanges() {
    if (!status?.enabled) return;
    if (heard.connected !== status.connected) {
      heard.connected = status.connected;
      ctx.announce(status.connected ? "Team back online." : "Team offline: this desk keeps working.", { error: !status.connected });
    }
    for (const offer of status.incoming) {
      if (heard.offers.has(offer.id)) continue;
      heard.offers.add(offer.id);
      ctx.announce(`${offer.from_desk} transfers ${offer.title}'s call to you: Accept or Decline in the team bar.`);
    }
    for (const offer of status.withdrawn || []) {
      if (!heard.offers.delete(offer.id)) continue; // only an offer this panel told of
      ctx.announce(`${offer.from_desk} withdrew the call ${offer.title}.`);
    }
    for (const offer of status.outgoing) {
      if (unsettled(offer)) heard.unsettled.add(offer.id);
      else if (heard.unsettled.delete(offer.id) && offer.status === "withdrawn") {
        ctx.announce(`Offer to ${offer.to_desk} withdrawn; the call stays here.`);
      }
    }
    const others = presenceOfTab();
    const names = others.map((o) => o.desk).join(", ");
    if (names && names !== heard.presence) ctx.announce(`${alsoOpenBy(others)}.`);
    heard.presence = names;
  }

  function setStatus(next) {
    const before = JSON.stringify(status?.presence || []);
    status = next;
    if (JSON.stringify(status?.presence || []) !== before) ctx.onPresence?.();
    if (!status?.connected || !session) picker = null;
    tellChanges();
    render();
  }

  async function reload() {
    try {
      setStatus(await ctx.getApi().get("/team"));
    } catch {
      // the connection view says when the agent is away
    }
  }

  setInterval(() => {
    if (status?.presence.length) {
      render(); // "(2 min)" keeps counting
      ctx.onPresence?.();
    }
  }, TICK_MS);

  return {
    el,
    setStatus,
    /** "Also open by Dana (2 min)" for a tab's record, or "". */
    colleaguesOn(record) {
      const others = othersOn(record);
      return others.length ? alsoOpenBy(others) : "";
    },
    reload,
    /** The active session and its active tab (null on the landing page). */
    update(nextSession, nextTab) {
      if (nextSession?.id !== session?.id) picker = null;
      session = nextSession;
      tab = nextTab;
      tellChanges();
      render();
    },
  };
}
