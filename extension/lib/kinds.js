// Each entity kind's collection, its URL path segment and search kind (customer ↔ customers),
// as the agent's shared_schema/common.py COLLECTIONS has them (a test keeps the two equal).

export const COLLECTION_OF = Object.freeze({ customer: "customers", order: "orders", return: "returns" });
export const KIND_OF = Object.freeze(Object.fromEntries(Object.entries(COLLECTION_OF).map(([kind, collection]) => [collection, kind])));
