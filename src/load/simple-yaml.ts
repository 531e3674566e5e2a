/**
 * A fast reader for the plain YAML most record files are written in, giving exactly what js-yaml
 * gives with the core schema, or nothing (then js-yaml parses the text: see parseYaml in
 * read-file.ts).
 *
 * Why: js-yaml was the largest single cost of a cold `check` (about a fifth of its processor time
 * on 100,000 records). Records are nearly always written in a small part of YAML: block mappings
 * with plain keys, one-line scalars, block lists, one-line lists of ids and one-line mappings such
 * as a test run's `{ test: TC-1, outcome: passed }`. This reader handles that part only, and
 * declines, as a whole, every text with anything else in it: escapes, block scalars, anchors and
 * aliases, tags, nested flow collections, multi-line scalars, comments after a value,
 * tabs, carriage returns, control characters, duplicate keys, keys that are null or boolean words,
 * nesting deeper than js-yaml allows, numbers other than plain decimal integers, and scalars whose
 * meaning it does not know for certain. Declining is always correct;
 * a value is given only when js-yaml would give the same one (test/simple-yaml.test.ts compares
 * both on every example and benchmark file and on generated and mutated texts).
 */

/** What the reader gives when it declines a text. */
export const DECLINED = undefined;

// Characters YAML does not allow in a text, or that this reader leaves to js-yaml: C0 controls
// (tab and carriage return among them), DEL and C1 controls (NEL is a line break in YAML 1.1),
// surrogates, the byte order mark and the non-characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being declined
const DECLINED_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ud800-\udfff\ufeff\ufffe\uffff]/;

/** Plain scalars the core schema reads as null or a boolean (js-yaml: type/null.js, type/bool.js). */
const CORE_WORDS: ReadonlyMap<string, null | boolean> = new Map<string, null | boolean>([
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

/** Decimal integers without a sign or leading zero, small enough to be exact. */
const SMALL_INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
/** A date: a string under the core schema, which has no timestamp type. */
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
/** A version number with two dots or more (`0.1.0`, `1.2.3-rc.1`): not a float, so a string. */
const VERSION = /^[0-9]+(?:\.[0-9]+){2,}(?:[-+][0-9A-Za-z.-]+)?$/;

/**
 * The deepest nesting of block collections read. js-yaml refuses a text nested more than 100 nodes
 * deep (its maxDepth); the reader, which recurses per level too, declines long before that, so it
 * neither reads a text js-yaml refuses nor runs out of stack.
 */
const MAX_DEPTH = 64;

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const COMMA = 0x2c;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** A character of a key: ASCII letters, digits, `_` and `-`. */
const isKeyCharacter = (c: number) => isAsciiLetter(c) || isDigit(c) || c === 0x5f || c === DASH;

/** Thrown inside the reader when it declines; never escapes {@link parseSimpleYaml}. */
class Declined {}
const DECLINE = new Declined();

/**
 * The value of a YAML text when it is written in the plain part this reader knows, exactly as
 * `yaml.load(text, { schema: yaml.CORE_SCHEMA })` gives it; {@link DECLINED} otherwise.
 */
export function parseSimpleYaml(text: string): unknown {
  if (DECLINED_CHARACTERS.test(text)) return DECLINED;
  try {
    return new Reader(text).document();
  } catch {
    // The reader's own decline, or any other error (a bug, a stack too small): declining is always
    // correct, and leaves the text to js-yaml, whose findings the loader reports.
    return DECLINED;
  }
}

/**
 * Reads the text line by line by position, without cutting it into lines: only keys and values
 * become strings.
 */
class Reader {
  readonly #text: string;
  /** Where the current line starts, its end (its newline or the text's end) and its indentation. */
  #start = 0;
  #end = 0;
  #indent = 0;
  /** Where the next `#` and `:` are, searched from cursors that only move forward. */
  readonly #hashes: ForwardSearch;
  readonly #colons: ForwardSearch;
  /** How many block collections the reader is inside. */
  #depth = 0;

  constructor(text: string) {
    this.#text = text;
    this.#hashes = new ForwardSearch(text, '#');
    this.#colons = new ForwardSearch(text, ':');
  }

  document(): unknown {
    if (!this.#nextContent() || this.#indent !== 0) throw DECLINE;
    const value = this.#block(0);
    if (this.#nextContent()) throw DECLINE;
    return value;
  }

  /**
   * Moves to the next line that is neither blank nor a comment, from the current one on; false at
   * the end of the text.
   */
  #nextContent(): boolean {
    const text = this.#text;
    while (this.#start < text.length) {
      let end = text.indexOf('\n', this.#start);
      if (end === -1) end = text.length;
      let i = this.#start;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (i < end && text.charCodeAt(i) !== HASH) {
        this.#end = end;
        this.#indent = i - this.#start;
        return true;
      }
      this.#start = end + 1;
    }
    return false;
  }

  /** Moves past the current line. */
  #nextLine(): void {
    this.#start = this.#end + 1;
  }

  /** A block list or mapping whose lines start at column `indent` (the reader is on its first line). */
  #block(indent: number): unknown {
    return this.#isListItem(indent) ? this.#list(indent) : this.#mapping(indent, -1);
  }

  /** Enters a block collection: declined beyond {@link MAX_DEPTH}. */
  #enter(): void {
    if (++this.#depth > MAX_DEPTH) throw DECLINE;
  }

  #leave<T>(collection: T): T {
    this.#depth--;
    return collection;
  }

  /** `- ` at column `indent` of the current line. */
  #isListItem(indent: number): boolean {
    const at = this.#start + indent;
    return (
      this.#text.charCodeAt(at) === DASH && at + 1 < this.#end && this.#text.charCodeAt(at + 1) === SPACE
    );
  }

  /**
   * A block mapping whose keys are at column `indent`; `firstKey`, when not -1, is where the key of
   * its first line starts (after a list item's dash).
   */
  #mapping(indent: number, firstKey: number): Record<string, unknown> {
    this.#enter();
    const mapping: Record<string, unknown> = {};
    const text = this.#text;
    let keyAt = firstKey;
    while (keyAt !== -1 || this.#nextContent()) {
      if (keyAt === -1) {
        if (this.#indent < indent) break;
        if (this.#indent > indent) throw DECLINE;
        keyAt = this.#start + indent;
      }
      const colon = keyEnd(text, keyAt, this.#end);
      if (colon === -1) {
        // A list item at the mapping's column belongs to the mapping above (`key:` then `- x`).
        if (keyAt === this.#start + indent && this.#isListItem(indent)) break;
        throw DECLINE;
      }
      const name = newKey(mapping, text.slice(keyAt, colon));
      keyAt = -1;
      const valueAt = skipSpaces(text, colon + 1, this.#end);
      if (valueAt === this.#end) {
        this.#nextLine();
        mapping[name] = this.#nested(indent);
      } else {
        mapping[name] = this.#inlineValue(valueAt);
        this.#nextLine();
      }
    }
    return this.#leave(mapping);
  }

  /** The value of `key:` with nothing after it: a deeper block, a list at the key's column, or null. */
  #nested(indent: number): unknown {
    if (!this.#nextContent()) return null;
    if (this.#indent > indent) return this.#block(this.#indent);
    if (this.#indent === indent && this.#isListItem(indent)) return this.#list(indent);
    return null;
  }

  #list(indent: number): unknown[] {
    this.#enter();
    const list: unknown[] = [];
    const text = this.#text;
    while (this.#nextContent()) {
      if (this.#indent < indent) break;
      if (this.#indent > indent) throw DECLINE;
      if (!this.#isListItem(indent)) {
        // `-` alone opens a nested block on the next lines: left to js-yaml.
        if (text.charCodeAt(this.#start + indent) === DASH && this.#start + indent + 1 === this.#end)
          throw DECLINE;
        break;
      }
      const itemAt = skipSpaces(text, this.#start + indent + 2, this.#end);
      if (keyEnd(text, itemAt, this.#end) !== -1) {
        // `- key: value`: a mapping whose lines start at the column of its first key.
        list.push(this.#mapping(itemAt - this.#start, itemAt));
      } else {
        list.push(this.#inlineValue(itemAt));
        this.#nextLine();
      }
    }
    return this.#leave(list);
  }

  /** A value written on the current line from `at` (not a space) to the line's end. */
  #inlineValue(at: number): unknown {
    const text = this.#text;
    const end = trimSpacesBefore(text, at, this.#end);
    const first = text.charCodeAt(at);
    if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) return quoted(text, at, end);
    if (first === OPEN_BRACKET) return flowList(text, at, end);
    if (first === OPEN_BRACE) return flowMapping(text, at, end);
    // A comment (`#` after a space) or a mapping inside the value (`: `, or `:` at its end): left to
    // js-yaml. Found with the text's own search from cursors that only move forward, as the reader
    // does: a long value is not looked at character by character.
    for (let hash = this.#hashes.from(at); hash < end; hash = this.#hashes.from(hash + 1))
      if (text.charCodeAt(hash - 1) === SPACE) throw DECLINE;
    for (let colon = this.#colons.from(at); colon < end; colon = this.#colons.from(colon + 1))
      if (colon + 1 === end || text.charCodeAt(colon + 1) === SPACE) throw DECLINE;
    return plainScalar(text, at, end);
  }
}

/**
 * The positions of one character in a text, asked for in increasing order: each is found with the
 * text's own search, once, so the whole text is searched once however many values are looked at.
 */
class ForwardSearch {
  readonly #text: string;
  readonly #character: string;
  /** The last position found (-1 before the first search; Infinity when there is no other). */
  #found = -1;

  constructor(text: string, character: string) {
    this.#text = text;
    this.#character = character;
  }

  /** The first position of the character at or after `at`; Infinity when there is none. */
  from(at: number): number {
    if (this.#found < at) {
      const found = this.#text.indexOf(this.#character, at);
      this.#found = found === -1 ? Number.POSITIVE_INFINITY : found;
    }
    return this.#found;
  }
}

/**
 * `name` as a new key of `mapping`. Declined: a duplicate (js-yaml's error), `__proto__` (which
 * js-yaml defines as an own key), and the null and boolean words, which js-yaml reads as values and
 * then writes as keys in lower case (`True:` is the key `true`, and `true:` then `True:` a duplicate).
 */
function newKey(mapping: Record<string, unknown>, name: string): string {
  if (name === '__proto__' || Object.hasOwn(mapping, name) || CORE_WORDS.has(name)) throw DECLINE;
  return name;
}

/**
 * The end of the key `name:` starting at `at` (the position of its colon, followed by a space or
 * by `end`), or -1 when none starts there.
 */
function keyEnd(text: string, at: number, end: number): number {
  const first = text.charCodeAt(at);
  if (!isAsciiLetter(first) && first !== 0x5f) return -1;
  let i = at + 1;
  while (i < end && isKeyCharacter(text.charCodeAt(i))) i++;
  if (i >= end || text.charCodeAt(i) !== COLON) return -1;
  return i + 1 === end || text.charCodeAt(i + 1) === SPACE ? i : -1;
}

function skipSpaces(text: string, at: number, end: number): number {
  while (at < end && text.charCodeAt(at) === SPACE) at++;
  return at;
}

/**
 * A one-line quoted scalar from `at` to `end` without escapes, and nothing after it. The first
 * quote after the opening one must end it: a single-quoted text's `''` escape is declined too.
 */
function quoted(text: string, at: number, end: number): string {
  const quote = text.charCodeAt(at);
  if (end - at < 2 || text.charCodeAt(end - 1) !== quote) throw DECLINE;
  for (let i = at + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === quote || (c === BACKSLASH && quote === DOUBLE_QUOTE)) throw DECLINE;
  }
  return text.slice(at + 1, end - 1);
}

/** `[a, b, c]` on one line, of plain scalars only. */
function flowList(text: string, at: number, end: number): unknown[] {
  if (text.charCodeAt(end - 1) !== CLOSE_BRACKET) throw DECLINE;
  const items: unknown[] = [];
  const close = end - 1;
  let itemAt = skipSpaces(text, at + 1, close);
  if (itemAt === close) return items;
  for (;;) {
    const comma = commaAfter(text, itemAt, close);
    items.push(flowScalar(text, itemAt, trimSpacesBefore(text, itemAt, comma)));
    if (comma === close) return items;
    itemAt = skipSpaces(text, comma + 1, close);
  }
}

/** `{ key: value, key: value }` on one line, of plain keys and plain scalars only. */
function flowMapping(text: string, at: number, end: number): Record<string, unknown> {
  if (text.charCodeAt(end - 1) !== CLOSE_BRACE) throw DECLINE;
  const mapping: Record<string, unknown> = {};
  const close = end - 1;
  let itemAt = skipSpaces(text, at + 1, close);
  if (itemAt === close) return mapping;
  for (;;) {
    const comma = commaAfter(text, itemAt, close);
    const itemEnd = trimSpacesBefore(text, itemAt, comma);
    // `key: value`: a colon followed by a space (`key:` alone, or `key:value`, is declined).
    const colon = keyEnd(text, itemAt, itemEnd);
    if (colon === -1 || colon + 1 === itemEnd) throw DECLINE;
    const name = newKey(mapping, text.slice(itemAt, colon));
    mapping[name] = flowScalar(text, skipSpaces(text, colon + 1, itemEnd), itemEnd);
    if (comma === close) return mapping;
    itemAt = skipSpaces(text, comma + 1, close);
  }
}

/** Where the flow item at `itemAt` ends: its comma, or the collection's closing bracket at `close`. */
function commaAfter(text: string, itemAt: number, close: number): number {
  let comma = itemAt;
  while (comma < close && text.charCodeAt(comma) !== COMMA) comma++;
  return comma;
}

/** `end` moved back over the spaces before it, not before `at`. */
function trimSpacesBefore(text: string, at: number, end: number): number {
  while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
  return end;
}

/**
 * A plain scalar inside a flow collection, from `at` to `end` (no spaces at either end): declined
 * when it holds a pair, a comment, a nested collection or a quote.
 */
function flowScalar(text: string, at: number, end: number): unknown {
  for (let i = at; i < end; i++) {
    const c = text.charCodeAt(i);
    if (
      c === COLON ||
      c === HASH ||
      c === OPEN_BRACKET ||
      c === CLOSE_BRACKET ||
      c === OPEN_BRACE ||
      c === CLOSE_BRACE ||
      c === DOUBLE_QUOTE ||
      c === SINGLE_QUOTE
    )
      throw DECLINE;
  }
  return plainScalar(text, at, end);
}

/**
 * The plain scalar from `at` to `end` (no spaces at either end, its comments and colons already
 * looked at) as the core schema reads it, when its reading is certain: text starting with an ASCII
 * letter (a string, but for the null and boolean words), a small decimal integer, a date or a
 * version number.
 */
function plainScalar(text: string, at: number, end: number): unknown {
  if (at >= end) throw DECLINE;
  const value = text.slice(at, end);
  const first = text.charCodeAt(at);
  if (isAsciiLetter(first)) {
    const word = end - at <= 5 ? CORE_WORDS.get(value) : undefined;
    return word === undefined ? value : word;
  }
  if (isDigit(first)) {
    if (SMALL_INTEGER.test(value)) return Number(value);
    if (DATE.test(value) || VERSION.test(value)) return value;
  }
  throw DECLINE;
}
