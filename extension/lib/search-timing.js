// User Timing for one search cycle, always on: the keystroke the search answers, the request
// leaving after the debounce, and the results painted. Read them with
// performance.getEntriesByName(MEASURES.keystrokeToPaint) (bench/browser_bench.py does).
// Only the latest KEEP entries of each name are kept.

export const MARKS = {
  keystroke: "cc-search-keystroke",
  request: "cc-search-request",
  painted: "cc-search-painted",
};

export const MEASURES = {
  keystrokeToPaint: "cc-keystroke-to-paint",
  requestToPaint: "cc-request-to-paint",
};

export const KEEP = 100;

/** A mark now; at most 2 × KEEP entries of the name exist at any time. */
export function mark(name) {
  const entry = performance.mark(name);
  trim(name);
  return entry;
}

/**
 * Call right after the results are in the DOM. Once they are painted (the task after the next
 * animation frame: that frame's style, layout and paint have run), both measures are recorded,
 * unless `stillShown()` says newer results replaced these before they reached the screen.
 * @param {{keystroke: PerformanceMark, request: PerformanceMark, response: number,
 *          stillShown: () => boolean, detail: Record<string, unknown>}} cycle
 */
export function measureWhenPainted({ keystroke, request, response, stillShown, detail }) {
  const rendered = performance.now();
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (!stillShown()) return;
      const painted = mark(MARKS.painted);
      const end = painted.startTime;
      const full = {
        ...detail,
        fetch_ms: response - request.startTime,
        render_ms: rendered - response,
        paint_ms: end - rendered,
      };
      performance.measure(MEASURES.keystrokeToPaint, { start: keystroke.startTime, end, detail: full });
      performance.measure(MEASURES.requestToPaint, { start: request.startTime, end, detail: full });
      trim(MEASURES.keystrokeToPaint);
      trim(MEASURES.requestToPaint);
    };
    channel.port2.postMessage(null);
  });
}

// Entries cannot be removed one by one: past 2 × KEEP, keep the newest KEEP by clearing the
// name and recording them again with their own times.
function trim(name) {
  const entries = performance.getEntriesByName(name);
  if (entries.length <= 2 * KEEP) return;
  const kept = entries.slice(-KEEP);
  if (entries[0].entryType === "mark") {
    performance.clearMarks(name);
    for (const e of kept) performance.mark(name, { startTime: e.startTime, detail: e.detail });
  } else {
    performance.clearMeasures(name);
    for (const e of kept) performance.measure(name, { start: e.startTime, duration: e.duration, detail: e.detail });
  }
}
