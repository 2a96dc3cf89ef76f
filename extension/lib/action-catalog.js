// The management-action catalogue: GET /actions (label, menu group, request model,
// Idempotency-Key, confirm; the menu groups in order) joined with the request models' JSON
// Schemas from GET /openapi.json. Fetched once per connection; forms are generated from these
// schemas, never from hand-copied field lists.

/** @typedef {import("./schema-types.js").ActionInfo} ActionInfo */

const cache = new WeakMap();

/**
 * @param {import("./api.js").ApiClient} api
 * @returns {Promise<{actions: ActionInfo[], groups: string[], find: (kind: string, name: string) => ActionInfo|undefined, schema: (name: string) => any, schemas: Record<string, any>}>}
 */
export function getActionCatalog(api) {
  let promise = cache.get(api);
  if (!promise) {
    promise = Promise.all([api.get("/actions"), api.get("/openapi.json")]).then(([catalog, spec]) => {
      const byKey = new Map(catalog.actions.map((a) => [`${a.kind}:${a.name}`, a]));
      const schemas = spec?.components?.schemas || {};
      return {
        actions: catalog.actions,
        groups: catalog.groups,
        find: (kind, name) => byKey.get(`${kind}:${name}`),
        schema: (name) => schemas[name],
        schemas,
      };
    });
    promise.catch(() => cache.delete(api));
    cache.set(api, promise);
  }
  return promise;
}

/** Follow a local "$ref" ("#/components/schemas/X"). */
export function deref(schema, schemas) {
  let s = schema;
  for (let i = 0; s && s.$ref && i < 10; i += 1) {
    const name = s.$ref.split("/").pop();
    s = { ...schemas[name], ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$ref")) };
  }
  return s || {};
}

/** "X | null" (anyOf with a null branch) → {schema: X, nullable: true}. */
export function unwrapNullable(schema, schemas) {
  const s = deref(schema, schemas);
  if (Array.isArray(s.anyOf)) {
    const rest = s.anyOf.filter((b) => b.type !== "null");
    if (rest.length === 1 && rest.length < s.anyOf.length) {
      const { anyOf, ...outer } = s;
      return { schema: { ...deref(rest[0], schemas), ...outer, title: outer.title ?? rest[0].title }, nullable: true };
    }
  }
  return { schema: s, nullable: false };
}

/** Lower and upper bounds, whichever spelling the spec uses. */
export function bounds(schema) {
  return {
    min: schema.minimum ?? schema.ge ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : undefined),
    max: schema.maximum ?? schema.le ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : undefined),
  };
}
