/**
 * A cell a spreadsheet could run as a formula: it starts with = + - @ (or a tab or carriage return,
 * which some spreadsheets skip before such a character), or one of those follows, after optional
 * spaces, a character a spreadsheet may split cells on: comma, semicolon (the separator of locales
 * with a decimal comma), tab, or a line end.
 */
const FORMULA = /^[=+\-@\t\r]|[,;\t\r\n] *[=+\-@]/;

/**
 * CSV per RFC 4180, with spreadsheet formula injection neutralised. A formula-like cell (`FORMULA`)
 * is prefixed with an apostrophe, which spreadsheets read as "this cell is text" and do not show. A
 * cell containing a quote, a separator of any locale (comma, semicolon, tab) or a line end is quoted,
 * so no spreadsheet splits it into cells of which one could start with a formula.
 */
export function csvCell(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvCell).join(',');
}

/** A CSV document: one line per row, CRLF line ends as RFC 4180 asks, ending with a line end. */
export function csvDocument(rows: readonly (readonly string[])[]): string {
  return `${rows.map((row) => csvLine(row)).join('\r\n')}\r\n`;
}
