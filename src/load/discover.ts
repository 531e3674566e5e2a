import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Finding } from '../diagnostics/diagnostic.js';
import { describeError } from './read-text.js';

/** Directories that never hold records and can be huge. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

export interface Discovery {
  /** Matching files, relative to the root with forward slashes, sorted. */
  readonly files: string[];
  readonly findings: Finding[];
}

/**
 * Finds the files matched by `include` and not by `exclude`, below `root` only.
 * Symbolic links are followed when they stay inside the root; a link that leaves the root or
 * leads back into a directory already being walked is reported and skipped.
 */
export function discoverFiles(
  root: string,
  include: readonly string[],
  exclude: readonly string[],
): Discovery {
  const realRoot = fs.realpathSync(root);
  const { isIncluded, isExcluded } = globMatchers(include, exclude);
  const files = new Set<string>();
  const findings: Finding[] = [];
  const reported = new Set<string>();
  const report = (finding: Finding) => {
    const key = `${finding.code}:${finding.at?.file}`;
    if (!reported.has(key)) {
      reported.add(key);
      findings.push(finding);
    }
  };

  // Walk only from each glob's static base directory instead of the whole tree.
  const bases = [...new Set(include.map((glob) => picomatch.scan(glob).base || '.'))].sort();

  const walk = (relDir: string, realDir: string, ancestors: Set<string>) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(realRoot, relDir), { withFileTypes: true });
    } catch (error) {
      report({
        code: 'load/unreadable',
        message: `cannot read directory: ${describeError(error)}`,
        at: { file: relDir },
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = relDir === '.' ? entry.name : `${relDir}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let real = path.join(realDir, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          real = fs.realpathSync(path.join(realRoot, rel));
        } catch (error) {
          const loop = (error as NodeJS.ErrnoException).code === 'ELOOP';
          if (loop || isIncluded(rel)) {
            report({
              code: loop ? 'load/symlink-loop' : 'load/unreadable',
              message: loop
                ? `symbolic link loop at ${rel}`
                : `broken symbolic link ${rel}: ${describeError(error)}`,
              at: { file: rel },
            });
          }
          continue;
        }
        if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
          report({
            code: 'load/outside-root',
            message: `${rel} is a symbolic link to ${real}, outside the project root; it was not read`,
            at: { file: rel },
          });
          continue;
        }
        const stat = safeStat(real);
        isDir = stat?.isDirectory() ?? false;
        isFile = stat?.isFile() ?? false;
      }
      if (isDir) {
        if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
        if (ancestors.has(real)) {
          report({
            code: 'load/symlink-loop',
            message: `symbolic link loop: ${rel} leads back into a directory above it`,
            at: { file: rel },
          });
          continue;
        }
        ancestors.add(real);
        walk(rel, real, ancestors);
        ancestors.delete(real);
      } else if (isFile && isIncluded(rel) && !isExcluded(rel)) {
        files.add(rel);
      }
    }
  };

  for (const base of bases) {
    const normalized = path.posix.normalize(base);
    if (isOutsideRoot(normalized)) {
      report(outsideRootFinding(base));
      continue;
    }
    const absolute = path.join(realRoot, normalized);
    const stat = safeStat(absolute);
    if (!stat) continue; // a glob whose folder does not exist matches nothing
    if (stat.isFile()) {
      if (isIncluded(normalized) && !isExcluded(normalized)) files.add(normalized);
      continue;
    }
    let realBase: string;
    try {
      realBase = fs.realpathSync(absolute);
    } catch {
      continue;
    }
    walk(normalized, realBase, new Set([realRoot, realBase]));
  }
  return { files: [...files].sort(), findings };
}

/** The include and exclude globs as matchers of project-relative paths (dot files not matched). */
function globMatchers(include: readonly string[], exclude: readonly string[]) {
  return {
    isIncluded: picomatch(include as string[], { dot: false }),
    isExcluded: exclude.length > 0 ? picomatch(exclude as string[], { dot: false }) : () => false,
  };
}

const isOutsideRoot = (normalizedBase: string) =>
  normalizedBase.startsWith('..') || path.isAbsolute(normalizedBase);

function outsideRootFinding(base: string): Finding {
  return {
    code: 'load/outside-root',
    message: `the records glob base "${base}" is outside the project root; Dossier reads only inside it`,
    at: { file: 'dossier.yaml' },
  };
}

/**
 * {@link discoverFiles} over a listing of files instead of a folder (a git tree at a revision): the
 * same globs, the same skipped folders, the same refusal of glob bases outside the root. `paths` are
 * project-relative with forward slashes.
 */
export function discoverInListing(
  paths: Iterable<string>,
  include: readonly string[],
  exclude: readonly string[],
): Discovery {
  const findings: Finding[] = [];
  const bases = [...new Set(include.map((glob) => picomatch.scan(glob).base || '.'))].sort();
  for (const base of bases)
    if (isOutsideRoot(path.posix.normalize(base))) findings.push(outsideRootFinding(base));
  const matches = listingMatcher(include, exclude);
  const files: string[] = [];
  for (const rel of paths) if (matches(rel)) files.push(rel);
  return { files: files.sort(), findings };
}

/** Whether a project-relative path is a file {@link discoverInListing} would find (one matcher, many paths). */
export function listingMatcher(
  include: readonly string[],
  exclude: readonly string[],
): (rel: string) => boolean {
  const { isIncluded, isExcluded } = globMatchers(include, exclude);
  return (rel) =>
    !rel
      .split('/')
      .slice(0, -1)
      .some((folder) => SKIPPED_DIRECTORIES.has(folder)) &&
    isIncluded(rel) &&
    !isExcluded(rel);
}

function safeStat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}
