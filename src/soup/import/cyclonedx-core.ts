/**
 * The part of the CycloneDX readers shared by both encodings (cyclonedx-json.ts, cyclonedx-xml.ts):
 * each encoding is first mapped to {@link CdxComponentInput}s, which are then identified, scoped and
 * linked here, so the two cannot drift apart.
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
import { formatPurl, type Purl, parsePurl, purlFor } from '../purl.js';
import { type Hash, type Identity, identifyByPurl } from './reader-support.js';
import { finishImport } from './result.js';
import type { ImportProblem, ImportResult, ReadOptions, SbomComponent } from './types.js';

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

function identify(input: CdxComponentInput, problems: ImportProblem[]): Identity | undefined {
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
  if (parsed) return identifyCheckingVersion(parsed, version, label, at, problems);
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

/** The purl's identity; a version that disagrees with the purl's is worth a warning. */
function identifyCheckingVersion(
  parsed: Purl,
  version: string,
  label: string,
  at: { line?: number },
  problems: ImportProblem[],
): Identity {
  const id = identifyByPurl(parsed, version);
  if (parsed.version && parsed.version !== version && parsed.version !== `v${version}`) {
    problems.push({
      severity: 'warning',
      message: `${label}: version ${version} differs from the purl's version ${parsed.version}; the purl is used for matching`,
      ...at,
    });
  }
  return id;
}

type PropertyField = 'supportLevel' | 'endOfSupport' | 'supportJustification' | 'development';

/** Property name (lower-cased, letters only) → field and priority; the FDA taxonomy wins. */
const PROPERTY_FIELDS: ReadonlyMap<string, { field: PropertyField; rank: number }> = new Map([
  ['cdxfdajustification', { field: 'supportJustification', rank: 3 }],
  ['cdxfdalevelofsupport', { field: 'supportLevel', rank: 3 }],
  ['levelofsupport', { field: 'supportLevel', rank: 2 }],
  ['cdxfdaendofsupportdate', { field: 'endOfSupport', rank: 3 }],
  ['endofsupport', { field: 'endOfSupport', rank: 2 }],
  ['endofsupportdate', { field: 'endOfSupport', rank: 2 }],
  ['cdxlifecyclemilestoneendofsupport', { field: 'endOfSupport', rank: 1 }],
  // cyclonedx-npm marks devDependencies this way.
  ['cdxnpmpackagedevelopment', { field: 'development', rank: 1 }],
]);

interface PropertyValues {
  readonly values: Partial<Record<PropertyField, string>>;
  /** The property name each value was read from, as the SBOM writes it. */
  readonly names: Partial<Record<PropertyField, string>>;
}

/** Property names are matched case-, space- and punctuation-insensitively ("End-of-Support", "endOfSupport"). */
function readProperties(properties: CdxComponentInput['properties']): PropertyValues {
  const values: Partial<Record<PropertyField, string>> = {};
  const names: Partial<Record<PropertyField, string>> = {};
  const ranks: Partial<Record<PropertyField, number>> = {};
  for (const { name, value } of properties) {
    const known = PROPERTY_FIELDS.get(name.toLowerCase().replace(/[^a-z]/g, ''));
    if (!known || value.trim() === '') continue;
    // cdx:fda:justification appears once per element that cannot be given: keep every one.
    if (known.field === 'supportJustification' && values.supportJustification !== undefined) {
      values.supportJustification += `; ${value.trim()}`;
      continue;
    }
    if ((ranks[known.field] ?? 0) >= known.rank) continue;
    values[known.field] = value.trim();
    names[known.field] = name;
    ranks[known.field] = known.rank;
  }
  return { values, names };
}

function toComponent(input: CdxComponentInput, id: Identity): SbomComponent {
  const { values: props, names } = readProperties(input.properties);
  const supportFrom = {
    kind: 'property' as const,
    ...(props.supportLevel ? { supportLevel: names.supportLevel } : {}),
    ...(props.endOfSupport ? { endOfSupport: names.endOfSupport } : {}),
    ...(props.supportJustification ? { supportJustification: names.supportJustification } : {}),
  };
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
    ...(props.supportJustification ? { supportJustification: props.supportJustification } : {}),
    ...(Object.keys(supportFrom).length > 1 ? { supportFrom } : {}),
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
