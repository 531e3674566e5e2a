/**
 * `yarn.lock`, classic (v1, yarn's own format, read with `@yarnpkg/lockfile`) and berry (yarn 2+,
 * YAML with a `__metadata` entry).
 *
 * What the lockfile can and cannot say:
 * - classic records neither the project's own dependencies nor dev-only ones, so every component is
 *   scope `unknown` and not development; {@link applyManifest} refines both from the package.json
 *   beside the lockfile (the CLI does that when one is there).
 * - berry records the workspaces themselves (`name@workspace:.`, `linkType: soft`) with their
 *   dependencies, so direct vs transitive is known; development is still not (berry merges
 *   devDependencies into a workspace's `dependencies`), so again {@link applyManifest} marks it.
 *
 * Berry is parsed with js-yaml (failsafe schema), not the `yaml` package: on a 30 MB lockfile js-yaml
 * takes about 1.5 s and `yaml` about 15 s (and minutes with its default duplicate-key check).
 */
import { createRequire } from 'node:module';
import jsYaml from 'js-yaml';
import { notFromNpmProblem } from './package-lock.js';
import {
  developmentOnly,
  entriesOf,
  guardRead,
  type Hash,
  type Identity,
  identify,
  isRecord,
  LineIndex,
  own,
  ownRecord,
  ownString,
  type PlainRecord,
  parseLockfile,
  parseProblem,
  purlsByName,
  reachable,
  sriHashes,
  stringEntriesOf,
  unsupportedVersion,
} from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  DependencyScope,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

/**
 * The package is a CommonJS webpack bundle flagged `__esModule`: Node's ESM loader gives
 * `module.exports` as the default import, while Vite/Vitest interop gives its `default` (a different
 * function). `require` returns `module.exports` under both.
 */
const parseClassic: typeof import('@yarnpkg/lockfile').parse = createRequire(import.meta.url)(
  '@yarnpkg/lockfile',
).parse;

const BERRY_VERSIONS = ['4', '5', '6', '7', '8'];
/** Protocols that point at the project's own folders, never at a published package. */
const LOCAL_RANGE = /^(file|link|portal|workspace|exec):/;

/** `name@range` → name and range; the `@` of a scope (`@babel/core@^7`) is not the separator. */
function splitDescriptor(descriptor: string): { name: string; range: string } {
  const at = descriptor.indexOf('@', 1);
  return at > 0
    ? { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) }
    : { name: descriptor, range: '' };
}

/** The published name behind an alias (`my-lodash@npm:lodash@^4` installs `lodash`). */
function realName(name: string, range: string): string {
  if (!range.startsWith('npm:')) return name;
  const spec = range.slice(4);
  const at = spec.indexOf('@', 1);
  return at > 0 ? spec.slice(0, at) : name;
}

/**
 * 1-based line of every descriptor in the entry headers: unindented lines ending in `:`, such as
 * `lodash@^4.17.0, lodash@^4.17.21:` (classic, each part maybe quoted) or `"a@npm:1, a@npm:^1":` (berry).
 */
function headerLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let line = 0;
  for (const row of text.split('\n')) {
    line++;
    const header = row.replace(/\r$/, '');
    if (!header.endsWith(':') || /^[\s#]/.test(header)) continue;
    for (const part of header.slice(0, -1).split(/,\s*/)) {
      const descriptor = part.replace(/^"|"$/g, '');
      if (!out.has(descriptor)) out.set(descriptor, line);
    }
  }
  return out;
}

function localProblem(descriptor: string, line: number | undefined): ImportProblem {
  return {
    severity: 'info',
    message: `${descriptor} is a local package: it is not listed as SOUP`,
    hint: 'If that folder or file holds third-party code, record it as a SOUP item by hand.',
    ...(line !== undefined ? { line } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// classic (v1)

function classicHashes(entry: PlainRecord): Hash[] {
  const hashes = sriHashes(ownString(entry, 'integrity'));
  if (hashes.length > 0) return hashes;
  // Old lockfiles have no integrity field; the registry's SHA-1 rides in the URL fragment.
  const sha1 = /#([0-9a-f]{40})$/.exec(ownString(entry, 'resolved') ?? '')?.[1];
  return sha1 ? [{ alg: 'SHA-1', content: sha1 }] : [];
}

/**
 * Walks the text the way `@yarnpkg/lockfile`'s tokenizer does, for two of its flaws: it never
 * returns on an unterminated string or a comment without a newline after it (so those are refused
 * here, with their line), and it counts `\n\n` as one line (so its error positions are mapped back
 * through the line starts it believes in). Linear in the text.
 */
function classicScan(text: string): { hazard?: number; tokenizerLineStarts: number[] } {
  const starts = [0, 0];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
      starts.push(i);
    } else if (c === 35 /* # */) {
      const end = text.indexOf('\n', i);
      if (end < 0) return { hazard: i, tokenizerLineStarts: starts };
      i = end;
    } else if (c === 34 /* " */) {
      let k = i + 1;
      while (k < n && !(text.charCodeAt(k) === 34 && !(text[k - 1] === '\\' && text[k - 2] !== '\\'))) k++;
      if (k >= n) return { hazard: i, tokenizerLineStarts: starts };
      i = k + 1;
    } else if (text.startsWith('true', i) || text.startsWith('false', i)) {
      i += text.startsWith('true', i) ? 4 : 5;
    } else if (/[a-zA-Z/-]/.test(text.charAt(i))) {
      // A bare word runs to the next separator, quotes and # included.
      while (i < n && !': \n\r,'.includes(text.charAt(i))) i++;
    } else i++;
  }
  return { tokenizerLineStarts: starts };
}

const MERGE_MARKERS = ['<<<<<<<', '=======', '>>>>>>>'];

function classicFailure(
  format: string,
  message: string,
  line: number | undefined,
  options: ReadOptions | undefined,
) {
  const problem: ImportProblem = {
    severity: 'error',
    message,
    hint: 'Run `yarn install` to rewrite the lockfile (resolving any merge conflict first), then read it again.',
    ...(line !== undefined ? { line } : {}),
  };
  return finishImport(format, [], [problem], options);
}

function readClassic(text: string, options: ReadOptions | undefined): ImportResult {
  const format = 'yarn.lock (classic v1)';
  const lines = new LineIndex(text);
  // The parser would merge both sides of a conflict; which side is installed cannot be known.
  if (MERGE_MARKERS.every((marker) => text.includes(marker))) {
    return classicFailure(
      format,
      'yarn.lock has merge conflict markers',
      lines.lineOf(text.indexOf(MERGE_MARKERS[0] ?? '')),
      options,
    );
  }
  const scan = classicScan(text);
  if (scan.hazard !== undefined) {
    const what =
      text[scan.hazard] === '#' ? 'a comment without an end of line' : 'a string without its closing quote';
    return classicFailure(
      format,
      `yarn.lock could not be parsed: ${what}`,
      lines.lineOf(scan.hazard),
      options,
    );
  }
  let parsed: ReturnType<typeof parseClassic>;
  try {
    parsed = parseClassic(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /(\d+):(\d+) in lockfile/.exec(message);
    const start = at ? scan.tokenizerLineStarts[Number(at[1])] : undefined;
    const line = start !== undefined ? lines.lineOf(start + Number(at?.[2])) : undefined;
    return classicFailure(
      format,
      `yarn.lock could not be parsed: ${message.replace(/ \d+:\d+ in lockfile$/, '')}`,
      line,
      options,
    );
  }
  const problems: ImportProblem[] = [];
  const lock: PlainRecord = parsed.object;
  const headers = headerLines(text);
  const purlByDescriptor = new Map<string, string>();
  const entries: [string, PlainRecord, Identity][] = [];
  for (const [descriptor, entry] of entriesOf(lock)) {
    const { name, range } = splitDescriptor(descriptor);
    const version = ownString(isRecord(entry) ? entry : undefined, 'version');
    if (!isRecord(entry) || !version) continue;
    if (LOCAL_RANGE.test(range)) {
      problems.push(localProblem(descriptor, headers.get(descriptor)));
      continue;
    }
    const id = identify('npm', realName(name, range), version);
    purlByDescriptor.set(descriptor, id.purl);
    entries.push([descriptor, entry, id]);
  }
  const components: ImportedComponent[] = [];
  const seen = new Set<PlainRecord>();
  for (const [descriptor, entry, id] of entries) {
    // The parser shares one object between all descriptors of a header; read it once.
    if (seen.has(entry)) continue;
    seen.add(entry);
    const line = headers.get(descriptor);
    const resolved = ownString(entry, 'resolved') ?? '';
    if (/^(git\+|git:|github:|file:)/.test(resolved))
      problems.push(notFromNpmProblem(id.name, resolved, line));
    const hashes = classicHashes(entry);
    components.push({
      ...id,
      scope: 'unknown',
      development: false,
      dependsOn: classicDependencies(entry, purlByDescriptor, id, line, problems),
      ...(hashes.length > 0 ? { hashes } : {}),
      ...(line !== undefined ? { line } : {}),
    });
  }
  return finishImport(format, components, problems, options);
}

function classicDependencies(
  entry: PlainRecord,
  purlByDescriptor: ReadonlyMap<string, string>,
  from: { name: string; version: string },
  line: number | undefined,
  problems: ImportProblem[],
): string[] {
  const out: string[] = [];
  for (const key of ['dependencies', 'optionalDependencies']) {
    for (const [name, range] of stringEntriesOf(own(entry, key))) {
      const purl = purlByDescriptor.get(`${name}@${range}`);
      if (purl) out.push(purl);
      else if (key === 'dependencies' && !LOCAL_RANGE.test(range)) {
        problems.push({
          severity: 'warning',
          message: `${from.name}@${from.version} depends on ${name}@${range}, which the lockfile does not list`,
          hint: 'The lockfile looks out of date; run `yarn install` and read it again.',
          ...(line !== undefined ? { line } : {}),
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// berry (v2+)

interface BerryEntry {
  readonly descriptors: readonly string[];
  readonly entry: PlainRecord;
  readonly line?: number;
}

/** Resolution `name@reference`, with `patch:` unwrapped to the package it patches. */
function berryLocator(resolution: string): { name: string; reference: string; patch?: string } {
  const { name, range } = splitDescriptor(resolution);
  if (!range.startsWith('patch:')) return { name, reference: range };
  // patch:lodash@npm%3A4.17.21#~/.yarn/patches/lodash.patch::version=4.17.21&hash=…
  const hash = range.indexOf('#');
  const inner = safeDecode(range.slice('patch:'.length, hash >= 0 ? hash : undefined));
  const patch = hash >= 0 ? range.slice(hash + 1).replace(/::.*$/, '') : '';
  return { name, reference: splitDescriptor(inner).range, patch };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function readBerry(text: string, options: ReadOptions | undefined): ImportResult {
  const parsed = parseLockfile(text, (t) => jsYaml.load(t, { schema: jsYaml.FAILSAFE_SCHEMA }), options, {
    file: 'yarn.lock',
    format: 'yarn.lock (berry)',
    hint: 'Resolve merge conflicts or run `yarn install` to rewrite the lockfile.',
  });
  if (!parsed.ok) return parsed.result;
  const lock = isRecord(parsed.value) ? parsed.value : undefined;
  const version = ownString(ownRecord(lock, '__metadata'), 'version');
  if (!lock || !version || !BERRY_VERSIONS.includes(version)) {
    return unsupportedVersion(
      'yarn.lock (berry)',
      version ? `__metadata version ${version}` : 'no __metadata version',
      BERRY_VERSIONS,
      'Export a CycloneDX SBOM with `yarn dlx @cyclonedx/yarn-plugin-cyclonedx` instead.',
      options,
    );
  }
  return readBerryEntries(lock, text, `yarn.lock (berry v${version})`, options);
}

function berryEntries(lock: PlainRecord, text: string): BerryEntry[] {
  const lines = headerLines(text);
  const out: BerryEntry[] = [];
  for (const [key, entry] of entriesOf(lock)) {
    if (key === '__metadata' || !isRecord(entry)) continue;
    const descriptors = key.split(/,\s*/);
    const line = lines.get(descriptors[0] ?? '');
    out.push({ descriptors, entry, ...(line !== undefined ? { line } : {}) });
  }
  return out;
}

function readBerryEntries(
  lock: PlainRecord,
  text: string,
  format: string,
  options: ReadOptions | undefined,
): ImportResult {
  const problems: ImportProblem[] = [];
  const entries = berryEntries(lock, text);
  const purlByDescriptor = new Map<string, string>();
  const workspaces: BerryEntry[] = [];
  const packages: [BerryEntry, Identity][] = [];
  for (const item of entries) {
    const resolution = ownString(item.entry, 'resolution') ?? '';
    const version = ownString(item.entry, 'version');
    const locator = berryLocator(resolution);
    if (ownString(item.entry, 'linkType') === 'soft' || LOCAL_RANGE.test(locator.reference)) {
      // Workspaces, links and portals are the project's own folders.
      if (locator.reference.startsWith('workspace:')) workspaces.push(item);
      continue;
    }
    if (!version || !locator.name) {
      problems.push({
        severity: 'warning',
        message: `${item.descriptors.join(', ')} has no version or resolution, so it cannot be identified`,
        hint: 'Run `yarn install` to rewrite the lockfile.',
        ...(item.line !== undefined ? { line: item.line } : {}),
      });
      continue;
    }
    const id = identify('npm', locator.name, version);
    for (const descriptor of item.descriptors) purlByDescriptor.set(descriptor, id.purl);
    packages.push([item, id]);
    const note = berryNote(locator, id, item.line);
    if (note) problems.push(note);
  }
  const direct = new Set<string>();
  for (const workspace of workspaces)
    for (const purl of berryDependencies(workspace.entry, purlByDescriptor)) direct.add(purl);
  const fallback: DependencyScope = workspaces.length > 0 ? 'transitive' : 'unknown';
  const components = packages.map(
    ([item, id]): ImportedComponent => ({
      ...id,
      scope: direct.has(id.purl) ? 'direct' : fallback,
      development: false,
      // checksum is yarn's hash of its own zip archive, not of the npm tarball: not a package hash.
      dependsOn: berryDependencies(item.entry, purlByDescriptor),
      ...(item.line !== undefined ? { line: item.line } : {}),
    }),
  );
  return finishImport(format, components, problems, options);
}

/** A note for patched or non-registry packages (yarn's built-in compatibility patches are routine). */
function berryNote(
  locator: { reference: string; patch?: string },
  id: { name: string; version: string },
  line: number | undefined,
): ImportProblem | undefined {
  if (locator.patch !== undefined) {
    if (locator.patch.includes('builtin<')) return undefined;
    return {
      severity: 'info',
      message: `${id.name}@${id.version} is patched locally (${locator.patch})`,
      hint: 'Record the patch with the SOUP item: the code in use is not the published release.',
      ...(line !== undefined ? { line } : {}),
    };
  }
  return locator.reference.startsWith('npm:')
    ? undefined
    : notFromNpmProblem(id.name, locator.reference, line);
}

/** Dependency purls by descriptor; older berry lockfiles leave the `npm:` protocol out of the ranges. */
function berryDependencies(entry: PlainRecord, purlByDescriptor: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const key of ['dependencies', 'optionalDependencies']) {
    for (const [name, range] of stringEntriesOf(own(entry, key))) {
      const purl = purlByDescriptor.get(`${name}@${range}`) ?? purlByDescriptor.get(`${name}@npm:${range}`);
      if (purl) out.push(purl);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// package.json beside the lockfile

const RUNTIME_KEYS = ['dependencies', 'optionalDependencies', 'peerDependencies'];
type ByName = ReadonlyMap<string, string[]>;

/**
 * The component a package.json entry names. With several versions of one name locked, the range
 * decides only when it is an exact version; otherwise the one version no other component depends on
 * (or the one the lockfile already calls direct). Undefined when it stays ambiguous.
 */
function pickDirect(
  candidates: readonly string[],
  range: string,
  byPurl: ReadonlyMap<string, ImportedComponent>,
  required: ReadonlySet<string>,
): string | undefined {
  if (candidates.length === 1) return candidates[0];
  const exact = candidates.filter((p) => byPurl.get(p)?.version === range);
  if (exact.length === 1) return exact[0];
  const alreadyDirect = candidates.filter((p) => byPurl.get(p)?.scope === 'direct');
  if (alreadyDirect.length === 1) return alreadyDirect[0];
  const unrequired = candidates.filter((p) => !required.has(p));
  return unrequired.length === 1 ? unrequired[0] : undefined;
}

interface ManifestRoots {
  readonly direct: Set<string>;
  readonly runtime: Set<string>;
  readonly development: Set<string>;
  readonly problems: ImportProblem[];
}

function manifestRoots(manifest: PlainRecord, components: readonly ImportedComponent[]): ManifestRoots {
  const roots: ManifestRoots = {
    direct: new Set(),
    runtime: new Set(),
    development: new Set(),
    problems: [],
  };
  const byName: ByName = purlsByName(components);
  const byPurl = new Map(components.map((c) => [c.purl, c]));
  const required = new Set(components.flatMap((c) => c.dependsOn));
  for (const key of [...RUNTIME_KEYS, 'devDependencies']) {
    const isRuntime = key !== 'devDependencies';
    for (const [alias, range] of stringEntriesOf(own(manifest, key))) {
      if (LOCAL_RANGE.test(range)) continue;
      const candidates = byName.get(realName(alias, range)) ?? [];
      const picked = pickDirect(candidates, range, byPurl, required);
      if (picked) roots.direct.add(picked);
      if (isRuntime) {
        // Unsure which version is meant: treat them all as runtime, so nothing is wrongly dropped.
        for (const purl of picked ? [picked] : candidates) roots.runtime.add(purl);
      } else if (picked) roots.development.add(picked);
      if (!picked && candidates.length > 1) {
        roots.problems.push({
          severity: 'info',
          message: `package.json names ${alias}@${range}, and the lockfile has ${candidates.length} versions of it; which one is direct is not decided`,
          hint: 'Run `yarn why` to see which version the project uses.',
        });
      }
    }
  }
  return roots;
}

/**
 * Marks direct and development-only dependencies from the package.json beside a yarn.lock (or any
 * npm result): its dependencies are direct, and what only its devDependencies reach is development
 * (dropped unless `includeDev`). With workspaces, the workspaces' own manifests are not read, so
 * development flags are left alone rather than guessed. Never throws: on any failure the lockfile's
 * result is returned unchanged, with a problem saying why.
 */
export function applyManifest(
  result: ImportResult,
  packageJsonText: string,
  options?: ReadOptions,
): ImportResult {
  const unchanged = (message: string, hint: string) =>
    finishImport(
      result.format,
      result.components,
      [...result.problems, { severity: 'warning', message, hint }],
      options,
    );
  let manifest: unknown;
  try {
    manifest = JSON.parse(packageJsonText);
  } catch (error) {
    // The line is package.json's, not the lockfile's: it goes into the message, not `line`.
    const { line, message } = parseProblem('package.json', packageJsonText, error, '');
    const where = line !== undefined ? ` (package.json line ${line})` : '';
    return unchanged(
      message + where,
      'Fix package.json; direct and development dependencies were not marked.',
    );
  }
  if (!isRecord(manifest)) return result;
  try {
    return markFromManifest(result, manifest, options);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return unchanged(
      `package.json could not be applied: ${detail}`,
      'Direct and development dependencies were not marked.',
    );
  }
}

function markFromManifest(
  result: ImportResult,
  manifest: PlainRecord,
  options: ReadOptions | undefined,
): ImportResult {
  const roots = manifestRoots(manifest, result.components);
  const edges = new Map(result.components.map((c) => [c.purl, c.dependsOn]));
  const next = (purl: string) => edges.get(purl) ?? [];
  const hasWorkspaces = own(manifest, 'workspaces') !== undefined;
  const devOnly = hasWorkspaces ? new Set<string>() : developmentOnly(roots.runtime, roots.development, next);
  const fromRoots = reachable([...roots.runtime, ...roots.development], next);
  const problems = [...result.problems, ...roots.problems];
  if (hasWorkspaces) {
    problems.push({
      severity: 'info',
      message: 'package.json declares workspaces: development-only dependencies were not marked',
      hint: "The workspaces' own package.json files would be needed to tell; every dependency is kept.",
    });
  }
  const components = result.components.map((c): ImportedComponent => {
    const direct = roots.direct.has(c.purl) || c.scope === 'direct';
    const scope: DependencyScope = direct ? 'direct' : fromRoots.has(c.purl) ? 'transitive' : c.scope;
    return { ...c, scope, development: c.development || devOnly.has(c.purl) };
  });
  return finishImport(result.format, components, problems, options);
}

// ---------------------------------------------------------------------------------------------

function readYarnLock(text: string, options: ReadOptions | undefined): ImportResult {
  return /^__metadata:/m.test(text) ? readBerry(text, options) : readClassic(text, options);
}

export const yarnLockReader: DependencyReader = {
  id: 'yarn-lock',
  description: 'yarn.lock, classic (v1) and berry (yarn 2+)',
  detect: (baseName, head) =>
    baseName === 'yarn.lock' || head.includes('# yarn lockfile v1') || /^__metadata:\s*$/m.test(head),
  read: (text, options) => guardRead('yarn.lock', () => readYarnLock(text, options)),
};
