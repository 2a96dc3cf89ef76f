// Guess what kind of record a piece of selected text names.

/** digits (optionally "#123") → orders; an "@" → customers; anything else → customers. */
export function guessKind(text) {
  const t = String(text || "").trim();
  if (/^#?\d[\d\s-]*$/.test(t)) return "orders";
  return "customers";
}
