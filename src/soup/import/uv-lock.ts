/**
 * uv `uv.lock` (TOML, `version = 1`, any `revision`).
 *
 * Packages whose source is `{ editable = … }` or `{ virtual = … }` are the project and its workspace
 * members: not SOUP, but what they name is direct. Development: what only their
 * `[package.dev-dependencies]` groups reach. `[package.optional-dependencies]` (extras) are kept as
 * runtime: extras ship to users with the product, so dropping them would under-report SOUP.
 * Local `directory`/`path` packages are not SOUP either (a note says so).
 */
import { parse as parseToml } from 'smol-toml';
import { normalizePypiName } from '../purl.js';
import { distributionHashes } from './poetry-lock.js';
import {
  appendTo,
  arrayTableEntries,
  developmentOnly,
  entriesOf,
  guardRead,
  identify,
  inferScopes,
  isRecord,
  own,
  ownRecord,
  ownString,
  type PlainRecord,
  parseLockfile,
  reachable,
  readerForFileName,
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

const SUPPORTED = [1];

type Kind = 'project' | 'local' | 'package';

interface Locked {
  readonly index: number;
  readonly entry: PlainRecord;
  readonly name: string;
  readonly version?: string;
  readonly kind: Kind;
  readonly line?: number;
}

function kindOf(source: PlainRecord | undefined): Kind {
  if (own(source, 'editable') !== undefined || own(source, 'virtual') !== undefined) return 'project';
  if (own(source, 'directory') !== undefined || own(source, 'path') !== undefined) return 'local';
  return 'package';
}

function lockedPackages(lock: PlainRecord, text: string, problems: ImportProblem[]): Locked[] {
  const out: Locked[] = [];
  arrayTableEntries(lock, text, 'package').forEach(({ entry, line }, index) => {
    const name = ownString(isRecord(entry) ? entry : undefined, 'name');
    if (!isRecord(entry) || !name) {
      problems.push({
        severity: 'warning',
        message: '[[package]] without a name is skipped',
        ...(line !== undefined ? { line } : {}),
      });
      return;
    }
    const version = ownString(entry, 'version');
    const kind = kindOf(ownRecord(entry, 'source'));
    out.push({
      index,
      entry,
      name: normalizePypiName(name),
      kind,
      ...(version ? { version } : {}),
      ...(line !== undefined ? { line } : {}),
    });
  });
  return out;
}

/** `{ name, version? }` references → locked packages (uv gives the version only when several are locked). */
function resolver(locked: readonly Locked[]): (refs: unknown) => Locked[] {
  const byName = new Map<string, Locked[]>();
  for (const item of locked) appendTo(byName, item.name, item);
  return (refs) => {
    const out: Locked[] = [];
    for (const ref of Array.isArray(refs) ? refs : []) {
      const name = ownString(isRecord(ref) ? ref : undefined, 'name');
      const version = ownString(isRecord(ref) ? ref : undefined, 'version');
      const candidates = name ? (byName.get(normalizePypiName(name)) ?? []) : [];
      out.push(...(version ? candidates.filter((c) => c.version === version) : candidates));
    }
    return out;
  };
}

/** All references in a table of lists (`optional-dependencies`, `dev-dependencies`: group → list). */
function groupRefs(entry: PlainRecord, key: string): unknown[] {
  return entriesOf(own(entry, key)).flatMap(([, refs]) => (Array.isArray(refs) ? refs : []));
}

function sourceProblem(item: Locked): ImportProblem | undefined {
  const source = ownRecord(item.entry, 'source');
  const at = item.line !== undefined ? { line: item.line } : {};
  if (item.kind === 'local') {
    const path = ownString(source, 'directory') ?? ownString(source, 'path') ?? '';
    return {
      severity: 'info',
      message: `${item.name} is a local package (${path}): it is not listed as SOUP`,
      hint: 'If that folder or file holds third-party code, record it as a SOUP item by hand.',
      ...at,
    };
  }
  const remote = ownString(source, 'git') ?? ownString(source, 'url');
  if (item.kind !== 'package' || !remote) return undefined;
  return {
    severity: 'info',
    message: `${item.name} is installed from ${remote.split('#')[0]}, not from a package index`,
    hint: 'Its version comes from its own metadata; check the SOUP record names the exact commit or file.',
    ...at,
  };
}

function readUvLock(text: string, options: ReadOptions | undefined): ImportResult {
  const parsed = parseLockfile(text, parseToml, options, {
    file: 'uv.lock',
    hint: 'Resolve merge conflicts or run `uv lock` to rewrite the lockfile.',
  });
  if (!parsed.ok) return parsed.result;
  const lock: PlainRecord = parsed.value;
  const version = own(lock, 'version');
  if (typeof version !== 'number' || !SUPPORTED.includes(version)) {
    return unsupportedVersion(
      'uv.lock',
      version === undefined ? 'no version' : `version ${JSON.stringify(version)}`,
      SUPPORTED,
      'Export a CycloneDX SBOM with `uv export --format cyclonedx1.5` instead.',
      options,
    );
  }
  const problems: ImportProblem[] = [];
  const locked = lockedPackages(lock, text, problems);
  for (const item of locked) {
    const note = sourceProblem(item);
    if (note) problems.push(note);
  }
  const resolve = resolver(locked);
  const edges = (item: Locked) => resolve(own(item.entry, 'dependencies'));
  const projects = locked.filter((l) => l.kind === 'project');
  const runtimeRoots = projects.flatMap((p) => [
    ...edges(p),
    ...resolve(groupRefs(p.entry, 'optional-dependencies')),
  ]);
  const developmentRoots = projects.flatMap((p) => resolve(groupRefs(p.entry, 'dev-dependencies')));
  const devOnly = developmentOnly(runtimeRoots, developmentRoots, edges);
  const direct = new Set([...runtimeRoots, ...developmentRoots]);
  const components: ImportedComponent[] = [];
  for (const item of locked) {
    if (item.kind !== 'package') continue;
    if (!item.version) {
      problems.push({
        severity: 'warning',
        message: `${item.name} has no version in uv.lock, so it cannot be identified`,
        hint: 'Run `uv lock` to rewrite the lockfile, or record the SOUP item by hand.',
        ...(item.line !== undefined ? { line: item.line } : {}),
      });
      continue;
    }
    const hashes = distributionHashes(uvFiles(item.entry));
    const dependsOn = reachableDependencies(item, edges);
    components.push({
      ...identify('PyPI', item.name, item.version),
      scope: projects.length === 0 ? 'unknown' : direct.has(item) ? 'direct' : 'transitive',
      development: devOnly.has(item),
      dependsOn,
      ...(hashes.length > 0 ? { hashes } : {}),
      ...(item.line !== undefined ? { line: item.line } : {}),
    });
  }
  const scoped = projects.length === 0 ? inferScopes(components) : components;
  return finishImport(`uv.lock v${version}`, scoped, problems, options);
}

/**
 * The purls a package depends on. A local package in between is not a component, so its own
 * dependencies are attributed through it (reachable through non-packages only).
 */
function reachableDependencies(item: Locked, edges: (item: Locked) => Locked[]): string[] {
  const out: string[] = [];
  const through = reachable(
    edges(item).filter((d) => d.kind !== 'package'),
    (d) => edges(d).filter((n) => n.kind !== 'package'),
  );
  for (const dep of [...edges(item), ...[...through].flatMap(edges)]) {
    if (dep.kind === 'package' && dep.version) out.push(identify('PyPI', dep.name, dep.version).purl);
  }
  return out;
}

/** uv writes `sdist = { hash }` and `wheels = [{ hash }]`; shaped like Poetry's files for one helper. */
function uvFiles(entry: PlainRecord): PlainRecord[] {
  const sdist = ownRecord(entry, 'sdist');
  const wheels = own(entry, 'wheels');
  const files: PlainRecord[] = [];
  const sdistHash = ownString(sdist, 'hash');
  if (sdistHash) files.push({ file: 'sdist.tar.gz', hash: sdistHash });
  for (const wheel of Array.isArray(wheels) ? wheels : []) {
    const hash = ownString(isRecord(wheel) ? wheel : undefined, 'hash');
    if (hash) files.push({ file: 'wheel.whl', hash });
  }
  return files;
}

export const uvLockReader: DependencyReader = readerForFileName(
  'uv-lock',
  'uv.lock (version 1)',
  'uv.lock',
  (text, options) => guardRead('uv.lock', () => readUvLock(text, options)),
);
