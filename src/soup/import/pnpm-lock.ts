/**
 * `pnpm-lock.yaml`, lockfileVersion 5.x (pnpm 6–7, keys `/name/version_peer`), 6.x (pnpm 8, keys
 * `/name@version(peer)`) and 9.0 (pnpm 9–10: `packages` holds metadata, `snapshots` the dependency
 * graph per peer variant, keys `name@version(peer)`).
 *
 * Importers (the project and its workspace packages) name the direct dependencies, so scope is exact.
 * Development: v5/v6 mark dev-only packages `dev: true`; v9 dropped that flag, so it is recomputed
 * from the importers' devDependencies (only what no runtime dependency reaches is development).
 *
 * Parsed with js-yaml's failsafe schema: every scalar stays text, so versions are never read as numbers.
 */
import jsYaml from 'js-yaml';
import {
  entriesOf,
  finishWithRoots,
  guardRead,
  type Identity,
  identify,
  isRecord,
  own,
  ownFlag,
  ownRecord,
  ownString,
  type PlainRecord,
  parseLockfile,
  sriHashes,
  stringEntriesOf,
  unsupportedVersion,
} from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

const SUPPORTED = ['5.x', '6.x', '9.0'];
type Major = 5 | 6 | 9;
const DEPENDENCY_KEYS = ['dependencies', 'optionalDependencies', 'devDependencies'] as const;

function majorOf(version: string | undefined): Major | undefined {
  const match = version ? /^(\d+)(\.\d+)?$/.exec(version.trim()) : null;
  const major = Number(match?.[1]);
  if (major === 5 || major === 6) return major;
  return major === 9 && (match?.[2] ?? '.0') === '.0' ? 9 : undefined;
}

/** `1.2.3(react@18.2.0)` or `1.2.3_react@18.2.0` → `1.2.3`: peer variants are one package version. */
function stripPeers(version: string): string {
  const paren = version.indexOf('(');
  const base = paren >= 0 ? version.slice(0, paren) : version;
  const underscore = base.indexOf('_');
  return underscore >= 0 ? base.slice(0, underscore) : base;
}

/** Name and version from a package key, for registry packages (others carry name/version fields). */
function parseKey(key: string, major: Major): { name: string; version: string } | undefined {
  const bare = key.startsWith('/') ? key.slice(1) : key;
  if (major === 5) {
    const slash = bare.lastIndexOf('/');
    return slash > 0 ? { name: bare.slice(0, slash), version: stripPeers(bare.slice(slash + 1)) } : undefined;
  }
  // A name holds no `@` except its scope prefix, so the first `@` after that separates the version.
  const at = bare.indexOf('@', 1);
  return at > 0 ? { name: bare.slice(0, at), version: stripPeers(bare.slice(at + 1)) } : undefined;
}

/**
 * 1-based line of each key directly under the top-level sections asked for (`packages:`), pnpm's
 * two-space indent, in one pass over the text; quoted keys (`'@babel/core@7.0.0':`) are unquoted.
 */
function sectionKeyLines(text: string, sections: readonly string[]): Map<string, Map<string, number>> {
  const out = new Map(sections.map((section) => [section, new Map<string, number>()]));
  let current: Map<string, number> | undefined;
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const row = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (/^[^\s#]/.test(row)) current = out.get(yamlKey(row) ?? '');
    else if (current && /^ {2}[^\s#]/.test(row)) {
      const key = yamlKey(row.slice(2));
      if (key !== undefined && !current.has(key)) current.set(key, line);
    }
  }
  return out;
}

function yamlKey(row: string): string | undefined {
  const quote = row[0];
  if (quote === "'" || quote === '"') {
    const end = row.indexOf(quote, 1);
    return end > 0 ? row.slice(1, end) : undefined;
  }
  return /^(.*?):(\s|$)/.exec(row)?.[1];
}

/** A dependency reference: v5 `1.2.3_peer`, v6/v9 `{ specifier, version }` in importers, `link:` to folders. */
function refOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return ownString(isRecord(value) ? value : undefined, 'version');
}

/** The package key a dependency reference points at, or undefined for links and unknown references. */
function resolveRef(
  alias: string,
  ref: string,
  major: Major,
  nodes: ReadonlyMap<string, unknown>,
): string | undefined {
  if (ref.startsWith('link:')) return undefined;
  const candidates =
    major === 5
      ? [`/${alias}/${ref}`, ref, `/${ref}`]
      : major === 6
        ? [`/${alias}@${ref}`, ref, `/${ref}`]
        : [`${alias}@${ref}`, ref];
  return candidates.find((key) => nodes.has(key));
}

interface Node {
  readonly key: string;
  /** Metadata (resolution, name, version, dev): `packages`. */
  readonly meta: PlainRecord;
  /** Dependencies: `snapshots` in v9, the same `packages` entry before. */
  readonly graph: PlainRecord;
}

function collectNodes(lock: PlainRecord, major: Major): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const packages = ownRecord(lock, 'packages');
  const snapshots = major === 9 ? ownRecord(lock, 'snapshots') : undefined;
  if (snapshots) {
    for (const [key, graph] of entriesOf(snapshots)) {
      const meta = ownRecord(packages, stripPeers(key)) ?? ownRecord(packages, key) ?? {};
      nodes.set(key, { key, meta, graph: isRecord(graph) ? graph : {} });
    }
    return nodes;
  }
  for (const [key, entry] of entriesOf(packages))
    if (isRecord(entry)) nodes.set(key, { key, meta: entry, graph: entry });
  return nodes;
}

/** Importers: `importers` (workspaces, and always in v9) or the top-level maps of a single project. */
function importersOf(lock: PlainRecord): PlainRecord[] {
  const importers = ownRecord(lock, 'importers');
  if (!importers) return [lock];
  return entriesOf(importers).flatMap(([, value]) => (isRecord(value) ? [value] : []));
}

interface Identified {
  readonly node: Node;
  readonly id: Identity;
  readonly line?: number;
}

function identifyNodes(
  nodes: ReadonlyMap<string, Node>,
  major: Major,
  lines: ReadonlyMap<string, ReadonlyMap<string, number>>,
  problems: ImportProblem[],
): Map<string, Identified> {
  const packageLines = lines.get('packages') ?? new Map<string, number>();
  const snapshotLines = lines.get('snapshots') ?? new Map<string, number>();
  const out = new Map<string, Identified>();
  for (const node of nodes.values()) {
    const line =
      packageLines.get(major === 9 ? stripPeers(node.key) : node.key) ?? snapshotLines.get(node.key);
    const at = line !== undefined ? { line } : {};
    const parsed = parseKey(node.key, major);
    const name = ownString(node.meta, 'name') ?? parsed?.name;
    const version = ownString(node.meta, 'version') ?? parsed?.version;
    if (node.key.startsWith('file:') || /@(file|link):/.test(node.key)) {
      problems.push({
        severity: 'info',
        message: `${node.key} is a local package: it is not listed as SOUP`,
        hint: 'If that folder holds third-party code, record it as a SOUP item by hand.',
        ...at,
      });
      continue;
    }
    if (!name || !version || /[:/]/.test(version)) {
      problems.push({
        severity: 'warning',
        message: `${node.key} has no exact version in the lockfile, so it cannot be identified`,
        hint: 'Record it as a SOUP item by hand, naming the exact commit or file.',
        ...at,
      });
      continue;
    }
    out.set(node.key, { node, id: identify('npm', name, version), ...at });
  }
  return out;
}

function dependsOn(item: Identified, major: Major, identified: ReadonlyMap<string, Identified>): string[] {
  const out: string[] = [];
  for (const key of ['dependencies', 'optionalDependencies']) {
    for (const [alias, ref] of stringEntriesOf(own(item.node.graph, key))) {
      const target = resolveRef(alias, ref, major, identified);
      const purl = target ? identified.get(target)?.id.purl : undefined;
      if (purl) out.push(purl);
    }
  }
  return out;
}

/** Purls the importers name, split by kind. */
function importerRoots(lock: PlainRecord, major: Major, identified: ReadonlyMap<string, Identified>) {
  const roots = { runtime: new Set<string>(), development: new Set<string>() };
  for (const importer of importersOf(lock)) {
    for (const kind of DEPENDENCY_KEYS) {
      for (const [alias, value] of entriesOf(own(importer, kind))) {
        const ref = refOf(value);
        const target = ref ? resolveRef(alias, ref, major, identified) : undefined;
        const purl = target ? identified.get(target)?.id.purl : undefined;
        if (purl) (kind === 'devDependencies' ? roots.development : roots.runtime).add(purl);
      }
    }
  }
  return roots;
}

function patchProblems(lock: PlainRecord, lines: ReadonlyMap<string, number> | undefined): ImportProblem[] {
  return entriesOf(own(lock, 'patchedDependencies')).map(([key, value]) => {
    const path = typeof value === 'string' ? value : ownString(isRecord(value) ? value : undefined, 'path');
    const line = lines?.get(key);
    return {
      severity: 'info' as const,
      message: `${key} is patched locally${path ? ` (${path})` : ''}`,
      hint: 'Record the patch with the SOUP item: the code in use is not the published release.',
      ...(line !== undefined ? { line } : {}),
    };
  });
}

function readPnpmLock(text: string, options: ReadOptions | undefined): ImportResult {
  const parsed = parseLockfile(text, (t) => jsYaml.load(t, { schema: jsYaml.FAILSAFE_SCHEMA }), options, {
    file: 'pnpm-lock.yaml',
    hint: 'Resolve merge conflicts or run `pnpm install` to rewrite the lockfile.',
  });
  if (!parsed.ok) return parsed.result;
  const lock = isRecord(parsed.value) ? parsed.value : undefined;
  const written = ownString(lock, 'lockfileVersion');
  const major = majorOf(written);
  if (!lock || major === undefined) {
    return unsupportedVersion(
      'pnpm-lock.yaml',
      written ? `lockfileVersion ${written}` : 'no lockfileVersion',
      SUPPORTED,
      'Regenerate the lockfile with pnpm 9 or 10 (lockfileVersion 9.0).',
      options,
    );
  }
  const format = `pnpm-lock.yaml v${written}`;
  const lines = sectionKeyLines(text, ['packages', 'snapshots', 'patchedDependencies']);
  const problems = patchProblems(lock, lines.get('patchedDependencies'));
  const identified = identifyNodes(collectNodes(lock, major), major, lines, problems);
  const roots = importerRoots(lock, major, identified);
  const direct = new Set([...roots.runtime, ...roots.development]);
  const components = [...identified.values()].map((item): ImportedComponent => {
    const hashes = sriHashes(ownString(ownRecord(item.node.meta, 'resolution'), 'integrity'));
    return {
      ...item.id,
      scope: direct.has(item.id.purl) ? 'direct' : 'transitive',
      development: ownFlag(item.node.meta, 'dev'),
      dependsOn: dependsOn(item, major, identified),
      ...(hashes.length > 0 ? { hashes } : {}),
      ...(item.line !== undefined ? { line: item.line } : {}),
    };
  });
  if (major === 9) return finishWithRoots(format, components, problems, roots, options);
  return finishImport(format, components, problems, options);
}

export const pnpmLockReader: DependencyReader = {
  id: 'pnpm-lock',
  description: 'pnpm-lock.yaml (lockfileVersion 5.x, 6.x, 9.0)',
  detect: (baseName, head) =>
    baseName === 'pnpm-lock.yaml' ||
    (/\.ya?ml$/.test(baseName) &&
      /^lockfileVersion:/m.test(head) &&
      /^(importers|packages|dependencies):/m.test(head)),
  read: (text, options) => guardRead('pnpm-lock.yaml', () => readPnpmLock(text, options)),
};
