// "My day": the CSR's wrapped-up calls of today from the agent (GET /report): calls, average
// handle time, money moved and the dispositions, drawn here as an inline SVG bar chart (no
// remote code) with the same figures in a table for screen readers and copying.

import { h } from "../lib/dom.js";

const SVG = "http://www.w3.org/2000/svg";
const BAR_HEIGHT = 18;
const GAP = 6;
const LABEL_WIDTH = 130;
const CHART_WIDTH = 300;

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** m:ss */
export function clock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** One bar per disposition, longest first; the bars' lengths are their share of the calls. */
export function dispositionChart(counts) {
  const top = Math.max(1, ...counts.map((d) => d.calls));
  const height = counts.length * (BAR_HEIGHT + GAP);
  const label = counts.map((d) => `${d.disposition}: ${d.calls}`).join(", ");
  const chart = svg("svg", { viewBox: `0 0 ${CHART_WIDTH} ${height}`, width: "100%", role: "img", "aria-label": `Calls by disposition: ${label}`, class: "day-chart" });
  counts.forEach((d, i) => {
    const y = i * (BAR_HEIGHT + GAP);
    const room = CHART_WIDTH - LABEL_WIDTH - 30;
    chart.append(
      svg("text", { x: 0, y: y + BAR_HEIGHT - 5, class: "day-chart-label" }, d.disposition),
      svg("rect", { x: LABEL_WIDTH, y, width: Math.max(2, (room * d.calls) / top), height: BAR_HEIGHT, rx: 2, class: "day-chart-bar" }),
      svg("text", { x: LABEL_WIDTH + (room * d.calls) / top + 4, y: y + BAR_HEIGHT - 5, class: "day-chart-value" }, String(d.calls)));
  });
  return chart;
}

function body(report) {
  if (!report.calls) return h("p", null, "No calls wrapped up today yet.");
  return h("div", { class: "my-day" },
    h("dl", { class: "day-figures" },
      h("div", null, h("dt", null, "Calls"), h("dd", null, String(report.calls))),
      h("div", null, h("dt", null, "Average handle time"), h("dd", null, clock(report.average_handle_seconds))),
      h("div", null, h("dt", null, "Money moved"), h("dd", null, (report.money_moved / 100).toFixed(2)))),
    h("h3", null, "Dispositions"),
    dispositionChart(report.dispositions),
    h("table", { class: "visually-hidden" },
      h("caption", null, "Calls by disposition"),
      h("tbody", null, report.dispositions.map((d) => h("tr", null, h("th", { scope: "row" }, d.disposition), h("td", null, String(d.calls)))))),
    h("p", { class: "muted small" }, "Handle time runs from the call's first open to its wrap-up. Money moved adds each record's amounts in its own currency."));
}

/** @param {{getApi: () => any, returnFocus?: HTMLElement|null}} ctx */
export async function openMyDay(ctx) {
  const titleId = `my-day-title-${Date.now()}`;
  const content = h("div", { class: "dialog-body", "aria-live": "polite" }, h("p", null, "Loading…"));
  const close = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Close");
  const dialog = h("dialog", { class: "dialog my-day-dialog", "aria-labelledby": titleId },
    h("div", { class: "dialog-head" }, h("h2", { id: titleId }, "My day")),
    content,
    h("div", { class: "dialog-actions" }, close));
  dialog.addEventListener("close", () => {
    dialog.remove();
    ctx.returnFocus?.focus?.();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  try {
    content.replaceChildren(body(await ctx.getApi().get("/report")));
  } catch (e) {
    content.replaceChildren(h("p", { role: "alert" }, e.network ? "The agent is not reachable." : `Not loaded: ${e.message}`));
  }
}
