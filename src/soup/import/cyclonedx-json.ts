/**
 * CycloneDX SBOM reader, JSON encoding, plus the part shared with the XML encoding
 * (cyclonedx-xml.ts): both encodings are first mapped to {@link CdxComponentInput}s and then
 * identified, scoped and linked here, so the two cannot drift apart.
 *
 * - `metadata.component` is the product itself, not SOUP.
 * - `scope: excluded` components (and the components nested inside them) are not part of the
 *   delivered software and are skipped; `optional` ones are kept, they ship.
 * - Scope comes from the `dependencies` graph: what the product `dependsOn` is direct, everything
 *   else transitive. SBOMs whose graph lists refs but no edges (common in hand-made device SBOMs)
 *   say nothing about scope, so scope is `unknown` there.
 * - FDA support fields are read from `cdx:fda:level-of-support` / `cdx:fda:end-of-support-date`
 *   (CycloneDX property taxonomy) and from the informal `Level of Support` / `End-of-Support`
 *   properties that real device SBOMs carry.
 */
import { formatPurl, osvPackageOf, type Purl, parsePurl, purlFor } from '../purl.js';
import { finishImport, lineAt } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

/** An imported component with the FDA support fields an SBOM may carry. */
export interface SbomComponent extends ImportedComponent {
  /** FDA "level of support", verbatim from the SBOM (e.g. `Actively maintained`). */
  readonly supportLevel?: string;
  /** FDA "end-of-support date", verbatim (usually YYYY-MM-DD, sometimes free text). */
  readonly endOfSupport?: string;
}

export type Hash = { readonly alg: string; readonly content: string };

/** A CycloneDX component as both encodings carry it, before identification. */
export interface CdxComponentInput {
  readonly bomRef?: string;
  readonly name?: string;
  readonly group?: string;
  readonly version?: string;
  readonly purl?: string;
  readonly supplier?: string;
  readonly licenses: readonly string[];
  readonly description?: string;
  readonly website?: string;
  readonly hashes: readonly Hash[];
  readonly properties: readonly { readonly name: string; readonly value: string }[];
  readonly line?: number;
}

export interface CdxDocumentInput {
  /** `metadata.component`'s bom-ref and purl: whatever it depends on is direct. */
  readonly productRefs: readonly string[];
  readonly components: readonly CdxComponentInput[];
  readonly dependencies: readonly { readonly ref: string; readonly dependsOn: readonly string[] }[];
}

// ---------------------------------------------------------------------------------------------
// Small helpers shared by the JSON readers (CycloneDX, SPDX, conan.lock, vcpkg.json)

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
export function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces unpaired UTF-16 surrogates with U+FFFD. Files read as UTF-8 never contain them, but a
 * JSON `\ud800` escape or a string handed in by a caller can, and purl encoding throws on them.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** Parses JSON into a problem instead of an exception, with the line of a syntax error when known. */
export function parseJson(
  text: string,
  what: string,
): { ok: true; value: unknown } | { ok: false; problem: ImportProblem } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // The reviver costs time, so it runs only when an escape could produce a lone surrogate.
  const reviver = /\\u[dD][89a-fA-F]/.test(body)
    ? (_key: string, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value)
    : undefined;
  try {
    return { ok: true, value: JSON.parse(wellFormed(body), reviver) };
  } catch (error) {
    const message = (error as Error).message;
    // V8 reports some syntax errors "… at position N"; the line is computed once, here.
    const position = /at position (\d+)/.exec(message)?.[1];
    return {
      ok: false,
      problem: {
        severity: 'error',
        message: `${what} is not valid JSON: ${message}`,
        ...(position ? { line: lineAt(body, Number(position)) } : {}),
      },
    };
  }
}

const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/**
 * The 1-based line where each wanted string first occurs as a JSON string literal, in one pass
 * over the text (JSON parsers keep no positions, and searching once per component would make a
 * large SBOM quadratic). Only call on text that parsed as JSON, so string literals tokenise cleanly.
 */
export function jsonStringLines(text: string, wanted: ReadonlySet<string>): Map<string, number> {
  const lines = new Map<string, number>();
  if (wanted.size === 0) return lines;
  let line = 1;
  let counted = 0;
  JSON_STRING.lastIndex = 0;
  for (let match = JSON_STRING.exec(text); match; match = JSON_STRING.exec(text)) {
    const literal = match[0];
    const value = literal.includes('\\') ? decodeJsonString(literal) : literal.slice(1, -1);
    if (value === undefined || !wanted.has(value) || lines.has(value)) continue;
    for (let i = text.indexOf('\n', counted); i >= 0 && i < match.index; i = text.indexOf('\n', i + 1))
      line++;
    counted = match.index;
    lines.set(value, line);
    if (lines.size === wanted.size) break;
  }
  return lines;
}

function decodeJsonString(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Walks components and their nested `components` in document order without recursion (a
 * hostile SBOM can nest deeper than the call stack), skipping excluded subtrees.
 */
export function flattenComponents<T>(
  roots: readonly T[],
  childrenOf: (node: T) => readonly T[],
  isExcluded: (node: T) => boolean,
): T[] {
  const out: T[] = [];
  const stack: T[] = [...roots].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (isExcluded(node)) continue;
    out.push(node);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as T);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Identification and graph

type Identified = { ecosystem: string; name: string; version: string; purl: string };

function identify(input: CdxComponentInput, problems: ImportProblem[]): Identified | undefined {
  const label = input.name ?? input.bomRef ?? input.purl ?? 'a component';
  const at = input.line !== undefined ? { line: input.line } : {};
  let parsed: Purl | undefined;
  if (input.purl) {
    try {
      parsed = parsePurl(input.purl);
    } catch (error) {
      problems.push({ severity: 'warning', message: `${label}: ${(error as Error).message}`, ...at });
    }
  }
  const version = input.version ?? parsed?.version;
  if (!version) {
    problems.push({
      severity: 'warning',
      message: `${label} has no version, so it is not imported (IEC 62304 8.1.2 c needs the exact version)`,
      hint: 'Add the version to the SBOM, or record this SOUP item by hand.',
      ...at,
    });
    return undefined;
  }
  if (parsed) return identifyByPurl(parsed, version, label, at, problems);
  if (!input.name) return undefined;
  problems.push({
    severity: 'warning',
    message: `${label}@${version} has no purl, so it cannot be matched against advisories`,
    hint: 'Regenerate the SBOM with a tool that writes package URLs, or add the purl by hand.',
    ...at,
  });
  const name = input.group ? `${input.group}/${input.name}` : input.name;
  return { ecosystem: 'generic', name, version, purl: purlFor('generic', name, version) };
}

function identifyByPurl(
  parsed: Purl,
  version: string,
  label: string,
  at: { line?: number },
  problems: ImportProblem[],
): Identified {
  // Hand-written device SBOMs often put the version only in `version` (pkg:github/wolfssl/wolfssl).
  const purl = formatPurl(parsed.version ? parsed : { ...parsed, version });
  if (parsed.version && parsed.version !== version && parsed.version !== `v${version}`) {
    problems.push({
      severity: 'warning',
      message: `${label}: version ${version} differs from the purl's version ${parsed.version}; the purl is used for matching`,
      ...at,
    });
  }
  const osv = osvPackageOf(parsed);
  const name = osv?.name ?? (parsed.namespace ? `${parsed.namespace}/${parsed.name}` : parsed.name);
  // OSV Go versions have no `v`; the golang purl keeps it (see go-mod.ts).
  const bare = osv?.ecosystem === 'Go' ? version.replace(/^v/, '') : version;
  return { ecosystem: osv?.ecosystem ?? 'generic', name, version: bare, purl };
}

type PropertyField = 'supportLevel' | 'endOfSupport' | 'development';

/** Property name (lower-cased, letters only) → field and priority; the FDA taxonomy wins. */
const PROPERTY_FIELDS: ReadonlyMap<string, { field: PropertyField; rank: number }> = new Map([
  ['cdxfdalevelofsupport', { field: 'supportLevel', rank: 3 }],
  ['levelofsupport', { field: 'supportLevel', rank: 2 }],
  ['cdxfdaendofsupportdate', { field: 'endOfSupport', rank: 3 }],
  ['endofsupport', { field: 'endOfSupport', rank: 2 }],
  ['endofsupportdate', { field: 'endOfSupport', rank: 2 }],
  ['cdxlifecyclemilestoneendofsupport', { field: 'endOfSupport', rank: 1 }],
  // cyclonedx-npm marks devDependencies this way.
  ['cdxnpmpackagedevelopment', { field: 'development', rank: 1 }],
]);

function readProperties(properties: CdxComponentInput['properties']): Partial<Record<PropertyField, string>> {
  const out: Partial<Record<PropertyField, string>> = {};
  const ranks: Partial<Record<PropertyField, number>> = {};
  for (const { name, value } of properties) {
    const known = PROPERTY_FIELDS.get(name.toLowerCase().replace(/[^a-z]/g, ''));
    if (!known || value.trim() === '' || (ranks[known.field] ?? 0) >= known.rank) continue;
    out[known.field] = value.trim();
    ranks[known.field] = known.rank;
  }
  return out;
}

function toComponent(input: CdxComponentInput, id: Identified): SbomComponent {
  const props = readProperties(input.properties);
  return {
    ...id,
    scope: 'unknown',
    development: props.development === 'true',
    dependsOn: [],
    ...(input.supplier ? { supplier: input.supplier } : {}),
    ...(input.licenses.length > 0 ? { license: input.licenses.join(' AND ') } : {}),
    ...(input.description ? { description: input.description } : {}),
    ...(input.website ? { website: input.website } : {}),
    ...(input.hashes.length > 0 ? { hashes: input.hashes } : {}),
    ...(input.line !== undefined ? { line: input.line } : {}),
    ...(props.supportLevel ? { supportLevel: props.supportLevel } : {}),
    ...(props.endOfSupport ? { endOfSupport: props.endOfSupport } : {}),
  };
}

/** Maps a bom-ref (or a purl used as a ref) to the component's purl. */
function refResolver(
  entries: readonly { input: CdxComponentInput; purl: string }[],
): (ref: string) => string | undefined {
  const byRef = new Map<string, string>();
  for (const { input, purl } of entries) {
    if (input.bomRef && !byRef.has(input.bomRef)) byRef.set(input.bomRef, purl);
    if (input.purl && !byRef.has(input.purl)) byRef.set(input.purl, purl);
  }
  return (ref) => {
    const known = byRef.get(ref);
    if (known || !ref.startsWith('pkg:')) return known;
    try {
      const parsed = parsePurl(ref);
      return parsed.version ? formatPurl(parsed) : undefined;
    } catch {
      return undefined;
    }
  };
}

/** Identifies, scopes and links the components of one CycloneDX document (either encoding). */
export function buildCycloneDx(
  format: string,
  document: CdxDocumentInput,
  problems: ImportProblem[],
  options: ReadOptions,
): ImportResult {
  const entries: { input: CdxComponentInput; purl: string; component: SbomComponent }[] = [];
  const product = new Set(document.productRefs);
  for (const input of document.components) {
    // Some generators repeat the product in `components`; it is still not SOUP.
    if ((input.bomRef && product.has(input.bomRef)) || (input.purl && product.has(input.purl))) continue;
    const id = identify(input, problems);
    if (id) entries.push({ input, purl: id.purl, component: toComponent(input, id) });
  }
  const resolve = refResolver(entries);
  const edges = new Map<string, Set<string>>();
  const direct = new Set<string>();
  for (const { ref, dependsOn } of document.dependencies) {
    const targets = dependsOn.map(resolve).filter((p): p is string => p !== undefined);
    if (product.has(ref)) {
      for (const target of targets) direct.add(target);
      continue;
    }
    const from = resolve(ref);
    if (!from) continue;
    const set = edges.get(from) ?? new Set<string>();
    for (const target of targets) set.add(target);
    edges.set(from, set);
  }
  const components = entries.map(({ purl, component }) => ({
    ...component,
    // No edges from the product: the SBOM says nothing about scope.
    scope: direct.size > 0 ? (direct.has(purl) ? 'direct' : 'transitive') : 'unknown',
    dependsOn: [...(edges.get(purl) ?? [])],
  })) satisfies SbomComponent[];
  return finishImport(format, components, problems, options);
}

/** CycloneDX spec versions: fully supported, and older ones read with a note. */
export function checkSpecVersion(
  version: string | undefined,
  encoding: 'JSON' | 'XML',
  problems: ImportProblem[],
): boolean {
  if (version === '1.4' || version === '1.5' || version === '1.6') return true;
  if (version === '1.2' || version === '1.3') {
    problems.push({
      severity: 'info',
      message: `CycloneDX ${version} is read as far as it overlaps 1.4–1.6; newer fields (e.g. supplier on older tools) may be missing`,
    });
    return true;
  }
  problems.push({
    severity: 'error',
    message: `CycloneDX ${encoding} spec version ${version ?? '(none)'} is not supported (supported: 1.4, 1.5, 1.6; 1.2 and 1.3 read with a note)`,
    hint: 'Export the SBOM as CycloneDX 1.6, 1.5 or 1.4.',
  });
  return false;
}

// ---------------------------------------------------------------------------------------------
// JSON encoding

function supplierOf(node: Readonly<Record<string, unknown>>): string | undefined {
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

function jsonInput(node: Readonly<Record<string, unknown>>, line: number | undefined): CdxComponentInput {
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
      dependsOn: arrayOf(dep.dependsOn).filter((r): r is string => typeof r === 'string'),
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
  const keyOf = (node: Readonly<Record<string, unknown>>) =>
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
