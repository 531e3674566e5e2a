/**
 * The XML text of what a `docx` component prepares for writing (`prepForXml`): the element objects
 * of the `xml` package (`{ 'w:p': [{ _attr: { … } }, child, 'text'] }`), written as that package
 * writes them without indentation, so the bytes are the ones `Packer` would write.
 *
 * Why: `Packer` prepares the whole document body as one object tree, and the `xml` package then
 * builds a second tree and the text from it; for the 10,000-record SRS that is 1.4 GB at once. The
 * body written one block at a time (render-docx.ts) keeps only one block's objects alive.
 *
 * Text and attribute values are escaped by escapeXml: the same entities as the `xml` package, and
 * the characters XML 1.0 forbids (which it would write as they are, so that Word refuses the file)
 * as visible escapes. Anything that is not an element object as docx prepares it is refused rather
 * than guessed at.
 */
import { escapeXml } from '../util/xml.js';

/** Rewrites an attribute value before it is escaped (docx leaves placeholders its packer fills in). */
export type AttributeValue = (value: string) => string;

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ` name="value"` for each attribute, in the order given. */
function attributes(attrs: unknown, value: AttributeValue): string {
  if (!isObject(attrs)) throw new Error('XML attributes are not an object');
  let text = '';
  for (const [name, v] of Object.entries(attrs)) {
    if (!isScalar(v)) throw new Error(`XML attribute ${name} has no value`);
    text += ` ${name}="${escapeXml(value(String(v)))}"`;
  }
  return text;
}

/** An array item that only carries attributes: `{ _attr: { … } }`. */
function isAttributeItem(item: unknown): item is { _attr: unknown } {
  return isObject(item) && Object.keys(item)[0] === '_attr';
}

/**
 * Appends the XML of one element object to `out`. An element whose content is an array always has
 * an end tag (as the `xml` package writes it), one whose content is an object (`{}` or only
 * attributes) is self-closing.
 */
export function writeXml(node: unknown, out: string[], value: AttributeValue = (v) => v): void {
  if (!isObject(node)) throw new Error('not an XML element object');
  const keys = Object.keys(node);
  if (keys.length !== 1) throw new Error(`an XML element object has one name, not ${keys.length}`);
  const name = keys[0]!;
  const content = node[name];
  if (Array.isArray(content)) {
    let attrs = '';
    for (const item of content) if (isAttributeItem(item)) attrs += attributes(item._attr, value);
    out.push(`<${name}${attrs}>`);
    for (const item of content) {
      if (isAttributeItem(item)) continue;
      if (isScalar(item)) out.push(escapeXml(String(item)));
      else writeXml(item, out, value);
    }
    out.push(`</${name}>`);
  } else if (isObject(content)) {
    const { _attr, ...rest } = content;
    if (Object.keys(rest).length > 0) throw new Error(`<${name}> has content that is not XML`);
    out.push(`<${name}${_attr === undefined ? '' : attributes(_attr, value)}/>`);
  } else if (isScalar(content)) {
    out.push(`<${name}>${escapeXml(String(content))}</${name}>`);
  } else throw new Error(`<${name}> has content that is not XML`);
}

/** The XML of one element object as a string. */
export function xmlText(node: unknown, value?: AttributeValue): string {
  const out: string[] = [];
  writeXml(node, out, value);
  return out.join('');
}
