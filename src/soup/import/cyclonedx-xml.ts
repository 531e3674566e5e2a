/**
 * CycloneDX SBOM reader, XML encoding. The XML is parsed with the entity-refusing parser
 * (src/util/xml-parse.ts), mapped to the encoding-neutral component input, and identified,
 * scoped and linked by the same code as the JSON encoding (cyclonedx-core.ts).
 *
 * The spec version is the one in the `http://cyclonedx.org/schema/bom/1.x` namespace.
 */
import {
  parseXmlSafely,
  type XmlElement,
  xmlAttribute,
  xmlChild,
  xmlElements,
  xmlOwnText,
  xmlText,
  xmlTexts,
} from '../../util/xml-parse.js';
import {
  buildCycloneDx,
  type CdxComponentInput,
  type CdxDocumentInput,
  checkSpecVersion,
  flattenComponents,
} from './cyclonedx-core.js';
import type { Hash } from './reader-support.js';
import { finishImport } from './result.js';
import type { DependencyReader, ImportProblem, ImportResult, ReadOptions } from './types.js';

/** Fallbacks in the order the JSON reader uses: supplier, publisher, author(s), manufacturer. */
function supplierOf(component: XmlElement): string | undefined {
  return (
    xmlText(xmlChild(component, 'supplier'), 'name') ??
    xmlText(component, 'publisher') ??
    xmlText(component, 'author') ??
    xmlText(xmlChild(xmlChild(component, 'authors'), 'author'), 'name') ??
    xmlText(xmlChild(component, 'manufacturer'), 'name')
  );
}

function licensesOf(component: XmlElement): string[] {
  const licenses = xmlChild(component, 'licenses');
  const named = xmlElements(licenses, 'license')
    .map((license) => xmlText(license, 'id') ?? xmlText(license, 'name'))
    .filter((id): id is string => id !== undefined);
  return [...named, ...xmlTexts(licenses, 'expression')];
}

function hashesOf(component: XmlElement): Hash[] {
  const out: Hash[] = [];
  for (const hash of xmlElements(xmlChild(component, 'hashes'), 'hash')) {
    const alg = xmlAttribute(hash, 'alg');
    const content = xmlOwnText(hash);
    if (alg && content) out.push({ alg, content });
  }
  return out;
}

function websiteOf(component: XmlElement): string | undefined {
  const refs = xmlElements(xmlChild(component, 'externalReferences'), 'reference');
  const website = refs.find((ref) => xmlAttribute(ref, 'type') === 'website' && xmlText(ref, 'url'));
  return website && xmlText(website, 'url');
}

/** `<property name="x">value</property>`. */
function propertiesOf(component: XmlElement): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const property of xmlElements(xmlChild(component, 'properties'), 'property')) {
    const name = xmlAttribute(property, 'name');
    const value = xmlOwnText(property);
    if (name && value) out.push({ name, value });
  }
  return out;
}

function xmlInput(component: XmlElement, line: number | undefined): CdxComponentInput {
  return {
    bomRef: xmlAttribute(component, 'bom-ref'),
    name: xmlText(component, 'name'),
    group: xmlText(component, 'group'),
    version: xmlText(component, 'version'),
    purl: xmlText(component, 'purl'),
    supplier: supplierOf(component),
    licenses: licensesOf(component),
    description: xmlText(component, 'description'),
    website: websiteOf(component),
    hashes: hashesOf(component),
    properties: propertiesOf(component),
    line,
  };
}

/** `<dependency ref="a"><dependency ref="b"/></dependency>`: a depends on b. */
function dependenciesOf(bom: XmlElement): CdxDocumentInput['dependencies'] {
  const out: { ref: string; dependsOn: string[] }[] = [];
  for (const dependency of xmlElements(xmlChild(bom, 'dependencies'), 'dependency')) {
    const ref = xmlAttribute(dependency, 'ref');
    if (!ref) continue;
    const dependsOn = xmlElements(dependency, 'dependency')
      .map((d) => xmlAttribute(d, 'ref'))
      .filter((r): r is string => r !== undefined);
    out.push({ ref, dependsOn });
  }
  return out;
}

const NAMESPACE = /http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)/;

function readCycloneDxXml(source: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  const parsed = parseXmlSafely(source, {
    removeNamespacePrefix: true,
    ...(options.maxXmlValueBytes !== undefined ? { maxValueBytes: options.maxXmlValueBytes } : {}),
  });
  if (!parsed.ok) {
    const problem: ImportProblem = {
      severity: 'error',
      message: `the CycloneDX SBOM could not be read: ${parsed.message}`,
      ...(parsed.line !== undefined ? { line: parsed.line } : {}),
      ...(parsed.hint ? { hint: parsed.hint } : {}),
    };
    return finishImport('CycloneDX XML', [], [problem], options);
  }
  const bom = xmlElements(parsed.document, 'bom')[0];
  if (!bom) {
    const problem: ImportProblem = {
      severity: 'error',
      message: 'not a CycloneDX SBOM: there is no <bom> root element',
    };
    return finishImport('CycloneDX XML', [], [problem], options);
  }
  const version = NAMESPACE.exec(source)?.[1];
  const format = `CycloneDX ${version ?? '?'} XML`;
  if (!checkSpecVersion(version, 'XML', problems)) return finishImport(format, [], problems, options);
  const product = xmlChild(xmlChild(bom, 'metadata'), 'component');
  const flat = flattenComponents(
    xmlElements(xmlChild(bom, 'components'), 'component'),
    (component) => xmlElements(xmlChild(component, 'components'), 'component'),
    (component) => xmlText(component, 'scope') === 'excluded',
  );
  const components = flat.map((component) => xmlInput(component, parsed.lineOf(component)));
  const productRefs = [xmlAttribute(product, 'bom-ref'), xmlText(product, 'purl')].filter(
    (r): r is string => !!r,
  );
  return buildCycloneDx(
    format,
    { productRefs, components, dependencies: dependenciesOf(bom) },
    problems,
    options,
  );
}

export const cyclonedxXmlReader: DependencyReader = {
  id: 'cyclonedx-xml',
  description: 'CycloneDX SBOM, XML (spec 1.4–1.6; 1.2 and 1.3 with a note)',
  detect(baseName, head) {
    return /\.xml$/i.test(baseName) && NAMESPACE.test(head);
  },
  read(source, options = {}) {
    return readCycloneDxXml(source, options);
  },
};
