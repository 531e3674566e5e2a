/**
 * CycloneDX SBOM reader, JSON encoding. The document is mapped to the encoding-neutral component
 * input and identified, scoped and linked by the code it shares with the XML encoding
 * (cyclonedx-core.ts, which also says what is read and how).
 */
import {
  buildCycloneDx,
  type CdxComponentInput,
  type CdxDocumentInput,
  checkSpecVersion,
  flattenComponents,
} from './cyclonedx-core.js';
import {
  arrayOf,
  type Hash,
  isRecord,
  jsonStringLines,
  type PlainRecord,
  parseJson,
  stringOf,
  stringsOf,
} from './reader-support.js';
import { finishImport } from './result.js';
import type { DependencyReader, ImportProblem, ImportResult, ReadOptions } from './types.js';

function supplierOf(node: PlainRecord): string | undefined {
  const supplier = isRecord(node.supplier) ? stringOf(node.supplier.name) : undefined;
  const authors = arrayOf(node.authors).find(isRecord);
  const manufacturer = isRecord(node.manufacturer) ? stringOf(node.manufacturer.name) : undefined;
  return (
    supplier ??
    stringOf(node.publisher) ??
    stringOf(node.author) ??
    (authors && stringOf(authors.name)) ??
    manufacturer
  );
}

function licensesOf(value: unknown): string[] {
  const out: string[] = [];
  for (const entry of arrayOf(value)) {
    if (!isRecord(entry)) continue;
    const license = isRecord(entry.license)
      ? (stringOf(entry.license.id) ?? stringOf(entry.license.name))
      : undefined;
    const text = license ?? stringOf(entry.expression);
    if (text) out.push(text);
  }
  return out;
}

function hashesOf(value: unknown): Hash[] {
  const out: Hash[] = [];
  for (const hash of arrayOf(value)) {
    if (!isRecord(hash)) continue;
    const alg = stringOf(hash.alg);
    const content = stringOf(hash.content);
    if (alg && content) out.push({ alg, content });
  }
  return out;
}

function websiteOf(value: unknown): string | undefined {
  for (const ref of arrayOf(value))
    if (isRecord(ref) && ref.type === 'website' && stringOf(ref.url)) return stringOf(ref.url);
  return undefined;
}

function propertiesOf(value: unknown): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const p of arrayOf(value)) {
    if (isRecord(p) && typeof p.name === 'string' && typeof p.value === 'string')
      out.push({ name: p.name, value: p.value });
  }
  return out;
}

function jsonInput(node: PlainRecord, line: number | undefined): CdxComponentInput {
  return {
    bomRef: stringOf(node['bom-ref']),
    name: stringOf(node.name),
    group: stringOf(node.group),
    version: stringOf(node.version),
    purl: stringOf(node.purl),
    supplier: supplierOf(node),
    licenses: licensesOf(node.licenses),
    description: stringOf(node.description),
    website: websiteOf(node.externalReferences),
    hashes: hashesOf(node.hashes),
    properties: propertiesOf(node.properties),
    line,
  };
}

function jsonDependencies(value: unknown): CdxDocumentInput['dependencies'] {
  const out: { ref: string; dependsOn: string[] }[] = [];
  for (const dep of arrayOf(value)) {
    if (!isRecord(dep) || typeof dep.ref !== 'string') continue;
    out.push({
      ref: dep.ref,
      dependsOn: stringsOf(dep.dependsOn),
    });
  }
  return out;
}

function readCycloneDxJson(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  const parsed = parseJson(text, 'the CycloneDX SBOM');
  if (!parsed.ok) return finishImport('CycloneDX JSON', [], [parsed.problem], options);
  const bom = parsed.value;
  if (!isRecord(bom) || bom.bomFormat !== 'CycloneDX') {
    const problem: ImportProblem = {
      severity: 'error',
      message: 'not a CycloneDX SBOM: "bomFormat": "CycloneDX" is missing',
    };
    return finishImport('CycloneDX JSON', [], [problem], options);
  }
  const version = stringOf(bom.specVersion);
  const format = `CycloneDX ${version ?? '?'} JSON`;
  if (!checkSpecVersion(version, 'JSON', problems)) return finishImport(format, [], problems, options);
  const metadata = isRecord(bom.metadata) ? bom.metadata : {};
  const product = isRecord(metadata.component) ? metadata.component : {};
  const nodes = flattenComponents(
    arrayOf(bom.components).filter(isRecord),
    (node) => arrayOf(node.components).filter(isRecord),
    (node) => node.scope === 'excluded',
  );
  const keyOf = (node: PlainRecord) =>
    stringOf(node['bom-ref']) ?? stringOf(node.purl) ?? stringOf(node.name);
  const lines = jsonStringLines(text, new Set(nodes.map(keyOf).filter((k): k is string => k !== undefined)));
  const components = nodes.map((node) => jsonInput(node, lines.get(keyOf(node) ?? '')));
  const productRefs = [stringOf(product['bom-ref']), stringOf(product.purl)].filter((r): r is string => !!r);
  return buildCycloneDx(
    format,
    { productRefs, components, dependencies: jsonDependencies(bom.dependencies) },
    problems,
    options,
  );
}

export const cyclonedxJsonReader: DependencyReader = {
  id: 'cyclonedx-json',
  description: 'CycloneDX SBOM, JSON (spec 1.4–1.6; 1.2 and 1.3 with a note)',
  detect(baseName, head) {
    if (!/\.json$/i.test(baseName)) return false;
    // Hand-made SBOMs may put bomFormat last, so a bom-ref near the top counts too.
    return (
      /\.cdx\.json$/i.test(baseName) ||
      /"bomFormat"\s*:\s*"CycloneDX"/.test(head) ||
      /cyclonedx\.org\/schema/.test(head) ||
      /"bom-ref"\s*:/.test(head)
    );
  },
  read(text, options = {}) {
    return readCycloneDxJson(text, options);
  },
};
