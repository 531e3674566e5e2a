/**
 * Walking fast-xml-parser's ordered form (`parseXmlSafely(text, { preserveOrder: true })`).
 *
 * ReqIF is read in document order because XHTML values are mixed content (`a <em>b</em> c`): the
 * default form would put the text and the elements in separate keys and lose where each `<em>`
 * sat. The ReqIF structure around them is walked with the same helpers.
 *
 * A node is `{ [tagName]: children[], ':@'?: { '@_NAME': value } }` or `{ '#text': text }`.
 */
import { XML_ATTRIBUTE_PREFIX, XML_TEXT_KEY } from '../../util/xml-parse.js';

export type XmlNode = Readonly<Record<string, unknown>>;

const ATTRIBUTES_KEY = ':@';

/** The element's tag as written (with any prefix), or undefined for a text node. */
export function tagOf(node: XmlNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ATTRIBUTES_KEY && key !== XML_TEXT_KEY) return key;
  return undefined;
}

/** The tag without its namespace prefix (`xhtml:p` → `p`, `reqif-xhtml:div` → `div`). */
export function localName(tag: string): string {
  const colon = tag.indexOf(':');
  return colon < 0 ? tag : tag.slice(colon + 1);
}

/** The children of an element node (empty for text nodes). */
export function childrenOf(node: XmlNode): readonly XmlNode[] {
  const tag = tagOf(node);
  const children = tag === undefined ? undefined : node[tag];
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

/** The text of a text node, else undefined. */
export function textOf(node: XmlNode): string | undefined {
  const text = node[XML_TEXT_KEY];
  return typeof text === 'string' ? text : text === undefined ? undefined : String(text);
}

/** An attribute's value as written (not trimmed: identifiers may hold spaces). */
export function attributeOf(node: XmlNode, name: string): string | undefined {
  const attributes = node[ATTRIBUTES_KEY] as Record<string, unknown> | undefined;
  const value = attributes?.[`${XML_ATTRIBUTE_PREFIX}${name}`];
  return typeof value === 'string' ? value : value === undefined ? undefined : String(value);
}

/** Every attribute of an element, by name without prefix. */
export function attributesOf(node: XmlNode): Record<string, string> {
  const attributes = (node[ATTRIBUTES_KEY] ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes))
    out[key.startsWith(XML_ATTRIBUTE_PREFIX) ? key.slice(XML_ATTRIBUTE_PREFIX.length) : key] = String(value);
  return out;
}

/** The element children of `node` whose local name is `name` (ReqIF elements carry no prefix). */
export function elementsNamed(node: XmlNode, name: string): XmlNode[] {
  return childrenOf(node).filter((child) => {
    const tag = tagOf(child);
    return tag !== undefined && localName(tag) === name;
  });
}

/** The first element child named `name`. */
export function elementNamed(node: XmlNode, name: string): XmlNode | undefined {
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag !== undefined && localName(tag) === name) return child;
  }
  return undefined;
}

/** Every element child, whatever its name. */
export function elementChildren(node: XmlNode): XmlNode[] {
  return childrenOf(node).filter((child) => tagOf(child) !== undefined);
}

/** The concatenated text content of `node` and its descendants. */
export function textContent(node: XmlNode): string {
  const own = textOf(node);
  if (own !== undefined) return own;
  let out = '';
  for (const child of childrenOf(node)) out += textContent(child);
  return out;
}

/** The concatenated text content of a list of nodes (an XHTML value's children). */
export function textOfNodes(nodes: readonly XmlNode[]): string {
  let out = '';
  for (const node of nodes) out += textContent(node);
  return out;
}

/**
 * The text of a reference element (`<SPEC-OBJECT-REF> id </SPEC-OBJECT-REF>`), trimmed at both
 * ends only: an identifier with inner spaces stays whole.
 */
export function referenceText(node: XmlNode | undefined): string | undefined {
  if (!node) return undefined;
  const text = textContent(node).trim();
  return text === '' ? undefined : text;
}
