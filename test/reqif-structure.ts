/**
 * A structural check of a ReqIF 1.2 document, written from the OMG ReqIF 1.2 XSD (reqif.xsd,
 * namespace http://www.omg.org/spec/ReqIF/20110401/reqif.xsd) because the XSD itself cannot be kept
 * in this repository (see the note in test/interop-reqif-write.test.ts). It checks what the XSD
 * requires and what a reader depends on:
 * - the element order of REQ-IF, REQ-IF-HEADER (fixed REQ-IF-VERSION "1.0") and REQ-IF-CONTENT;
 * - every IDENTIFIER an XML NCName (xsd:ID) and unique, LAST-CHANGE an xsd:dateTime where required;
 * - required attributes (MAX-LENGTH, MIN/MAX, ACCURACY, MULTI-VALUED, THE-VALUE);
 * - every `…-REF` resolving to an element of the kind its name says (xsd:IDREF), datatype refs of
 *   the attribute definition's own kind, values defined by their object's type;
 * - SPEC-RELATION's SOURCE, TARGET and TYPE, SPEC-HIERARCHY's OBJECT, SPECIFICATION's TYPE;
 * - XHTML values: one `div` or `p` (XHTML-CONTENT), only elements of the XHTML 1.1 modules the
 *   ReqIF driver.xsd includes, all in the XHTML namespace.
 * Returns the problems found (empty when the document passes).
 */
import {
  attributeOf,
  childrenOf,
  elementChildren,
  elementNamed,
  referenceText,
  tagOf,
  type XmlNode,
} from '../src/interop/reqif/xml-nodes.js';
import { parseXmlSafely } from '../src/util/xml-parse.js';

const REQIF_NS = 'http://www.omg.org/spec/ReqIF/20110401/reqif.xsd';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** The elements of the XHTML 1.1 modules ReqIF's driver.xsd includes. */
const XHTML_ELEMENTS = new Set(
  (
    'p div h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table caption thead tbody tfoot tr th td col colgroup ' +
    'pre blockquote address hr br span em strong dfn code samp kbd var cite abbr acronym q tt i b big ' +
    'small sub sup a object param ins del'
  ).split(' '),
);

const HEADER_ORDER = [
  'COMMENT',
  'CREATION-TIME',
  'REPOSITORY-ID',
  'REQ-IF-TOOL-ID',
  'REQ-IF-VERSION',
  'SOURCE-TOOL-ID',
  'TITLE',
];
const HEADER_REQUIRED = ['CREATION-TIME', 'REQ-IF-TOOL-ID', 'REQ-IF-VERSION', 'SOURCE-TOOL-ID', 'TITLE'];
const CONTENT_ORDER = [
  'DATATYPES',
  'SPEC-TYPES',
  'SPEC-OBJECTS',
  'SPEC-RELATIONS',
  'SPECIFICATIONS',
  'SPEC-RELATION-GROUPS',
];

function inOrder(names: readonly string[], order: readonly string[]): boolean {
  let last = -1;
  for (const name of names) {
    const at = order.indexOf(name);
    if (at <= last) return false;
    last = at;
  }
  return true;
}

export function reqifStructureProblems(xml: string): string[] {
  const problems: string[] = [];
  const parsed = parseXmlSafely(xml, { preserveOrder: true });
  if (!parsed.ok) return [`not well-formed: ${parsed.message} (line ${parsed.line})`];
  const root = (parsed.document as XmlNode[]).find((node) => tagOf(node) === 'REQ-IF');
  if (!root) return ['no REQ-IF root element'];
  if (attributeOf(root, 'xmlns') !== REQIF_NS) problems.push('REQ-IF is not in the ReqIF namespace');
  const xhtmlPrefixes = new Set(
    Object.entries((root[':@'] ?? {}) as Record<string, string>)
      .filter(([key, value]) => key.startsWith('@_xmlns:') && value === XHTML_NS)
      .map(([key]) => key.slice('@_xmlns:'.length)),
  );
  const rootNames = elementChildren(root).map((n) => tagOf(n) as string);
  if (
    !inOrder(rootNames, ['THE-HEADER', 'CORE-CONTENT', 'TOOL-EXTENSIONS']) ||
    rootNames[0] !== 'THE-HEADER' ||
    rootNames[1] !== 'CORE-CONTENT'
  )
    problems.push(
      `REQ-IF children ${rootNames.join(', ')} are not THE-HEADER, CORE-CONTENT[, TOOL-EXTENSIONS]`,
    );
  const header = elementNamed(elementNamed(root, 'THE-HEADER') ?? {}, 'REQ-IF-HEADER');
  if (!header) problems.push('no REQ-IF-HEADER');
  else {
    const names = elementChildren(header).map((n) => tagOf(n) as string);
    if (!inOrder(names, HEADER_ORDER))
      problems.push(`REQ-IF-HEADER children out of order: ${names.join(', ')}`);
    for (const name of HEADER_REQUIRED)
      if (!names.includes(name)) problems.push(`REQ-IF-HEADER lacks ${name}`);
    if (referenceText(elementNamed(header, 'REQ-IF-VERSION')) !== '1.0')
      problems.push('REQ-IF-VERSION is not the fixed "1.0"');
    if (!DATE_TIME.test(referenceText(elementNamed(header, 'CREATION-TIME')) ?? ''))
      problems.push('CREATION-TIME is not an xsd:dateTime');
  }
  const content = elementNamed(elementNamed(root, 'CORE-CONTENT') ?? {}, 'REQ-IF-CONTENT');
  if (!content) return [...problems, 'no CORE-CONTENT/REQ-IF-CONTENT'];
  const contentNames = elementChildren(content).map((n) => tagOf(n) as string);
  if (!inOrder(contentNames, CONTENT_ORDER))
    problems.push(`REQ-IF-CONTENT children out of order: ${contentNames.join(', ')}`);

  // Identifiers: every element carrying one, by identifier.
  const byId = new Map<string, XmlNode>();
  const refs: { name: string; target: string }[] = [];
  const visit = (node: XmlNode, inXhtml: boolean) => {
    const tag = tagOf(node);
    if (tag === undefined) return;
    if (inXhtml) {
      const [prefix, local] = tag.includes(':') ? tag.split(':') : ['', tag];
      if (!xhtmlPrefixes.has(prefix ?? ''))
        problems.push(`<${tag}> in an XHTML value is not in the XHTML namespace`);
      if (!XHTML_ELEMENTS.has(local ?? ''))
        problems.push(`<${tag}> is not an element of ReqIF's XHTML modules`);
      for (const child of childrenOf(node)) visit(child, true);
      return;
    }
    const id = attributeOf(node, 'IDENTIFIER');
    if (id !== undefined) {
      if (!NCNAME.test(id)) problems.push(`IDENTIFIER "${id}" is not an NCName (xsd:ID)`);
      if (byId.has(id)) problems.push(`IDENTIFIER "${id}" is not unique`);
      byId.set(id, node);
      if (tag !== 'REQ-IF-HEADER' && !DATE_TIME.test(attributeOf(node, 'LAST-CHANGE') ?? ''))
        problems.push(`${tag} "${id}" lacks an xsd:dateTime LAST-CHANGE`);
    }
    if (tag.endsWith('-REF')) refs.push({ name: tag, target: referenceText(node) ?? '' });
    for (const child of childrenOf(node)) visit(child, tag === 'THE-VALUE' || tag === 'THE-ORIGINAL-VALUE');
  };
  visit(content, false);
  for (const ref of refs) {
    const target = byId.get(ref.target);
    const kind = ref.name.slice(0, -'-REF'.length);
    if (!target) problems.push(`${ref.name} "${ref.target}" resolves to nothing`);
    else if (tagOf(target) !== kind) problems.push(`${ref.name} "${ref.target}" names a ${tagOf(target)}`);
  }

  for (const [id, node] of byId) {
    const tag = tagOf(node) as string;
    const need = (attribute: string) => {
      if (attributeOf(node, attribute) === undefined) problems.push(`${tag} "${id}" lacks ${attribute}`);
    };
    if (tag === 'DATATYPE-DEFINITION-STRING') need('MAX-LENGTH');
    if (tag === 'DATATYPE-DEFINITION-INTEGER' || tag === 'DATATYPE-DEFINITION-REAL') {
      need('MIN');
      need('MAX');
    }
    if (tag === 'DATATYPE-DEFINITION-REAL') need('ACCURACY');
    if (tag === 'ATTRIBUTE-DEFINITION-ENUMERATION') need('MULTI-VALUED');
    if (tag.startsWith('ATTRIBUTE-DEFINITION-')) {
      const kind = tag.slice('ATTRIBUTE-DEFINITION-'.length);
      const types = elementChildren(elementNamed(node, 'TYPE') ?? {});
      if (types.length !== 1 || tagOf(types[0] as XmlNode) !== `DATATYPE-DEFINITION-${kind}-REF`)
        problems.push(`${tag} "${id}" needs one TYPE/DATATYPE-DEFINITION-${kind}-REF`);
    }
    if (tag === 'SPEC-OBJECT' || tag === 'SPECIFICATION' || tag === 'SPEC-RELATION') {
      const typeRef = elementChildren(elementNamed(node, 'TYPE') ?? {})[0];
      const type = typeRef && byId.get(referenceText(typeRef) ?? '');
      if (!type) {
        problems.push(`${tag} "${id}" has no TYPE`);
        continue;
      }
      const defined = new Set(
        elementChildren(elementNamed(type, 'SPEC-ATTRIBUTES') ?? {}).map((d) => attributeOf(d, 'IDENTIFIER')),
      );
      for (const value of elementChildren(elementNamed(node, 'VALUES') ?? {})) {
        const valueTag = tagOf(value) as string;
        const kind = valueTag.slice('ATTRIBUTE-VALUE-'.length);
        const definitionRef = elementChildren(elementNamed(value, 'DEFINITION') ?? {})[0];
        if (!definitionRef || tagOf(definitionRef) !== `ATTRIBUTE-DEFINITION-${kind}-REF`)
          problems.push(`${valueTag} of "${id}" needs DEFINITION/ATTRIBUTE-DEFINITION-${kind}-REF`);
        else if (!defined.has(referenceText(definitionRef)))
          problems.push(
            `${valueTag} of "${id}" uses "${referenceText(definitionRef)}", which its type does not define`,
          );
        if (kind === 'XHTML') {
          const theValue = elementNamed(value, 'THE-VALUE');
          const blocks = theValue ? elementChildren(theValue) : [];
          const text = theValue
            ? childrenOf(theValue).filter((c) => tagOf(c) === undefined && String(c['#text']).trim() !== '')
            : [];
          const local = blocks.length === 1 ? (tagOf(blocks[0] as XmlNode) ?? '').split(':').pop() : '';
          if (blocks.length !== 1 || text.length > 0 || (local !== 'div' && local !== 'p'))
            problems.push(`XHTML value of "${id}" is not exactly one div or p`);
        } else if (kind !== 'ENUMERATION' && attributeOf(value, 'THE-VALUE') === undefined)
          problems.push(`${valueTag} of "${id}" lacks THE-VALUE`);
        if (kind === 'STRING') {
          const datatypeRef = elementChildren(
            elementNamed(byId.get(referenceText(definitionRef) ?? '') ?? {}, 'TYPE') ?? {},
          )[0];
          const max = Number(attributeOf(byId.get(referenceText(datatypeRef) ?? '') ?? {}, 'MAX-LENGTH'));
          if ((attributeOf(value, 'THE-VALUE') ?? '').length > max)
            problems.push(`a STRING value of "${id}" is longer than MAX-LENGTH`);
        }
      }
    }
    if (tag === 'SPEC-RELATION')
      for (const end of ['SOURCE', 'TARGET'])
        if (tagOf(elementChildren(elementNamed(node, end) ?? {})[0] ?? {}) !== 'SPEC-OBJECT-REF')
          problems.push(`SPEC-RELATION "${id}" lacks ${end}/SPEC-OBJECT-REF`);
    if (
      tag === 'SPEC-HIERARCHY' &&
      tagOf(elementChildren(elementNamed(node, 'OBJECT') ?? {})[0] ?? {}) !== 'SPEC-OBJECT-REF'
    )
      problems.push(`SPEC-HIERARCHY "${id}" lacks OBJECT/SPEC-OBJECT-REF`);
  }
  return problems;
}
