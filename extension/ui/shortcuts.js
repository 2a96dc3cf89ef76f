// Keyboard shortcuts of the panel (also listed in the Help dialog and README):
//   Alt+0            Start New Call
//   Alt+1 … Alt+4    session 1–4
//   Alt+Shift+1 … 4  tab 1–4 of the active session
//   /                focus the Search box (when not typing)
//   Delete           close the focused tab or session (tab-bar.js, sessions-nav.js)
//   ?                this list (the Keyboard shortcuts dialog; when not typing)
// Keys are matched by event.code so Shift and keyboard layouts don't change the digit.

export const SHORTCUTS = [
  ["Alt+0", "Start New Call"],
  ["Alt+1 … Alt+4", "Go to session 1–4"],
  ["Alt+Shift+1 … Alt+Shift+4", "Go to tab 1–4 of the session"],
  ["/", "Focus the Search box"],
  ["↑ ↓ Home End, Enter", "Move through results, open one"],
  ["← → Home End", "Move between tabs"],
  ["Delete", "Close the focused tab (New Search stays) or the focused session (wrap-up first)"],
  ["Esc", "Close the Columns menu or a dialog"],
  ["?", "Show these shortcuts"],
  ["; name, then Enter", "In a note box: insert a note template (options page)"],
];

/** Browser-wide ways in (help-dialog.js shows the shortcut the user actually set). */
export const BROWSER_SHORTCUTS = [
  ["focus-search", "Alt+Shift+F", "Open the Call Center with the Search box focused (any tab)"],
];
export const OTHER_WAYS_IN = [
  ["Right-click selected text", "Search Call Center for “…”: digits search orders, anything else customers (the kind can be changed)"],
  ["Open in Call Center", "The button on a recognised admin console page opens that record in its customer's session"],
  ["Open in admin", "The button on a customer, order or return tab shows its admin screen in the current browser tab"],
];

/** @param {{startNewCall: () => void, session: (n: number) => void, tab: (n: number) => void, focusSearch: () => void, help?: () => void}} handlers */
export function installShortcuts(handlers) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey) return;
    const digit = /^Digit([0-9])$/.exec(event.code)?.[1];
    if (event.altKey && digit !== undefined) {
      const n = Number(digit);
      if (!event.shiftKey && n === 0) handlers.startNewCall();
      else if (n >= 1 && n <= 4) (event.shiftKey ? handlers.tab : handlers.session)(n);
      else return;
      event.preventDefault();
      return;
    }
    if (event.key === "?" && !event.altKey && !isTyping(event.target)) {
      event.preventDefault();
      handlers.help?.();
      return;
    }
    if (event.key === "/" && !event.altKey && !isTyping(event.target)) {
      event.preventDefault();
      handlers.focusSearch();
    }
  });
}

function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}
