/**
 * A CSV reader per RFC 4180, as spreadsheets write it: quoted cells with doubled quotes and
 * embedded line breaks, CRLF or LF line ends, a UTF-8 byte order mark, and the delimiter of the
 * writer's locale (comma, or semicolon where the decimal separator is a comma, or tab).
 */

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const CANDIDATES = [',', ';', '\t'] as const;

/**
 * The delimiter: the candidate occurring most often outside quotes in the first lines. Lines, not
 * the first line alone: a title block above the header may have no delimiter in its first line.
 */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < 20; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') lines++;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const candidate of CANDIDATES) if (counts.get(candidate)! > counts.get(best)!) best = candidate;
  return best;
}

/** Rows of cells, each row tagged with the 1-based line it starts on (a quoted cell may span lines). */
export interface CsvRows {
  readonly delimiter: string;
  readonly rows: readonly (readonly string[])[];
  readonly lines: readonly number[];
}

export function parseCsv(input: string, delimiter?: string): CsvRows {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const sep = delimiter ?? detectDelimiter(text);
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = () => {
    row.push(cell);
    rows.push(row);
    lines.push(rowLine);
    row = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && cell === '') {
      // A quoted cell: runs to the next quote not doubled, across line breaks.
      const opened = line;
      i++;
      for (;;) {
        if (i >= text.length)
          throw new CsvSyntaxError(`a quoted cell opened on line ${opened} is never closed`, opened);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        cell += c;
        i++;
      }
      // Text after the closing quote (`"a"b`) is kept, as spreadsheets do.
      continue;
    }
    if (ch === sep) {
      row.push(cell);
      cell = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      endRow();
      line++;
      rowLine = line;
    } else {
      cell += ch;
      i++;
    }
  }
  if (cell !== '' || row.length > 0) endRow();
  return { delimiter: sep, rows, lines };
}
