// Display formatting: money from minor units, dates, names. Locale follows the browser.

import { countryName } from "./labels.js";

const moneyFormats = new Map();

/** @param {number|null|undefined} cents @param {string} [currency] */
export function money(cents, currency = "USD") {
  if (cents === null || cents === undefined || Number.isNaN(Number(cents))) return "—";
  const code = typeof currency === "string" && /^[A-Z]{3}$/.test(currency) ? currency : "USD";
  let fmt = moneyFormats.get(code);
  if (!fmt) {
    fmt = new Intl.NumberFormat(undefined, { style: "currency", currency: code });
    moneyFormats.set(code, fmt);
  }
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(Number(cents) / 10 ** digits);
}

const numberFormat = new Intl.NumberFormat();
export function number(value) {
  return value === null || value === undefined ? "—" : numberFormat.format(Number(value));
}

// One date format everywhere, in the CSR's locale, the month spelled out (never "11/9/26", which
// reads 11 September in the UK); a time always carries its time zone.
const DAY = { year: "numeric", month: "short", day: "numeric" };
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { ...DAY, hour: "numeric", minute: "2-digit", timeZoneName: "short" });
const dateFormat = new Intl.DateTimeFormat(undefined, DAY);

/** "Nov 14, 2026, 1:05 PM EST" (in the CSR's locale and time zone). */
export function dateTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTimeFormat.format(d);
}

/** "Nov 14, 2026": a day ("2026-11-14") as it is; a moment, the day it is where the CSR is. */
export function date(iso) {
  if (!iso) return "—";
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateFormat.format(d);
}

/** "John Smith" → "JS" */
export function initials(name) {
  const parts = String(name || "").trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return "?";
  const first = parts[0][0] || "";
  const last = parts.length > 1 ? parts[parts.length - 1][0] : "";
  return (first + last).toUpperCase();
}

/** "PendingReview" → "Pending Review", "NOT_FULFILLED" → "Not fulfilled" */
export function humanise(word) {
  if (word === null || word === undefined) return "—";
  const s = String(word);
  if (/^[A-Z0-9_]+$/.test(s)) {
    const t = s.replace(/_/g, " ").toLowerCase();
    return t.charAt(0).toUpperCase() + t.slice(1);
  }
  return s.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ");
}

/** One-line address from {address1, address2, city, state, postal_code, country}. */
export function addressLine(a) {
  if (!a) return "No address";
  const street = [a.address1 ?? a.line1, a.address2 ?? a.line2].filter(Boolean).join(", ");
  const region = [a.city, [a.state ?? a.state_or_province, a.postal_code ?? a.postalCode].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(", ");
  const country = a.country ?? a.country_code;
  return [street, region, country ? countryName(country) : ""].filter(Boolean).join(", ") || "No address";
}
