/**
 * One ReqIF document (1.0, 1.1 or 1.2: they share the 20110401 namespace and structure) parsed into
 * its definitions and contents as written, identifiers unresolved. Resolving references happens
 * across all documents of an import at once (src/interop/reqif/read.ts), because a `.reqifz` may
 * keep objects in one file and the relations between them in another.
 */
import { parseXmlSafely } from '../../util/xml-parse.js';
import { ImportError } from '../model.js';
import {
  attributeOf,
  childrenOf,
  elementChildren,
  elementNamed,
  elementsNamed,
  localName,
  referenceText,
  tagOf,
  type XmlNode,
} from './xml-nodes.js';

export type ReqifDatatypeKind = 'STRING' | 'INTEGER' | 'REAL' | 'DATE' | 'BOOLEAN' | 'ENUMERATION' | 'XHTML';

const KINDS: ReadonlySet<string> = new Set([
  'STRING',
  'INTEGER',
  'REAL',
  'DATE',
  'BOOLEAN',
  'ENUMERATION',
  'XHTML',
]);

export interface ReqifDatatype {
  readonly id: string;
  readonly kind: ReqifDatatypeKind;
  readonly name?: string;
}

export interface ReqifAttributeDefinition {
  readonly id: string;
  readonly kind: ReqifDatatypeKind;
  /** LONG-NAME, else the IDENTIFIER (Enterprise Architect leaves LONG-NAME out). */
  readonly name: string;
  readonly datatypeId?: string;
  readonly multiValued: boolean;
  /** DEFAULT-VALUE: what an object of the type has when it gives no value of its own. */
  readonly defaultValue?: ReqifRawValue;
}

export type ReqifTypeKind =
  | 'SPEC-OBJECT-TYPE'
  | 'SPEC-RELATION-TYPE'
  | 'SPECIFICATION-TYPE'
  | 'RELATION-GROUP-TYPE';

export interface ReqifSpecType {
  readonly id: string;
  readonly kind: ReqifTypeKind;
  readonly name?: string;
  /** The attribute definitions in the order the type declares them. */
  readonly attributeIds: readonly string[];
}

export interface ReqifRawValue {
  readonly kind: ReqifDatatypeKind;
  readonly definitionId?: string;
  /** THE-VALUE attribute (scalars), the ENUM-VALUE-REFs (enumerations), or the XHTML nodes. */
  readonly value: string | readonly string[] | readonly XmlNode[] | undefined;
  readonly line?: number;
}

export interface ReqifRawObject {
  readonly id: string;
  readonly longName?: string;
  readonly lastChange?: string;
  readonly typeId?: string;
  readonly values: readonly ReqifRawValue[];
  readonly line?: number;
}

export interface ReqifRawRelation {
  readonly id?: string;
  readonly sourceId?: string;
  readonly targetId?: string;
  readonly typeId?: string;
  readonly line?: number;
}

export interface ReqifRawHierarchy {
  readonly objectId?: string;
  readonly children: readonly ReqifRawHierarchy[];
  readonly line?: number;
}

export interface ReqifRawSpecification {
  readonly id: string;
  readonly longName?: string;
  readonly typeId?: string;
  readonly values: readonly ReqifRawValue[];
  readonly children: readonly ReqifRawHierarchy[];
  readonly line?: number;
}

export interface ReqifDocument {
  readonly label: string;
  readonly archiveFolder?: string;
  readonly tool?: string;
  readonly title?: string;
  readonly datatypes: readonly ReqifDatatype[];
  /** ENUM-VALUE identifier → LONG-NAME (else its OTHER-CONTENT, else the identifier). */
  readonly enumValues: ReadonlyMap<string, string>;
  readonly attributeDefinitions: readonly ReqifAttributeDefinition[];
  readonly types: readonly ReqifSpecType[];
  readonly objects: readonly ReqifRawObject[];
  readonly relations: readonly ReqifRawRelation[];
  readonly specifications: readonly ReqifRawSpecification[];
}

export interface ParseReqifOptions {
  readonly maxValueBytes?: number;
}

/** Parses one ReqIF document's text; throws {@link ImportError} naming the file and line when it cannot. */
export function parseReqifDocument(
  text: string,
  label: string,
  archiveFolder: string | undefined,
  options: ParseReqifOptions = {},
): ReqifDocument {
  if (text.trim() === '')
    throw new ImportError(`${label}: the file is empty; export the ReqIF again`, { file: label });
  const parsed = parseXmlSafely(text, {
    preserveOrder: true,
    ...(options.maxValueBytes !== undefined ? { maxValueBytes: options.maxValueBytes } : {}),
  });
  if (!parsed.ok) {
    const location = parsed.line === undefined ? { file: label } : { file: label, line: parsed.line };
    throw new ImportError(
      `${label}${parsed.line === undefined ? '' : `:${parsed.line}`}: ${parsed.message}${parsed.hint ? ` (${parsed.hint})` : ''}`,
      location,
    );
  }
  const lineOf = parsed.lineOf;
  const top = parsed.document as XmlNode[];
  const root = top.find((node) => {
    const tag = tagOf(node);
    return tag !== undefined && !tag.startsWith('?');
  });
  if (!root || localName(tagOf(root) ?? '') !== 'REQ-IF')
    throw new ImportError(
      `${label}: the root element is <${root ? tagOf(root) : 'none'}>, not <REQ-IF>: this is not a ReqIF document`,
      { file: label, ...(root && lineOf(root) !== undefined ? { line: lineOf(root) } : {}) },
    );
  const header = elementNamed(elementNamed(root, 'THE-HEADER') ?? {}, 'REQ-IF-HEADER');
  const content = elementNamed(elementNamed(root, 'CORE-CONTENT') ?? {}, 'REQ-IF-CONTENT');
  if (!content)
    throw new ImportError(
      `${label}: <REQ-IF> has no <CORE-CONTENT><REQ-IF-CONTENT>: not a ReqIF exchange document (ReqIF 1.0–1.2 keep every object, type and specification there); re-export it from the requirements tool`,
      { file: label, ...(lineOf(root) !== undefined ? { line: lineOf(root) } : {}) },
    );
  const line = (node: XmlNode) => lineOf(node);
  const headerText = (name: string) => (header ? referenceText(elementNamed(header, name)) : undefined);
  const tool = headerText('SOURCE-TOOL-ID') ?? headerText('REQ-IF-TOOL-ID');
  const title = headerText('TITLE');

  const datatypes: ReqifDatatype[] = [];
  const enumValues = new Map<string, string>();
  for (const node of elementChildren(elementNamed(content, 'DATATYPES') ?? {})) {
    const kind = kindOf(tagOf(node) ?? '', 'DATATYPE-DEFINITION-');
    const id = attributeOf(node, 'IDENTIFIER');
    if (!kind || !id) continue;
    datatypes.push(withOptional({ id, kind }, 'name', attributeOf(node, 'LONG-NAME')));
    for (const value of elementsNamed(elementNamed(node, 'SPECIFIED-VALUES') ?? {}, 'ENUM-VALUE')) {
      const valueId = attributeOf(value, 'IDENTIFIER');
      if (!valueId) continue;
      const embedded = elementNamed(elementNamed(value, 'PROPERTIES') ?? {}, 'EMBEDDED-VALUE');
      enumValues.set(
        valueId,
        attributeOf(value, 'LONG-NAME') ??
          (embedded ? attributeOf(embedded, 'OTHER-CONTENT') : undefined) ??
          valueId,
      );
    }
  }

  const attributeDefinitions: ReqifAttributeDefinition[] = [];
  const types: ReqifSpecType[] = [];
  for (const node of elementChildren(elementNamed(content, 'SPEC-TYPES') ?? {})) {
    const typeKind = localName(tagOf(node) ?? '') as ReqifTypeKind;
    const id = attributeOf(node, 'IDENTIFIER');
    if (!id) continue;
    const attributeIds: string[] = [];
    for (const definition of elementChildren(elementNamed(node, 'SPEC-ATTRIBUTES') ?? {})) {
      const kind = kindOf(tagOf(definition) ?? '', 'ATTRIBUTE-DEFINITION-');
      const definitionId = attributeOf(definition, 'IDENTIFIER');
      if (!kind || !definitionId) continue;
      attributeIds.push(definitionId);
      const datatypeRef = elementChildren(elementNamed(definition, 'TYPE') ?? {})[0];
      attributeDefinitions.push(
        withOptional(
          {
            id: definitionId,
            kind,
            name: attributeOf(definition, 'LONG-NAME') ?? definitionId,
            multiValued: attributeOf(definition, 'MULTI-VALUED') === 'true',
            ...optional('datatypeId', referenceText(datatypeRef)),
          },
          'defaultValue',
          attributeValue(
            elementChildren(elementNamed(definition, 'DEFAULT-VALUE') ?? {})[0] ?? {},
            line,
            definitionId,
          ),
        ),
      );
    }
    types.push(withOptional({ id, kind: typeKind, attributeIds }, 'name', attributeOf(node, 'LONG-NAME')));
  }

  const objects: ReqifRawObject[] = [];
  for (const node of elementsNamed(elementNamed(content, 'SPEC-OBJECTS') ?? {}, 'SPEC-OBJECT')) {
    objects.push({
      // An object without IDENTIFIER keeps '' so the reader can report it with its line.
      id: attributeOf(node, 'IDENTIFIER') ?? '',
      ...optional('longName', attributeOf(node, 'LONG-NAME')),
      ...optional('lastChange', attributeOf(node, 'LAST-CHANGE')),
      ...optional('typeId', typeRef(node)),
      values: valuesOf(node, line),
      ...optional('line', line(node)),
    });
  }

  const relations: ReqifRawRelation[] = [];
  for (const node of elementsNamed(elementNamed(content, 'SPEC-RELATIONS') ?? {}, 'SPEC-RELATION')) {
    relations.push({
      ...optional('id', attributeOf(node, 'IDENTIFIER')),
      ...optional('sourceId', referenceText(elementChildren(elementNamed(node, 'SOURCE') ?? {})[0])),
      ...optional('targetId', referenceText(elementChildren(elementNamed(node, 'TARGET') ?? {})[0])),
      ...optional('typeId', typeRef(node)),
      ...optional('line', line(node)),
    });
  }

  const specifications: ReqifRawSpecification[] = [];
  for (const node of elementsNamed(elementNamed(content, 'SPECIFICATIONS') ?? {}, 'SPECIFICATION')) {
    specifications.push({
      id: attributeOf(node, 'IDENTIFIER') ?? `${label}#specification-${specifications.length + 1}`,
      ...optional('longName', attributeOf(node, 'LONG-NAME')),
      ...optional('typeId', typeRef(node)),
      values: valuesOf(node, line),
      children: hierarchy(node, line),
      ...optional('line', line(node)),
    });
  }

  return {
    label,
    ...optional('archiveFolder', archiveFolder),
    ...optional('tool', tool),
    ...optional('title', title),
    datatypes,
    enumValues,
    attributeDefinitions,
    types,
    objects,
    relations,
    specifications,
  };
}

function kindOf(tag: string, prefix: string): ReqifDatatypeKind | undefined {
  const name = localName(tag);
  if (!name.startsWith(prefix)) return undefined;
  const kind = name.slice(prefix.length).replace(/-REF$/, '');
  return KINDS.has(kind) ? (kind as ReqifDatatypeKind) : undefined;
}

function typeRef(node: XmlNode): string | undefined {
  return referenceText(elementChildren(elementNamed(node, 'TYPE') ?? {})[0]);
}

function valuesOf(node: XmlNode, line: (node: XmlNode) => number | undefined): ReqifRawValue[] {
  return elementChildren(elementNamed(node, 'VALUES') ?? {})
    .map((value) => attributeValue(value, line, undefined))
    .filter((value): value is ReqifRawValue => value !== undefined);
}

/** One ATTRIBUTE-VALUE-*; `definitionId` stands in for a DEFINITION a DEFAULT-VALUE may leave out. */
function attributeValue(
  value: XmlNode,
  line: (node: XmlNode) => number | undefined,
  definitionId: string | undefined,
): ReqifRawValue | undefined {
  const kind = kindOf(tagOf(value) ?? '', 'ATTRIBUTE-VALUE-');
  if (!kind) return undefined;
  let raw: ReqifRawValue['value'];
  if (kind === 'ENUMERATION')
    raw = elementChildren(elementNamed(value, 'VALUES') ?? {})
      .map((ref) => referenceText(ref))
      .filter((ref): ref is string => ref !== undefined);
  else if (kind === 'XHTML') {
    const theValue = elementNamed(value, 'THE-VALUE');
    raw = theValue ? childrenOf(theValue) : attributeOf(value, 'THE-VALUE');
  } else raw = attributeOf(value, 'THE-VALUE');
  return {
    kind,
    ...optional(
      'definitionId',
      referenceText(elementChildren(elementNamed(value, 'DEFINITION') ?? {})[0]) ?? definitionId,
    ),
    value: raw,
    ...optional('line', line(value)),
  };
}

function hierarchy(node: XmlNode, line: (node: XmlNode) => number | undefined): ReqifRawHierarchy[] {
  return elementsNamed(elementNamed(node, 'CHILDREN') ?? {}, 'SPEC-HIERARCHY').map((child) => ({
    ...optional('objectId', referenceText(elementChildren(elementNamed(child, 'OBJECT') ?? {})[0])),
    children: hierarchy(child, line),
    ...optional('line', line(child)),
  }));
}

/** `{ key: value }` when value is defined, `{}` otherwise (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function withOptional<T extends object, K extends string, V>(
  base: T,
  key: K,
  value: V | undefined,
): T & { [P in K]?: V } {
  return { ...base, ...optional(key, value) };
}
