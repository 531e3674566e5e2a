import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Keeps the peak memory of long runs that make many large, short-lived documents close to what is
 * live. V8 lets garbage grow to about twice the live heap before it collects; on a 100,000-record
 * project the live analysis is about 400 MB, so rendering fifty documents one after another peaked
 * near 900 MB although each was let go once written. Collecting when the heap has grown by a
 * budget since the last collection keeps the peak near the live heap plus one document.
 *
 * `gc` is reached the way jest's leak detector reaches it (`--expose-gc` set at run time, the
 * function taken from a fresh context); where that fails nothing is collected by hand and only the
 * peak is higher.
 */
let collect: (() => void) | undefined | null = null;

function collector(): (() => void) | undefined {
  if (collect === null) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = undefined;
    }
  }
  return collect;
}

const BUDGET_BYTES = 96 * 1024 * 1024;
let heapAfterLastCollection = 0;

/** Collects garbage when the heap has grown by more than the budget since the last collection. */
export function releaseGarbage(): void {
  const used = process.memoryUsage().heapUsed;
  if (used - heapAfterLastCollection < BUDGET_BYTES) return;
  const gc = collector();
  if (!gc) return;
  gc();
  heapAfterLastCollection = process.memoryUsage().heapUsed;
}
