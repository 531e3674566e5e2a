/**
 * XML parsing that is safe for untrusted input (pom.xml, CycloneDX XML, JUnit reports), on top of
 * fast-xml-parser.
 *
 * - A document whose DOCTYPE declares entities (`<!ENTITY`) is rejected before parsing. That closes
 *   external entities (XXE: `<!ENTITY x SYSTEM "file:///etc/passwd">`) and entity-expansion bombs
 *   ("billion laughs") at once; none of the formats read here needs custom entities.
 * - Only the five predefined entities and numeric character references are decoded; any other
 *   `&name;` stays as written.
 * - Well-formedness is checked first (XMLValidator), so errors carry a line.
 * - Element and attribute names that would reach `Object.prototype` (`__proto__`, `constructor`,
 *   `prototype`) are renamed with a leading `#` instead of failing the whole document.
 * - A document with one attribute value, text, CDATA section or comment over `maxValueBytes` is
 *   refused before parsing: fast-xml-parser builds each value one character at a time, which takes
 *   about 40 bytes of memory per byte of the longest one (a 50 MB attribute took 2.3 GB).
 *
 * The document shape is fast-xml-parser's: an element with only text becomes a string, other
 * elements become objects, attributes are keys with the {@link XML_ATTRIBUTE_PREFIX}, mixed text is
 * under {@link XML_TEXT_KEY}, repeated elements become arrays (use `isArray` to always get arrays),
 * and values are never converted to numbers or booleans (`1.10` stays `"1.10"`).
 */
import { type EntityDecoderOptions, XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatBytes, LIMITS, raiseHint } from '../model/limits.js';

export const XML_ATTRIBUTE_PREFIX = '@_';
export const XML_TEXT_KEY = '#text';

export interface XmlParseOptions {
  /**
   * Elements that should always be arrays, even when they occur once (fast-xml-parser's `isArray`).
   * `path` is the dotted element path from the root, e.g. `project.dependencies.dependency`.
   */
  readonly isArray?: (tagName: string, path: string, isLeafNode: boolean, isAttribute: boolean) => boolean;
  /** Drop namespace prefixes from element and attribute names (`bom:component` → `component`). */
  readonly removeNamespacePrefix?: boolean;
  /**
   * Largest attribute value, text, CDATA section or comment, in UTF-8 bytes (default
   * `limits.maxXmlValueBytes`'s default).
   */
  readonly maxValueBytes?: number;
  /**
   * Keep the document's order: the result is fast-xml-parser's ordered form (an array of nodes, each
   * `{ [tagName]: children[], ':@': { '@_attr': value } }` or `{ '#text': text }`), and text is kept
   * as written, whitespace included, so mixed content (XHTML: `a <em>b</em> c`) survives. `isArray` is
   * ignored. The entity refusal and value size limits apply as to the default form, and `lineOf`
   * works on the ordered nodes.
   */
  readonly preserveOrder?: boolean;
}

export type XmlParseResult =
  | {
      readonly ok: true;
      readonly document: unknown;
      /** 1-based line where an element that became an object starts (not for text-only elements). */
      readonly lineOf: (node: unknown) => number | undefined;
    }
  | {
      readonly ok: false;
      readonly message: string;
      readonly line?: number;
      /** What to do about it, when the parser knows better than the reader (a size limit). */
      readonly hint?: string;
    };

/** Finds the 1-based line of character offsets in logarithmic time (one pass to build). */
export function createLineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g;

/** One pass, so `&amp;#65;` stays `&#65;` rather than being decoded twice. */
function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    REFERENCE,
    (whole, dec: string | undefined, hex: string | undefined, named?: string) => {
      if (named) return PREDEFINED[named] ?? whole;
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : whole;
    },
  );
}

/**
 * fast-xml-parser's own decoder knows only the predefined entities unless HTML entities are turned on
 * too, and it would add DOCTYPE entities; this one decodes exactly what XML predefines and ignores
 * declared entities (which are rejected earlier anyway).
 */
const entityDecoder: EntityDecoderOptions = {
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
  decode: decodeReferences,
};

function safeName(name: string): string {
  return name === '__proto__' || name === 'constructor' || name === 'prototype' ? `#${name}` : name;
}
function safeAttributeName(name: string): string {
  const bare = name.startsWith(XML_ATTRIBUTE_PREFIX) ? name.slice(XML_ATTRIBUTE_PREFIX.length) : name;
  return bare === name ? safeName(name) : `${XML_ATTRIBUTE_PREFIX}${safeName(bare)}`;
}

/** Constructs whose content is text, not markup: `<!DOCTYPE` or `<!ENTITY` written in them declares nothing. */
const OPAQUE: readonly (readonly [string, string])[] = [
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
  ['<?', '?>'],
];

/**
 * The offset of an entity declaration, if any. Only real markup counts: text in comments, CDATA
 * sections and processing instructions outside the DOCTYPE is skipped (a test's output may well
 * contain `<!DOCTYPE html [<!ENTITY …]>`), and element text cannot hold a raw `<`. The DOCTYPE's
 * internal subset is read by its grammar (declarations with quoted literals, comments, processing
 * instructions), so neither a quote nor a comment can hide a declaration; where the DOCTYPE does not
 * end, the rest of the text is searched as it is. Errs on the side of refusing.
 */
function entityDeclaration(text: string): number | undefined {
  let at = text.indexOf('<');
  while (at >= 0) {
    const opaque = OPAQUE.find(([open]) => text.startsWith(open, at));
    if (opaque) {
      const end = text.indexOf(opaque[1], at + opaque[0].length);
      if (end < 0) return undefined; // unterminated: the well-formedness check reports it
      at = text.indexOf('<', end + opaque[1].length);
      continue;
    }
    if (startsWithWord(text, at, '<!ENTITY')) return at;
    if (startsWithWord(text, at, '<!DOCTYPE')) {
      const doctype = scanDoctype(text, at + 9);
      if (doctype.entity !== undefined) return doctype.entity;
      at = text.indexOf('<', doctype.end);
      continue;
    }
    at = text.indexOf('<', at + 1);
  }
  return undefined;
}

function startsWithWord(text: string, at: number, word: string): boolean {
  return text.slice(at, at + word.length).toUpperCase() === word;
}

/** Index just past the closing `quote`-aware `>` of a declaration starting at `from` (-1 if none). */
function declarationEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return -1;
}

/**
 * Reads a DOCTYPE declaration whose name starts at `from`: where it ends and the offset of the
 * first entity declaration in its internal subset.
 */
function scanDoctype(text: string, from: number): { end: number; entity?: number } {
  const unterminated = (at: number) => {
    const entity = text.slice(at).search(/<!ENTITY/i);
    return entity >= 0 ? { end: text.length, entity: at + entity } : { end: text.length };
  };
  let i = from;
  let quote: string | undefined;
  // Name and external id, up to the internal subset or the end.
  for (; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return { end: i + 1 };
    else if (c === '[') break;
  }
  if (i >= text.length) return unterminated(from);
  i++;
  while (i < text.length) {
    if (text[i] === ']') {
      const end = text.indexOf('>', i);
      return end < 0 ? unterminated(i) : { end: end + 1 };
    }
    if (startsWithWord(text, i, '<!ENTITY')) return { end: i, entity: i };
    const opaque = OPAQUE.find(([open]) => text.startsWith(open, i));
    if (opaque) {
      const end = text.indexOf(opaque[1], i + opaque[0].length);
      if (end < 0) return unterminated(i);
      i = end + opaque[1].length;
    } else if (text.startsWith('<!', i)) {
      const end = declarationEnd(text, i + 2);
      if (end < 0) return unterminated(i);
      i = end;
    } else i++;
  }
  return unterminated(from);
}

type ValueKind = 'attribute value' | 'text' | 'CDATA section' | 'comment' | 'processing instruction';

interface OversizedValue {
  readonly kind: ValueKind;
  readonly offset: number;
  readonly bytes: number;
}

/**
 * The first value of the document longer than `maxBytes` UTF-8 bytes, found in one linear pass
 * without parsing: text between markup, quoted attribute values, CDATA sections, comments and
 * processing instructions. A construct that does not end is left to the well-formedness check.
 */
function oversizedValue(text: string, maxBytes: number): OversizedValue | undefined {
  // A UTF-16 code unit is 1 to 3 UTF-8 bytes (a surrogate pair 4 for 2): only a run longer than a
  // third of the limit needs its bytes counted.
  const over = (kind: ValueKind, start: number, end: number): OversizedValue | undefined => {
    if ((end - start) * 3 <= maxBytes) return undefined;
    const bytes = Buffer.byteLength(text.slice(start, end), 'utf8');
    return bytes > maxBytes ? { kind, offset: start, bytes } : undefined;
  };
  const enclosed = (kind: ValueKind, at: number, open: string, close: string) => {
    const end = text.indexOf(close, at + open.length);
    return end < 0
      ? { end: text.length }
      : { end: end + close.length, found: over(kind, at + open.length, end) };
  };
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? text.length : lt;
    const inText = over('text', i, textEnd);
    if (inText || lt < 0) return inText;
    let step: { end: number; found?: OversizedValue | undefined };
    if (text.startsWith('<![CDATA[', lt)) step = enclosed('CDATA section', lt, '<![CDATA[', ']]>');
    else if (text.startsWith('<!--', lt)) step = enclosed('comment', lt, '<!--', '-->');
    else if (text.startsWith('<?', lt)) step = enclosed('processing instruction', lt, '<?', '?>');
    else if (startsWithWord(text, lt, '<!DOCTYPE')) step = { end: scanDoctype(text, lt + 9).end };
    else if (text.startsWith('<!', lt)) {
      const end = declarationEnd(text, lt + 2);
      step = { end: end < 0 ? text.length : end };
    } else step = tagEnd(text, lt, over);
    if (step.found) return step.found;
    i = step.end;
  }
  return undefined;
}

/** The end of the tag starting at `lt` (past its `>`), checking each quoted attribute value. */
function tagEnd(
  text: string,
  lt: number,
  over: (kind: ValueKind, start: number, end: number) => OversizedValue | undefined,
): { end: number; found?: OversizedValue | undefined } {
  for (let j = lt + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '>') return { end: j + 1 };
    if (c === '<') return { end: j }; // not well-formed; the validator says so
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, j + 1);
      if (close < 0) return { end: text.length };
      const found = over('attribute value', j + 1, close);
      if (found) return { end: close + 1, found };
      j = close;
    }
  }
  return { end: text.length };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function parseXmlSafely(text: string, options: XmlParseOptions = {}): XmlParseResult {
  // Unpaired surrogates (only possible in strings handed in directly) become U+FFFD, one code unit
  // for one, so offsets and lines stay right.
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(LONE_SURROGATE, '\uFFFD');
  const entity = entityDeclaration(body);
  if (entity !== undefined) {
    return {
      ok: false,
      message:
        'the document declares XML entities in its DOCTYPE (<!ENTITY …>); entity declarations are refused because they allow external entity (XXE) reads and entity-expansion ("billion laughs") attacks',
      line: createLineLocator(body)(entity),
    };
  }
  const maxValueBytes = options.maxValueBytes ?? LIMITS.maxXmlValueBytes.default;
  const oversized = oversizedValue(body, maxValueBytes);
  if (oversized) {
    return {
      ok: false,
      message: `${/^[aeiou]/.test(oversized.kind) ? 'an' : 'a'} ${oversized.kind} of ${formatBytes(oversized.bytes)} is over the limit of ${formatBytes(maxValueBytes)} for one XML value (limits.maxXmlValueBytes); it was not parsed`,
      line: createLineLocator(body)(oversized.offset),
      hint: `a value this large exhausts memory when parsed; if the file is genuine, ${raiseHint('maxXmlValueBytes')}`,
    };
  }
  const valid = validate(body);
  if (valid !== true) return valid;
  try {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: XML_ATTRIBUTE_PREFIX,
      textNodeName: XML_TEXT_KEY,
      parseTagValue: false,
      parseAttributeValue: false,
      processEntities: true,
      entityDecoder,
      captureMetaData: true,
      removeNSPrefix: options.removeNamespacePrefix ?? false,
      transformTagName: safeName,
      transformAttributeName: safeAttributeName,
      ...(options.preserveOrder ? { preserveOrder: true, trimValues: false } : {}),
      ...(options.isArray && !options.preserveOrder
        ? {
            isArray: (tag: string, path: unknown, leaf: boolean, attribute: boolean) =>
              options.isArray?.(tag, String(path), leaf, attribute) ?? false,
          }
        : {}),
    });
    const document: unknown = parser.parse(body);
    return { ok: true, document, lineOf: nodeLineFinder(body) };
  } catch (error) {
    return { ok: false, message: `the XML could not be parsed: ${(error as Error).message}` };
  }
}

function validate(body: string): true | { ok: false; message: string; line?: number } {
  try {
    const result = XMLValidator.validate(body);
    if (result === true) return true;
    return { ok: false, message: `the XML is not well-formed: ${result.err.msg}`, line: result.err.line };
  } catch (error) {
    return { ok: false, message: `the XML is not well-formed: ${(error as Error).message}` };
  }
}

function nodeLineFinder(body: string): (node: unknown) => number | undefined {
  const metaKey = XMLParser.getMetaDataSymbol();
  let locate: ((offset: number) => number) | undefined;
  return (node) => {
    if (typeof node !== 'object' || node === null) return undefined;
    const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[metaKey as symbol];
    if (meta?.startIndex === undefined) return undefined;
    locate ??= createLineLocator(body);
    return locate(meta.startIndex);
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the parsed document. Whether an element became a string, an object or an array depends
// on how often it occurs and whether it has attributes; these helpers hide that.

export type XmlElement = Readonly<Record<string, unknown>>;

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The elements `name` under `parent` that have attributes or children (always a list). */
export function xmlElements(parent: unknown, name: string): XmlElement[] {
  if (!isElement(parent)) return [];
  const value = parent[name];
  return (Array.isArray(value) ? value : [value]).filter(isElement);
}

/** The first element `name` under `parent`, or an empty element so paths can be chained. */
export function xmlChild(parent: unknown, name: string): XmlElement {
  return xmlElements(parent, name)[0] ?? {};
}

/** The trimmed text of every element `name` under `parent` (empty ones left out). */
export function xmlTexts(parent: unknown, name: string): string[] {
  if (!isElement(parent)) return [];
  const value = parent[name];
  const out: string[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    const text = isElement(item) ? item[XML_TEXT_KEY] : item;
    if (typeof text === 'string' && text.trim() !== '') out.push(text.trim());
  }
  return out;
}

/** The trimmed text of the first element `name` under `parent`, if it has any. */
export function xmlText(parent: unknown, name: string): string | undefined {
  return xmlTexts(parent, name)[0];
}

/** The text content of `element` itself (`<hash alg="…">text</hash>`). */
export function xmlOwnText(element: XmlElement): string | undefined {
  const text = element[XML_TEXT_KEY];
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

/** An attribute of `element`, trimmed. */
export function xmlAttribute(element: XmlElement, name: string): string | undefined {
  const value = element[`${XML_ATTRIBUTE_PREFIX}${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
