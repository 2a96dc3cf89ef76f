// Open the side panel, and leave a request for it in storage.session, which only trusted
// extension contexts can read: focus the Search box, announce what an overlay Open did, or ask
// the question an overlay Open could not (a call in progress in the way). A panel already open
// reacts to the change; a panel opening now reads it on start.

export const REQUEST_KEY = "panelRequest";

/** Must run before the first `await` of a user-gesture handler, or Chrome refuses it. */
export function openPanel(windowId) {
  if (windowId === undefined || windowId === chrome.windows.WINDOW_ID_NONE) return Promise.resolve(false);
  return chrome.sidePanel.open({ windowId }).then(() => true, (error) => {
    console.warn("side panel not opened:", error?.message);
    return false;
  });
}

export function requestSearchFocus() {
  return leave({ type: "focus-search" });
}

/** @param {Record<string, unknown>} request a type and what the panel needs for it */
export function leave(request) {
  return chrome.storage.session.set({ [REQUEST_KEY]: { ...request, at: Date.now() } });
}
