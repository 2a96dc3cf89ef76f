// The panel side of requests the service worker leaves in storage.session (sw/panel-requests.js):
// "focus the Search box" after the keyboard command or the context-menu quick search.

const KEY = "panelRequest";
const FRESH_MS = 8000; // a panel opened later than this after the request ignores it

/** @param {(request: {type: string, at: number}) => void} handle */
export function listenForPanelRequests(handle) {
  const take = (request) => {
    if (request && typeof request.type === "string" && Date.now() - request.at < FRESH_MS) handle(request);
  };
  chrome.storage.session.get(KEY).then((raw) => take(raw[KEY])).catch(() => {});
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes[KEY]?.newValue) take(changes[KEY].newValue);
  });
}
