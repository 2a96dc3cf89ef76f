// The one way settings become "paired": check the agent at them with the panel's own checks,
// then store them (every open panel follows). The pairing form and the native host's answer
// (lib/native-pairing.js) both come through here.

import { probe } from "./connection.js";
import { saveSettings } from "./storage.js";

/**
 * @param {{port: number, token: string}} settings
 * @returns {Promise<any>} the checks' outcome ({status, detail, info})
 */
export async function pairWith(settings) {
  const outcome = await probe(settings);
  await saveSettings(settings);
  return outcome;
}
