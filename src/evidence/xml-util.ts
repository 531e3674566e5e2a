/**
 * Small pieces shared by the verification-evidence readers (JUnit, Cobertura, lcov, SARIF): the
 * problem shape they all report, and helpers over the document shape of `parseXmlSafely`
 * (src/util/xml-parse.ts) for the cases its own helpers leave out on purpose, e.g. elements without
 * attributes, which fast-xml-parser turns into plain strings (`<testcase/>` becomes `""`).
 */
import { XML_ATTRIBUTE_PREFIX, XML_TEXT_KEY, type XmlElement } from '../util/xml-parse.js';

/** Same shape as the dependency readers' problems (src/soup/import/types.ts). */
export interface EvidenceProblem {
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** 1-based line in the input, when known. */
  readonly line?: number;
  /** What the user should do about it. */
  readonly hint?: string;
}

function isObject(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every child element `name` of `parent`, in document order, including empty ones: an element with
 * neither attributes nor children is a string in the parsed document and becomes an element whose
 * only key is its text.
 */
export function childElements(parent: unknown, name: string): XmlElement[] {
  if (!isObject(parent) || !Object.hasOwn(parent, name)) return [];
  const value = parent[name];
  const out: XmlElement[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    if (isObject(item)) out.push(item);
    else if (typeof item === 'string') out.push(item === '' ? {} : { [XML_TEXT_KEY]: item });
    else if (item !== undefined && item !== null) out.push({ [XML_TEXT_KEY]: String(item) });
  }
  return out;
}

/** The attribute as written (not trimmed); `undefined` when absent. */
export function rawAttribute(element: XmlElement, name: string): string | undefined {
  const value = element[`${XML_ATTRIBUTE_PREFIX}${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** The attribute, trimmed; `undefined` when absent or blank. */
export function attribute(element: XmlElement, name: string): string | undefined {
  const value = rawAttribute(element, name)?.trim();
  return value ? value : undefined;
}

/** The element's own text, trimmed; `undefined` when it has none. */
export function ownText(element: XmlElement): string | undefined {
  const text = element[XML_TEXT_KEY];
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

/** A non-negative integer attribute (`"12"`, `" 3 "`); `undefined` when absent or not a whole number. */
export function integerAttribute(element: XmlElement, name: string): number | undefined {
  const value = attribute(element, name);
  if (value === undefined || !/^\+?\d{1,15}$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}

/**
 * A non-negative decimal attribute such as a duration in seconds (`"0.123"`, `"1,234.5"`; commas are
 * dropped as thousands separators, the way junitparser reads them). `undefined` when absent, not a
 * number or negative.
 */
export function decimalAttribute(element: XmlElement, name: string): number | undefined {
  const value = attribute(element, name)?.replaceAll(',', '');
  if (value === undefined || !/^\+?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** The root element of a parsed document: its name (namespace prefix kept) and node. */
export function rootElement(document: unknown): { name: string; node: unknown } | undefined {
  if (!isObject(document)) return undefined;
  for (const [key, node] of Object.entries(document)) {
    if (key.startsWith('?') || key === XML_TEXT_KEY || key.startsWith(XML_ATTRIBUTE_PREFIX)) continue;
    return { name: key, node: Array.isArray(node) ? node[0] : node };
  }
  return undefined;
}

/** `name` without its namespace prefix (`ns:testsuites` → `testsuites`). */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

/**
 * A clearer problem for a document that ends with elements still open (a report truncated by a
 * crashed run): fast-xml-parser reports it as `Invalid '["testsuites","testsuite"]' found.` on line 1.
 */
export function xmlErrorProblem(
  message: string,
  line: number | undefined,
  text: string,
): { message: string; line?: number } {
  const open = /Invalid '\[([\s\S]*)\]' found\.$/.exec(message);
  if (open) {
    let names: unknown;
    try {
      names = JSON.parse(`[${open[1]}]`);
    } catch {
      names = undefined;
    }
    if (Array.isArray(names) && names.length > 0 && names.every((n) => typeof n === 'string')) {
      let lines = 1;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      return {
        message: `the XML ends while elements are still open (${names.map((n) => `<${n}>`).join(' › ')}): the file is truncated`,
        line: lines,
      };
    }
  }
  return { message, ...(line !== undefined ? { line } : {}) };
}
