/**
 * What git says about when signatures and signed content entered the repository: the commit of
 * each line of a signatures file (git blame), and the oldest commit of a record's file that holds a
 * given content fingerprint. A signature's own `time` is what its signer claims; these are what
 * the history shows (committer dates: client-set, so only as trustworthy as the branch protection
 * and signed commits of docs/signatures.md).
 */
import { readRecordText } from '../load/read-file.js';
import { recordValidator } from '../load/validate-record.js';
import type { DossierConfig } from '../model/config.js';
import { fingerprint } from '../model/fingerprint.js';
import { gitHeadState, runGit } from '../util/git.js';

export interface CommitFact {
  readonly commit: string;
  /** Committer time, ms since the epoch. */
  readonly time: number;
}

/** When each line of a file was committed; `undefined` for a line not committed yet. */
export type LineCommits =
  | { readonly state: 'unavailable'; readonly why: string }
  | { readonly state: 'uncommitted'; readonly why: string }
  | { readonly state: 'blamed'; readonly lineCommit: (line: number) => CommitFact | undefined };

const NOT_COMMITTED = /^0{40}$/;

/** `git blame --porcelain` of one file of the project (rel: relative to `root`, forward slashes). */
export function lineCommits(root: string, rel: string, maxBytes: number): LineCommits {
  const state = gitHeadState(root);
  if (!state.ok) return { state: 'unavailable', why: state.why };
  const blame = runGit(root, ['blame', '--porcelain', '--', rel], maxBytes * 4 + 1024 * 1024);
  if (!blame.ok) {
    return /no such path .* in HEAD/i.test(blame.message)
      ? { state: 'uncommitted', why: `${rel} is not committed` }
      : { state: 'unavailable', why: `git blame failed: ${blame.message}` };
  }
  const times = new Map<string, number>();
  const byLine = new Map<number, string>();
  let current: string | undefined;
  for (const line of blame.stdout.toString('utf8').split('\n')) {
    const header = /^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$/.exec(line);
    if (header) {
      current = header[1]!;
      byLine.set(Number(header[2]), current);
      continue;
    }
    const time = /^committer-time (\d+)$/.exec(line);
    if (time && current) times.set(current, Number(time[1]) * 1000);
  }
  return {
    state: 'blamed',
    lineCommit: (line) => {
      const commit = byLine.get(line);
      if (!commit || NOT_COMMITTED.test(commit)) return undefined;
      const time = times.get(commit);
      return time === undefined ? undefined : { commit, time };
    },
  };
}

/** How far back the history of a record's file is read for the commit that brought a content. */
export const MAX_CONTENT_COMMITS = 200;

/**
 * For each record of a file, the oldest commit (of at most {@link MAX_CONTENT_COMMITS}, in the file's
 * own history) holding each of its contents, by fingerprint. Empty outside git.
 */
export function contentCommits(
  root: string,
  config: DossierConfig,
  rel: string,
  maxBytes: number,
): Map<string, Map<string, CommitFact>> {
  const result = new Map<string, Map<string, CommitFact>>();
  if (!gitHeadState(root).ok) return result;
  const log = runGit(root, [
    'log',
    `--max-count=${MAX_CONTENT_COMMITS}`,
    '--format=%H %ct',
    '--',
    `:(literal)./${rel}`,
  ]);
  if (!log.ok) return result;
  const validator = recordValidator(config);
  // Newest first: each older commit holding a content replaces the newer one.
  for (const line of log.stdout.toString('utf8').split('\n')) {
    const m = /^([0-9a-f]{40}) (\d+)$/.exec(line);
    if (!m) continue;
    const fact = { commit: m[1]!, time: Number(m[2]) * 1000 };
    const blob = runGit(
      root,
      ['cat-file', 'blob', '--end-of-options', `${fact.commit}:./${rel}`],
      maxBytes + 1,
    );
    if (!blob.ok || blob.stdout.length > maxBytes) continue;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(blob.stdout).replace(/^\uFEFF/, '');
    } catch {
      continue;
    }
    for (const raw of readRecordText(rel, text).records) {
      const record = validator.validate(raw).record;
      if (!record) continue;
      let byFingerprint = result.get(record.id);
      if (!byFingerprint) {
        byFingerprint = new Map();
        result.set(record.id, byFingerprint);
      }
      byFingerprint.set(fingerprint(record), fact);
    }
  }
  return result;
}

/**
 * The committer time of the newest commit that changed each of `rels` (relative to `root`), in one
 * `git log` per batch of paths; a path git has no commit for is left out. A signature claiming a
 * time after this cannot be backdated, so the history of its record's file need not be read.
 */
export function newestCommitTimes(root: string, rels: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  if (rels.length === 0 || !gitHeadState(root).ok) return result;
  const BATCH = 500;
  for (let i = 0; i < rels.length; i += BATCH) {
    const batch = rels.slice(i, i + BATCH);
    const log = runGit(
      root,
      [
        'log',
        '--format=commit-time %ct',
        '--name-only',
        '--relative',
        '-z',
        '--',
        ...batch.map((r) => `:(literal)./${r}`),
      ],
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
