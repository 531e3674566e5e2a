/**
 * What a long-running process (`dossier serve`) keeps of each record file between loads: the
 * file's read result and its validated records, with the file's identity when it was read (size,
 * modification and change times in nanoseconds, inode). A reload stats every matched file and
 * takes the kept outcome of a file whose identity is unchanged; only the others are read, parsed
 * and validated again. The records of an unchanged file are the same objects as before, so what
 * was computed from them once (their fingerprints) is not computed again.
 *
 * Not trusted blindly, like git's index: every file is stat'ed on every full load, and a file
 * modified less than {@link RACY_MS} before it was stat'ed is not kept, since a second write within
 * the file system's timestamp granularity would leave its identity unchanged ("modified" by its
 * change time too: a write that puts the modification time back, as `cp -p` or `touch -r` do,
 * leaves only the change time new). A file that could not be read (an I/O error, too many open
 * files) is not kept either: that says nothing about its content. The identity is taken
 * before the file is read: a write during the read changes it, and the next load reads again. A
 * changed dossier.yaml drops everything (validation depends on it).
 *
 * A targeted load (`changed` given to {@link FileMemo.begin}) stats only the files a watcher named
 * and takes every other kept outcome as it is. Watchers can drop events, so a targeted load is a
 * fast first answer that a full load confirms soon after (src/cli/commands/serve.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../diagnostics/diagnostic.js';
import type { DossierRecord } from '../model/record.js';
import { atRest, type FileIdentity, identityOf as identityOfStats, RACY_MS } from '../util/input-trace.js';
import { isListed } from '../util/sorted-strings.js';
import type { Assembly } from './assembly.js';
import type { Discovery } from './discover.js';
import type { FileReadResult } from './read-file.js';

/** A file changed this recently may change again without its identity changing. */
export { RACY_MS };

/** One file's read result and the validation of each of its raw records, in order. */
export interface FileOutcome {
  readonly result: FileReadResult;
  readonly validated: readonly { readonly record?: DossierRecord; readonly findings: readonly Finding[] }[];
  /** Whether a record of the file continues in companion files (src/load/continuations.ts). */
  readonly continued: boolean;
}

/** How the loader asks for and hands back file outcomes (src/load/project.ts). */
export interface FileOutcomeMemo {
  get(rel: string): FileOutcome | undefined;
  set(rel: string, outcome: FileOutcome): void;
  /** Of the files listed (sorted), those whose outcome is not kept: the ones to read. */
  toRead(files: readonly string[]): readonly string[];
  /** In a targeted load, the files named that are listed (sorted); undefined in a full load. */
  editedFiles(files: readonly string[]): readonly string[] | undefined;
  /** The project the last load put together, when it was a plain one (src/load/assembly.ts). */
  assembly(): Assembly | undefined;
  keepAssembly(assembly: Assembly | undefined): void;
  /** Counts files whose kept outcomes a patched assembly stands for (they were not asked one by one). */
  countReused(files: number): void;
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
  /** The files the last load found (with the dossier.yaml text it was found under). */
  #discovery: Discovery | undefined;
  readonly #kept = new Map<string, { identity: Identity; outcome: FileOutcome }>();
  /** What the last load put together (set when it finished), and what the current load may patch. */
  #assembly: Assembly | undefined;
  #patchable: Assembly | undefined;
  /** The identity of each kept file at the start of the current load (undefined: not to be kept). */
  #now = new Map<string, Identity | undefined>();
  /** The files a watcher named, in a targeted load; undefined in a full load. */
  #changed: ReadonlySet<string> | undefined;
  /** When the current load started (the racy window is counted back from it). */
  #loadStart = 0;
  /** Files taken from the memo, and files read, in the last load (for the server's log and tests). */
  reused = 0;
  read = 0;
  /** Whether the last load was a targeted one (only the files a watcher named were stat'ed). */
  targeted = false;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /** The discovery of the last load under this dossier.yaml text, to start a targeted load from. */
  discoveryFor(configText: string): Discovery | undefined {
    return configText === this.#configText ? this.#discovery : undefined;
  }

  /**
   * Starts a load of the discovered files (project-relative) under `root` with this dossier.yaml
   * text: forgets files no longer matched, everything when the configuration changed, and notes
   * the identity now of each file it keeps (a file it does not keep is read, and its reader takes
   * its identity). With `changed`, only those files are stat'ed: every other kept file is taken to
   * be as it was (a targeted load, which a full load must confirm).
   */
  begin(
    root: string,
    configText: string,
    discovery: Discovery,
    changed?: ReadonlySet<string>,
    now = this.#clock(),
  ): void {
    if (configText !== this.#configText) {
      this.#kept.clear();
      this.#assembly = undefined;
      this.#configText = configText;
    }
    this.#discovery = discovery;
    // Only a targeted load patches; a load that does not finish leaves nothing to patch.
    this.#patchable = changed ? this.#assembly : undefined;
    this.#assembly = undefined;
    this.reused = 0;
    this.read = 0;
    this.#now = new Map();
    this.#changed = changed;
    this.targeted = changed !== undefined;
    this.#loadStart = now;
    // The discovered paths are relative and normal: a concatenation, not path.join's normalising
    // (a sixth of the time of 64,000 stats).
    const prefix = path.resolve(root) + path.sep;
    if (changed) {
      for (const rel of changed) {
        if (!this.#kept.has(rel)) continue;
        if (!isListed(discovery.files, rel)) this.#kept.delete(rel);
        else this.#now.set(rel, identityOf(prefix + rel, now));
      }
      return;
    }
    const matched = new Set(discovery.files);
    for (const rel of this.#kept.keys()) if (!matched.has(rel)) this.#kept.delete(rel);
    for (const rel of this.#kept.keys()) this.#now.set(rel, identityOf(prefix + rel, now));
  }

  /** Whether the file's kept outcome holds for it now (without counting it as reused). */
  holds(rel: string): boolean {
    return this.#holding(rel) !== undefined;
  }

  get(rel: string): FileOutcome | undefined {
    const outcome = this.#holding(rel);
    if (outcome) this.reused++;
    return outcome;
  }

  #holding(rel: string): FileOutcome | undefined {
    const kept = this.#kept.get(rel);
    if (kept === undefined) return undefined;
    if (this.#changed && !this.#changed.has(rel)) return kept.outcome;
    const identity = this.#now.get(rel);
    return identity !== undefined && sameIdentity(kept.identity, identity) ? kept.outcome : undefined;
  }

  editedFiles(files: readonly string[]): readonly string[] | undefined {
    if (!this.#changed) return undefined;
    const listed = [...this.#changed].filter((rel) => isListed(files, rel));
    // Every other listed file must be kept (one read too recently, or not read, is read again).
    const notKept = listed.filter((rel) => !this.#kept.has(rel)).length;
    return this.#kept.size + notKept === files.length ? listed.sort() : undefined;
  }

  countReused(files: number): void {
    this.reused += files;
  }

  assembly(): Assembly | undefined {
    return this.#patchable;
  }

  keepAssembly(assembly: Assembly | undefined): void {
    this.#assembly = assembly;
  }

  toRead(files: readonly string[]): readonly string[] {
    if (this.#changed) {
      // Every kept file is listed (begin forgets the others). When the kept ones and the changed
      // ones make up the whole list, only changed files can need reading: no pass over the list.
      const edited = this.editedFiles(files);
      if (edited) return edited.filter((rel) => !this.holds(rel));
    }
    return files.filter((rel) => !this.holds(rel));
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
