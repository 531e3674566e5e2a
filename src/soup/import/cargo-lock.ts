/**
 * `Cargo.lock` reader, lock format versions 1 to 4.
 *
 * - v1 and v2 carry no `version` key: v1 keeps checksums in `[metadata]` and writes every
 *   dependency as `name version (source)`; v2 moved checksums into each `[[package]]` and
 *   shortened dependencies to `name` or `name version` when unambiguous. v3 and v4 say
 *   `version = 3` / `version = 4` (v4 percent-encodes git URL queries, which is irrelevant here).
 * - Packages without `source` are the workspace's own crates (and path dependencies): not SOUP,
 *   but what they depend on is direct.
 * - Cargo.lock does not mark dev-dependencies, so nothing is flagged as development.
 */
import { parse, TomlError } from 'smol-toml';
import { purlFor } from '../purl.js';
import {
  appendTo,
  arrayTableEntries,
  isRecord,
  type PlainRecord,
  readerForFileName,
  stringsOf,
  wellFormed,
} from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

const CRATES_IO_SOURCES = new Set([
  'registry+https://github.com/rust-lang/crates.io-index',
  'sparse+https://index.crates.io/',
]);

interface LockedPackage {
  readonly name: string;
  readonly version: string;
  readonly source?: string;
  readonly checksum?: string;
  readonly dependencies: readonly string[];
  readonly line?: number;
}

function lockVersion(lock: PlainRecord, problems: ImportProblem[]): number | undefined {
  const declared = lock.version;
  if (declared === undefined) {
    // Only v1 writes `[metadata]` checksum keys or `name version (source)` dependency entries.
    const metadata = isRecord(lock.metadata) ? Object.keys(lock.metadata) : [];
    return metadata.some((k) => k.startsWith('checksum ')) ? 1 : 2;
  }
  if (declared === 1 || declared === 2 || declared === 3 || declared === 4) return declared;
  problems.push({
    severity: 'error',
    message: `Cargo.lock version ${String(declared)} is not supported (known: 1 to 4)`,
    hint: 'Regenerate the lockfile with a supported cargo, or export a CycloneDX SBOM with cargo-cyclonedx.',
  });
  return undefined;
}

function readPackages(lock: PlainRecord, text: string, problems: ImportProblem[]): LockedPackage[] {
  const out: LockedPackage[] = [];
  for (const { entry, line } of arrayTableEntries(lock, text, 'package')) {
    const at = line !== undefined ? { line } : {};
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') {
      problems.push({
        severity: 'warning',
        message: '[[package]] without a name and version is skipped',
        ...at,
      });
      continue;
    }
    out.push({
      name: entry.name,
      version: entry.version,
      ...(typeof entry.source === 'string' ? { source: entry.source } : {}),
      ...(typeof entry.checksum === 'string' ? { checksum: entry.checksum } : {}),
      dependencies: stringsOf(entry.dependencies),
      ...at,
    });
  }
  return out;
}

/** v1 `[metadata]`: `"checksum name version (source)" = "sha256"`. */
function metadataChecksums(lock: PlainRecord): Map<string, string> {
  const out = new Map<string, string>();
  if (!isRecord(lock.metadata)) return out;
  for (const [key, value] of Object.entries(lock.metadata)) {
    if (key.startsWith('checksum ') && typeof value === 'string' && /^[0-9a-f]{64}$/i.test(value)) {
      out.set(key.slice('checksum '.length), value);
    }
  }
  return out;
}

/**
 * Resolves `name`, `name version` and `name version (source)` to a locked package, by map lookup
 * so a lock with many versions of one crate stays linear.
 */
function resolver(packages: readonly LockedPackage[]): (entry: string) => LockedPackage | undefined {
  const index = new Map<string, LockedPackage[]>();
  for (const p of packages) {
    appendTo(index, p.name, p);
    appendTo(index, `${p.name} ${p.version}`, p);
    if (p.source) appendTo(index, `${p.name} ${p.version} (${p.source})`, p);
  }
  return (entry) => {
    const candidates = index.get(entry.trim().replace(/\s+/g, ' ')) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  };
}

/**
 * purl qualifiers for a source: crates.io needs none; a git source becomes `vcs_url`
 * (`git+https://host/repo@commit`, the purl-spec form, query dropped); another registry
 * becomes `repository_url`.
 */
function sourceQualifiers(source: string): Record<string, string> | undefined {
  if (CRATES_IO_SOURCES.has(source)) return undefined;
  if (source.startsWith('git+')) {
    const hash = source.indexOf('#');
    const url = (hash >= 0 ? source.slice(0, hash) : source).replace(/\?.*$/, '');
    return { vcs_url: hash >= 0 ? `${url}@${source.slice(hash + 1)}` : url };
  }
  return { repository_url: source.replace(/^(registry|sparse)\+/, '') };
}

function purlOf(p: LockedPackage): string {
  return purlFor('crates.io', p.name, p.version, p.source ? sourceQualifiers(p.source) : undefined);
}

function dependenciesOf(
  p: LockedPackage,
  resolve: (entry: string) => LockedPackage | undefined,
  problems: ImportProblem[],
): LockedPackage[] {
  const deps: LockedPackage[] = [];
  for (const entry of p.dependencies) {
    const dep = resolve(entry);
    if (dep) deps.push(dep);
    else {
      problems.push({
        severity: 'warning',
        message: `${p.name} ${p.version}: dependency "${entry}" matches no single [[package]]`,
        ...(p.line !== undefined ? { line: p.line } : {}),
      });
    }
  }
  return deps;
}

function readCargoLock(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  let lock: PlainRecord;
  try {
    lock = parse(wellFormed(text));
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    const message = `Cargo.lock is not valid TOML: ${(error as Error).message.split('\n')[0]}`;
    return finishImport(
      'Cargo.lock',
      [],
      [{ severity: 'error', message, ...(line ? { line } : {}) }],
      options,
    );
  }
  const version = lockVersion(lock, problems);
  if (version === undefined) return finishImport('Cargo.lock', [], problems, options);
  const format = `Cargo.lock v${version}`;
  const packages = readPackages(lock, text, problems);
  const resolve = resolver(packages);
  const checksums = metadataChecksums(lock);
  const direct = new Set<LockedPackage>();
  const components: ImportedComponent[] = [];
  for (const p of packages) {
    const deps = dependenciesOf(p, resolve, problems);
    if (!p.source) {
      for (const dep of deps) direct.add(dep);
      continue;
    }
    const checksum = p.checksum ?? checksums.get(`${p.name} ${p.version} (${p.source})`);
    components.push({
      ecosystem: 'crates.io',
      name: p.name,
      version: p.version,
      purl: purlOf(p),
      scope: 'transitive',
      development: false,
      dependsOn: deps.filter((d) => d.source).map(purlOf),
      ...(checksum ? { hashes: [{ alg: 'SHA-256', content: checksum }] } : {}),
      ...(p.line !== undefined ? { line: p.line } : {}),
    });
  }
  const hasWorkspace = packages.some((p) => !p.source);
  const directPurls = new Set([...direct].filter((d) => d.source).map(purlOf));
  // Without a workspace crate in the lock nothing says which crates are direct.
  const scoped = components.map((c) => ({
    ...c,
    scope: hasWorkspace ? (directPurls.has(c.purl) ? 'direct' : 'transitive') : 'unknown',
  })) satisfies ImportedComponent[];
  if (hasWorkspace) {
    problems.push({
      severity: 'info',
      message:
        'Cargo.lock does not mark dev-dependencies, so crates used only by tests and benches are imported too',
      hint: 'To leave them out, import a CycloneDX SBOM from cargo-cyclonedx, or check `cargo tree -e normal`.',
    });
  }
  return finishImport(format, scoped, problems, options);
}

export const cargoLockReader: DependencyReader = readerForFileName(
  'cargo-lock',
  'Rust Cargo.lock (lock versions 1 to 4)',
  'Cargo.lock',
  readCargoLock,
);
