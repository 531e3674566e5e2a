/**
 * What a computation read from the file system, so that its result can be reused while all of it
 * is unchanged (src/load/result-cache.ts), the way a build system reuses a step whose inputs did not
 * change. A result is reused only when every observation the computation made gives the same answer
 * again; everything that is not seen or not sure makes the run "not reusable", never reusable by
 * default (fail closed):
 *
 * - While {@link traceInputs} runs, the path-taking reads of `node:fs` (`readFileSync`, `openSync`
 *   for reading, `statSync`, `lstatSync`, `existsSync`, `accessSync`, `readdirSync`, `opendirSync`,
 *   `realpathSync`, `readlinkSync`, `createReadStream`) note what the path holds *before* the call:
 *   a file by its identity (size, modification and change times, inode, device), a folder by its
 *   sorted entries, a link by its target, a missing path as missing. Taking the identity first
 *   means a write during the read changes it, so the next run does not match.
 * - The asynchronous reads (`fs.readFile`, `fs.promises.*`, ...) are not traced: calling one makes
 *   the run not reusable. So does a file changed less than {@link RACY_MS} before the run started
 *   (a second write within the file system's timestamp granularity could leave its identity
 *   unchanged, as git's "racily clean" index entries) and any error other than "not there".
 * - Reads elsewhere are declared where they happen: files a worker thread reads
 *   ({@link noteInputFiles}), an SQLite database's write-ahead log, and anything that cannot be
 *   traced at all, such as running git ({@link noteUncacheable}).
 *
 * All of Dossier's modules import `node:fs` as its default object (a test holds them to it); the
 * named exports are synchronised too (`syncBuiltinESMExports`).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file changed this recently may change again without its identity changing. */
export const RACY_MS = 2000;

/** How an observation looks at its path: stat (follows links), lstat, folder listing, real path. */
type Kind = 's' | 'l' | 'd' | 'r';

/** The functions as they were before any tracing: the observer's own reads use these. */
const original = {
  readFileSync: fs.readFileSync,
  openSync: fs.openSync,
  statSync: fs.statSync,
  lstatSync: fs.lstatSync,
  existsSync: fs.existsSync,
  accessSync: fs.accessSync,
  readdirSync: fs.readdirSync,
  opendirSync: fs.opendirSync,
  realpathSync: fs.realpathSync,
  readlinkSync: fs.readlinkSync,
  createReadStream: fs.createReadStream,
};

/** Reads that take a path first, and how each observes it. */
const TRACED: readonly (readonly [keyof typeof original, Kind])[] = [
  ['readFileSync', 's'],
  ['openSync', 's'],
  ['statSync', 's'],
  ['existsSync', 's'],
  ['accessSync', 's'],
  ['createReadStream', 's'],
  ['lstatSync', 'l'],
  ['readlinkSync', 'l'],
  ['readdirSync', 'd'],
  ['opendirSync', 'd'],
  ['realpathSync', 'r'],
];

/** Asynchronous reads: not traced, so a run that uses one is not reusable. */
const UNTRACED_ASYNC = [
  'readFile',
  'open',
  'stat',
  'lstat',
  'access',
  'readdir',
  'opendir',
  'realpath',
  'readlink',
  'exists',
] as const;
/** The same reads in `fs.promises` (which has no `exists`). */
const UNTRACED_PROMISES = UNTRACED_ASYNC.filter((name) => name !== 'exists');

interface ErrnoLike {
  readonly code?: unknown;
}
const errorCode = (error: unknown): string => String((error as ErrnoLike)?.code ?? 'error');

/** What tells a file from another, or from itself after a write (git's index keeps the same). */
export interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly dev: number;
}

/** The identity in stat results (a file's, not a folder's). */
export const identityOf = (s: FileIdentity): FileIdentity => ({
  size: s.size,
  mtimeMs: s.mtimeMs,
  ctimeMs: s.ctimeMs,
  ino: s.ino,
  dev: s.dev,
});

/** Whether a file of these times is outside the racy window at `now`: changed RACY_MS or more before it. */
export const atRest = (times: Pick<FileIdentity, 'mtimeMs' | 'ctimeMs'>, now: number): boolean =>
  now - Math.max(times.mtimeMs, times.ctimeMs) >= RACY_MS;

const fileState = (s: FileIdentity): string => `f:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}:${s.dev}`;

/** An error's state: `x` for a path that is not there (one of `missing`), else `e:` and its code. */
function errorState(error: unknown, missing: readonly string[]): string {
  const code = errorCode(error);
  return missing.includes(code) ? 'x' : `e:${code}`;
}

/** A path's state by stat (`follow`: through links) or lstat (a link's state is its target). */
function statState(p: string, follow = true): string {
  try {
    const s = (follow ? original.statSync : original.lstatSync)(p, { throwIfNoEntry: false });
    if (!s) return 'x';
    if (s.isSymbolicLink()) return `l:${original.readlinkSync(p, 'utf8')}`;
    return s.isFile() ? fileState(s) : s.isDirectory() ? 'd' : 'o';
  } catch (error) {
    return errorState(error, ['ENOTDIR']);
  }
}

const lstatState = (p: string): string => statState(p, false);

function listState(p: string): string {
  try {
    const entries = original
      .readdirSync(p, { withFileTypes: true })
      .map((e) => `${e.name}\t${e.isFile() ? 'f' : e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : 'o'}`)
      .sort();
    return `h:${createHash('sha256').update(entries.join('\n')).digest('hex')}`;
  } catch (error) {
    return errorState(error, ['ENOENT', 'ENOTDIR']);
  }
}

function realState(p: string): string {
  try {
    return `p:${original.realpathSync(p)}`;
  } catch (error) {
    return errorState(error, ['ENOENT', 'ENOTDIR']);
  }
}

const STATE_OF: Record<Kind, (p: string) => string> = {
  s: statState,
  l: lstatState,
  d: listState,
  r: realState,
};

/** What an observation (kind and absolute path, as {@link InputTrace.inputs} lists them) gives now. */
export function stateNow(observation: string): string {
  return STATE_OF[observation[0] as Kind](observation.slice(1));
}

/** Whether every observation gives the state it gave when it was recorded. */
export function inputsUnchanged(observations: readonly string[], states: readonly string[]): boolean {
  if (observations.length !== states.length) return false;
  for (let i = 0; i < observations.length; i++) if (stateNow(observations[i]!) !== states[i]) return false;
  return true;
}

/** The observations of one traced run. */
export class InputTrace {
  /** When the run started (milliseconds): files changed after RACY_MS before it make it not reusable. */
  readonly #start: number;
  readonly #seen = new Map<string, string>();
  #why: string | undefined;

  constructor(start: number) {
    this.#start = start;
  }

  /** Why the run's result may not be reused; undefined when it may. */
  get notReusable(): string | undefined {
    return this.#why;
  }

  /** Notes that the run's result must not be reused (the first reason is kept). */
  refuse(why: string): void {
    this.#why ??= why;
  }

  /** Notes what `p` holds now, unless this run already looked at it the same way. */
  observe(kind: Kind, p: string): void {
    const key = kind + p;
    if (this.#seen.has(key)) return;
    const state = STATE_OF[kind](p);
    this.#seen.set(key, state);
    if (state.startsWith('e:')) this.refuse(`${p} could not be read (${state.slice(2)})`);
    else if (state.startsWith('f:')) {
      const [, , mtime, ctime] = state.split(':');
      this.#racy(p, Number(mtime), Number(ctime));
    }
  }

  /** Notes the identity of file `p` as its reader saw it, opened and before reading it. */
  observeFile(p: string, identity: FileIdentity): void {
    const key = `s${p}`;
    if (this.#seen.has(key)) return;
    this.#seen.set(key, fileState(identity));
    this.#racy(p, identity.mtimeMs, identity.ctimeMs);
  }

  #racy(p: string, mtimeMs: number, ctimeMs: number): void {
    if (!atRest({ mtimeMs, ctimeMs }, this.#start))
      this.refuse(`${p} changed less than ${RACY_MS / 1000} s before the run`);
  }

  /** The observations (kind letter and absolute path) and the state each gave, in the same order. */
  inputs(): { observations: string[]; states: string[] } {
    return { observations: [...this.#seen.keys()], states: [...this.#seen.values()] };
  }
}

let active: InputTrace | undefined;
/** Depth of {@link untraced} calls: reads there are not inputs. */
let paused = 0;

const current = (): InputTrace | undefined => (paused === 0 ? active : undefined);

function pathOf(p: unknown): string | undefined {
  if (typeof p === 'string') return path.isAbsolute(p) ? p : path.resolve(p);
  if (Buffer.isBuffer(p)) return path.resolve(p.toString('utf8'));
  if (p instanceof URL) return p.protocol === 'file:' ? fileURLToPath(p) : undefined;
  return undefined; // a file descriptor: its open was traced
}

/** Whether `openSync`'s flags open for reading only. */
function readOnly(flags: unknown): boolean {
  if (flags === undefined || flags === null) return true;
  if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) === 0;
  return typeof flags === 'string' && !/[wa+]/.test(flags);
}

function wrap(name: keyof typeof original, kind: Kind): (...args: unknown[]) => unknown {
  const fn = original[name] as (...args: unknown[]) => unknown;
  return function traced(this: unknown, ...args: unknown[]): unknown {
    const trace = current();
    if (trace && (name !== 'openSync' || readOnly(args[1]))) {
      const p = pathOf(args[0]);
      if (p !== undefined) trace.observe(kind, p);
      else if (typeof args[0] !== 'number') trace.refuse(`fs.${name} of a path that is not a file path`);
    }
    return fn.apply(this, args);
  };
}

function refusing(name: string, fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function untracedAsync(this: unknown, ...args: unknown[]): unknown {
    current()?.refuse(`fs.${name} is not traced`);
    return fn.apply(this, args);
  };
}

/** Replaces the reads by traced ones; returns what puts them back. */
function install(): () => void {
  const target = fs as unknown as Record<string, unknown>;
  const promises = fs.promises as unknown as Record<string, unknown>;
  const saved: [Record<string, unknown>, string, unknown][] = [];
  const put = (obj: Record<string, unknown>, name: string, value: unknown) => {
    saved.push([obj, name, obj[name]]);
    obj[name] = value;
  };
  for (const [name, kind] of TRACED) {
    const traced = wrap(name, kind);
    if (name === 'realpathSync') {
      (traced as unknown as { native: unknown }).native = wrap('realpathSync', 'r');
    }
    put(target, name, traced);
  }
  for (const name of UNTRACED_ASYNC)
    put(target, name, refusing(name, target[name] as (...args: unknown[]) => unknown));
  for (const name of UNTRACED_PROMISES)
    put(promises, name, refusing(`promises.${name}`, promises[name] as (...args: unknown[]) => unknown));
  syncBuiltinESMExports();
  return () => {
    for (const [obj, name, value] of saved.reverse()) obj[name] = value;
    syncBuiltinESMExports();
  };
}

/**
 * Runs `run` and notes what it read. One trace at a time (a nested call is a programming error);
 * the reads are put back however `run` ends.
 */
export function traceInputs<T>(run: () => T, start: number = Date.now()): { value: T; trace: InputTrace } {
  if (active) throw new Error('traceInputs: a trace is already running');
  const trace = new InputTrace(start);
  const restore = install();
  active = trace;
  try {
    return { value: run(), trace };
  } finally {
    active = undefined;
    restore();
  }
}

/** Runs `fn` without noting its reads (a cache's own files: they only save time). */
export function untraced<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

/** Whether a trace is running (so that declaring inputs is worth its cost). */
export const tracing = (): boolean => current() !== undefined;

/** Declares files read where the trace does not see it (a worker thread, SQLite). */
export function noteInputFiles(files: Iterable<string>): void {
  const trace = current();
  if (!trace) return;
  for (const file of files) trace.observe('s', file);
}

/**
 * Declares the identity of a file read where the trace does not see it (a worker thread), or read
 * untraced because the reader took its identity itself (from the open file, before reading it).
 */
export function noteFileRead(file: string, identity: FileIdentity): void {
  current()?.observeFile(file, identity);
}

/** Declares that the running computation read something that cannot be traced (git). */
export function noteUncacheable(why: string): void {
  current()?.refuse(why);
}
