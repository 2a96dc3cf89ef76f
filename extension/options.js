// Options page: pairing, with a live line saying where the connection stands, the admin
// consoles and the note templates.

import { Connection } from "./lib/connection.js";
import { pairWhenNeeded } from "./lib/native-pairing.js";
import { h } from "./lib/dom.js";
import { describe } from "./ui/messages.js";
import { pairingForm } from "./ui/pairing-form.js";
import { profilesForm } from "./ui/profiles-form.js";
import { templatesForm } from "./ui/templates-form.js";

document.getElementById("pairing").append(pairingForm());
document.getElementById("profiles").append(profilesForm());

const status = document.getElementById("current-status");
const conn = new Connection({ live: false });
document.getElementById("templates").append(templatesForm(conn));
conn.subscribe((state) => {
  const d = describe(state);
  status.className = `pair-result tone-${d.tone}`;
  status.dataset.connection = state.status;
  status.replaceChildren(h("strong", null, d.title), " ", d.text, d.command ? h("code", null, d.command) : "");
});
pairWhenNeeded(conn);
conn.start();
