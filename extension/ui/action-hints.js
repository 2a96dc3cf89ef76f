// What a generic schema form cannot know about each action: the entity's current values to start
// from (edit forms), choices drawn from the entity (payments, addresses, notes, items), and the
// before/after preview a confirmation shows. Labels, menu groups and the confirmation flag come
// from the agent's GET /actions; an action needs an entry here only for a better form.

import * as fmt from "../lib/format.js";
import { label } from "../lib/labels.js";
import { fromMinorUnits } from "./json-schema-form.js";

const partyRaw = (prefix, p) => (p ? {
  [`${prefix}.first_name`]: p.first_name, [`${prefix}.last_name`]: p.last_name, [`${prefix}.email`]: p.email, [`${prefix}.phone`]: p.phone,
  [`${prefix}.address.address1`]: p.address?.address1, [`${prefix}.address.address2`]: p.address?.address2, [`${prefix}.address.city`]: p.address?.city,
  [`${prefix}.address.state`]: p.address?.state, [`${prefix}.address.postal_code`]: p.address?.postal_code, [`${prefix}.address.country`]: p.address?.country,
} : {});

const contactRaw = (c) => (c ? {
  contact_id: String(c.id), label: c.label, first_name: c.first_name, last_name: c.last_name, email: c.email, phone: c.phone, company: c.company,
  "address.address1": c.address?.address1, "address.address2": c.address?.address2, "address.city": c.address?.city, "address.state": c.address?.state,
  "address.postal_code": c.address?.postal_code, "address.country": c.address?.country,
  ...Object.fromEntries(c.types.flatMap((t) => [[`types.${t.name}.include`, true], [`types.${t.name}.is_primary`, t.is_primary]])),
} : {});

/** The customer's saved addresses as an order party's raw inputs (change an order's address). */
async function savedAddresses(o, api) {
  if (!o.customer_id) return [];
  const customer = await api.get(`/customers/${encodeURIComponent(o.customer_id)}`);
  return customer.contacts.map((c) => ({
    label: `${c.label || `${c.first_name} ${c.last_name}`.trim()} — ${fmt.addressLine(c.address)}`,
    // Every field set, blanks included, so nothing of the address it replaces stays behind.
    raw: Object.fromEntries(Object.entries(partyRaw("address", { first_name: c.first_name, last_name: c.last_name, email: c.email, phone: c.phone, address: c.address }))
      .map(([path, value]) => [path, value ?? ""])),
  }));
}

const typeRows = { rows: [{ key: "Billing", label: "Billing" }, { key: "Shipping", label: "Shipping" }], rowKey: "name", label: "Use for" };

const paymentOptions = (o, which) => o.payments.filter((p) => !which || p.available_actions.includes(which)).map((p) => ({
  value: p.id, label: `${p.card_brand ? `${p.card_brand} •••• ${p.card_last4}` : label(p.type)} · ${fmt.money(p.amount_requested_cents, o.currency)} · ${label(p.status)}`,
}));
const contactOptions = (c) => c.contacts.map((ct) => ({ value: String(ct.id), label: `${ct.label || `${ct.first_name} ${ct.last_name}`} — ${fmt.addressLine(ct.address)}` }));
const creditOptions = (c) => c.store_credits.map((s) => ({ value: s.code, label: `${s.code} · ${fmt.money(s.current_balance_cents, s.currency)}` }));
const creditOf = (c, code) => c.store_credits.find((s) => s.code === code);
const noteOptions = (e) => e.notes.map((n) => ({ value: n.id, label: n.text.length > 60 ? `${n.text.slice(0, 57)}…` : n.text }));
const money = (e, cents) => fmt.money(cents, e.currency);
const orderItemRows = (o, max) => o.items.map((i) => ({ key: String(i.line_id), fixed: i.line_id, label: i.name, note: i.product_code, max: max(i) })).filter((r) => r.max > 0);
const returnItemRows = (r, max) => r.items.map((i) => ({ key: i.id, label: i.name, note: i.product_code, max: max(i) })).filter((x) => x.max > 0);

/** Before/after rows for a money line. */
const moneyRow = (label, e, before, after) => ({ label, before: money(e, before), after: money(e, after) });

/**
 * Per "kind:action": {prefill(entity, preset) → raw inputs, fields(entity) → hints,
 * changedOnly, preview(entity, body) → [{label, before, after}], confirm(entity, body) → button text,
 * choices: {label, load(entity, api) → [{label, raw}]} — ready-made inputs offered above the form}.
 */
export const HINTS = {
  // ---------- customers ----------
  "customer:edit_general": {
    changedOnly: true,
    prefill: (c) => ({ first_name: c.first_name, last_name: c.last_name, email: c.email, username: c.username ?? "", accepts_marketing: c.accepts_marketing, tax_exempt: c.tax_exempt, tax_id: c.tax_id ?? "" }),
    fields: () => ({ email: { type: "email" } }),
  },
  "customer:add_address": { fields: () => ({ types: typeRows }), prefill: (c) => ({ "address.country": c.primary_address?.country || "" }) },
  "customer:edit_address": {
    changedOnly: true,
    prefill: (c, preset) => contactRaw(c.contacts.find((x) => String(x.id) === String(preset?.contact_id)) || c.contacts[0]),
    fields: (c) => ({ contact_id: { options: contactOptions(c), reprefill: true }, types: typeRows }),
  },
  "customer:delete_address": {
    fields: (c) => ({ contact_id: { options: contactOptions(c) } }),
    prefill: (c, preset) => ({ contact_id: String(preset?.contact_id ?? c.contacts[0]?.id ?? "") }),
    preview: (c, b) => [{ label: "Address", before: contactOptions(c).find((o) => o.value === String(b.contact_id))?.label || "—", after: "Deleted" }],
  },
  "customer:set_primary_address": {
    fields: (c) => ({ contact_id: { options: contactOptions(c) } }),
    prefill: (c, preset) => ({ contact_id: String(preset?.contact_id ?? c.contacts[0]?.id ?? "") }),
  },
  "customer:disable_account": { preview: (c) => [{ label: "Account status", before: c.account_status, after: "Disabled" }] },
  "customer:add_login": {
    prefill: (c) => ({ email: c.email }),
    fields: () => ({
      username: { label: "User name", help: "What the shopper will sign in with: letters, digits and . _ @ + -" },
      email: { type: "email", label: "Sign-in email", help: "Gets the link to set the password; the account's email when left empty" },
    }),
  },
  "customer:add_note": { fields: () => ({ text: { widget: "textarea", label: "Note" } }) },
  "customer:edit_note": {
    fields: (c) => ({ note_id: { options: noteOptions(c), reprefill: true }, text: { widget: "textarea", label: "Note" } }),
    prefill: (c, preset) => { const n = c.notes.find((x) => x.id === preset?.note_id) || c.notes[0]; return n ? { note_id: n.id, text: n.text } : {}; },
  },
  "customer:delete_note": {
    fields: (c) => ({ note_id: { options: noteOptions(c) } }), prefill: (c, preset) => ({ note_id: preset?.note_id ?? c.notes[0]?.id }),
    preview: (c, b) => [{ label: "Note", before: c.notes.find((n) => n.id === b.note_id)?.text || "—", after: "Deleted" }],
  },
  "customer:set_attribute": {
    fields: (c) => ({ fqn: c.attributes.length ? { options: c.attributes.map((a) => ({ value: a.fqn, label: a.label })), reprefill: true } : { help: "The attribute's code, e.g. tenant~loyalty-tier" }, values: { help: "One value per line; none removes the attribute" } }),
    prefill: (c, preset) => { const a = c.attributes.find((x) => x.fqn === preset?.fqn) || c.attributes[0]; return a ? { fqn: a.fqn, values: a.values.join("\n") } : {}; },
  },
  "customer:remove_segment": { fields: (c) => ({ segment: { options: c.segments.map((s) => ({ value: s, label: label(s) })) } }) },
  "customer:issue_store_credit": {
    fields: (c) => ({ currency: { widget: "hidden" }, comments: { widget: "textarea", label: "Comments (optional)" }, amount_cents: { label: `Amount (${c.currency})` } }),
    prefill: (c) => ({ currency: c.currency }),
    preview: (c, b) => [{ label: "Store credit issued", before: "—", after: money(c, b.amount_cents) }],
    confirm: (c, b) => `Issue ${money(c, b.amount_cents)}`,
  },
  "customer:adjust_store_credit": {
    fields: (c) => ({ code: { options: creditOptions(c) }, amount_cents: { label: "Change (negative lowers the balance)" } }),
    preview: (c, b) => { const s = creditOf(c, b.code); return s ? [moneyRow(`Balance of ${s.code}`, c, s.current_balance_cents, s.current_balance_cents + b.amount_cents)] : []; },
  },
  "customer:edit_store_credit_expiry": {
    fields: (c) => ({ code: { options: creditOptions(c), reprefill: true }, expires_on: { type: "date", label: "Expires on", help: "The last day it can be spent (UTC); today or later" } }),
    prefill: (c, preset) => { const s = creditOf(c, preset?.code) || c.store_credits[0]; return s ? { code: s.code, expires_on: s.expires_at ? s.expires_at.slice(0, 10) : "" } : {}; },
  },
  "customer:delete_store_credit": {
    fields: (c) => ({ code: { options: creditOptions(c) } }),
    preview: (c, b) => { const s = creditOf(c, b.code); return s ? [{ label: "Store credit", before: s.code, after: "Deleted" }, { label: "Balance", before: fmt.money(s.current_balance_cents, s.currency), after: "Gone with it" }] : []; },
    confirm: (c, b) => `Delete ${b.code}`,
  },
  "customer:resend_store_credit_email": { fields: (c) => ({ code: { options: creditOptions(c) } }) },

  // ---------- orders ----------
  "order:change_billing_address": { prefill: (o) => partyRaw("address", o.billing_address), fields: () => ({ address: { label: "Billing address" } }), choices: { label: "Use a saved address", load: savedAddresses } },
  "order:change_shipping_address": { prefill: (o) => partyRaw("address", o.shipping_address), fields: () => ({ address: { label: "Shipping address" } }), choices: { label: "Use a saved address", load: savedAddresses } },
  "order:change_email": { prefill: (o) => ({ email: o.email }), fields: () => ({ email: { type: "email" } }) },
  "order:add_note": { fields: () => ({ text: { widget: "textarea", label: "Note" } }) },
  "order:edit_note": {
    fields: (o) => ({ note_id: { options: noteOptions(o), reprefill: true }, text: { widget: "textarea", label: "Note" } }),
    prefill: (o, preset) => { const n = o.notes.find((x) => x.id === preset?.note_id) || o.notes[0]; return n ? { note_id: n.id, text: n.text } : {}; },
  },
  "order:delete_note": {
    fields: (o) => ({ note_id: { options: noteOptions(o) } }), prefill: (o, preset) => ({ note_id: preset?.note_id ?? o.notes[0]?.id }),
    preview: (o, b) => [{ label: "Note", before: o.notes.find((n) => n.id === b.note_id)?.text || "—", after: "Deleted" }],
  },
  "order:submit_order": { preview: (o) => [{ label: "Status", before: label(o.status), after: "Submitted" }], confirm: () => "Submit order" },
  "order:accept_order": { preview: (o) => [{ label: "Status", before: label(o.status), after: "Accepted" }], confirm: () => "Accept order" },
  "order:set_processing": { preview: (o) => [{ label: "Status", before: label(o.status), after: "Processing" }], confirm: () => "Set as processing" },
  "order:cancel_order": {
    preview: (o) => [
      { label: "Status", before: label(o.status), after: "Cancelled" },
      moneyRow("Pending (authorizations voided)", o, o.totals.pending_cents, 0),
      o.totals.collected_cents ? moneyRow("Collected (credited back)", o, o.totals.collected_cents - o.totals.refunded_cents, 0) : null,
    ].filter(Boolean),
    confirm: () => "Cancel order",
  },
  "order:cancel_items": {
    fields: (o) => ({ items: { rows: orderItemRows(o, (i) => i.quantity - i.quantity_fulfilled - i.quantity_cancelled), rowKey: "line_id", label: "Quantities to cancel" } }),
    preview: (o, b) => b.items.map((x) => { const i = o.items.find((y) => y.line_id === x.line_id); const open = i.quantity - i.quantity_cancelled; return { label: i.name, before: `${open} open`, after: `${open - x.quantity} open (${x.quantity} cancelled)` }; }),
    confirm: () => "Cancel items",
  },
  "order:capture_payment": {
    fields: (o) => ({ payment_id: { options: paymentOptions(o, "capture_payment") } }),
    prefill: (o) => { const p = o.payments.find((x) => x.available_actions.includes("capture_payment")); return p ? { payment_id: p.id, amount_cents: fromMinorUnits(p.amount_requested_cents - p.amount_collected_cents, o.currency) } : {}; },
    preview: (o, b) => [moneyRow("Collected", o, o.totals.collected_cents, o.totals.collected_cents + b.amount_cents)],
    confirm: (o, b) => `Capture ${money(o, b.amount_cents)}`,
  },
  "order:void_payment": {
    fields: (o) => ({ payment_id: { options: paymentOptions(o, "void_payment") } }),
    prefill: (o) => ({ payment_id: o.payments.find((x) => x.available_actions.includes("void_payment"))?.id }),
    preview: (o, b) => { const p = o.payments.find((x) => x.id === b.payment_id); return p ? [{ label: "Payment", before: label(p.status), after: "Voided" }, moneyRow("Pending", o, o.totals.pending_cents, Math.max(0, o.totals.pending_cents - p.amount_requested_cents))] : []; },
    confirm: () => "Void payment",
  },
  "order:credit_payment": {
    fields: (o) => ({ payment_id: { options: paymentOptions(o, "credit_payment") }, amount_cents: { max: o.totals.refundable_cents, help: `Up to ${money(o, o.totals.refundable_cents)} refundable` } }),
    prefill: (o) => ({ payment_id: o.payments.find((x) => x.available_actions.includes("credit_payment"))?.id }),
    preview: (o, b) => [moneyRow("Refunded", o, o.totals.refunded_cents, o.totals.refunded_cents + b.amount_cents), moneyRow("Refundable", o, o.totals.refundable_cents, o.totals.refundable_cents - b.amount_cents)],
    confirm: (o, b) => `Credit ${money(o, b.amount_cents)}`,
  },
  "order:refund": {
    fields: (o) => ({ payment_id: { options: paymentOptions(o), label: "Payment (optional)" }, amount_cents: { max: o.totals.refundable_cents, help: `Up to ${money(o, o.totals.refundable_cents)} refundable` } }),
    preview: (o, b) => [moneyRow("Refunded", o, o.totals.refunded_cents, o.totals.refunded_cents + b.amount_cents), moneyRow("Refundable", o, o.totals.refundable_cents, o.totals.refundable_cents - b.amount_cents)],
    confirm: (o, b) => `Refund ${money(o, b.amount_cents)}`,
  },
  "order:appeasement": {
    fields: (o) => ({ adjustment: { typeLabel: "Type", branchLabels: { item_price: "Item price override", shipping: "Shipping adjustment" } }, "adjustment.line_id": { options: o.items.map((i) => ({ value: String(i.line_id), label: `${i.name} · ${money(o, i.unit_price_cents)}` })), label: "Item" }, "adjustment.amount_cents": { max: o.totals.shipping_cents, help: `Shipping charged: ${money(o, o.totals.shipping_cents)}` } }),
    preview: (o, b) => {
      const a = b.adjustment;
      if (a.type === "shipping") return [moneyRow("Shipping", o, o.totals.shipping_cents, o.totals.shipping_cents - a.amount_cents)];
      const i = o.items.find((x) => x.line_id === a.line_id);
      return i ? [moneyRow(`Unit price of ${i.name}`, o, i.unit_price_cents, a.unit_price_cents)] : [];
    },
    confirm: () => "Apply appeasement",
  },
  "order:resend_shipment_email": { fields: (o) => ({ shipment_number: { options: o.shipments.map((s) => ({ value: String(s.number), label: `#${s.number} · ${label(s.status)}` })), label: "Shipment (default: latest)" } }) },
  "order:start_return": {
    fields: (o) => ({ items: { rows: orderItemRows(o, (i) => i.quantity_returnable), rowKey: "line_id", label: "Items to return" } }),
  },

  // ---------- returns ----------
  "return:reject": { preview: (r) => [{ label: "Status", before: label(r.status), after: "Rejected" }], confirm: () => "Reject return" },
  "return:cancel": { preview: (r) => [{ label: "Status", before: label(r.status), after: "Cancelled" }], confirm: () => "Cancel return" },
  "return:receive_items": { fields: (r) => ({ items: { rows: returnItemRows(r, (i) => i.quantity - i.quantity_received), rowKey: "item_id", label: "Quantities received" } }) },
  "return:restock": { fields: (r) => ({ items: { rows: returnItemRows(r, (i) => i.quantity_received - i.quantity_restocked), rowKey: "item_id", label: "Quantities to restock" } }) },
  "return:refund": {
    fields: (r) => ({ mode: { options: [{ value: "auto", label: `Everything refundable (${money(r, r.refundable_cents)})` }, { value: "manual", label: "An amount I enter" }], label: "Amount" }, amount_cents: { label: "Manual amount", max: r.refundable_cents, help: `Up to ${money(r, r.refundable_cents)}`, showWhen: ["mode", "manual"] } }),
    prefill: () => ({ mode: "auto" }),
    preview: (r, b) => { const amount = b.mode === "auto" ? r.refundable_cents : b.amount_cents; return [moneyRow("Refunded", r, r.refunded_cents, r.refunded_cents + amount), moneyRow("Refundable", r, r.refundable_cents, r.refundable_cents - amount), { label: "Refund to", before: "", after: label(b.method || "OriginalPayment") }]; },
    confirm: (r, b) => `Refund ${money(r, b.mode === "auto" ? r.refundable_cents : b.amount_cents)}`,
  },
  "return:ship_replacement": { confirm: () => "Ship replacement", preview: (r) => [{ label: "Replacement", before: label(r.replace_status), after: "Shipped (a child order is created)" }] },
  "return:add_note": { fields: () => ({ text: { widget: "textarea", label: "Note" } }) },
  "return:edit_note": {
    fields: (r) => ({ note_id: { options: noteOptions(r), reprefill: true }, text: { widget: "textarea", label: "Note" } }),
    prefill: (r, preset) => { const n = r.notes.find((x) => x.id === preset?.note_id) || r.notes[0]; return n ? { note_id: n.id, text: n.text } : {}; },
  },
  "return:delete_note": {
    fields: (r) => ({ note_id: { options: noteOptions(r) } }), prefill: (r, preset) => ({ note_id: preset?.note_id ?? r.notes[0]?.id }),
    preview: (r, b) => [{ label: "Note", before: r.notes.find((n) => n.id === b.note_id)?.text || "—", after: "Deleted" }],
  },
};

export function hintsFor(kind, name) {
  return HINTS[`${kind}:${name}`] || {};
}

/** Generic preview when the action has none: the values being sent. */
export function genericPreview(body) {
  return Object.entries(body).filter(([k]) => k !== "expected_version").map(([k, v]) => ({ label: fmt.humanise(k), before: "", after: typeof v === "object" ? JSON.stringify(v) : String(v) }));
}
