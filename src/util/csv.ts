/**
 * CSV per RFC 4180, with spreadsheet formula injection neutralised: a cell that starts with
 * = + - @ or a control character is prefixed with an apostrophe so spreadsheets show it as text.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvCell).join(',');
}

/** A CSV document: one line per row, CRLF line ends as RFC 4180 asks, ending with a line end. */
export function csvDocument(rows: readonly (readonly string[])[]): string {
  return `${rows.map((row) => csvLine(row)).join('\r\n')}\r\n`;
}
