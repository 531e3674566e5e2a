/**
 * The project lock (issue 10 §2): every command that writes records holds `.dossier/lock` while it
 * reads the project, plans and writes, so two imports cannot both read the same state and each
 * write over the other's records. The lock file is created exclusively (written in full to a
 * temporary file, then hard-linked into place) and says who holds it. A lock whose process no
 * longer runs on this host, or older than {@link STALE_AFTER_MS}, is taken over with a message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WriteRefusedError } from './write-guard.js';
import { recoverInterruptedWrite } from './write-journal.js';

export const LOCK_FILE = '.dossier/lock';

/** No import runs this long; a lock this old was left by a process that could not remove it. */
export const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

export interface LockHolder {
  readonly owner: string;
  readonly pid: number;
  readonly hostname: string;
  readonly started: string;
}

/** The lock is held by another command that still runs. */
export class ProjectLockedError extends WriteRefusedError {
  constructor(
    message: string,
    /** Who holds it, e.g. "dossier soup import, PID 12 on host, since …", when the lock says. */
    readonly holder: string | undefined,
  ) {
    super(message);
  }
}

export interface ProjectLock {
  release(): void;
}

function readHolder(file: string): { holder?: LockHolder; text: string; mtime: number } | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const mtime = fs.statSync(file).mtimeMs;
    try {
      const value = JSON.parse(text) as Partial<LockHolder>;
      if (
        typeof value.owner === 'string' &&
        typeof value.pid === 'number' &&
        typeof value.hostname === 'string' &&
        typeof value.started === 'string'
      ) {
        return { holder: value as LockHolder, text, mtime };
      }
    } catch {
      // Not a lock Dossier wrote: judged by its age only.
    }
    return { text, mtime };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a lock is stale, or undefined while it may still be held. */
function staleReason(found: { holder?: LockHolder; mtime: number }, now: number): string | undefined {
  const started = found.holder ? Date.parse(found.holder.started) : Number.NaN;
  const since = Number.isNaN(started) ? found.mtime : started;
  if (now - since > STALE_AFTER_MS) return `it is older than ${STALE_AFTER_MS / 3_600_000} hours`;
  if (found.holder && found.holder.hostname === os.hostname() && !processRuns(found.holder.pid))
    return `its process no longer runs`;
  return undefined;
}

const describe = (holder: LockHolder) =>
  `${holder.owner} (PID ${holder.pid} on ${holder.hostname}, since ${holder.started})`;

/**
 * Takes the lock of the project at `root` for `owner` (e.g. "dossier soup import"). Throws
 * {@link WriteRefusedError} naming the holder while another command holds it; `warn` is told when
 * a stale lock is taken over.
 */
export function acquireProjectLock(
  root: string,
  owner: string,
  /** Told when a stale lock is taken over (the CLI prints it; the library never writes to a terminal). */
  warn: (message: string) => void,
): ProjectLock {
  const file = path.join(root, LOCK_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const mine: LockHolder = {
    owner,
    pid: process.pid,
    hostname: os.hostname(),
    started: new Date().toISOString(),
  };
  const text = `${JSON.stringify(mine)}\n`;
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, text, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.linkSync(temp, file);
        let released = false;
        return {
          release() {
            if (released) return;
            released = true;
            // Only our own lock is removed (a lock taken over as stale is someone else's now).
            if (readHolder(file)?.text === text) fs.rmSync(file, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const found = readHolder(file);
      if (!found) continue;
      const stale = staleReason(found, Date.now());
      if (!stale) {
        throw new ProjectLockedError(
          found.holder
            ? `the project is locked by ${describe(found.holder)}; nothing was written. Run again when it has finished (if no such command runs, delete ${LOCK_FILE})`
            : `the project is locked (${LOCK_FILE} exists but does not say by whom); nothing was written. If no Dossier command runs, delete it`,
          found.holder ? describe(found.holder) : undefined,
        );
      }
      // Move the stale lock aside and check it is still the one judged stale before removing it,
      // so two commands taking over at once cannot remove each other's fresh lock.
      const aside = `${file}.stale.${process.pid}`;
      try {
        fs.renameSync(file, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      if (fs.readFileSync(aside, 'utf8') === found.text) {
        fs.rmSync(aside, { force: true });
        warn(
          `removed a stale lock of ${found.holder ? describe(found.holder) : 'an unknown command'}: ${stale}`,
        );
      } else {
        try {
          fs.linkSync(aside, file);
        } catch {
          // Another command took the lock meanwhile; the next attempt reports it.
        }
        fs.rmSync(aside, { force: true });
      }
    }
    throw new WriteRefusedError(
      `could not take the project lock ${LOCK_FILE}; nothing was written. Run again`,
    );
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Runs `job` holding the project lock, and releases it however `job` ends. A write that a killed
 * command left half-done is completed or rolled back first (src/util/write-journal.ts), and `warn`
 * is told which. A folder that is not a project (no dossier.yaml) gets no lock folder: the loader
 * refuses it and nothing is written.
 */
export function withProjectLock<T>(
  root: string,
  owner: string,
  warn: (message: string) => void,
  job: () => T,
): T {
  if (!fs.existsSync(path.join(root, 'dossier.yaml'))) return job();
  const lock = acquireProjectLock(root, owner, warn);
  try {
    recoverInterruptedWrite(root, warn);
    return job();
  } finally {
    lock.release();
  }
}

/** {@link withProjectLock} for a job that awaits (readers of zipped or streamed sources). */
export async function withProjectLockAsync<T>(
  root: string,
  owner: string,
  warn: (message: string) => void,
  job: () => Promise<T>,
): Promise<T> {
  if (!fs.existsSync(path.join(root, 'dossier.yaml'))) return job();
  const lock = acquireProjectLock(root, owner, warn);
  try {
    recoverInterruptedWrite(root, warn);
    return await job();
  } finally {
    lock.release();
  }
}
