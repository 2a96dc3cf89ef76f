// Customer tab: profile card and the sections of the store's customer screen (read-only for now).

/** @typedef {import("../lib/schema-types.js").CustomerDetail} CustomerDetail */

import { enc } from "../lib/api.js";
import { h } from "../lib/dom.js";
import * as fmt from "../lib/format.js";
import { label } from "../lib/labels.js";
import { auditLog } from "./audit-log.js";
import { actionsSlot, code, copyable, dataTable, email, emptyNote, facts, linkButton, missingSection, notesList, section, sectionTabs, status, unavailableNotice } from "./entity-parts.js";

/** A saved address's phone and email, each with a Copy button naming the address. */
function contactLine(ct) {
  const whose = ct.label || `${ct.first_name} ${ct.last_name}`;
  return h("p", { class: "muted" },
    ct.phone ? copyable(`phone of ${whose}`, h("span", null, ct.phone)) : null,
    ct.phone && ct.email ? " · " : null,
    ct.email ? copyable(`email of ${whose}`, email(ct.email)) : null);
}

/**
 * @param {CustomerDetail} c
 * @param {{getApi: () => any, openEntity: (kind: string, id: string) => void, memory?: {section?: number}, reload?: () => void}} ctx
 *   memory keeps the chosen section across live reloads of the same tab; reload fetches the
 *   customer again (Retry of a section that could not be loaded)
 */
export function customerView(c, ctx) {
  const act = (name, text, suffix) => ctx.actions?.button(name, text, { suffix, cls: "button small" }) ?? null;
  const money = (cents) => fmt.money(cents, c.currency);
  const yesNo = (b) => (b ? "Yes" : "No");
  // A section Kibo could not load shows why instead of a misleading "No …"; its tab says so too.
  const loadedOr = (field, what, render) => {
    const missing = missingSection(c, field);
    return missing ? () => unavailableNotice(missing, what, ctx.reload) : render;
  };
  const tabLabel = (field, label) => (missingSection(c, field) ? `${label} (not loaded)` : label);
  // Registered shoppers: whether they must choose a new password at the next sign-in (Kibo
  // keeps it in the sign-in state, a call of its own). Guests have no login to speak of.
  const passwordChange = () => {
    if (!c.registered) return null;
    if (missingSection(c, "login_state")) return "Not loaded";
    return c.password_change_required ? "Required at next sign-in" : "Not required";
  };

  const profile = h(
    "div",
    { class: "profile card" },
    h("span", { class: "avatar", "aria-hidden": "true" }, c.initials || fmt.initials(c.full_name)),
    facts([
      ["Full Name", c.full_name],
      ["Address", fmt.addressLine(c.primary_address)],
      ["Account Status", status(c.account_status)],
      ["Lifetime Value", money(c.lifetime_value_cents)],
      ["Customer ID", c.id],
      [c.registered ? "Username" : "Email", c.registered ? (c.username?.includes("@") ? email(c.username) : c.username) : email(c.email)],
    ], "facts profile-facts"),
  );

  const orderTable = async () => {
    const [orders, returns] = await Promise.all([
      // The agent's first page (its default page size).
      ctx.getApi().get(`/customers/${enc(c.id)}/orders`),
      ctx.getApi().get(`/customers/${enc(c.id)}/returns`),
    ]);
    return h(
      "div",
      null,
      h("h3", { class: "sub-heading" }, `Orders (${orders.total_exact ? fmt.number(orders.total) : `${fmt.number(orders.total)}+`})`),
      dataTable("Orders", ["Order", "Status", "Total", "Submitted"], orders.results.map((o) => [
        linkButton(`#${o.number}`, () => ctx.openEntity("order", o.id), `Open order ${o.number}`),
        status(o.status),
        fmt.money(o.total, o.currency || c.currency),
        fmt.date(o.submitted_at),
      ]), { numeric: [2] }),
      h("h3", { class: "sub-heading" }, `Returns (${fmt.number(returns.total)})`),
      dataTable("Returns", ["Return", "Order", "Status", "Created"], returns.results.map((r) => [
        linkButton(`#${r.number}`, () => ctx.openEntity("return", r.id), `Open return ${r.number}`),
        r.order_number ? `#${r.order_number}` : "—",
        status(r.status),
        fmt.date(r.created_at),
      ])),
    );
  };

  const auditLogSection = async () => {
    const page = await ctx.getApi().get(`/customers/${enc(c.id)}/audit-log`);
    return auditLog(page.entries, { currency: c.currency, actionLabel: label });
  };

  const sections = [
    { label: "General", render: () => h("div", null,
      act("edit_general", "Edit general info"),
      act("add_login", "Add login"),
      facts([
        ["First Name", c.first_name],
        ["Last Name", c.last_name],
        ["Username", c.registered ? (c.username?.includes("@") ? email(c.username) : c.username || "—") : "None (guest account)", c.registered],
        ["Password Change", passwordChange()],
        ["Email", email(c.email)],
        ["Customer Set", label(c.customer_set)],
        ["Customer Segments", c.segments.length ? c.segments.map(label).join(", ") : "None"],
        ["Marketing Messages", yesNo(c.accepts_marketing)],
        ["Tax Exempt", yesNo(c.tax_exempt)],
        ["Tax ID", c.tax_id || "—"],
        ["Created", fmt.dateTime(c.created_at)],
        ["Last Order", c.last_order_at ? fmt.dateTime(c.last_order_at) : "—"],
      ]),
      h("h3", { class: "sub-heading with-action" }, "Notes", act("add_note", "Add note", " to customer")),
      notesList(c.notes)) },
    { label: "Contact Information", render: () => h("div", null, act("add_address", "Add address"), c.contacts.length
      ? h("ul", { class: "contact-list" }, c.contacts.map((ct) => h("li", { class: "contact" },
          h("p", null, h("strong", null, ct.label || `${ct.first_name} ${ct.last_name}`), " ",
            ct.types.map((t) => h("span", { class: "tag" }, `${t.is_primary ? "Primary " : ""}${t.name}`)),
            h("span", { class: "contact-actions" },
              ctx.actions?.button("edit_address", "Edit", { preset: { contact_id: String(ct.id) }, label: `Edit address ${ct.label || ct.address?.address1 || ct.id}` }),
              ctx.actions?.button("delete_address", "Delete", { preset: { contact_id: String(ct.id) }, label: `Delete address ${ct.label || ct.address?.address1 || ct.id}` }))),
          h("p", null, `${ct.first_name} ${ct.last_name}${ct.company ? `, ${ct.company}` : ""}`),
          h("p", null, fmt.addressLine(ct.address)),
          contactLine(ct))))
      : emptyNote("No saved addresses")) },
    { label: tabLabel("payment_methods", "Payment Information"), render: loadedOr("payment_methods", "saved cards", () => dataTable("Saved cards", ["Card", "Name", "Expires", "Default"],
      c.payment_methods.map((p) => [`${p.card_brand} •••• ${p.last4}`, p.name_on_card, `${String(p.expire_month).padStart(2, "0")}/${p.expire_year}`, p.is_default ? "Yes" : ""]))) },
    { label: "Orders", render: orderTable },
    { label: "Audit Log", render: auditLogSection },
    { label: "Customer Attributes", render: () => c.attributes.length
      ? facts(c.attributes.map((a) => [a.label, a.values.join(", ") || "—"]))
      : emptyNote("No attributes") },
    { label: tabLabel("store_credits", "Gift Card & Store Credits"), render: loadedOr("store_credits", "store credits", () => dataTable("Store credits", ["Code", "Type", "Balance", "Initial", "Expires"],
      c.store_credits.map((s) => [copyable(`store credit code ${s.code}`, code(s.code)), label(s.credit_type), fmt.money(s.current_balance_cents, s.currency), fmt.money(s.initial_balance_cents, s.currency), s.expires_at ? fmt.date(s.expires_at) : "Never"]), { numeric: [2, 3] })) },
    { label: tabLabel("wishlists", "Wishlists"), render: loadedOr("wishlists", "wishlists", () => c.wishlists.length
      ? h("div", null, c.wishlists.map((w) => h("div", { class: "wishlist" }, h("h3", { class: "sub-heading" }, `${w.name} (${w.items.length})`),
          dataTable(`Items of ${w.name}`, ["Product", "Qty", "Price"], w.items.map((i) => [i.name, String(i.quantity), money(i.unit_price_cents)]), { numeric: [1, 2] }))))
      : emptyNote("No wishlists")) },
  ];

  return h("div", { class: "entity entity-customer" },
    h("header", { class: "entity-head" },
      h("p", { class: "eyebrow" }, "Customers"),
      h("h2", { class: "entity-title", tabindex: "-1" }, h("span", { class: "entity-name" }, c.full_name), " ", status(c.account_status))),
    ctx.actions ? ctx.actions.bar() : actionsSlot(c.available_actions),
    profile,
    sectionTabs("Customer sections", sections, { selected: ctx.memory?.section ?? 0, onChange: (i) => ctx.memory && (ctx.memory.section = i) }));
}
