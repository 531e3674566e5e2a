/**
 * Escapes record text for a Markdown table cell: backslashes and pipes would break the table, angle
 * brackets would let record text inject HTML when the Markdown is rendered, and newlines would end
 * the row.
 */
export function markdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'))
    .replace(/\r?\n/g, ' ');
}
