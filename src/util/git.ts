/**
 * The only place Dossier runs git. Callers get values, never exceptions: a missing git, a folder
 * that is not a repository or a failed command is an answer ("not available"), not a crash.
 */
import { spawnSync } from 'node:child_process';
import { noteUncacheable } from './input-trace.js';

export type GitResult =
  | { readonly ok: true; readonly stdout: Buffer }
  | {
      readonly ok: false;
      /** `no-git`: the git program is not there; `too-large`: output over the limit; `failed`: anything else. */
      readonly reason: 'no-git' | 'too-large' | 'failed';
      readonly message: string;
      /** Git ran and answered with an error (an unknown path, no such revision), rather than not running. */
      readonly exited?: true;
    };

/**
 * Runs `git <args>` in `cwd` without a shell; output beyond `maxBytes` is a `too-large` failure.
 * `input` is written to git's standard input (object ids for `cat-file --batch`).
 */
export function runGit(
  cwd: string,
  args: readonly string[],
  maxBytes = 1024 * 1024,
  input?: string,
): GitResult {
  // What git answers depends on the repository, which no trace of this process sees.
  noteUncacheable('git was asked');
  const result = spawnSync('git', args, {
    cwd,
    maxBuffer: maxBytes,
    timeout: 30_000,
    ...(input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input }),
    // Read-only use: no index lock taken, never wait for credentials, messages in one language.
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'no-git', message: 'git is not available' };
    if (code === 'ENOBUFS') return { ok: false, reason: 'too-large', message: 'output over the limit' };
    return { ok: false, reason: 'failed', message: result.error.message };
  }
  if (result.status !== 0) {
    const stderr = result.stderr.toString('utf8').trim().split('\n')[0] ?? '';
    return {
      ok: false,
      reason: 'failed',
      message: stderr || `git exited with ${result.status}`,
      exited: true,
    };
  }
  return { ok: true, stdout: result.stdout };
}

/** Whether `dir` is in a git work tree with at least one commit, and why not. */
export type GitHeadState = { readonly ok: true } | { readonly ok: false; readonly why: string };

export function gitHeadState(dir: string): GitHeadState {
  const inside = runGit(dir, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok) {
    if (inside.reason === 'no-git') return { ok: false, why: 'git is not available' };
    // Anything else (e.g. a repository git refuses for "dubious ownership") is said as git says it.
    return {
      ok: false,
      why: /not a git repository/i.test(inside.message)
        ? 'not in a git repository'
        : `git cannot read the repository: ${inside.message.replace(/^fatal:\s*/, '')}`,
    };
  }
  if (inside.stdout.toString('utf8').trim() !== 'true') return { ok: false, why: 'not in a git repository' };
  return runGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).ok
    ? { ok: true }
    : { ok: false, why: 'no commit yet' };
}

/**
 * A file as committed at HEAD. `rel` is relative to `dir` (forward slashes); git resolves `./` paths
 * from the working directory, so the repository root need not be computed (nor its symlinks resolved).
 */
export function gitShowHead(
  dir: string,
  rel: string,
  maxBytes: number,
):
  | { readonly ok: true; readonly content: Buffer }
  | {
      readonly ok: false;
      readonly why: 'not in HEAD' | 'a folder at HEAD' | 'over the size limit' | string;
    } {
  const blob = runGit(dir, ['cat-file', 'blob', `HEAD:./${rel}`], maxBytes + 1);
  if (blob.ok) {
    return blob.stdout.length > maxBytes
      ? { ok: false, why: 'over the size limit' }
      : { ok: true, content: blob.stdout };
  }
  if (blob.reason === 'too-large') return { ok: false, why: 'over the size limit' };
  if (blob.reason === 'no-git') return { ok: false, why: blob.message };
  const type = runGit(dir, ['cat-file', '-t', `HEAD:./${rel}`]);
  if (type.ok && type.stdout.toString('utf8').trim() === 'tree')
    return { ok: false, why: 'a folder at HEAD' };
  return { ok: false, why: 'not in HEAD' };
}

/** The committer date of HEAD (strict ISO 8601 with offset), or undefined outside git or without a commit. */
/** The commit of HEAD in `dir` (40 hex digits), or undefined outside a git work tree. */
export function gitHeadCommit(dir: string): string | undefined {
  const head = runGit(dir, ['rev-parse', '--verify', 'HEAD']);
  if (!head.ok) return undefined;
  const commit = head.stdout.toString('utf8').trim();
  return /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
}

export function gitHeadCommitDate(dir: string): string | undefined {
  const log = runGit(dir, ['log', '-1', '--format=%cI']);
  if (!log.ok) return undefined;
  const date = log.stdout.toString('utf8').trim();
  return date === '' ? undefined : date;
}

/**
 * What `dossier release record` asks git about the sources: a revision's commit, the tag of a
 * version, and the last commit at a revision that changed an item's files. Record content (globs)
 * goes to git only as pathspecs after `--`, never as options.
 */
export function gitSourceHistory(dir: string): {
  unavailable?: string;
  commitOf(revision: string): string | undefined;
  tagOfVersion(version: string): string | undefined;
  lastCommitOf(globs: readonly string[], at: string): string | undefined;
} {
  const state = gitHeadState(dir);
  if (!state.ok) {
    return {
      unavailable: state.why,
      commitOf: () => undefined,
      tagOfVersion: () => undefined,
      lastCommitOf: () => undefined,
    };
  }
  const commitOf = (revision: string) => {
    const r = runGit(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
    const commit = r.ok ? r.stdout.toString('utf8').trim() : '';
    return /^[0-9a-f]{40}$/.test(commit) ? commit : undefined;
  };
  return {
    commitOf,
    tagOfVersion: (version) =>
      [`v${version}`, version].find((tag) => commitOf(`refs/tags/${tag}`) !== undefined),
    lastCommitOf: (globs, at) => {
      const r = runGit(dir, [
        'log',
        '-1',
        '--format=%H',
        '--end-of-options',
        at,
        '--',
        ...globs.map((g) => `:(glob)${g}`),
      ]);
      const commit = r.ok ? r.stdout.toString('utf8').trim() : '';
      return /^[0-9a-f]{40}$/.test(commit) ? commit : undefined;
    },
  };
}

/**
 * The committed versions of one file, newest first: at most `maxCommits` commits that changed it
 * (following neither renames nor other files), each with the file's content then. `rel` is relative
 * to `dir` and goes to git only as a literal pathspec after `--`. Empty outside git.
 */
export function* gitFileVersions(
  dir: string,
  rel: string,
  maxCommits: number,
  maxBytes: number,
  /** Set when git could not be asked (not there, not a repository, a timeout): the list may be incomplete. */
  unanswered?: { failed: boolean },
): Generator<{ readonly commit: string; readonly content: Buffer }> {
  const fail = () => {
    if (unanswered) unanswered.failed = true;
  };
  if (!gitHeadState(dir).ok) return fail();
  const count = Math.max(1, Math.trunc(maxCommits));
  const log = runGit(dir, ['log', `--max-count=${count}`, '--format=%H', '--', `:(literal)./${rel}`]);
  if (!log.ok) return fail();
  for (const commit of log.stdout.toString('utf8').split('\n')) {
    if (!/^[0-9a-f]{40}$/.test(commit)) continue;
    const blob = runGit(dir, ['cat-file', 'blob', '--end-of-options', `${commit}:./${rel}`], maxBytes + 1);
    if (blob.ok && blob.stdout.length <= maxBytes) yield { commit, content: blob.stdout };
    // Git's own "no such path in that commit" is an answer; a command that did not run is not.
    else if (!blob.ok && blob.reason !== 'too-large' && !blob.exited) fail();
  }
}

/** A revision resolved to its commit, or why it cannot be (one line, for the user). */
export type ResolvedRevision =
  | { readonly ok: true; readonly commit: string }
  | { readonly ok: false; readonly why: string };

/**
 * The commit a revision (tag, branch, commit, `HEAD~2`…) names in the repository of `dir`. The
 * revision is user text: it goes to git after `--end-of-options`, so it is never read as an option.
 */
export function gitResolveCommit(dir: string, revision: string): ResolvedRevision {
  const r = runGit(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
  const commit = r.ok ? r.stdout.toString('utf8').trim() : '';
  if (/^[0-9a-f]{40}$/.test(commit)) return { ok: true, commit };
  // Only a failure asks why: no git, no repository, or no such revision.
  const state = gitHeadState(dir);
  if (!state.ok)
    return { ok: false, why: state.why === 'no commit yet' ? 'the repository has no commit yet' : state.why };
  return { ok: false, why: `unknown revision "${revision}": no tag, branch or commit of that name` };
}

/** One file of a tree, as `git ls-tree -r -l` lists it. */
export interface TreeFile {
  /** Path relative to the folder git was run in, forward slashes. */
  readonly path: string;
  /** `100644`, `100755`, `120000` (symbolic link), `160000` (submodule). */
  readonly mode: string;
  readonly object: string;
  /** Bytes; undefined for a submodule. */
  readonly size?: number;
}

/**
 * Every file of the tree of `commit` below the folder `dir` (git lists only that folder when run in
 * it, with paths relative to it), recursively. Undefined when git cannot list it.
 */
export function gitListTree(dir: string, commit: string): readonly TreeFile[] | undefined {
  if (!/^[0-9a-f]{40}$/.test(commit)) return undefined;
  const r = runGit(dir, ['ls-tree', '-r', '-z', '-l', '--end-of-options', `${commit}`], 1024 * 1024 * 1024);
  if (!r.ok) return undefined;
  const files: TreeFile[] = [];
  for (const line of r.stdout.toString('utf8').split('\0')) {
    // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, object, size] = line.slice(0, tab).split(/ +/);
    if (!mode || !object || (type !== 'blob' && type !== 'commit')) continue;
    files.push({
      path: line.slice(tab + 1),
      mode,
      object,
      ...(size !== undefined && /^\d+$/.test(size) ? { size: Number(size) } : {}),
    });
  }
  return files;
}

/**
 * The content of blobs, by object id, read by one `git cat-file --batch` process: one program run
 * however many blobs (a process per blob cost seconds on a 10,000-record project). `sizes` (from
 * {@link gitListTree}) bound the output; ids not given, missing or not blobs are absent from the map.
 */
export function gitReadBlobs(dir: string, sizes: ReadonlyMap<string, number>): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  const ids = [...sizes.keys()].filter((id) => /^[0-9a-f]{40,64}$/.test(id));
  if (ids.length === 0) return blobs;
  let expected = 0;
  for (const id of ids) expected += (sizes.get(id) ?? 0) + id.length + 32;
  const r = runGit(dir, ['cat-file', '--batch'], expected + 1024 * 1024, `${ids.join('\n')}\n`);
  if (!r.ok) return blobs;
  const out = r.stdout;
  let at = 0;
  while (at < out.length) {
    const end = out.indexOf(0x0a, at);
    if (end < 0) break;
    // "<object> SP <type> SP <size> LF <content> LF", or "<object> SP missing LF"
    const [object, type, size] = out.toString('utf8', at, end).split(' ');
    at = end + 1;
    if (size === undefined || !/^\d+$/.test(size)) continue;
    const length = Number(size);
    if (type === 'blob' && object) blobs.set(object, out.subarray(at, at + length));
    at += length + 1;
  }
  return blobs;
}

/** The sizes of objects, by id, from one `git cat-file --batch-check`; missing objects are absent. */
export function gitBlobSizes(dir: string, ids: Iterable<string>): Map<string, number> {
  const sizes = new Map<string, number>();
  const wanted = [...new Set(ids)].filter((id) => /^[0-9a-f]{40,64}$/.test(id));
  if (wanted.length === 0) return sizes;
  const r = runGit(dir, ['cat-file', '--batch-check'], 256 * 1024 * 1024, `${wanted.join('\n')}\n`);
  if (!r.ok) return sizes;
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const [object, type, size] = line.split(' ');
    if (object && type === 'blob' && size !== undefined && /^\d+$/.test(size))
      sizes.set(object, Number(size));
  }
  return sizes;
}

/** A file a commit changed: its blob before (one per parent; undefined where absent) and after. */
export interface FileChange {
  /** Relative to the folder git ran in, forward slashes. */
  readonly path: string;
  readonly before: readonly (string | undefined)[];
  /** Undefined: deleted. */
  readonly after?: string;
}

export interface LoggedCommit {
  readonly commit: string;
  readonly parents: readonly string[];
  readonly author: string;
  readonly email: string;
  /** Author date, ISO 8601 with offset. */
  readonly date: string;
  /** Committer date, ISO 8601 with offset: when the commit entered the history. */
  readonly committed: string;
  readonly subject: string;
  readonly changes: readonly FileChange[];
}

const NULL_OBJECT = /^0+$/;
const objectOrUndefined = (oid: string | undefined) =>
  oid === undefined || NULL_OBJECT.test(oid) ? undefined : oid;

/**
 * Every commit reachable from `revision` that changed a file below `dir` (the project folder),
 * oldest first (parents before children), with the files it changed and their blobs: one
 * `git log --raw` run. Merges show only the files whose merged content differs from every parent
 * (`--cc`): conflict resolutions and edits made in the merge. Renames are a deletion and an
 * addition. Undefined when git cannot log it.
 */
export function gitLogChanges(dir: string, revision: string): LoggedCommit[] | undefined {
  const r = runGit(
    dir,
    [
      'log',
      '--raw',
      '-z',
      '--no-renames',
      '--no-abbrev',
      '--cc',
      '--relative',
      '--topo-order',
      '--reverse',
      '--format=%x01%H%x02%P%x02%an%x02%ae%x02%aI%x02%cI%x02%s',
      '--end-of-options',
      `${revision}`,
      '--',
      '.',
    ],
    1024 * 1024 * 1024,
  );
  if (!r.ok) return undefined;
  const commits: LoggedCommit[] = [];
  for (const chunk of r.stdout.toString('utf8').split('\u0001')) {
    const headerEnd = chunk.indexOf('\u0000');
    const header = (headerEnd < 0 ? chunk : chunk.slice(0, headerEnd)).split('\u0002');
    const [commit, parents, author, email, date, committed, ...subject] = header;
    if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) continue;
    const tokens =
      headerEnd < 0
        ? []
        : chunk
            .slice(headerEnd + 1)
            .replace(/^[\n\0]+/, '')
            .split('\u0000');
    const changes: FileChange[] = [];
    for (let i = 0; i + 1 < tokens.length; i += 2) {
      const meta = tokens[i]!.replace(/^\n/, '');
      const file = tokens[i + 1]!;
      const colons = /^:+/.exec(meta)?.[0].length ?? 0;
      if (colons === 0) continue;
      // ":<modes…> <objects…> <status>": one mode and one object per parent, then the result's.
      const fields = meta.slice(colons).split(' ');
      const objects = fields.slice(colons + 1, colons + 1 + colons + 1);
      changes.push({
        path: file,
        before: objects.slice(0, colons).map(objectOrUndefined),
        ...(objectOrUndefined(objects[colons]) ? { after: objects[colons]! } : {}),
      });
    }
    commits.push({
      commit,
      parents: (parents ?? '').split(' ').filter(Boolean),
      author: author ?? '',
      email: email ?? '',
      date: date ?? '',
      committed: committed ?? '',
      subject: subject.join('\u0002'),
      changes,
    });
  }
  return commits;
}

/**
 * Files below `dir` that differ in the working tree from HEAD (their blob at HEAD; `after` is the
 * empty string for a file on disk, undefined for a deleted one), and files git does not track.
 */
export function gitWorktreeChanges(dir: string): FileChange[] | undefined {
  const diff = runGit(
    dir,
    ['diff', '--raw', '-z', '--no-renames', '--no-abbrev', '--relative', 'HEAD', '--', '.'],
    256 * 1024 * 1024,
  );
  const others = gitUntrackedFiles(dir);
  if (!diff.ok || !others.ok) return undefined;
  const changes: FileChange[] = [];
  const tokens = diff.stdout.toString('utf8').split('\u0000');
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const fields = tokens[i]!.replace(/^:/, '').split(' ');
    const status = fields[4];
    changes.push({
      path: tokens[i + 1]!,
      before: [objectOrUndefined(fields[2])],
      ...(status === 'D' ? {} : { after: '' }),
    });
  }
  for (const file of others.files) changes.push({ path: file, before: [undefined], after: '' });
  return changes;
}

/** Files below `dir` that git does not track and does not ignore (paths relative to `dir`). */
function gitUntrackedFiles(dir: string): { ok: true; files: string[] } | { ok: false; why: string } {
  const r = runGit(dir, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.'], 256 * 1024 * 1024);
  if (!r.ok) return { ok: false, why: `git ls-files failed: ${r.message}` };
  return { ok: true, files: r.stdout.toString('utf8').split('\u0000').filter(Boolean) };
}

/** Files changed between two commits (or a commit and the working tree), or why git cannot say. */
export type ChangedFiles =
  | { readonly ok: true; readonly files: readonly string[] }
  | { readonly ok: false; readonly why: string };

/**
 * The files below `dir` (paths relative to it) that differ between commit `from` and commit `to`,
 * or, without `to`, between `from` and the working tree, untracked files included (a new source
 * file that is not committed yet is a change too). A rename is a removal and an addition, so both
 * names count. Commits are data: they go to git after `--end-of-options`.
 */
export function gitChangedFiles(dir: string, from: string, to?: string): ChangedFiles {
  if (!/^[0-9a-f]{40}$/.test(from) || (to !== undefined && !/^[0-9a-f]{40}$/.test(to)))
    return { ok: false, why: 'a full commit id is needed' };
  const limit = 256 * 1024 * 1024;
  const commits = to === undefined ? [from] : [from, to];
  const diff = runGit(
    dir,
    ['diff', '--name-only', '-z', '--no-renames', '--relative', '--end-of-options', ...commits, '--'],
    limit,
  );
  if (!diff.ok) return { ok: false, why: `git diff failed: ${diff.message}` };
  const files = diff.stdout.toString('utf8').split('\0').filter(Boolean);
  if (to === undefined) {
    const untracked = gitUntrackedFiles(dir);
    if (!untracked.ok) return untracked;
    files.push(...untracked.files);
  }
  return { ok: true, files: [...new Set(files)].sort() };
}

/** A commit and its committer time (ms since the epoch). */
export interface GitCommitTime {
  readonly commit: string;
  readonly time: number;
}

/**
 * Like {@link gitFileVersions}, with each commit's committer time: the committed versions of one
 * file, newest first, at most `maxCommits`.
 */
export function* gitFileVersionsWithTimes(
  dir: string,
  rel: string,
  maxCommits: number,
  maxBytes: number,
): Generator<GitCommitTime & { readonly content: Buffer }> {
  if (!gitHeadState(dir).ok) return;
  const count = Math.max(1, Math.trunc(maxCommits));
  const log = runGit(dir, ['log', `--max-count=${count}`, '--format=%H %ct', '--', `:(literal)./${rel}`]);
  if (!log.ok) return;
  for (const line of log.stdout.toString('utf8').split('\n')) {
    const m = /^([0-9a-f]{40}) (\d+)$/.exec(line);
    if (!m) continue;
    const commit = m[1]!;
    const blob = runGit(dir, ['cat-file', 'blob', '--end-of-options', `${commit}:./${rel}`], maxBytes + 1);
    if (blob.ok && blob.stdout.length <= maxBytes)
      yield { commit, time: Number(m[2]) * 1000, content: blob.stdout };
  }
}

/**
 * The committer time of the newest commit that changed each of `rels` (relative to `dir`), in one
 * `git log` per batch of paths; a path without a commit is left out. Empty outside git.
 */
export function gitNewestCommitTimes(dir: string, rels: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  if (rels.length === 0 || !gitHeadState(dir).ok) return result;
  const BATCH = 500;
  for (let i = 0; i < rels.length; i += BATCH) {
    const paths = rels.slice(i, i + BATCH).map((r) => `:(literal)./${r}`);
    const log = runGit(
      dir,
      ['log', '--format=commit-time %ct', '--name-only', '--relative', '-z', '--', ...paths],
      64 * 1024 * 1024,
    );
    if (!log.ok) continue;
    let time: number | undefined;
    for (const part of log.stdout.toString('utf8').split(/[\0\n]/)) {
      const header = /^commit-time (\d+)$/.exec(part);
      if (header) time = Number(header[1]) * 1000;
      else if (part !== '' && time !== undefined && !result.has(part)) result.set(part, time);
    }
  }
  return result;
}

/**
 * When each line now under `relDir` was last added: one `git log -p` over the folder's history
 * (oldest first), keyed by `<file>\0<line text>` (file relative to `dir`), the newest commit that
 * added that exact line. Append-only files (signatures) are blamed this way for all files in one
 * process. Not ok outside git.
 */
export function gitLinesAdded(
  dir: string,
  relDir: string,
  maxBytes: number,
):
  | { readonly ok: true; readonly added: ReadonlyMap<string, GitCommitTime> }
  | { readonly ok: false; readonly why: string } {
  const state = gitHeadState(dir);
  if (!state.ok) return { ok: false, why: state.why };
  // The history as the branch saw it (--first-parent -m): a merge counts as the commit that brought
  // its lines in (its diff against the first parent), so a line added only while resolving a merge
  // is committed too, and a line from a merged branch is committed when it reached this branch.
  const log = runGit(
    dir,
    [
      'log',
      '--reverse',
      '--first-parent',
      '-m',
      '--format=commit %H %ct',
      '-p',
      '-U0',
      '--no-renames',
      '--no-color',
      '--relative',
      '--',
      `:(literal)./${relDir}`,
    ],
    maxBytes,
  );
  if (!log.ok) return { ok: false, why: `git log failed: ${log.message}` };
  const added = new Map<string, GitCommitTime>();
  let commit: GitCommitTime | undefined;
  let file: string | undefined;
  for (const line of log.stdout.toString('utf8').split('\n')) {
    const header = /^commit ([0-9a-f]{40}) (\d+)$/.exec(line);
    if (header) {
      commit = { commit: header[1]!, time: Number(header[2]) * 1000 };
      file = undefined;
    } else if (line.startsWith('+++ ')) {
      file = line.startsWith('+++ b/') ? line.slice(6) : undefined;
    } else if (line.startsWith('+') && file !== undefined && commit) {
      added.set(`${file}\0${line.slice(1)}`, commit);
    } else if (line.startsWith('-') && !line.startsWith('--- ') && file !== undefined) {
      // Removed later: only a later commit that adds it again commits it.
      added.delete(`${file}\0${line.slice(1)}`);
    }
  }
  return { ok: true, added };
}

/**
 * The commits at the tips of every local branch and remote-tracking branch, and HEAD: where other
 * lines of work may already have created records. Empty outside git.
 */
export function gitBranchTips(dir: string): string[] {
  const r = runGit(
    dir,
    ['for-each-ref', '--format=%(objectname)', 'refs/heads', 'refs/remotes'],
    64 * 1024 * 1024,
  );
  const tips = new Set<string>();
  if (r.ok) {
    for (const line of r.stdout.toString('utf8').split('\n'))
      if (/^[0-9a-f]{40,64}$/.test(line)) tips.add(line);
  }
  const head = runGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  const commit = head.ok ? head.stdout.toString('utf8').trim() : '';
  if (/^[0-9a-f]{40,64}$/.test(commit)) tips.add(commit);
  return [...tips].sort();
}

/** An `id:` line of a record (front matter, collection item): the id. */
const ID_LINE = /^[ \t]*(?:-[ \t]+)?id[ \t]*:[ \t]*["']?([A-Z][A-Z0-9]*-\d+)\b/gm;

/**
 * Every record id written as `id: PREFIX-NUMBER` in the files of the trees of `commits` below the
 * folder `dir` that `wanted` accepts (the record globs): the ids other branches use, read from git
 * objects (one `ls-tree` per commit, one `cat-file --batch` for all the distinct blobs), nothing
 * checked out. `ok: false` when git cannot list a tree.
 */
export function gitIdsInTrees(
  dir: string,
  commits: readonly string[],
  wanted: (rel: string) => boolean,
): { readonly ok: true; readonly ids: Set<string> } | { readonly ok: false; readonly why: string } {
  const sizes = new Map<string, number>();
  for (const commit of commits) {
    const files = gitListTree(dir, commit);
    if (!files) return { ok: false, why: `git cannot list the tree of ${commit.slice(0, 12)}` };
    for (const f of files) {
      if (f.mode === '160000' || f.mode === '120000' || f.size === undefined) continue;
      if (/\.(md|ya?ml)$/i.test(f.path) && wanted(f.path)) sizes.set(f.object, f.size);
    }
  }
  const ids = new Set<string>();
  for (const blob of gitReadBlobs(dir, sizes).values()) {
    for (const m of blob.toString('utf8').matchAll(ID_LINE)) ids.add(m[1]!);
  }
  return { ok: true, ids };
}
