// Quick search: the context-menu item on selected text and the keyboard command. Both open the
// panel (they are user gestures), show a search page and ask the panel to focus its Search box.

import { guessKind } from "../lib/quick-search.js";
import { showSearch } from "./agent-calls.js";
import { openPanel, requestSearchFocus } from "./panel-requests.js";

export const MENU_ID = "cc-search-selection";
export const COMMAND = "focus-search";

export function createMenu() {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: MENU_ID, title: "Search Call Center for “%s”", contexts: ["selection"] });
  });
}

async function search(query) {
  try {
    await showSearch(query);
  } catch (error) {
    console.warn("quick search:", error?.message);
  }
  await requestSearchFocus();
}

export function onMenuClicked(info, tab) {
  if (info.menuItemId !== MENU_ID) return Promise.resolve();
  openPanel(tab?.windowId);
  const q = String(info.selectionText || "").trim().replace(/\s+/g, " ").slice(0, 200);
  return search(q ? { q, kind: guessKind(q) } : null);
}

export function onCommand(command, tab) {
  if (command !== COMMAND) return Promise.resolve();
  openPanel(tab?.windowId);
  return search(null);
}

chrome.runtime.onInstalled.addListener(createMenu);
chrome.contextMenus.onClicked.addListener(onMenuClicked);
chrome.commands.onCommand.addListener(onCommand);
