/**
 * Before reading a project, the loader makes sure no write is half-done (issue 10 §2): a journal
 * left by a killed command is completed or rolled back under the project lock, so every command,
 * including the read-only ones, sees either all of an import or none of it.
 */
import type { Finding } from '../diagnostics/diagnostic.js';
import { noteUncacheable } from '../util/input-trace.js';
import { ProjectLockedError, withProjectLock } from '../util/project-lock.js';
import { WriteRefusedError } from '../util/write-guard.js';
import { hasPendingWrite, JOURNAL_FILE } from '../util/write-journal.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** How long a reader waits for a running command to finish its write before it gives up. */
const WAIT_MS = 5_000;

/**
 * Completes or undoes an interrupted write, telling `notice` which. Returns a finding, instead of
 * loading a half-written project, when the write cannot be settled (its command still runs past
 * the wait, or the journal is damaged).
 */
export function settleInterruptedWrite(root: string, notice: (message: string) => void): Finding | undefined {
  let last: WriteRefusedError | undefined;
  for (let waited = 0; hasPendingWrite(root); waited += 50) {
    noteUncacheable('an interrupted write was found');
    try {
      withProjectLock(root, 'dossier (completing an interrupted write)', notice, () => {});
      return undefined;
    } catch (error) {
      if (!(error instanceof WriteRefusedError)) throw error;
      last = error;
    }
    if (waited >= WAIT_MS || !(last instanceof ProjectLockedError)) break;
    Atomics.wait(sleeper, 0, 0, 50);
  }
  if (!last || !hasPendingWrite(root)) return undefined;
  if (last instanceof ProjectLockedError) {
    return {
      code: 'load/write-pending',
      message: `${last.holder ?? 'another Dossier command'} is writing this project; it was not read, so that no verdict is given on half-written records`,
      at: { file: JOURNAL_FILE },
      hint: 'run again when that command has finished',
    };
  }
  return { code: 'load/write-pending', message: last.message, at: { file: JOURNAL_FILE } };
}
