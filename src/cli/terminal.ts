/**
 * The only place the CLI writes to standard output and standard error (a test keeps it so). Text for
 * a person passes through `terminalSafe`, so no command can print a record's control characters raw;
 * machine formats (JSON, SARIF, SBOMs, SVG) are written exactly, byte for byte.
 */
import { terminalSafe } from '../util/terminal-text.js';

export interface WriteOptions {
  /** A machine-readable format: written exactly as given, never altered. */
  readonly exact?: boolean;
  /** The text carries Dossier's own colour sequences (colour is on): they pass, nothing else does. */
  readonly keepStyles?: boolean;
}

function safe(text: string, options: WriteOptions): string {
  return options.exact ? text : terminalSafe(text, { keepStyles: options.keepStyles === true });
}

/** Writes to standard output; text for a person has its control characters shown as escapes. */
export function writeOut(text: string, options: WriteOptions = {}): void {
  process.stdout.write(safe(text, options));
}

/** Writes to standard error; control characters shown as escapes. */
export function writeErr(text: string, options: WriteOptions = {}): void {
  process.stderr.write(safe(text, options));
}

/**
 * A progress line on an interactive standard error: returns to the start of the line and erases it
 * (Dossier's own control sequence) before the escaped text; with no text, only erases it.
 */
export function writeProgress(text = ''): void {
  process.stderr.write(`\r\x1b[K${terminalSafe(text)}`);
}
