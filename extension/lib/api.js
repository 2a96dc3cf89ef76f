// HTTP client for the local agent (docs/design.md §2). Knows the auth and write headers and turns
// every failure into an ApiError so callers show one kind of message.

export const API_VERSION = 1;
export const PRODUCT = "callcenter-agent";

export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {{status?: number, code?: string, details?: Record<string, unknown>, network?: boolean}} info
   */
  constructor(message, { status = 0, code = "error", details = {}, network = false } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.network = network;
  }

  /** The request parameter or body field the agent blamed, if any. */
  get field() {
    const d = this.details || {};
    return typeof d.param === "string" ? d.param : typeof d.field === "string" ? d.field : null;
  }
}

export function isAbort(error) {
  return error?.name === "AbortError";
}

export class ApiClient {
  /** @param {{port: number, token: string}} settings */
  constructor({ port, token }) {
    this.port = port;
    this.token = token;
    this.base = `http://127.0.0.1:${port}/api/v1`;
    /** @type {(error: ApiError) => void} */
    this.onFailure = () => {};
  }

  get eventsUrl() {
    return `ws://127.0.0.1:${this.port}/api/v1/events`;
  }

  /**
   * @param {string} method
   * @param {string} path  starting with "/"
   * @param {{query?: Record<string, unknown>, body?: unknown, signal?: AbortSignal, auth?: boolean,
   *          headers?: Record<string, string>, keepalive?: boolean}} [options]  headers: extra ones
   *   (e.g. Idempotency-Key); keepalive: let the request finish while the page unloads
   */
  async request(method, path, { query, body, signal, auth = true, headers: extra, keepalive = false } = {}) {
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(query || {})) {
      if (value === undefined || value === null || value === "") continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    const headers = { ...extra, Accept: "application/json" };
    if (auth) headers.Authorization = `Bearer ${this.token}`;
    const write = method !== "GET";
    if (write) {
      headers["Content-Type"] = "application/json";
      headers["X-Callcenter-Api"] = String(API_VERSION);
    }
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: write && body !== undefined ? JSON.stringify(body) : undefined,
        signal,
        keepalive,
        cache: "no-store",
        credentials: "omit",
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      const failure = new ApiError("The agent is not reachable.", { network: true });
      this.onFailure(failure);
      throw failure;
    }
    let payload = null;
    const text = await response.text();
    if (text) {
      try {
        payload = JSON.parse(text);
      } catch {
        payload = null;
      }
    }
    if (!response.ok) {
      const err = payload?.error;
      const failure = new ApiError(err?.message || `The agent answered ${response.status}.`, {
        status: response.status,
        code: err?.code || "http_error",
        details: err?.details || {},
      });
      this.onFailure(failure);
      throw failure;
    }
    return payload;
  }

  get(path, options) {
    return this.request("GET", path, options);
  }
  post(path, body, options) {
    return this.request("POST", path, { ...options, body: body ?? {} });
  }
  put(path, body, options) {
    return this.request("PUT", path, { ...options, body: body ?? {} });
  }
  delete(path, options) {
    return this.request("DELETE", path, options);
  }
}

export const enc = encodeURIComponent;
