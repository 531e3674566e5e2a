/**
 * Edits of fields of existing records, for every command that writes into records people own
 * (`review fingerprint`, `release record`, and later approvals). They are written the way a SOUP
 * import writes: spliced into the original text so comments, quoting and key order survive,
 * checked with the loader's own readers and size limit, refused over a file changed since it was
 * read, and all files or none (src/util/write-journal.ts). The caller holds the project lock.
 */
import type { SourceFile } from '../load/source.js';
import type { DossierRecord } from '../model/record.js';
import { type ApplyResult, applySync } from '../soup/sync/apply.js';
import type { FieldEdit } from '../soup/sync/plan.js';

export { SyncConflictError as RecordEditConflictError } from '../soup/sync/apply.js';
export type { FieldEdit };

export interface RecordEdit {
  readonly record: DossierRecord;
  readonly edits: readonly FieldEdit[];
  /**
   * The nested map whose fields are edited, by keys and list positions from the record, e.g.
   * `['findings', 2]` for the third finding of a security test. Default: the record's own fields.
   */
  readonly within?: readonly (string | number)[];
}

export interface RecordEditOptions {
  readonly root: string;
  /** Files as they were loaded (`project.sources`), to refuse writing over concurrent edits. */
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** The loader's record-file size limit (`limits.maxFileBytes`). */
  readonly maxFileBytes?: number;
  /** The command, e.g. `dossier review fingerprint`, named in the write journal. */
  readonly owner: string;
}

/** Writes the edits; returns the project-relative files written. */
export function editRecords(changes: readonly RecordEdit[], options: RecordEditOptions): ApplyResult {
  return applySync(
    changes.map((c) => ({
      kind: 'update' as const,
      record: c.record,
      edits: c.edits,
      ...(c.within ? { within: c.within } : {}),
    })),
    // No record is created, so no collection receives new records.
    { ...options, into: '' },
  );
}
