/**
 * Creates several new files as one: all of them, or none. Used where one import writes a record and
 * its companion files (src/model/continuation.ts).
 *
 * The files go through the write journal (src/util/write-journal.ts): never over an existing file
 * (a target that appears meanwhile makes the whole write refused, nothing created), and a command
 * killed half-way is completed or undone by the next one. The caller holds the project lock.
 */
import fs from 'node:fs';
import { ChangedOnDiskError } from './write-guard.js';
import { writeFilesAtomically } from './write-journal.js';

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
  options: { readonly root: string; readonly owner: string },
): NewFilesResult {
  for (const { file } of files) if (fs.existsSync(file)) return { ok: false, existing: file };
  try {
    writeFilesAtomically(
      options.root,
      options.owner,
      files.map(({ file, content }) => ({ path: file, content, unchangedSince: null })),
    );
  } catch (error) {
    if (error instanceof ChangedOnDiskError) return { ok: false, existing: error.file };
    throw error;
  }
  return { ok: true };
}
