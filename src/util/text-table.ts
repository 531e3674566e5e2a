export interface TextTableOptions {
  /** Character of the line under the header; no line when omitted. */
  readonly rule?: string;
  /** Columns are padded to at most this width (longer cells still print whole). */
  readonly maxWidth?: number;
}

/** Lines of a plain-text table: columns padded to a common width, two spaces apart. */
export function textTable(
  header: readonly string[],
  body: readonly (readonly string[])[],
  options: TextTableOptions = {},
): string[] {
  const rows = [header, ...body];
  const widths = header.map((_, i) =>
    Math.min(
      options.maxWidth ?? Number.POSITIVE_INFINITY,
      Math.max(...rows.map((row) => (row[i] ?? '').length)),
    ),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    ...(options.rule ? [widths.map((w) => options.rule!.repeat(w)).join('  ')] : []),
    ...body.map(line),
  ];
}
