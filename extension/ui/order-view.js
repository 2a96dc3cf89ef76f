// Order tab: number and status, payment and fulfilment summary, addresses, items, payments,
// shipments, returns, notes and history (read-only for now).

/** @typedef {import("../lib/schema-types.js").OrderDetail} OrderDetail */

import { h } from "../lib/dom.js";
import * as fmt from "../lib/format.js";
import { label } from "../lib/labels.js";
import { newOrderLink } from "./new-order-link.js";
import { actionsSlot, code, copyable, copyButton, dataTable, email, facts, historyList, linkButton, missingSection, notesList, partyAddress, section, status, unavailableNotice } from "./entity-parts.js";

/** A shipment's carrier and method, then its tracking number with a Copy button. */
function carrierLine(s) {
  const how = [s.carrier, s.shipping_method].filter(Boolean).join(" · ");
  if (!s.tracking_number) return how;
  return h("span", null, how ? `${how} · ` : null, copyable(`tracking number of shipment ${s.number}`, code(s.tracking_number)));
}

/**
 * @param {OrderDetail} o
 * @param {{openEntity: (kind: string, id: string) => void, actions?: any, reload?: () => void, consoleUrl?: () => string|null|undefined}} ctx
 *   reload fetches the order again (Retry of its returns when they could not be loaded)
 */
export function orderView(o, ctx) {
  const act = (name, text, suffix) => ctx.actions?.button(name, text, { suffix }) ?? null;
  const money = (cents) => fmt.money(cents, o.currency);
  const t = o.totals;
  const returnsMissing = missingSection(o, "returns"); // then returned quantities are unknown
  const customer = o.customer_id
    ? linkButton(o.customer_name, () => ctx.openEntity("customer", o.customer_id), `Open customer ${o.customer_name}`)
    : `${o.customer_name} (guest)`;

  const summary = h("div", { class: "summary-grid" },
    section("Payment", facts([
      ["Order Total", money(t.total_cents)],
      ["Pending", money(t.pending_cents)],
      ["Collected", money(t.collected_cents)],
      ["Balance", money(t.balance_cents)],
      t.refunded_cents ? ["Refunded", money(t.refunded_cents)] : null,
    ])),
    section("Fulfillment", facts([
      ["Items", fmt.number(o.fulfillment.items)],
      ["Remaining", fmt.number(o.fulfillment.remaining)],
      ["Status", status(o.fulfillment_status)],
    ])),
    section("Order Date", facts([
      ["Order Date", fmt.dateTime(o.submitted_at)],
      ["Last Updated", fmt.dateTime(o.updated_at)],
    ], "facts stacked-facts")),
    section("Channel", facts([
      ["Channel", label(o.channel)],
      ["Type", o.type === "Offline" ? "Offline Order" : "Online Order"],
      ["Site", o.site],
      ["External ID", o.external_id ? code(o.external_id) : null],
      ["Location", o.location],
    ])),
  );

  return h("div", { class: "entity entity-order" },
    h("header", { class: "entity-head" },
      h("p", { class: "eyebrow" }, "Orders"),
      h("h2", { class: "entity-title", tabindex: "-1" }, h("span", { class: "entity-name" }, `#${o.number}`), " ", status(o.status)),
      h("p", { class: "entity-sub" }, copyButton("order number", String(o.number))),
      h("p", { class: "entity-sub" }, "Customer: ", customer, " · ", o.email ? copyable("email", email(o.email)) : email(o.email)),
      h("p", { class: "entity-sub muted" }, `Payment: ${label(o.payment_status)} · Returns: ${label(o.return_status)}`)),
    ctx.actions ? ctx.actions.bar() : actionsSlot(o.available_actions),
    h("p", { class: "new-order-note small" }, newOrderLink(ctx.consoleUrl?.())),
    summary,
    section("Addresses", h("div", { class: "address-grid" },
      h("div", null, h("h4", { class: "sub-heading with-action" }, "Billing Address", act("change_billing_address", "Change Address", " (billing)")), partyAddress(o.billing_address)),
      h("div", null, h("h4", { class: "sub-heading with-action" }, "Shipping Address", act("change_shipping_address", "Change Address", " (shipping)")), partyAddress(o.shipping_address), h("p", { class: "muted small" }, o.shipping_method))),
      act("change_email", "Change email", ` of order ${o.number}`)),
    section(`Items (${o.items.length})`, dataTable("Items", ["Item", "Qty", "Price", "Total", "Shipped", "Returned"],
      o.items.map((i) => [h("span", null, i.name, h("span", { class: "muted small block code" }, i.product_code)), String(i.quantity), money(i.unit_price_cents), money(i.total_cents), String(i.quantity_fulfilled), returnsMissing ? "—" : String(i.quantity_returned)]),
      { numeric: [1, 2, 3, 4, 5] }),
      facts([["Subtotal", money(t.subtotal_cents)], t.discount_cents ? ["Discount", money(t.discount_cents)] : null, ["Shipping", money(t.shipping_cents)], ["Tax", money(t.tax_cents)], ["Total", money(t.total_cents)]], "facts totals")),
    section("Payments", dataTable("Payments", ["Method", "Status", "Requested", "Collected", "Credited"],
      o.payments.map((p) => [p.card_brand ? `${p.card_brand} •••• ${p.card_last4}` : label(p.type), status(p.status), money(p.amount_requested_cents), money(p.amount_collected_cents), money(p.amount_credited_cents)]),
      { numeric: [2, 3, 4] })),
    section("Shipments", dataTable("Shipments", ["Shipment", "Status", "Carrier", "Items"],
      o.shipments.map((s) => [copyable(`shipment number ${s.number}`, code(`#${s.number}`), String(s.number)), status(s.status), carrierLine(s), s.items.map((i) => `${i.quantity}× ${i.name}`).join(", ")]))),
    section("Returns", returnsMissing ? unavailableNotice(returnsMissing, "returns", ctx.reload) : dataTable("Returns", ["Return", "Status", "Type", "Refunded"],
      o.returns.map((r) => [linkButton(`#${r.number}`, () => ctx.openEntity("return", r.id), `Open return ${r.number}`), status(r.status), label(r.return_type), money(r.refunded_cents)]),
      { numeric: [3] })),
    section("Notes", act("add_note", "Add note", " to order"), notesList(o.notes)),
    section("History", historyList(o.history, o.currency)));
}
