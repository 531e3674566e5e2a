/**
 * Text for a terminal. Record text, ids, file names and lockfile strings come from files anyone can
 * edit; printed raw, a carriage return, cursor movement or erase sequence in a problem report title
 * could overwrite the release verdict, and a bidirectional override could reorder what the reader
 * sees. Every such character is shown as a visible escape instead.
 */

/**
 * Characters a terminal interprets rather than shows: C0 controls but the newline (the layout; a tab is
 * escaped too, nothing Dossier prints uses one), DEL, C1 controls (U+0080–U+009F, among them the 8-bit CSI), the bidirectional embeddings and
 * overrides U+202A–U+202E, isolates U+2066–U+2069 and the marks U+200E, U+200F, U+061C, and the line
 * and paragraph separators U+2028, U+2029.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being escaped
const INTERPRETED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The colour sequences Dossier itself writes (node:util `styleText` for red, yellow, green, cyan,
 * dim and their resets). They can only change a colour; kept when the caller asks for colour.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the sequences being matched
const OWN_STYLES = /\x1b\[(?:2|22|31|32|33|36|39)m/y;

const NAMED: Readonly<Record<string, string>> = {
  '\r': '\\r',
  '\x1b': '\\x1b',
  '\b': '\\b',
  '\t': '\\t',
  '\f': '\\f',
  '\v': '\\v',
};

/** One character as a visible escape: `\r`, `\x1b`, `\u202e`. */
export function visibleEscape(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every interpreted character replaced by a visible escape (`\x1b`, `\r`, `\u202e`).
 * A backslash stays as it is: the escapes are for a human reading the terminal, not a round trip.
 * With `keepStyles`, Dossier's own colour sequences pass unchanged.
 */
export function terminalSafe(text: string, options: { keepStyles?: boolean } = {}): string {
  return text.replace(INTERPRETED, (c, offset: number) => {
    if (options.keepStyles && c === '\x1b') {
      OWN_STYLES.lastIndex = offset;
      if (OWN_STYLES.test(text)) return c;
    }
    return visibleEscape(c);
  });
}
