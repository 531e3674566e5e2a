/**
 * V8's code cache for the command's own code (the chunks of dist/cli/, compiled as CommonJS for
 * this; rolldown.config.mjs).
 *
 * Why: every run of `dossier` compiles the code it runs: the chunks' top level when they load, each
 * function the first time it is called. For `check` that is about 0.15 s of a 0.6 s run on 1,000
 * records, the same every time. V8 can hand out what it compiled (`script.createCachedData()` after
 * the run, which then includes the functions the run called) and take it back on the next run, as
 * Node 22's module compile cache does; Node 20 has that only for scripts, hence CommonJS chunks
 * compiled here through `vm.Script`.
 *
 * What keeps it safe:
 * - An entry is found by a hash of the chunk's exact text, the Node version, the platform and the
 *   Node and V8 flags (of the command line and NODE_OPTIONS), never by the file's name, size or time: V8 itself checks only the source length, so a
 *   rebuilt chunk of the same length must not find the old code.
 * - Each entry file carries a SHA-256 of its payload, checked before V8 sees it: a file damaged on
 *   disk reads as none. Entries are written to a temporary file renamed over (concurrent runs see a
 *   whole entry or none), only into a folder that belongs to this user and that no one else can
 *   write (compiled code runs as this user).
 * - It can only save time: anything that fails (no home folder, a read-only disk, an entry V8
 *   rejects) compiles as usual. `DOSSIER_CODE_CACHE=off` turns it off; `DOSSIER_CODE_CACHE=<folder>`
 *   puts it elsewhere (docs/config.md).
 *
 * It holds the command's code only, nothing of a project: it is not a project cache, and neither
 * `--no-cache` nor `DOSSIER_NO_CACHE` is about it.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { isUsersOwn, userCacheDir } from '../util/user-cache-dir.js';

/**
 * The file functions as they are when the command starts: while a run that may be kept executes,
 * src/util/input-trace.ts replaces those of `node:fs` to note what the run read. The cache's own
 * files are never inputs of a result (a chunk loaded during a run must not make it depend on whether
 * its entry existed yet).
 */
const {
  readFileSync,
  writeFileSync,
  renameSync,
  rmSync,
  readdirSync,
  statSync,
  mkdirSync,
  lstatSync,
  openSync,
  fstatSync,
  closeSync,
} = fs;

/** What the cache did in this run (tests read it). */
export interface CodeCacheStats {
  /** Chunks compiled from a cache entry V8 took. */
  used: number;
  /** Chunks compiled from their text (no entry, a damaged one, or one V8 rejected). */
  readonly compiled: number;
  /** Entries written when the run ended. */
  written: number;
}

/** Entries kept in the folder: old builds' entries go once there are more (about 30 chunks a build). */
export const MAX_ENTRIES = 120;
const SUM_BYTES = 32;

type Compile = (this: NodeModule, content: string, filename: string) => unknown;
interface ModuleInternals {
  prototype: { _compile: Compile };
}

/** The folder for this Node and platform, or undefined when the cache is off. */
export function codeCacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.DOSSIER_CODE_CACHE?.trim();
  if (setting !== undefined && /^(?:off|0|false|no)$/i.test(setting)) return undefined;
  try {
    const base = setting && path.isAbsolute(setting) ? setting : path.join(userCacheDir(env), 'code');
    return path.join(base, `node-${process.version}-${process.platform}-${process.arch}`);
  } catch {
    return undefined;
  }
}

/**
 * Compiles the CommonJS files of `codeDir` (the chunks beside the entry) with their cached code from
 * now on, and writes entries for those that had none when the process exits.
 */
export function installCodeCache(codeDir: string, env: NodeJS.ProcessEnv = process.env): CodeCacheStats {
  const folder = codeCacheFolder(env);
  if (!folder || !privateFolder(folder)) return { used: 0, compiled: 0, written: 0 };
  // V8 refuses code compiled under other flags: they name the entry, so each setting keeps its own.
  const flags = [...process.execArgv, env.NODE_OPTIONS ?? ''].join('\u0000');
  const internals = Module as unknown as ModuleInternals;
  const original = internals.prototype._compile;
  /** The chunks compiled from their text: their entries are written at exit. */
  const toWrite: { script: vm.Script; file: string }[] = [];
  const stats = {
    used: 0,
    written: 0,
    get compiled() {
      return toWrite.length;
    },
  };

  internals.prototype._compile = function compileWithCache(
    this: NodeModule,
    content: string,
    filename: string,
  ) {
    if (path.dirname(filename) !== codeDir || !filename.endsWith('.cjs')) {
      return original.call(this, content, filename);
    }
    const key = createHash('sha256').update(flags).update('\u0000').update(content).digest('hex');
    const file = path.join(folder, `${key}.bin`);
    const cachedData = readEntry(file);
    const script = new vm.Script(Module.wrap(content.replace(/^#!.*/, '')), {
      filename,
      ...(cachedData ? { cachedData } : {}),
    });
    if (cachedData && !script.cachedDataRejected) stats.used++;
    else toWrite.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    // Node's own `require` for the file: its resolution and its module cache.
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    if (toWrite.length === 0) return;
    for (const { script, file } of toWrite) if (writeEntry(file, script.createCachedData())) stats.written++;
    pruneOldEntries(folder);
  });
  return stats;
}

/** The folder, made for this user when missing; false when others could write into it. */
function privateFolder(folder: string): boolean {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = lstatSync(folder);
    return stat.isDirectory() && isUsersOwn(stat);
  } catch {
    return false;
  }
}

/** An entry's payload when its checksum holds, else undefined. */
function readEntry(file: string): Buffer | undefined {
  let data: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    // Written by this user and by no one else: the folder was checked, the file is too (a folder
    // swapped after the check holds another owner's files).
    const stat = fstatSync(fd);
    if (!stat.isFile() || !isUsersOwn(stat)) return undefined;
    data = readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (data.length <= SUM_BYTES) return undefined;
  const payload = data.subarray(SUM_BYTES);
  const sum = createHash('sha256').update(payload).digest();
  return sum.equals(data.subarray(0, SUM_BYTES)) ? payload : undefined;
}

function writeEntry(file: string, payload: Buffer): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const sum = createHash('sha256').update(payload).digest();
    writeFileSync(temp, Buffer.concat([sum, payload]), { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}

/** Removes the least recently written entries beyond {@link MAX_ENTRIES}. */
function pruneOldEntries(folder: string): void {
  try {
    const entries = readdirSync(folder)
      .filter((name) => name.endsWith('.bin'))
      .map((name) => ({ file: path.join(folder, name), time: statSync(path.join(folder, name)).mtimeMs }));
    if (entries.length <= MAX_ENTRIES) return;
    entries.sort((a, b) => b.time - a.time);
    for (const { file } of entries.slice(MAX_ENTRIES)) rmSync(file, { force: true });
  } catch {
    // Pruning is housekeeping: a folder that cannot be listed keeps its entries.
  }
}
