// Status words as coloured badges (good / warn / bad / neutral), shared by results and views.

import { h } from "../lib/dom.js";
import * as fmt from "../lib/format.js";

const STATUS_TONE = {
  good: ["Active", "Completed", "Paid", "Collected", "Fulfilled", "Closed", "FullyRefunded", "Received", "Authorized", "Replaced", "FULFILLED"],
  warn: ["Pending", "Processing", "PartiallyFulfilled", "PartiallyRefunded", "PartiallyReceived", "Waiting", "Created", "PendingReview", "Submitted", "Accepted", "Validated", "Unpaid", "ReturnRequested", "PartiallyReturned", "READY", "BACKORDER", "AuthorizePending", "CapturePending"],
  bad: ["Cancelled", "Disabled", "Locked", "Rejected", "Errored", "Declined", "Voided", "Abandoned", "CANCELED"],
};

export function status(value) {
  const tone = Object.entries(STATUS_TONE).find(([, list]) => list.includes(value))?.[0] || "neutral";
  return h("span", { class: `status status-${tone}` }, fmt.humanise(value));
}
