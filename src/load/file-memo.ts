/**
 * What a long-running process (`dossier serve`) keeps of each record file between loads: the
 * file's read result and its validated records, with the file's identity when it was read (size,
 * modification and change times in nanoseconds, inode). A reload stats every matched file and
 * takes the kept outcome of a file whose identity is unchanged; only the others are read, parsed
 * and validated again. The records of an unchanged file are the same objects as before, so what
 * was computed from them once (their fingerprints) is not computed again.
 *
 * Not trusted blindly, like git's index: every file is stat'ed on every load (a file watcher's
 * events are a hint of when to reload, never of what changed: they can be dropped), and a file
 * modified less than {@link RACY_MS} before it was stat'ed is not kept, since a second write within
 * the file system's timestamp granularity would leave its identity unchanged ("modified" by its
 * change time too: a write that puts the modification time back, as `cp -p` or `touch -r` do,
 * leaves only the change time new). A file that could not be read (an I/O error, too many open
 * files) is not kept either: that says nothing about its content. The identity is taken
 * before the file is read: a write during the read changes it, and the next load reads again. A
 * changed dossier.yaml drops everything (validation depends on it).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../diagnostics/diagnostic.js';
import type { DossierRecord } from '../model/record.js';
import { atRest, type FileIdentity, identityOf as identityOfStats, RACY_MS } from '../util/input-trace.js';
import type { FileReadResult } from './read-file.js';

/** A file changed this recently may change again without its identity changing. */
export { RACY_MS };

/** One file's read result and the validation of each of its raw records, in order. */
export interface FileOutcome {
  readonly result: FileReadResult;
  readonly validated: readonly { readonly record?: DossierRecord; readonly findings: readonly Finding[] }[];
}

/** How the loader asks for and hands back file outcomes (src/load/project.ts). */
export interface FileOutcomeMemo {
  get(rel: string): FileOutcome | undefined;
  set(rel: string, outcome: FileOutcome): void;
}

/** What says a file is the one read before: equal identities, equal files (outside the racy window). */
type Identity = FileIdentity;

function identityOf(file: string, now: number): Identity | undefined {
  try {
    // Times in milliseconds with their fraction (microseconds or better where the file system
    // keeps nanoseconds): bigint nanoseconds cost a third more on 100,000 files and add nothing
    // the racy window does not already cover.
    const s = fs.statSync(file, { throwIfNoEntry: false });
    if (!s?.isFile()) return undefined;
    const identity = identityOfStats(s);
    return atRest(identity, now) ? identity : undefined;
  } catch {
    return undefined;
  }
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return (
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.ino === b.ino &&
    a.dev === b.dev
  );
}

export class FileMemo implements FileOutcomeMemo {
  /** The time now, in milliseconds (tests set it to see files at rest or just written). */
  readonly #clock: () => number;
  #configText: string | undefined;
  readonly #kept = new Map<string, { identity: Identity; outcome: FileOutcome }>();
  /** The identity of each kept file at the start of the current load (undefined: not to be kept). */
  #now = new Map<string, Identity | undefined>();
  /** When the current load started (the racy window is counted back from it). */
  #loadStart = 0;
  /** Files taken from the memo, and files read, in the last load (for the server's log and tests). */
  reused = 0;
  read = 0;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /**
   * Starts a load of `files` (project-relative) under `root` with this dossier.yaml text: forgets
   * files no longer matched, everything when the configuration changed, and notes the identity now
   * of each file it keeps (a file it does not keep is read, and its reader takes its identity).
   */
  begin(root: string, configText: string, files: readonly string[], now = this.#clock()): void {
    if (configText !== this.#configText) {
      this.#kept.clear();
      this.#configText = configText;
    }
    this.reused = 0;
    this.read = 0;
    this.#now = new Map();
    this.#loadStart = now;
    // The discovered paths are relative and normal: a concatenation, not path.join's normalising
    // (a sixth of the time of 64,000 stats).
    const prefix = path.resolve(root) + path.sep;
    const matched = new Set(files);
    for (const rel of this.#kept.keys()) if (!matched.has(rel)) this.#kept.delete(rel);
    for (const rel of this.#kept.keys()) this.#now.set(rel, identityOf(prefix + rel, now));
  }

  /** Whether the file's kept outcome holds for it now (without counting it as reused). */
  holds(rel: string): boolean {
    const kept = this.#kept.get(rel);
    const identity = this.#now.get(rel);
    return kept !== undefined && identity !== undefined && sameIdentity(kept.identity, identity);
  }

  get(rel: string): FileOutcome | undefined {
    if (!this.holds(rel)) return undefined;
    this.reused++;
    return this.#kept.get(rel)!.outcome;
  }

  set(rel: string, outcome: FileOutcome): void {
    this.read++;
    // The identity of the file the reader opened, taken before reading it: the one that goes with
    // the outcome (a stat of the path before, or after, may be of another version of the file).
    const identity = outcome.result.identity;
    // Not being able to read a file is a fact about the moment, not about the file: read it again.
    if (
      identity === undefined ||
      !atRest(identity, this.#loadStart) ||
      outcome.result.failure?.finding.code === 'load/unreadable'
    )
      this.#kept.delete(rel);
    else {
      this.#kept.set(rel, { identity, outcome });
      this.#now.set(rel, identity);
    }
  }
}
