// Return tab: number, status, type, the original order (opens in the same session), items with
// reasons and quantities, refunds, notes and history (read-only for now).

/** @typedef {import("../lib/schema-types.js").ReturnDetail} ReturnDetail */

import { h } from "../lib/dom.js";
import * as fmt from "../lib/format.js";
import { label } from "../lib/labels.js";
import { actionsSlot, code, copyButton, dataTable, email, facts, historyList, linkButton, notesList, section, status } from "./entity-parts.js";

/** @param {ReturnDetail} r @param {{openEntity: (kind: string, id: string) => void, actions?: any}} ctx */
export function returnView(r, ctx) {
  const money = (cents) => fmt.money(cents, r.currency);
  return h("div", { class: "entity entity-return" },
    h("header", { class: "entity-head" },
      h("p", { class: "eyebrow" }, "Returns"),
      h("h2", { class: "entity-title", tabindex: "-1" }, h("span", { class: "entity-name" }, `#${r.number}`), " ", status(r.status)),
      h("p", { class: "entity-sub" }, copyButton("return number", String(r.number)))),
    ctx.actions ? ctx.actions.bar() : actionsSlot(r.available_actions),
    section("Return", facts([
      ["Original Order", h("span", { class: "copyable" },
        linkButton(`Order #${r.order_number}`, () => ctx.openEntity("order", r.order_id), `Open order ${r.order_number}`),
        copyButton("original order number", String(r.order_number))), false],
      ["Customer", r.customer_id ? linkButton(r.customer_name, () => ctx.openEntity("customer", r.customer_id), `Open customer ${r.customer_name}`) : `${r.customer_name} (guest)`],
      ["Email", email(r.email)],
      ["External ID", r.external_id ? code(r.external_id) : null],
      ["Location", r.location],
      ["Type", label(r.return_type)],
      ["Reason", label(r.reason)],
      ["Refund Status", status(r.refund_status)],
      ["Receive Status", label(r.receive_status)],
      r.return_type === "Replace" ? ["Replacement", label(r.replace_status)] : null,
      ["Refundable", money(r.refundable_cents)],
      ["Refunded", money(r.refunded_cents)],
      ["Created", fmt.dateTime(r.created_at)],
      ["Last Updated", fmt.dateTime(r.updated_at)],
    ])),
    section(`Items (${r.items.length})`, dataTable("Return items", ["Item", "Reasons", "Qty", "Received", "Refunded", "Price"],
      r.items.map((i) => [
        h("span", null, i.name, h("span", { class: "muted small block code" }, i.product_code)),
        i.reasons.map((x) => `${label(x.reason)} ×${x.quantity}`).join(", ") || "—",
        String(i.quantity), String(i.quantity_received), String(i.quantity_refunded), money(i.unit_price_cents),
      ]), { numeric: [2, 3, 4, 5] })),
    section("Refunds", dataTable("Refunds", ["Amount", "Method", "Reason", "When"],
      r.refunds.map((f) => [money(f.amount_cents), label(f.method), f.reason, `${fmt.dateTime(f.created_at)} · ${f.created_by}`]),
      { numeric: [0] })),
    section("Notes", ctx.actions?.button("add_note", "Add note", { suffix: " to return" }), notesList(r.notes)),
    section("History", historyList(r.history, r.currency)));
}
