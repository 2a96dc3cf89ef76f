// Status words as coloured badges (good / warn / bad / neutral), shared by results and views.
// The words and their tones are the agent's vocabulary (lib/labels.js).

import { h } from "../lib/dom.js";
import { label, tone } from "../lib/labels.js";

export function status(value) {
  return h("span", { class: `status status-${tone(value)}` }, label(value));
}
