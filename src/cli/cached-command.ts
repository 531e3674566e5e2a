/**
 * Runs a command that prints one report through the result cache (src/load/result-cache.ts): the
 * kept report when nothing it was computed from changed, else the command, traced, and its report
 * kept for next time. With DOSSIER_DEBUG set, says on standard error when a report was reused, and
 * why one was not kept.
 */
import path from 'node:path';
import { type CommandResult, keepResult, recallResult, resultVariant } from '../load/result-cache.js';
import { traceInputs } from '../util/input-trace.js';
import { writeErr } from './terminal.js';

export interface CachedCommand {
  /** The command's name and every option that shapes its report or exit code. */
  readonly command: string;
  readonly options: Record<string, unknown>;
  /** The project folder as given. */
  readonly dir: string;
  /** false with `--no-cache` or DOSSIER_NO_CACHE. */
  readonly enabled: boolean;
  /** Runs the command: its report and exit code, or an exit code alone when it has no report to keep. */
  readonly compute: () => CommandResult | number;
  /** Prints a report (computed or kept) and returns its exit code. */
  readonly show: (result: CommandResult) => number;
}

export function runCached(c: CachedCommand): number {
  if (!c.enabled) {
    const result = c.compute();
    return typeof result === 'number' ? result : c.show(result);
  }
  const root = path.resolve(c.dir);
  const variant = resultVariant(c.command, { dir: c.dir, ...c.options });
  const kept = variant === undefined ? undefined : recallResult(root, variant);
  if (kept) {
    if (process.env.DOSSIER_DEBUG)
      writeErr('dossier: result cache: report reused, nothing it was computed from changed\n');
    return c.show(kept);
  }
  const { value, trace } = traceInputs(c.compute);
  if (typeof value === 'number') return value;
  const code = c.show(value);
  if (variant !== undefined) {
    const notKept = keepResult(root, variant, trace, value);
    if (notKept && process.env.DOSSIER_DEBUG)
      writeErr(`dossier: result cache: report not kept: ${notKept}\n`);
  }
  return code;
}
