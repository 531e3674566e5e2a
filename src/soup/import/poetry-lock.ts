/**
 * `poetry.lock` (TOML), lock-version 1.0/1.1 (Poetry 1.0–1.2, hashes in `[metadata.files]`), 2.0
 * (Poetry 1.3+, hashes in each package's `files`) and 2.1 (Poetry 2, `groups` instead of `category`).
 * Lockfiles of Poetry 1.0 and earlier have no `lock-version` at all; with the `[metadata]` table
 * (`content-hash`, `[metadata.files]`) of that layout they are read as 1.0.
 *
 * Development: `category = "dev"` (old) or no `main` among `groups` (Poetry 2). Scope: the lock does
 * not record the project's own dependencies (they are in pyproject.toml), so a package no other locked
 * package depends on is direct (nothing else can have asked for it) and the rest stay `unknown`.
 */
import { parse as parseToml } from 'smol-toml';
import { normalizePypiName } from '../purl.js';
import {
  arrayTableEntries,
  entriesOf,
  guardRead,
  type Hash,
  type Identity,
  identify,
  inferScopes,
  isRecord,
  own,
  ownRecord,
  ownString,
  type PlainRecord,
  parseLockfile,
  prefixedHash,
  purlsByName,
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

const SUPPORTED = ['1.0', '1.1', '2.0', '2.1'];

/**
 * The hash of the source distribution when there is one (it is what the release is), else those of
 * the wheels. Entries are `{ file, hash = "sha256:…" }`.
 */
export function distributionHashes(files: unknown): Hash[] {
  const list = Array.isArray(files) ? files.filter(isRecord) : [];
  const hashOf = (f: PlainRecord) => prefixedHash(ownString(f, 'hash'));
  const sdist = list.find((f) => /\.(tar\.gz|zip|tar\.bz2|tgz)$/.test(ownString(f, 'file') ?? ''));
  const chosen = sdist && hashOf(sdist) ? [sdist] : list;
  const seen = new Set<string>();
  const out: Hash[] = [];
  for (const file of chosen) {
    const hash = hashOf(file);
    if (hash && !seen.has(hash.content)) {
      seen.add(hash.content);
      out.push(hash);
    }
  }
  return out;
}

function isDevelopment(entry: PlainRecord): boolean {
  if (ownString(entry, 'category') === 'dev') return true;
  const groups = own(entry, 'groups');
  return Array.isArray(groups) && groups.length > 0 && !groups.includes('main');
}

/** Non-PyPI sources: local folders are the project's own, others are noted. */
function sourceProblem(
  entry: PlainRecord,
  name: string,
  line: number | undefined,
): ImportProblem | undefined {
  const source = ownRecord(entry, 'source');
  const type = ownString(source, 'type');
  if (!type || type === 'legacy') return undefined;
  const url = ownString(source, 'url') ?? '';
  const at = line !== undefined ? { line } : {};
  if (type === 'directory') {
    return {
      severity: 'info',
      message: `${name} is a local folder (${url}): it is not listed as SOUP`,
      hint: 'If that folder holds third-party code, record it as a SOUP item by hand.',
      ...at,
    };
  }
  const reference = ownString(source, 'resolved_reference') ?? ownString(source, 'reference');
  return {
    severity: 'info',
    message: `${name} is installed from ${type} ${url}${reference ? ` (${reference})` : ''}, not from PyPI`,
    hint: 'Its version comes from its own metadata; check the SOUP record names the exact commit or file.',
    ...at,
  };
}

interface Locked {
  readonly entry: PlainRecord;
  readonly id: Identity;
  readonly line?: number;
}

function lockedPackages(lock: PlainRecord, text: string, problems: ImportProblem[]): Locked[] {
  const out: Locked[] = [];
  for (const { entry, line } of arrayTableEntries(lock, text, 'package')) {
    const at = line !== undefined ? { line } : {};
    const name = ownString(isRecord(entry) ? entry : undefined, 'name');
    const version = ownString(isRecord(entry) ? entry : undefined, 'version');
    if (!isRecord(entry) || !name || !version) {
      problems.push({
        severity: 'warning',
        message: '[[package]] without a name and version is skipped',
        ...at,
      });
      continue;
    }
    const note = sourceProblem(entry, name, line);
    if (note) problems.push(note);
    if (ownString(ownRecord(entry, 'source'), 'type') === 'directory') continue;
    out.push({ entry, id: identify('PyPI', normalizePypiName(name), version), ...at });
  }
  return out;
}

function readPoetryLock(text: string, options: ReadOptions | undefined): ImportResult {
  const parsed = parseLockfile(text, parseToml, options, {
    file: 'poetry.lock',
    hint: 'Resolve merge conflicts or run `poetry lock --no-update` to rewrite the lockfile.',
  });
  if (!parsed.ok) return parsed.result;
  const lock: PlainRecord = parsed.value;
  const metadata = ownRecord(lock, 'metadata');
  const declared = ownString(metadata, 'lock-version');
  // Poetry ≤ 1.0 wrote no lock-version; its [metadata] (content-hash, files) is the 1.0 layout.
  const legacy =
    declared === undefined &&
    (own(metadata, 'content-hash') !== undefined || own(metadata, 'files') !== undefined);
  const version = legacy ? '1.0' : declared;
  if (!version || !SUPPORTED.includes(version)) {
    return unsupportedVersion(
      'poetry.lock',
      version ? `lock-version ${version}` : 'no lock-version',
      SUPPORTED,
      'Rewrite the lockfile with a current Poetry (`poetry lock --no-update`).',
      options,
    );
  }
  const problems: ImportProblem[] = [];
  const locked = lockedPackages(lock, text, problems);
  const legacyFiles = ownRecord(metadata, 'files');
  const byName = purlsByName(locked.map((l) => l.id));
  const components = locked.map(({ entry, id, line }): ImportedComponent => {
    // Names in [package.dependencies] are as the author wrote them; compare PEP 503-normalised.
    const dependsOn = entriesOf(own(entry, 'dependencies')).flatMap(
      ([dep]) => byName.get(normalizePypiName(dep)) ?? [],
    );
    const files =
      own(entry, 'files') ?? own(legacyFiles, ownString(entry, 'name') ?? '') ?? own(legacyFiles, id.name);
    const hashes = distributionHashes(files);
    return {
      ...id,
      scope: 'unknown',
      development: isDevelopment(entry),
      dependsOn,
      ...(hashes.length > 0 ? { hashes } : {}),
      ...(line !== undefined ? { line } : {}),
    };
  });
  const format = legacy ? 'poetry.lock (no lock-version, Poetry 1.0 layout)' : `poetry.lock v${version}`;
  return finishImport(format, inferScopes(components), problems, options);
}

export const poetryLockReader: DependencyReader = {
  id: 'poetry-lock',
  description: 'poetry.lock (lock-version 1.x, 2.0, 2.1, and the Poetry 1.0 layout without one)',
  detect: (baseName, head) =>
    baseName === 'poetry.lock' || /^# This file is automatically @generated by Poetry/.test(head),
  read: (text, options) => guardRead('poetry.lock', () => readPoetryLock(text, options)),
};
