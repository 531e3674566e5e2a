/**
 * A test-only hook that holds a writer between its last check of a file and the rename, so tests
 * can provoke the races of issue 10 §2 deterministically with real processes. When the
 * environment variable `DOSSIER_TEST_WRITE_PAUSE` names a folder, the writer creates
 * `<folder>/reached` and waits until `<folder>/go` exists (at most a minute). Unset, it does nothing.
 * `DOSSIER_TEST_WRITE_PAUSE_AT=n` pauses at the n-th pause point instead of the first (a multi-file
 * write passes one after writing its temporary files and one before each rename).
 */
import fs from 'node:fs';
import path from 'node:path';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

let passed = 0;

export function pauseForTests(): void {
  const folder = process.env.DOSSIER_TEST_WRITE_PAUSE;
  if (!folder) return;
  passed++;
  if (passed !== Number(process.env.DOSSIER_TEST_WRITE_PAUSE_AT ?? '1')) return;
  const go = path.join(folder, 'go');
  if (fs.existsSync(go)) return;
  fs.writeFileSync(path.join(folder, 'reached'), String(process.pid));
  for (let waited = 0; waited < 60_000 && !fs.existsSync(go); waited += 20) Atomics.wait(sleeper, 0, 0, 20);
}
