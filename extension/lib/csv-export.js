// CSV export of the current search: the columns shown, the search's own filters and sort, at
// most EXPORT_CAP rows, fetched a page at a time from the agent so progress can be shown.

export const EXPORT_CAP = 1000;

/** One CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ is
 *  prefixed with ' so a spreadsheet does not run it as a formula. */
export function csvField(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell as plain text: money as an amount and its currency, lists joined, the rest as given. */
export function plainCell(column, value, row) {
  if (value === null || value === undefined) return "";
  if (column.type === "money") return `${(Number(value) / 100).toFixed(2)} ${row.currency || ""}`.trim();
  if (Array.isArray(value)) return value.join("; ");
  return value;
}

/** @param {any[]} columns the visible columns, in order @param {any[]} rows */
export function toCsv(columns, rows) {
  const lines = [columns.map((c) => csvField(c.label)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvField(plainCell(c, row[c.key], row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * Every row of the search, up to EXPORT_CAP.
 * @param {(page: number, pageSize: number) => Promise<any>} fetchPage
 * @param {(done: number, of: number) => void} progress
 * @param {{pageSize: number, maxPage: number}} limits
 */
export async function collectRows(fetchPage, progress, { pageSize, maxPage }) {
  const rows = [];
  for (let page = 1; page <= maxPage && rows.length < EXPORT_CAP; page += 1) {
    const data = await fetchPage(page, pageSize);
    rows.push(...data.results);
    progress(Math.min(rows.length, EXPORT_CAP), Math.min(data.total, EXPORT_CAP));
    if (data.results.length < pageSize) break;
  }
  return rows.slice(0, EXPORT_CAP);
}
