/**
 * The only place Dossier runs git. Callers get values, never exceptions: a missing git, a folder
 * that is not a repository or a failed command is an answer ("not available"), not a crash.
 */
import { spawnSync } from 'node:child_process';

export type GitResult =
  | { readonly ok: true; readonly stdout: Buffer }
  | {
      readonly ok: false;
      /** `no-git`: the git program is not there; `too-large`: output over the limit; `failed`: anything else. */
      readonly reason: 'no-git' | 'too-large' | 'failed';
      readonly message: string;
    };

/** Runs `git <args>` in `cwd` without a shell; output beyond `maxBytes` is a `too-large` failure. */
export function runGit(cwd: string, args: readonly string[], maxBytes = 1024 * 1024): GitResult {
  const result = spawnSync('git', args, {
    cwd,
    maxBuffer: maxBytes,
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
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
    return { ok: false, reason: 'failed', message: stderr || `git exited with ${result.status}` };
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
): Generator<{ readonly commit: string; readonly content: Buffer }> {
  if (!gitHeadState(dir).ok) return;
  const count = Math.max(1, Math.trunc(maxCommits));
  const log = runGit(dir, ['log', `--max-count=${count}`, '--format=%H', '--', `:(literal)./${rel}`]);
  if (!log.ok) return;
  for (const commit of log.stdout.toString('utf8').split('\n')) {
    if (!/^[0-9a-f]{40}$/.test(commit)) continue;
    const blob = runGit(dir, ['cat-file', 'blob', '--end-of-options', `${commit}:./${rel}`], maxBytes + 1);
    if (blob.ok && blob.stdout.length <= maxBytes) yield { commit, content: blob.stdout };
  }
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
  const log = runGit(
    dir,
    [
      'log',
      '--reverse',
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
