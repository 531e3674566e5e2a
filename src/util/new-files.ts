/**
 * Creates several new files as one: all of them, or none. Used where one import writes a record and
 * its companion files (src/model/continuation.ts), and by `dossier init`.
 *
 * Each file is created atomically and exclusively (createFileExclusive: never over an existing
 * file). Every target is checked before the first is created; if one appears meanwhile (another
 * process), the files this call created are removed again, so nothing is left half-done. A crash
 * between two creations can still leave the first ones: the multi-file write journal
 * (src/util/write-journal.ts) is to take over here.
 */
import fs from 'node:fs';
import { createFileExclusive } from './atomic-write.js';
import { insideProject } from './write-guard.js';

export interface NewFile {
  /** Absolute path. */
  readonly file: string;
  readonly content: string;
}

export type NewFilesResult =
  | { readonly ok: true }
  /** Nothing was written: `existing` is a target that already exists. */
  | { readonly ok: false; readonly existing: string };

export function createFilesExclusive(
  files: readonly NewFile[],
  options: { root?: string } = {},
): NewFilesResult {
  for (const { file } of files) {
    if (options.root !== undefined) insideProject(options.root, file);
    if (fs.existsSync(file)) return { ok: false, existing: file };
  }
  const created: string[] = [];
  try {
    for (const { file, content } of files) {
      if (!createFileExclusive(file, content, options)) {
        removeAll(created);
        return { ok: false, existing: file };
      }
      created.push(file);
    }
  } catch (error) {
    removeAll(created);
    throw error;
  }
  return { ok: true };
}

/** Only files this call created, in reverse order. */
function removeAll(created: readonly string[]): void {
  for (const file of [...created].reverse()) fs.rmSync(file, { force: true });
}
