import { refusal } from '../diagnostics/format-incomplete.js';
import { PdfRenderError } from '../docs/render-pdf.js';
import { TemplateError } from '../docs/templates.js';
import { ImportError } from '../interop/model.js';
import { LoadIncompleteError } from '../load/unloaded.js';
import { RulesetError } from '../rules/ruleset.js';
import { AdvisoryImportError } from '../soup/advisories/import.js';
import { AdvisoryStoreError } from '../soup/advisories/store.js';
import { BuildDateError } from '../util/build-date.js';
import { ClockError } from '../util/clock.js';
import { WriteRefusedError } from '../util/write-guard.js';
import { EXIT } from './exit-codes.js';
import { displayRoot, UsageError } from './io.js';
import { writeErr } from './terminal.js';

// Loaded only when a command fails (src/cli/main.ts): it names the error classes of every command.

/** Turns any error that reached the top into one line and an exit code: 2 for what the user can fix, 3 otherwise. */
export function reportFailure(error: unknown): number {
  if (error instanceof LoadIncompleteError) {
    writeErr(refusal(error.action, error.unloaded, displayRoot(error.root)));
    return EXIT.usage;
  }
  if (
    error instanceof UsageError ||
    error instanceof BuildDateError ||
    error instanceof AdvisoryStoreError ||
    error instanceof AdvisoryImportError ||
    error instanceof ClockError ||
    error instanceof WriteRefusedError ||
    error instanceof TemplateError ||
    error instanceof PdfRenderError ||
    error instanceof ImportError ||
    error instanceof RulesetError
  ) {
    const at =
      error instanceof ImportError && error.location
        ? `${error.location.file}${error.location.line ? `:${error.location.line}` : ''}: `
        : '';
    writeErr(`dossier: ${at}${error.message}\n`);
    return EXIT.usage;
  }
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' || e?.code === 'ENOSPC' || e?.code === 'EROFS' || e?.code === 'EPERM') {
    writeErr(`dossier: cannot write: ${e.message}\n`);
    return EXIT.usage;
  }
  writeErr(
    `dossier: internal error: ${e?.message ?? String(error)}\nPlease report this with the command you ran${process.env.DOSSIER_DEBUG ? '' : ' (set DOSSIER_DEBUG=1 for details)'}.\n`,
  );
  if (process.env.DOSSIER_DEBUG) writeErr(`${e?.stack ?? ''}\n`);
  return EXIT.internal;
}
