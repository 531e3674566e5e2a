/**
 * A fast way to the position of a top-level field of a Markdown record's front matter, for the common
 * shape: a block mapping of plain keys at column 0, the value on the key's line. Most diagnostics
 * point at such a field (`id`, `status`, a link list), and building the `yaml` package's syntax tree
 * for each of thousands of files with a warning cost about a second per 10,000 of them.
 *
 * It answers only where the answer is certain to equal the full parse's (src/load/source.ts, checked
 * against it by test/quick-locate.test.ts on every field of the example and of generated projects);
 * for anything else (a key that is quoted or not at column 0, a value on the next lines, anchors,
 * tags, aliases, block scalars, text that would need a YAML reader to understand, directives,
 * document markers, tabs) it returns undefined and the caller parses.
 */

/** A plain key at column 0 followed by `:` and a space or the end of the line. */
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?=[ \t]|\r?$)/;
/** A value on the key's line that starts as a plain, quoted or flow value whose first character is its node's. */
const VALUE_START = /[^\s#&*!|>%@`]/;

/**
 * Zero-based offset in `yaml` of the value of top-level `key` (of the key itself with `atKey`), or of
 * the mapping when `key` is undefined; undefined when the text is not of the shape this handles, or
 * the key is not there (the full parse then says where the deepest node is).
 */
export function quickTopLevelOffset(
  yaml: string,
  key: string | undefined,
  atKey: boolean,
): number | undefined {
  if (yaml.includes('\t')) return undefined;
  let lineStart = 0;
  let first: number | undefined;
  let found: number | undefined;
  let openQuote = false;
  while (lineStart < yaml.length) {
    let lineEnd = yaml.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = yaml.length;
    const line = yaml.slice(lineStart, lineEnd);
    const c = line.charCodeAt(0);
    const blank = /^\s*(?:#.*)?$/.test(line);
    if (!blank && c !== 0x20 /* space */) {
      // Column 0: must be a plain key (a comment, a directive, a document marker or anything else: no).
      const match = KEY_LINE.exec(line);
      if (!match || openQuote) return undefined;
      first ??= lineStart;
      if (found === undefined && match[1] === key) {
        if (atKey) found = lineStart;
        else {
          const rest = line.slice(match[0].length);
          const at = rest.search(VALUE_START);
          if (at === -1 || /^\s*#/.test(rest)) return undefined; // the value is on the next lines, or empty
          if (rest.slice(0, at).trim() !== '') return undefined;
          found = lineStart + match[0].length + at;
        }
      }
      openQuote = opensMultiLine(line.slice(match[0].length));
    } else if (!blank && openQuote) {
      // An indented continuation of a quoted or flow value: its end is not tracked, so give up.
      return undefined;
    }
    lineStart = lineEnd + 1;
  }
  if (key === undefined) return first;
  return found;
}

/**
 * Whether a value that starts on a key's line may go on over the next lines as quoted text or a flow
 * collection (the scanner then cannot tell which later lines are keys). Conservative: any value
 * starting with a quote or bracket that does not visibly close on its line.
 */
function opensMultiLine(rest: string): boolean {
  const value = rest.trim();
  const open = value.charAt(0);
  if (open === '"') return !/^"(?:[^"\\]|\\.)*"\s*(?:#.*)?$/.test(value);
  if (open === "'") return !/^'(?:[^']|'')*'\s*(?:#.*)?$/.test(value);
  if (open === '[') return !/^\[[^[\]{}"'#]*\]\s*(?:#.*)?$/.test(value);
  if (open === '{') return !/^\{[^[\]{}"'#]*\}\s*(?:#.*)?$/.test(value);
  return false;
}

/** One-based line and column of `offset` in `text` (as the `yaml` package's LineCounter gives them). */
export function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/** The `-` line that opens an entry of a block sequence: its indentation, then `-` and a space or the end. */
const ENTRY_START = /^( *)-(?: |\r?$)/;
const BLANK_OR_COMMENT = /^ *(?:#.*)?\r?$/;

/**
 * The same fast way for a field of one record of a collection (`entry`: the record's text, from its
 * `-` line to the next entry's, as src/load/collection-items.ts cuts it). The entry is read as the
 * front matter above once its mapping is moved to column 0: the `- ` and the indentation before the
 * keys taken off every line, comment lines less indented than the keys blanked. Whatever does not
 * fit that shape (a first key further right than `- `, a line less indented than the keys that is
 * not a comment, a tab anywhere) gives undefined, and the caller parses the entry.
 *
 * One-based line within `entry` and one-based column, as {@link positionOf} gives them.
 */
export function quickEntryPosition(
  entry: string,
  key: string | undefined,
  atKey: boolean,
): { line: number; col: number } | undefined {
  // A tab anywhere (even on a line this reading blanks) is left to the parser, as for front matter.
  if (entry.includes('\t')) return undefined;
  const lines = entry.split('\n');
  const opening = ENTRY_START.exec(lines[0]!);
  if (!opening) return undefined;
  const inner = opening[1]!.length + 2;
  const indent = ' '.repeat(inner);
  const moved: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i === 0) {
      const rest = line.slice(inner - 1).replace(/^ /, '');
      // `-   id: x`: the keys would be further right than this reading assumes.
      if (rest.startsWith(' ')) return undefined;
      moved.push(rest);
    } else if (line.startsWith(indent)) {
      moved.push(line.slice(inner));
    } else if (BLANK_OR_COMMENT.test(line)) {
      moved.push('');
    } else {
      return undefined;
    }
  }
  const text = moved.join('\n');
  const offset = quickTopLevelOffset(text, key, atKey);
  if (offset === undefined) return undefined;
  const pos = positionOf(text, offset);
  return { line: pos.line, col: pos.col + inner };
}
