/**
 * What git says about when signatures and signed content entered the repository: the commit of
 * each line of a signatures file (git blame), and the oldest commit of a record's file that holds a
 * given content fingerprint. A signature's own `time` is what its signer claims; these are what
 * the history shows (committer dates: client-set, so only as trustworthy as the branch protection
 * and signed commits of docs/signatures.md). Git itself runs in src/util/git.ts.
 */
import { readRecordText } from '../load/read-file.js';
import { recordValidator } from '../load/validate-record.js';
import type { DossierConfig } from '../model/config.js';
import { fingerprint } from '../model/fingerprint.js';
import { type GitCommitTime, gitFileVersionsWithTimes, gitLinesAdded } from '../util/git.js';

export { gitNewestCommitTimes as newestCommitTimes } from '../util/git.js';

export type CommitFact = GitCommitTime;

/**
 * When lines of the files of a folder were committed: the newest commit that added each exact line,
 * for all files at once (one git process).
 */
export type LineCommits =
  | { readonly state: 'unavailable'; readonly why: string }
  | { readonly state: 'read'; readonly commitOf: (file: string, line: string) => CommitFact | undefined };

export function lineCommits(root: string, relDir: string, maxBytes: number): LineCommits {
  const log = gitLinesAdded(root, relDir, maxBytes);
  if (!log.ok) return { state: 'unavailable', why: log.why };
  return { state: 'read', commitOf: (file, line) => log.added.get(`${file}\0${line}`) };
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
  const validator = recordValidator(config);
  // Newest first: each older commit holding a content replaces the newer one.
  for (const { commit, time, content } of gitFileVersionsWithTimes(
    root,
    rel,
    MAX_CONTENT_COMMITS,
    maxBytes,
  )) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
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
      byFingerprint.set(fingerprint(record), { commit, time });
    }
  }
  return result;
}
