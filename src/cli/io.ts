import path from 'node:path';
import { configDiagnostics } from '../analyze.js';
import { incompleteBanner, markJsonIncomplete, refusal } from '../diagnostics/format-incomplete.js';
import { formatText } from '../diagnostics/format-text.js';
import type { FileMemo } from '../load/file-memo.js';
import { cacheDisabledByEnv } from '../load/parse-cache.js';
import { type LoadResult, loadProject, type Project } from '../load/project.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { terminalSafe } from '../util/terminal-text.js';
import { EXIT } from './exit-codes.js';
import { writeErr, writeOut, writeProgress } from './terminal.js';

export { EXIT };

/** A failure the user can fix: printed as one line with what to do, never as a stack trace. */
export class UsageError extends Error {}

export const useColor = (stream: NodeJS.WriteStream) => stream.isTTY === true && !process.env.NO_COLOR;

/** The project root as the user should see it in paths: relative to the working directory. */
export function displayRoot(dir: string): string {
  const rel = path.relative(process.cwd(), path.resolve(dir));
  return rel === '' ? '.' : rel;
}

/**
 * What a command does when record files did not load (the project is incomplete); every command
 * chooses. `report`: run anyway, print the INCOMPLETE banner on standard error (machine-readable
 * standard output stays valid) and exit non-zero (`exitFor`). `{ refuse }`: commands that write
 * artefacts, verdicts or records print what did not load and stop with exit 2, writing nothing.
 */
export type IncompletePolicy = 'report' | { readonly refuse: string };

/**
 * Loads a project with a progress line on an interactive terminal; prints config problems, and
 * applies the command's policy for files that did not load.
 */
export function loadOrReport(
  dir: string,
  incomplete: IncompletePolicy,
  options: {
    readonly parseCache?: boolean;
    readonly fileMemo?: FileMemo;
    readonly changedFiles?: readonly string[];
  } = {},
): { project?: Project; exitCode?: number } {
  const progress = process.stderr.isTTY
    ? (done: number, total: number) => {
        if (total < 2000) return;
        writeProgress(
          `reading records: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} files`,
        );
        if (done === total) writeProgress();
      }
    : undefined;
  const result: LoadResult = loadProject(dir, {
    ...(progress ? { onProgress: progress } : {}),
    onNotice: (message) => writeErr(`warning: ${message}\n`),
    ...(options.parseCache ? { parseCache: true } : {}),
    ...(options.fileMemo ? { fileMemo: options.fileMemo } : {}),
    ...(options.changedFiles ? { changedFiles: options.changedFiles } : {}),
  });
  if (result.ok) {
    const project = result.project;
    if (project.unloaded.length === 0) return { project };
    if (incomplete === 'report') {
      writeErr(incompleteBanner(project.unloaded, displayRoot(dir)));
      return { project };
    }
    writeErr(refusal(incomplete.refuse, project.unloaded, displayRoot(dir)));
    return { exitCode: EXIT.usage };
  }
  return { exitCode: reportConfigProblems(result.findings, result.sources, dir) };
}

/**
 * Whether a command that offers `--no-cache` uses the parse cache (src/load/parse-cache.ts): unless
 * `--no-cache` (commander's `cache: false`) or DOSSIER_NO_CACHE.
 */
export function parseCacheWanted(options: { readonly cache?: boolean }): boolean {
  return options.cache !== false && !cacheDisabledByEnv();
}

/**
 * Prints why a project's configuration could not be read (the working tree's, or a revision's) on
 * standard error, and returns the exit code for it.
 */
export function reportConfigProblems(
  findings: Parameters<typeof configDiagnostics>[0],
  sources: Parameters<typeof configDiagnostics>[1],
  dir: string,
): number {
  const diagnostics = configDiagnostics(findings, sources);
  const color = useColor(process.stderr);
  writeErr(
    formatText(
      {
        diagnostics,
        displayRoot: displayRoot(dir),
        summary: { files: 0, records: 0, errors: diagnostics.length, warnings: 0, infos: 0 },
      },
      { color },
    ),
    { keepStyles: color },
  );
  return EXIT.usage;
}

/** The exit code of a command that ran on a project: never 0 while record files did not load. */
export function exitFor(project: Project, code: number): number {
  return project.unloaded.length > 0 && code === EXIT.ok ? EXIT.findings : code;
}

/**
 * Formats written for a person. On standard output their control characters are shown as escapes
 * (`writeOut`); written with `--out`, only `text` is (a text report is read with `cat`, so it gets
 * the terminal's protection), while Markdown and CSV files keep the exact record text. JSON, SARIF,
 * SBOMs and SVG are never altered.
 */
const READABLE_FORMATS: ReadonlySet<string> = new Set(['text', 'markdown', 'csv']);

/**
 * Writes command output to `--out` (atomically) or standard output. `keepStyles`: the text carries
 * Dossier's own colour sequences (only when it goes to a colour terminal).
 */
export function emit(
  text: string,
  target: { out?: string | undefined; format: string; keepStyles?: boolean },
): void {
  const { out, format } = target;
  if (out) writeFileAtomic(path.resolve(out), format === 'text' ? terminalSafe(text) : text);
  else writeOut(text, { exact: !READABLE_FORMATS.has(format), keepStyles: target.keepStyles === true });
}

/** Like `emit`, for a report about a project: as JSON, an incomplete project says so as data. */
export function emitReport(
  text: string,
  report: { readonly format: string; readonly project: Project; readonly dir: string; readonly out?: string },
): void {
  const { format, project, dir, out } = report;
  const incomplete = format === 'json' && project.unloaded.length > 0;
  emit(incomplete ? markJsonIncomplete(text, project.unloaded, displayRoot(dir)) : text, { out, format });
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** Says that a stale project lock was taken over (src/util/project-lock.ts). */
export function warnLock(message: string): void {
  writeErr(`warning: ${message}\n`);
}
