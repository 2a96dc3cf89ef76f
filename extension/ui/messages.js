// What each connection state means for the CSR, and the next step. Shared by the panel and the
// pairing page so both say the same thing.

export const SERVE_COMMAND = "callcenter-agent serve";
export const TOKEN_COMMAND = "callcenter-agent token";

/** @param {{status: string, port: number, detail?: string, info?: any, retryAt?: number|null}} s */
export function describe(s) {
  switch (s.status) {
    case "checking":
      return { tone: "neutral", title: "Connecting…", text: `Looking for the agent on port ${s.port}.` };
    case "no-agent":
      return {
        tone: "bad",
        title: "Agent not running",
        text: `Nothing answers on port ${s.port}. Start the agent on this computer; the panel connects by itself.`,
        command: SERVE_COMMAND,
        retry: true,
      };
    case "offline":
      return {
        tone: "warn",
        title: "Agent went away — reconnecting",
        text: "What you see may be out of date. If it does not come back, start it again:",
        command: SERVE_COMMAND,
        retry: true,
      };
    case "incompatible":
      return { tone: "bad", title: "Not a Call Center agent", text: `${s.detail} Check the Agent port.`, retry: true };
    case "impostor":
      return { tone: "bad", title: `Another program is answering on port ${s.port}`, text: `${s.detail} Stop that program or choose another Agent port.`, retry: true };
    case "not-paired":
      return {
        tone: "warn",
        title: "Not paired",
        text: "Run this command, then paste its output as the Pairing token (once callcenter-agent install has run here, the panel pairs by itself):",
        command: TOKEN_COMMAND,
        pair: true,
      };
    case "token-rejected":
      return {
        tone: "bad",
        title: "Token rejected",
        text: "The agent no longer accepts this token (it was rotated or belongs to another install). Paste the current one:",
        command: TOKEN_COMMAND,
        pair: true,
      };
    case "refused":
      return { tone: "bad", title: "Agent refused the panel", text: s.detail || "The agent refused this request.", retry: true };
    case "connected": {
      const info = s.info || {};
      return {
        tone: "good",
        title: "Connected",
        text: `${info.product || "callcenter-agent"} ${info.version || ""} on port ${s.port} · ${info.backend || "?"} store${info.csr_name ? ` · signed in as ${info.csr_name}` : ""}`,
      };
    }
    default:
      return { tone: "neutral", title: s.status, text: "" };
  }
}
