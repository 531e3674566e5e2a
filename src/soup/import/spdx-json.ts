/**
 * SPDX 2.3 (and 2.2) JSON reader.
 *
 * - The packages the document DESCRIBES (`documentDescribes` or a DESCRIBES relationship from
 *   SPDXRef-DOCUMENT) are the product, not SOUP.
 * - Dependency edges: `A DEPENDS_ON B`, `A CONTAINS B` and the inverse forms (`B DEPENDENCY_OF A`,
 *   `B CONTAINED_BY A`, `B RUNTIME_/OPTIONAL_/PROVIDED_DEPENDENCY_OF A`). What the product depends
 *   on is direct, the rest transitive; without any edge, scope is unknown.
 * - `DEV_`, `TEST_`, `BUILD_DEPENDENCY_OF` (and the `*_TOOL_OF` forms) make the source package a
 *   development dependency, unless some other edge also needs it at run time.
 * - `validUntilDate` is SPDX 2.3's end-of-support date (what the FDA support field maps to).
 */
import { type Purl, parsePurl, purlFor } from '../purl.js';
import {
  arrayOf,
  type Hash,
  type Identity,
  identifyByPurl,
  isRecord,
  jsonStringLines,
  type PlainRecord,
  parseJson,
  stringOf,
  stringsOf,
} from './reader-support.js';
import { finishImport } from './result.js';
import type { DependencyReader, ImportProblem, ImportResult, ReadOptions, SbomComponent } from './types.js';

/** Edge kinds: `forward` means element depends on related; `inverse` the other way round. */
const RUNTIME_EDGES: ReadonlyMap<string, 'forward' | 'inverse'> = new Map([
  ['DEPENDS_ON', 'forward'],
  ['CONTAINS', 'forward'],
  ['DEPENDENCY_OF', 'inverse'],
  ['CONTAINED_BY', 'inverse'],
  ['RUNTIME_DEPENDENCY_OF', 'inverse'],
  ['OPTIONAL_DEPENDENCY_OF', 'inverse'],
  ['PROVIDED_DEPENDENCY_OF', 'inverse'],
]);
const DEVELOPMENT_EDGES = new Set([
  'DEV_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
  'BUILD_DEPENDENCY_OF',
  'DEV_TOOL_OF',
  'TEST_TOOL_OF',
  'BUILD_TOOL_OF',
]);

/** SPDX checksum algorithm → CycloneDX name; others (MD2, ADLER32, SHA224 …) have no CycloneDX name. */
const HASH_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['MD5', 'MD5'],
  ['SHA1', 'SHA-1'],
  ['SHA256', 'SHA-256'],
  ['SHA384', 'SHA-384'],
  ['SHA512', 'SHA-512'],
  ['SHA3-256', 'SHA3-256'],
  ['SHA3-384', 'SHA3-384'],
  ['SHA3-512', 'SHA3-512'],
  ['BLAKE2b-256', 'BLAKE2b-256'],
  ['BLAKE2b-384', 'BLAKE2b-384'],
  ['BLAKE2b-512', 'BLAKE2b-512'],
  ['BLAKE3', 'BLAKE3'],
]);

/** SPDX writes NOASSERTION / NONE where a value is unknown or absent. */
function asserted(value: unknown): string | undefined {
  const text = stringOf(value);
  return text === undefined || text === 'NOASSERTION' || text === 'NONE' ? undefined : text;
}

/** `Organization: Acme Corp (info@acme.example)` → `Acme Corp`. */
function supplierOf(value: unknown): string | undefined {
  const text = asserted(value);
  if (!text) return undefined;
  // Index arithmetic rather than a `\s*\(…\)\s*$` pattern, which backtracks on long blank runs.
  const rest = text.replace(/^(Organization|Person|Tool)\s*:/i, '').trim();
  const open = rest.endsWith(')') ? rest.lastIndexOf('(') : -1;
  const name = (open > 0 ? rest.slice(0, open) : rest).trim();
  return name || undefined;
}

function hashesOf(value: unknown): Hash[] {
  const out: Hash[] = [];
  for (const checksum of arrayOf(value)) {
    if (!isRecord(checksum)) continue;
    const alg = HASH_ALGORITHMS.get(stringOf(checksum.algorithm) ?? '');
    const content = stringOf(checksum.checksumValue);
    if (alg && content) out.push({ alg, content });
  }
  return out;
}

function purlRefOf(pkg: PlainRecord): string | undefined {
  for (const ref of arrayOf(pkg.externalRefs)) {
    if (isRecord(ref) && ref.referenceType === 'purl') return stringOf(ref.referenceLocator);
  }
  return undefined;
}

function identify(
  pkg: PlainRecord,
  line: number | undefined,
  problems: ImportProblem[],
): Identity | undefined {
  const name = stringOf(pkg.name) ?? stringOf(pkg.SPDXID) ?? 'a package';
  const at = line !== undefined ? { line } : {};
  const purlText = purlRefOf(pkg);
  let parsed: Purl | undefined;
  if (purlText) {
    try {
      parsed = parsePurl(purlText);
    } catch (error) {
      problems.push({ severity: 'warning', message: `${name}: ${(error as Error).message}`, ...at });
    }
  }
  const version = asserted(pkg.versionInfo) ?? parsed?.version;
  if (!version) {
    problems.push({
      severity: 'warning',
      message: `${name} has no versionInfo, so it is not imported (IEC 62304 8.1.2 c needs the exact version)`,
      ...at,
    });
    return undefined;
  }
  if (parsed) return identifyByPurl(parsed, version);
  problems.push({
    severity: 'warning',
    message: `${name}@${version} has no purl external reference, so it cannot be matched against advisories`,
    hint: 'Regenerate the SBOM with a tool that writes purl externalRefs, or add the purl by hand.',
    ...at,
  });
  return { ecosystem: 'generic', name, version, purl: purlFor('generic', name, version) };
}

function toComponent(pkg: PlainRecord, id: Identity, line: number | undefined): SbomComponent {
  const supplier = supplierOf(pkg.supplier) ?? supplierOf(pkg.originator);
  const license = asserted(pkg.licenseConcluded) ?? asserted(pkg.licenseDeclared);
  const website = asserted(pkg.homepage);
  const description = stringOf(pkg.summary) ?? stringOf(pkg.description);
  const hashes = hashesOf(pkg.checksums);
  // Keep the date only: validUntilDate is a full timestamp, the SOUP record keeps YYYY-MM-DD.
  const endOfSupport = stringOf(pkg.validUntilDate)?.slice(0, 10);
  return {
    ...id,
    scope: 'unknown',
    development: false,
    dependsOn: [],
    ...(supplier ? { supplier } : {}),
    ...(license ? { license } : {}),
    ...(description ? { description } : {}),
    ...(website ? { website } : {}),
    ...(hashes.length > 0 ? { hashes } : {}),
    ...(line !== undefined ? { line } : {}),
    ...(endOfSupport ? { endOfSupport, supportFrom: { kind: 'field', endOfSupport: 'validUntilDate' } } : {}),
  };
}

interface Graph {
  readonly products: Set<string>;
  /** SPDXID → SPDXIDs it depends on (run time). */
  readonly edges: Map<string, Set<string>>;
  /** SPDXID → SPDXIDs that need it only for development. */
  readonly devOf: Map<string, Set<string>>;
  hasEdges: boolean;
}

function addEdge(map: Map<string, Set<string>>, from: string, to: string): void {
  const set = map.get(from) ?? new Set<string>();
  set.add(to);
  map.set(from, set);
}

function readGraph(doc: PlainRecord): Graph {
  const products = new Set(stringsOf(doc.documentDescribes));
  const documentId = stringOf(doc.SPDXID) ?? 'SPDXRef-DOCUMENT';
  const graph: Graph = { products, edges: new Map(), devOf: new Map(), hasEdges: false };
  for (const rel of arrayOf(doc.relationships)) {
    if (!isRecord(rel)) continue;
    const element = stringOf(rel.spdxElementId);
    const related = stringOf(rel.relatedSpdxElement);
    const type = stringOf(rel.relationshipType);
    if (!element || !related || !type) continue;
    if (type === 'DESCRIBES' && element === documentId) products.add(related);
    else if (type === 'DESCRIBED_BY' && related === documentId) products.add(element);
    const direction = RUNTIME_EDGES.get(type);
    if (direction === 'forward') addEdge(graph.edges, element, related);
    else if (direction === 'inverse') addEdge(graph.edges, related, element);
    else if (DEVELOPMENT_EDGES.has(type)) addEdge(graph.devOf, element, related);
    else continue;
    graph.hasEdges = true;
  }
  return graph;
}

function checkVersion(doc: PlainRecord, problems: ImportProblem[]): string | undefined {
  const version = stringOf(doc.spdxVersion);
  if (version === 'SPDX-2.3' || version === 'SPDX-2.2') return version;
  problems.push({
    severity: 'error',
    message: `SPDX version ${version ?? '(none)'} is not supported (supported: SPDX-2.3 and SPDX-2.2 JSON)`,
    hint: 'Export the SBOM as SPDX 2.3 JSON or CycloneDX.',
  });
  return undefined;
}

function readSpdxJson(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  const parsed = parseJson(text, 'the SPDX document');
  if (!parsed.ok) return finishImport('SPDX JSON', [], [parsed.problem], options);
  const doc = parsed.value;
  if (!isRecord(doc)) {
    return finishImport(
      'SPDX JSON',
      [],
      [{ severity: 'error', message: 'not an SPDX document: expected a JSON object' }],
      options,
    );
  }
  const version = checkVersion(doc, problems);
  if (!version) return finishImport('SPDX JSON', [], problems, options);
  const format = `${version} JSON`;
  const graph = readGraph(doc);
  const packages = arrayOf(doc.packages).filter(isRecord);
  const lines = jsonStringLines(
    text,
    new Set(packages.map((p) => stringOf(p.SPDXID)).filter((s): s is string => !!s)),
  );
  const purlById = new Map<string, string>();
  const components: SbomComponent[] = [];
  for (const pkg of packages) {
    const spdxId = stringOf(pkg.SPDXID);
    if (spdxId && graph.products.has(spdxId)) continue;
    const line = spdxId ? lines.get(spdxId) : undefined;
    const id = identify(pkg, line, problems);
    if (!id) continue;
    if (spdxId) purlById.set(spdxId, id.purl);
    components.push({ ...toComponent(pkg, id, line), ...(spdxId ? { spdxId } : {}) });
  }
  return finishImport(format, link(components, graph, purlById), problems, options);
}

/** Scope, development flag and dependsOn from the relationship graph. */
function link(
  components: (SbomComponent & { spdxId?: string })[],
  graph: Graph,
  purlById: Map<string, string>,
): SbomComponent[] {
  const direct = new Set<string>();
  const runtimeNeeded = new Set<string>();
  for (const targets of graph.edges.values()) for (const to of targets) runtimeNeeded.add(to);
  for (const product of graph.products) for (const to of graph.edges.get(product) ?? []) direct.add(to);
  for (const [dev, of] of graph.devOf) if ([...of].some((id) => graph.products.has(id))) direct.add(dev);
  return components.map(({ spdxId, ...component }) => {
    const id = spdxId ?? '';
    const scope = !graph.hasEdges ? 'unknown' : direct.has(id) ? 'direct' : 'transitive';
    const development = graph.devOf.has(id) && !runtimeNeeded.has(id);
    const dependsOn = [...(graph.edges.get(id) ?? [])]
      .map((to) => purlById.get(to))
      .filter((p): p is string => p !== undefined);
    return { ...component, scope, development, dependsOn };
  });
}

export const spdxJsonReader: DependencyReader = {
  id: 'spdx-json',
  description: 'SPDX 2.3 / 2.2 SBOM, JSON',
  detect(baseName, head) {
    return /\.json$/i.test(baseName) && (/\.spdx\.json$/i.test(baseName) || /"spdxVersion"\s*:/.test(head));
  },
  read(text, options = {}) {
    return readSpdxJson(text, options);
  },
};
