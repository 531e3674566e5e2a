/**
 * The history of one record from git (`dossier history ID`): every commit that changed it, followed
 * by id across files, renames and moves between Markdown files and collections, with what changed
 * part by part, and the approvals given to it (`signatures/<ID>.yaml`) and when each was voided.
 *
 * How: one `git log --raw` lists the files each commit changed with their blobs before and after;
 * only those blobs are read (one `git cat-file --batch`), and only those that mention the id are
 * parsed. A commit changed the record when its version after differs from its version before in the
 * files the commit touched; a record that left a file and appeared in another is a move. Files are
 * chosen by the records globs of the configuration now (say so in docs/history.md). Uncommitted
 * changes in the working tree come last, as an entry without a commit.
 */
import path from 'node:path';
import yaml from 'js-yaml';
import { listingMatcher } from '../load/discover.js';
import { readRecordText } from '../load/read-file.js';
import { decodeText, readText, type TextRead } from '../load/read-text.js';
import { recordValidator } from '../load/validate-record.js';
import type { DossierConfig } from '../model/config.js';
import { maxFileBytesOf } from '../model/config.js';
import { fingerprint } from '../model/fingerprint.js';
import type { DossierRecord } from '../model/record.js';
import { type PartChange, partChanges } from '../reviews/changes.js';
import {
  type FileChange,
  gitBlobSizes,
  gitLogChanges,
  gitReadBlobs,
  gitWorktreeChanges,
  type LoggedCommit,
} from '../util/git.js';
import { commitOfRevision, RevisionError } from './project-at.js';

export type HistoryEventKind = 'created' | 'changed' | 'moved' | 'deleted';

export interface HistoryEntry {
  /** Undefined for uncommitted changes in the working tree. */
  readonly commit?: string;
  readonly author?: string;
  readonly email?: string;
  /** Author date (ISO 8601). */
  readonly date?: string;
  readonly subject?: string;
  readonly event: HistoryEventKind;
  /** The file the record is in after the commit (before it, for a deletion). */
  readonly file: string;
  readonly movedFrom?: string;
  /** Its content fingerprint changed (false: only its file, status or approval fields did). */
  readonly contentChanged: boolean;
  /** Fingerprint after the commit (before it, for a deletion). */
  readonly fingerprint: string;
  /** For a created record: every part it was created with. */
  readonly changes: readonly PartChange[];
}

export interface Approval {
  readonly signer: string;
  readonly meaning: string;
  /** The time the signature claims. */
  readonly time: string;
  readonly fingerprint: string;
  /** The commit that first holds the signature (undefined: not committed yet). */
  readonly givenIn?: string;
  /** `valid`: the record's content now is what was signed; `void`: it changed since. */
  readonly state: 'valid' | 'void';
  /** The first change after the signature whose content is not the one signed. */
  readonly voidedIn?: { readonly commit?: string; readonly date?: string; readonly author?: string };
}

export interface RecordHistory {
  readonly id: string;
  /** The revision whose history it is (`HEAD` by default) and its commit. */
  readonly revision: string;
  readonly commit: string;
  /** Oldest first; the uncommitted change, if any, last. */
  readonly entries: readonly HistoryEntry[];
  readonly approvals: readonly Approval[];
  /** The signatures file read, relative to the project. */
  readonly signaturesFile: string;
  /** Blobs that could not be read or parsed: the history may miss changes in them. */
  readonly unread: readonly { readonly commit?: string; readonly file: string; readonly why: string }[];
}

export interface HistoryOptions {
  /** Whose history: default `HEAD`. */
  readonly revision?: string;
  /** Add the working tree's uncommitted changes (default true when `revision` is HEAD). */
  readonly worktree?: boolean;
}

const UNREAD: unique symbol = Symbol('unread');

/** The record is in no version of the history: a one-line error. */
export class RecordNotInHistoryError extends Error {}

interface Step {
  readonly commit?: LoggedCommit;
  readonly changes: readonly FileChange[];
}

export function recordHistory(
  root: string,
  config: DossierConfig,
  id: string,
  options: HistoryOptions = {},
): RecordHistory {
  const dir = path.resolve(root);
  const revision = options.revision ?? 'HEAD';
  const commit = commitOfRevision(root, revision);
  const log = gitLogChanges(dir, commit);
  if (!log) throw new RevisionError(`cannot read the history of ${root} at ${revision}`);
  const signaturesFile = `${signaturesDirOf(config)}/${id}.yaml`;
  const isRecordFile = recordFileFilter(config);
  const relevant = (c: FileChange) => c.path === signaturesFile || isRecordFile(c.path);
  const steps: Step[] = log.map((c) => ({ commit: c, changes: c.changes.filter(relevant) }));
  const withWorktree = options.worktree ?? revision === 'HEAD';
  // Uncommitted changes git could not list are said, never left out as if there were none.
  let worktreeUnlisted = false;
  if (withWorktree) {
    const changes = gitWorktreeChanges(dir);
    if (changes) steps.push({ changes: changes.filter(relevant) });
    else worktreeUnlisted = true;
  }

  const maxBytes = maxFileBytesOf(config);
  const contents = readChangedBlobs(dir, steps, maxBytes);
  const validator = recordValidator(config);
  const unread: { commit?: string; file: string; why: string }[] = [];
  if (worktreeUnlisted)
    unread.push({
      file: '(working tree)',
      why: 'git could not list the uncommitted changes (git diff or git ls-files failed)',
    });
  const reported = new Set<string>();
  /**
   * The record with the id in one version of one file: undefined when absent, UNREAD when the
   * version cannot be read and may hold it (said once per version in `unread`).
   */
  const recordIn = (
    step: Step,
    file: string,
    blob: string | undefined,
  ): DossierRecord | undefined | typeof UNREAD => {
    if (blob === undefined) return undefined;
    const read = blob === '' ? readText(dir, file, maxBytes) : contents.get(blob);
    const notRead = (why: string): typeof UNREAD => {
      const key = `${file}\u0000${blob || 'worktree'}`;
      if (!reported.has(key)) {
        reported.add(key);
        unread.push({ ...(step.commit ? { commit: step.commit.commit } : {}), file, why });
      }
      return UNREAD;
    };
    if (!read) return notRead('git cannot read it');
    if (read.text === undefined) {
      // Over the size limit (which may hide the record) or not UTF-8 with the id in it: said, not skipped.
      if (read.finding?.code === 'load/too-large' || (read.lossyText ?? '').includes(id))
        return notRead(read.finding?.message ?? 'unreadable');
      return undefined;
    }
    if (!read.text.includes(id)) return undefined;
    const parsed = readRecordText(file, read.text);
    if (parsed.failure) {
      return parsed.failure.idsInText.includes(id) ? notRead(parsed.failure.finding.message) : undefined;
    }
    for (const raw of parsed.records) {
      const record = validator.validate(raw).record;
      if (record?.id === id) return record;
    }
    return undefined;
  };

  const entries: HistoryEntry[] = [];
  const signatureVersions: { step: Step; text?: string }[] = [];
  for (const step of steps) {
    const recordChanges = step.changes.filter((c) => c.path !== signaturesFile);
    const signatures = step.changes.find((c) => c.path === signaturesFile);
    if (signatures) {
      const read =
        signatures.after === undefined
          ? undefined
          : signatures.after === ''
            ? readText(dir, signaturesFile, maxBytes)
            : contents.get(signatures.after);
      signatureVersions.push({ step, ...(read?.text !== undefined ? { text: read.text } : {}) });
    }
    // A version that could not be read may hold the record: no entry is guessed for this step
    // (no false "deleted" or "created"); `unread` says which version it was.
    let unknown = false;
    const look = (file: string, blob: string | undefined) => {
      const found = recordIn(step, file, blob);
      if (found === UNREAD) unknown = true;
      return found === UNREAD ? undefined : found;
    };
    const parents = Math.max(1, ...recordChanges.map((c) => c.before.length));
    const before: (DossierRecord | undefined)[] = [];
    for (let p = 0; p < parents; p++) {
      let found: DossierRecord | undefined;
      for (const c of recordChanges) found ??= look(c.path, c.before[p]);
      before.push(found);
    }
    let after: DossierRecord | undefined;
    for (const c of recordChanges) after ??= look(c.path, c.after);
    const entry = unknown ? undefined : entryOf(step, before, after);
    if (entry) entries.push(entry);
  }
  if (entries.length === 0)
    throw new RecordNotInHistoryError(
      `${id} is in no committed or working version of the records of ${root}`,
    );

  return {
    id,
    revision,
    commit,
    entries,
    approvals: approvalsOf(entries, signatureVersions, steps),
    signaturesFile,
    unread,
  };
}

const EMPTY_PARTS = { title: '', tags: [], text: '', fields: {}, links: {} } as const;

/** The history entry of one step, when the record changed in it. */
function entryOf(
  step: Step,
  before: readonly (DossierRecord | undefined)[],
  after: DossierRecord | undefined,
): HistoryEntry | undefined {
  const c = step.commit;
  const who = c
    ? { commit: c.commit, author: c.author, email: c.email, date: c.date, subject: c.subject }
    : {};
  const first = before[0];
  if (before.length > 1) {
    // A merge: only content that no parent had is a change made in the merge.
    if (!after || before.some((b) => b === undefined || sameVersion(b, after))) return undefined;
  }
  if (!after && !first) return undefined;
  if (!after) {
    return {
      ...who,
      event: 'deleted',
      file: first!.origin.source.path,
      contentChanged: true,
      fingerprint: fingerprint(first!),
      changes: [],
    };
  }
  if (!first) {
    const empty: DossierRecord = { ...after, ...EMPTY_PARTS, status: after.status };
    return {
      ...who,
      event: 'created',
      file: after.origin.source.path,
      contentChanged: true,
      fingerprint: fingerprint(after),
      // What it was created with: the parts it has, without the empty values of no record before.
      changes: partChanges(empty, after).map(({ part, after: value, content }) => ({
        part,
        ...(value === undefined ? {} : { after: value }),
        content,
      })),
    };
  }
  const changes = partChanges(first, after, { administrative: true });
  const from = first.origin.source.path;
  const to = after.origin.source.path;
  if (changes.length === 0 && from === to) return undefined;
  const fpBefore = fingerprint(first);
  const fpAfter = fingerprint(after);
  return {
    ...who,
    event: changes.length === 0 ? 'moved' : 'changed',
    file: to,
    ...(from !== to ? { movedFrom: from } : {}),
    contentChanged: fpBefore !== fpAfter,
    fingerprint: fpAfter,
    changes,
  };
}

function sameVersion(a: DossierRecord, b: DossierRecord): boolean {
  return partChanges(a, b, { administrative: true }).length === 0;
}

/** Reads every blob the steps name that could hold a record (under the size limit), in one batch. */
function readChangedBlobs(dir: string, steps: readonly Step[], maxBytes: number): Map<string, TextRead> {
  const ids = new Set<string>();
  for (const step of steps)
    for (const c of step.changes) {
      for (const b of c.before) if (b) ids.add(b);
      if (c.after) ids.add(c.after);
    }
  const sizes = gitBlobSizes(dir, ids);
  const within = new Map([...sizes].filter(([, size]) => size <= maxBytes));
  const blobs = gitReadBlobs(dir, within);
  const reads = new Map<string, TextRead>();
  for (const [id, size] of sizes) {
    const bytes = blobs.get(id);
    reads.set(
      id,
      bytes
        ? decodeText(id, bytes)
        : { finding: { code: 'load/too-large', message: `${size} bytes, over limits.maxFileBytes` } },
    );
  }
  return reads;
}

/** Matches the records globs and excludes of the configuration (as the loader does). */
function recordFileFilter(config: DossierConfig): (file: string) => boolean {
  return listingMatcher(config.records, config.exclude);
}

function signaturesDirOf(config: DossierConfig): string {
  const dir = (config as { changeControl?: { signaturesDir?: unknown } }).changeControl?.signaturesDir;
  return typeof dir === 'string' && dir !== '' ? dir.replace(/\/+$/, '') : 'signatures';
}

interface SignatureEntry {
  readonly signer: string;
  readonly meaning: string;
  readonly time: string;
  readonly fingerprint: string;
}

/** The `{signer, meaning, time, fingerprint}` entries of a signatures file (a list, or `signatures:`). */
export function signatureEntries(text: string | undefined): SignatureEntry[] {
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch {
    return [];
  }
  const list = Array.isArray(value) ? value : (value as { signatures?: unknown } | null)?.signatures;
  if (!Array.isArray(list)) return [];
  return list.flatMap((e) => {
    const x = e as Record<string, unknown> | null;
    const s = (k: string) => (typeof x?.[k] === 'string' ? (x[k] as string) : undefined);
    const [signer, meaning, time, fp] = [s('signer'), s('meaning'), s('time'), s('fingerprint')];
    return signer && meaning && time && fp ? [{ signer, meaning, time, fingerprint: fp }] : [];
  });
}

const keyOf = (s: SignatureEntry) => `${s.signer}\u0000${s.meaning}\u0000${s.time}\u0000${s.fingerprint}`;

/**
 * The approvals in the latest version of the signatures file, each with the commit that first held
 * it and the first later change of the record to content other than what was signed.
 */
function approvalsOf(
  entries: readonly HistoryEntry[],
  versions: readonly { step: Step; text?: string }[],
  steps: readonly Step[],
): Approval[] {
  const latest = versions.at(-1);
  if (!latest) return [];
  const firstSeen = new Map<string, Step>();
  for (const v of versions)
    for (const s of signatureEntries(v.text)) if (!firstSeen.has(keyOf(s))) firstSeen.set(keyOf(s), v.step);
  const position = new Map(steps.map((s, i) => [s, i]));
  const entryPosition = (e: HistoryEntry) =>
    e.commit === undefined ? steps.length - 1 : steps.findIndex((s) => s.commit?.commit === e.commit);
  const current = entries.at(-1)!;
  return signatureEntries(latest.text).map((s) => {
    const given = firstSeen.get(keyOf(s))!;
    const at = position.get(given)!;
    const voiding = entries.find(
      (e) =>
        entryPosition(e) >= at &&
        (e.event === 'deleted' || (e.contentChanged && e.fingerprint !== s.fingerprint)),
    );
    const valid = current.event !== 'deleted' && current.fingerprint === s.fingerprint;
    return {
      ...s,
      ...(given.commit ? { givenIn: given.commit.commit } : {}),
      state: valid ? 'valid' : 'void',
      ...(!valid && voiding
        ? {
            voidedIn: {
              ...(voiding.commit ? { commit: voiding.commit } : {}),
              ...(voiding.date ? { date: voiding.date } : {}),
              ...(voiding.author ? { author: voiding.author } : {}),
            },
          }
        : {}),
    };
  });
}
