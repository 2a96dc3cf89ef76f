// The Advanced Search catalogue per kind (filters, columns, default sort), fetched once per
// connection from GET /search/{kind}/filters so the form is always the server's.

const cache = new WeakMap();

/** @param {import("./api.js").ApiClient} api @param {string} kind */
export function getCatalog(api, kind) {
  let perApi = cache.get(api);
  if (!perApi) {
    perApi = new Map();
    cache.set(api, perApi);
  }
  if (!perApi.has(kind)) {
    const promise = api.get(`/search/${encodeURIComponent(kind)}/filters`);
    promise.catch(() => perApi.delete(kind));
    perApi.set(kind, promise);
  }
  return perApi.get(kind);
}

export const KINDS = [
  { value: "customers", label: "Customers", one: "customer", many: "customers" },
  { value: "orders", label: "Orders", one: "order", many: "orders" },
  { value: "returns", label: "Returns", one: "return", many: "returns" },
];

export function kindInfo(kind) {
  return KINDS.find((k) => k.value === kind) || KINDS[0];
}

/** Visible column keys: the remembered choice if it still fits, else the defaults. */
export function visibleColumns(columns, prefs) {
  const known = new Set(columns.map((c) => c.key));
  const chosen = (prefs?.columns || []).filter((key) => known.has(key));
  if (chosen.length) return chosen;
  return columns.filter((c) => c.default_visible).map((c) => c.key);
}
