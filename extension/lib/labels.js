// The agent's vocabulary of display words (GET /info `vocabulary`): a label per code
// ("PartiallyRefunded" → "Partially Refunded"), the tone of status words, field names and
// country names. Set once per connection by app.js; every view reads its words here, so the
// panel, the CLI and the admin console say the same thing.

/** @typedef {import("./schema-types.js").Vocabulary} Vocabulary */

/** @type {Vocabulary} */
let words = { labels: {}, tones: {}, fields: {}, countries: {} };

/** @param {Vocabulary|undefined|null} vocabulary */
export function setVocabulary(vocabulary) {
  if (vocabulary) words = vocabulary;
}

/** A code as the CSR reads it; a code the agent has no word for is shown as it is. */
export function label(code) {
  if (code === null || code === undefined || code === "") return "—";
  return words.labels[code] ?? String(code);
}

/** "good" | "warn" | "bad" | "neutral" */
export function tone(code) {
  return words.tones[code] ?? "neutral";
}

/** A field name of a document or an audit entry ("current_balance_cents" → "Balance"). */
export function fieldLabel(key) {
  if (words.fields[key]) return words.fields[key];
  const text = String(key).replace(/_cents$/, "").replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "CA" → "Canada" */
export function countryName(code) {
  return words.countries[code] ?? code;
}

/** Every country the agent accepts, by name: [{value: "CA", label: "Canada"}, …]. */
export function countryOptions() {
  return Object.entries(words.countries)
    .map(([value, name]) => ({ value, label: name }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
