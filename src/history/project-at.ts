/**
 * The project as it was at a git revision: its dossier.yaml and its record files read from git
 * objects (never by checking anything out), through the loader's own per-file path
 * (`projectFromFiles` in src/load/project.ts), so a record reads at a revision exactly as it would
 * in a working tree holding that revision.
 *
 * API (stable: change impact, diffs and history build on it):
 *
 *   loadProjectAt(root, revision, options?) → ProjectAtResult
 *
 * - `root`: the project folder as it is now (holds dossier.yaml); it may be a subfolder of the git
 *   repository: git lists the tree below it, paths stay relative to it.
 * - `revision`: a tag, branch, commit or any git revision (`HEAD~3`, `v1.0.0`), or {@link WORKTREE}
 *   for the working tree (then it is `loadProject`, uncommitted edits included).
 * - Returns a `LoadResult` (`ok: false` when the revision has no usable dossier.yaml) with the
 *   `revision` asked for and, for a git revision, the full `commit` read.
 * - Throws {@link RevisionError} (a one-line message, no stack) when the revision cannot be read at
 *   all: not a git repository, git missing, unknown revision, tree not listable.
 * - The revision's own dossier.yaml decides the globs, excludes, limits (`limits.maxFileBytes`) and
 *   kinds' settings; `codeTags` are read from the revision's source files too.
 * - A record file that is a symbolic link is followed when it leads to a file of the same tree inside
 *   the project; other links and submodules matched by the globs are files that did not load.
 * - `unloaded[].atHead` says "read at <revision>": what the file held at HEAD is not asked.
 * - `options.cache` (from {@link projectAtCache}), shared by several calls, reads and parses a file
 *   whose content is the same at two revisions once (a diff of two baselines reads most files once).
 */
import path from 'node:path';
import type { Finding } from '../diagnostics/diagnostic.js';
import { type CodeTag, tagsInText } from '../load/code-tags.js';
import { CONFIG_LIMIT, configFromText } from '../load/config-load.js';
import { discoverInListing } from '../load/discover.js';
import { type LoadOptions, type LoadResult, loadProject, projectFromFiles } from '../load/project.js';
import { type FileReadResult, recordsOfTextRead } from '../load/read-file.js';
import { decodeText, type TextRead, tooLargeFinding } from '../load/read-text.js';
import type { SourceFile } from '../load/source.js';
import type { RecordsAtHead } from '../load/unloaded.js';
import { CONFIG_FILE_NAME, maxFileBytesOf } from '../model/config.js';
import { gitListTree, gitReadBlobs, gitResolveCommit, type TreeFile } from '../util/git.js';

/** The revision that means "the working tree as it is now". */
export const WORKTREE = 'WORKTREE';

/** A revision that cannot be read (not a git repository, unknown revision): a one-line message. */
export class RevisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevisionError';
  }
}

export type ProjectAtResult = LoadResult & {
  /** The revision as asked for. */
  readonly revision: string;
  /** The commit read (40 hex digits); undefined for {@link WORKTREE}. */
  readonly commit?: string;
};

/** Resolves a revision to its commit, or throws {@link RevisionError}. */
export function commitOfRevision(root: string, revision: string): string {
  const resolved = gitResolveCommit(path.resolve(root), revision);
  if (!resolved.ok) throw new RevisionError(`cannot read revision "${revision}" of ${root}: ${resolved.why}`);
  return resolved.commit;
}

/** Files already read at some revision, by path and blob: see {@link loadProjectAt}. */
export interface ProjectAtCache {
  readonly files: Map<string, FileReadResult>;
}

export function projectAtCache(): ProjectAtCache {
  return { files: new Map() };
}

export interface LoadAtOptions extends LoadOptions {
  readonly cache?: ProjectAtCache;
}

export function loadProjectAt(root: string, revision: string, options: LoadAtOptions = {}): ProjectAtResult {
  if (revision === WORKTREE) return { ...loadProject(root, options), revision };
  const absolute = path.resolve(root);
  const commit = commitOfRevision(root, revision);
  const listing = gitListTree(absolute, commit);
  if (!listing)
    throw new RevisionError(`cannot list the files of ${revision} (${commit.slice(0, 12)}) in ${root}`);
  const byPath = new Map(listing.map((f) => [f.path, f]));
  const sources = new Map<string, SourceFile>();
  const failed = (findings: Finding[]): ProjectAtResult => ({
    ok: false,
    findings,
    sources,
    revision,
    commit,
  });

  const configFile = byPath.get(CONFIG_FILE_NAME);
  if (!configFile || configFile.mode.startsWith('16') || configFile.mode === '120000') {
    return failed([
      {
        code: 'config/missing',
        message: `no ${CONFIG_FILE_NAME} in ${root} at ${revision} (${commit.slice(0, 12)})`,
        hint: 'name a revision at which the project existed in this folder',
      },
    ]);
  }
  const configText = readEntries(absolute, [configFile], CONFIG_LIMIT).get(CONFIG_FILE_NAME)!;
  if (configText.text === undefined) {
    const finding = configText.finding ?? {
      code: 'config/invalid',
      message: 'cannot read the configuration',
    };
    return failed([{ ...finding, code: 'config/invalid' }]);
  }
  const configLoad = configFromText(configText.text);
  if (configLoad.source) sources.set(configLoad.source.path, configLoad.source);
  if (!configLoad.config) return failed(configLoad.findings);
  const config = configLoad.config;
  const maxBytes = maxFileBytesOf(config);

  const discovery = discoverInListing(byPath.keys(), config.records, config.exclude);
  const tagFiles = config.codeTags
    ? discoverInListing(byPath.keys(), config.codeTags.sources, config.codeTags.exclude ?? [])
    : undefined;
  // A record file read at another revision with the same content (and limit) is not read again.
  const cache = options.cache?.files;
  const keyOf = (rel: string) => `${maxBytes}\u0000${rel}\u0000${byPath.get(rel)!.object}`;
  const cached = new Set(cache ? discovery.files.filter((rel) => cache.has(keyOf(rel))) : []);
  const wanted = [...discovery.files.filter((rel) => !cached.has(rel)), ...(tagFiles?.files ?? [])].map(
    (rel) => byPath.get(rel)!,
  );
  const texts = readEntries(absolute, wanted, maxBytes, byPath);
  const readFile = (rel: string): FileReadResult => {
    if (cached.has(rel)) return cache!.get(keyOf(rel))!;
    const read = recordsOfTextRead(rel, texts.get(rel)!);
    // A symbolic link's content is its target's: only plain files are shared by blob.
    if (cache && byPath.get(rel)!.mode !== '120000') cache.set(keyOf(rel), read);
    return read;
  };

  const notAsked: RecordsAtHead = { known: false, why: `read at ${revision}, not compared with HEAD` };
  const project = projectFromFiles({
    root: absolute,
    config,
    sources,
    discovery,
    readFile,
    atHead: () => notAsked,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (!tagFiles) return { ok: true, project, revision, commit };
  const codeTags: CodeTag[] = [];
  const tagFindings: Finding[] = [...tagFiles.findings];
  for (const rel of tagFiles.files) {
    const read = texts.get(rel)!;
    if (read.text !== undefined) codeTags.push(...tagsInText(rel, read.text));
    else if (read.finding)
      tagFindings.push({
        ...read.finding,
        message: `source file: ${read.finding.message}; its code tags were not read`,
      });
  }
  return {
    ok: true,
    project: { ...project, codeTags, findings: [...project.findings, ...tagFindings] },
    revision,
    commit,
  };
}

/**
 * The text of each tree file (by path), read in one batch: over the size limit, not UTF-8, a link
 * that does not lead to a file of the tree, or a submodule each give the finding that says so.
 */
function readEntries(
  dir: string,
  files: readonly TreeFile[],
  maxBytes: number,
  byPath: ReadonlyMap<string, TreeFile> = new Map(),
): Map<string, TextRead> {
  const reads = new Map<string, TextRead>();
  const blobOf = new Map<string, TreeFile>();
  const links = files.filter((f) => f.mode === '120000');
  const linkTargets =
    links.length > 0 ? gitReadBlobs(dir, new Map(links.map((l) => [l.object, l.size ?? 4096]))) : new Map();
  for (const file of files) {
    let blob: TreeFile | undefined = file;
    if (file.mode === '120000') {
      const target = linkTargets.get(file.object)?.toString('utf8');
      const resolved =
        target === undefined
          ? undefined
          : path.posix.normalize(path.posix.join(path.posix.dirname(file.path), target));
      blob =
        resolved === undefined || resolved.startsWith('..') || path.posix.isAbsolute(resolved)
          ? undefined
          : byPath.get(resolved);
      if (!blob || blob.mode === '120000' || blob.mode.startsWith('16')) {
        reads.set(file.path, {
          finding: {
            code:
              resolved !== undefined && (resolved.startsWith('..') || path.posix.isAbsolute(resolved))
                ? 'load/outside-root'
                : 'load/unreadable',
            message: `symbolic link to ${target ?? 'an unreadable target'}, which is not a file of the project at this revision; it was not read`,
            at: { file: file.path },
          },
        });
        continue;
      }
    }
    if (blob.mode.startsWith('16') || blob.size === undefined) {
      reads.set(file.path, {
        finding: { code: 'load/unreadable', message: 'a submodule, not a file', at: { file: file.path } },
      });
      continue;
    }
    if (blob.size > maxBytes) {
      reads.set(file.path, { finding: tooLargeFinding(file.path, blob.size, maxBytes) });
      continue;
    }
    blobOf.set(file.path, blob);
  }
  const contents = gitReadBlobs(dir, new Map([...blobOf.values()].map((b) => [b.object, b.size ?? 0])));
  for (const [rel, blob] of blobOf) {
    const bytes = contents.get(blob.object);
    reads.set(
      rel,
      bytes === undefined
        ? {
            finding: {
              code: 'load/unreadable',
              message: `git cannot read object ${blob.object.slice(0, 12)}`,
              at: { file: rel },
            },
          }
        : decodeText(rel, bytes),
    );
  }
  return reads;
}
