/**
 * Where each record of a collection file starts, found by its lines: locating a finding in one
 * record of a 1,000-record collection then parses that record, not the file. The position-tracking
 * YAML parser costs about 80 µs a record, so a few findings in the SOUP collections of a large
 * project cost a fifth of a second of every `check` when whole files were parsed.
 *
 * A block sequence's entries start on lines that begin, at the sequence's indentation, with `-`
 * followed by a space or the end of the line; YAML indents everything inside an entry further
 * (block scalars, continuation lines), so no other line can look like that. The split is used only
 * when it finds exactly as many entries as the loader read, and each piece must parse as a
 * one-entry sequence without error; otherwise the caller parses the whole file.
 */

/** Character offsets of the entries of the record list (and their zero-based lines), and where the list ends. */
export interface ItemOffsets {
  readonly starts: readonly number[];
  readonly lines: readonly number[];
  readonly end: number;
}

const ENTRY = /^( *)-(?: |$)/;
const COMMENT_OR_BLANK = /^\s*(?:#.*)?$/;
const RECORDS_KEY = /^records[ \t]*:[ \t]*(?:#.*)?$/;

interface Line {
  readonly start: number;
  /** Zero-based. */
  readonly number: number;
  readonly text: string;
}

function* linesOf(text: string): Generator<Line> {
  let start = 0;
  for (let number = 0; start <= text.length; number++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    yield { start, number, text: text.slice(start, end).replace(/\r$/, '') };
    if (newline < 0) return;
    start = newline + 1;
  }
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * The entries of a collection's list: a top-level sequence (`keyed` false), or the `records:` list
 * of a collection mapping (`keyed` true). Undefined when the lines do not give `expected` entries.
 */
export function itemOffsets(text: string, keyed: boolean, expected: number): ItemOffsets | undefined {
  const starts: number[] = [];
  const lines: number[] = [];
  let end = text.length;
  let indent: number | undefined;
  let inList = !keyed;
  for (const line of linesOf(text)) {
    if (!inList) {
      if (RECORDS_KEY.test(line.text)) inList = true;
      continue;
    }
    if (COMMENT_OR_BLANK.test(line.text)) continue;
    if (line.text.startsWith('---') || line.text.startsWith('...')) {
      // A document marker: before the list it is the start of the document; after it, its end.
      if (indent === undefined) continue;
      end = line.start;
      break;
    }
    const entry = ENTRY.exec(line.text);
    if (indent === undefined) {
      if (!entry) return undefined;
      indent = entry[1]!.length;
    }
    if (entry && entry[1]!.length === indent) {
      starts.push(line.start);
      lines.push(line.number);
      continue;
    }
    const lineIndent = indentOf(line.text);
    // A line less indented than the entries (or, for a list at the margin, any other line at the
    // margin: the next key of the collection) ends the list.
    if (lineIndent < indent || (indent === 0 && lineIndent === 0)) {
      if (!keyed) return undefined;
      end = line.start;
      break;
    }
  }
  return starts.length === expected ? { starts, lines, end } : undefined;
}
