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

/** A Markdown table: header, separator, rows. Cells are written as given (escape record text first). */
export function markdownTableLines(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}
