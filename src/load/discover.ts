import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Finding } from '../diagnostics/diagnostic.js';
import { insertionPoint, isListed } from '../util/sorted-strings.js';
import { describeError } from './read-text.js';

/** Directories that never hold records and can be huge. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

export interface Discovery {
  /** Matching files, relative to the root with forward slashes, sorted. */
  readonly files: string[];
  readonly findings: Finding[];
  /** Whether the walk went through a symbolic link (a watcher of the real folders does not see through it). */
  readonly throughLinks?: boolean;
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
  let throughLinks = false;
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
        throughLinks = true;
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
    if (realBase !== absolute) throughLinks = true;
    walk(normalized, realBase, new Set([realRoot, realBase]));
  }
  return { files: [...files].sort(), findings, ...(throughLinks ? { throughLinks } : {}) };
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

/**
 * {@link discoverFiles} again after a file watcher named what changed (`dossier serve`): the
 * previous discovery with each named path looked at on its own, instead of a walk of every folder.
 * Only for what a path can say alone: a regular file reached through real folders is in or out by
 * the globs, and a path that is gone leaves the list. Anything else (a folder, a symbolic link, a
 * path through a link, a previous walk that went through links or reported problems) returns
 * undefined: walk again.
 * `changed` is project-relative with forward slashes. A watcher can miss events; the caller confirms
 * with a full discovery later (src/cli/commands/serve.ts).
 */
export function rediscover(
  root: string,
  include: readonly string[],
  exclude: readonly string[],
  previous: Discovery,
  changed: Iterable<string>,
): Discovery | undefined {
  if (previous.findings.length > 0 || previous.throughLinks) return undefined;
  const realRoot = fs.realpathSync(root);
  const matches = listingMatcher(include, exclude);
  const files = previous.files;
  const added = new Set<string>();
  const removed = new Set<string>();
  for (const rel of changed) {
    const normal = path.posix.normalize(rel);
    if (normal !== rel || rel === '.' || isOutsideRoot(rel)) return undefined;
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(path.join(realRoot, rel), { throwIfNoEntry: false });
    } catch {
      return undefined; // unreadable: the walk reports it
    }
    if (stat === undefined) {
      // A folder that went away takes its files with it: only the walk knows them all.
      if (isListed(files, rel)) removed.add(rel);
      else if (files[insertionPoint(files, `${rel}/`)]?.startsWith(`${rel}/`)) return undefined;
      added.delete(rel);
      continue;
    }
    if (stat.isDirectory() || stat.isSymbolicLink()) return undefined;
    const folder = path.posix.dirname(rel);
    if (folder !== '.' && realpathOrUndefined(path.join(realRoot, folder)) !== path.join(realRoot, folder))
      return undefined; // reached through a link: the walk decides
    const listed = isListed(files, rel);
    if (stat.isFile() && matches(rel)) {
      removed.delete(rel);
      if (!listed) added.add(rel);
    } else {
      added.delete(rel);
      if (listed) removed.add(rel);
    }
  }
  // The same list when no file came or went (the common edit): later stages can tell by identity.
  if (added.size === 0 && removed.size === 0) return { files, findings: [] };
  const kept = removed.size === 0 ? [...files] : files.filter((rel) => !removed.has(rel));
  for (const rel of added) kept.splice(insertionPoint(kept, rel), 0, rel);
  return { files: kept, findings: [] };
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
