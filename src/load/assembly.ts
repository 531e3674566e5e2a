/**
 * The project a load put together from its files, kept by the file memo (src/load/file-memo.ts) so
 * that the next targeted load of an edit patches it instead of passing over 64,000 file outcomes
 * again: the edited files' records put in their places in the record list, their sources in the
 * sources. Only for the plain case, where the edit cannot change anything but those records and
 * sources: the same file list, every edited file read and valid before and after, with the same
 * number of records, no loader findings, no companion files, and no file without records (whether
 * such a file lost records is git's to say on every load). Anything else is put together in full
 * (src/load/project.ts), which gives the same project.
 */
import type { DossierRecord } from '../model/record.js';
import { LayeredMap } from '../util/layered-map.js';
import { insertionPoint } from '../util/sorted-strings.js';
import type { FileOutcome } from './file-memo.js';
import type { SourceFile } from './source.js';

export interface Assembly {
  /** The discovery's file list it was made from (a targeted load with no file added or removed keeps it). */
  readonly files: readonly string[];
  readonly records: readonly DossierRecord[];
  /** The project's sources (dossier.yaml's and the record files'). */
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** Index of each file's first record in `records`, by the file's index in `files`; one more at the end. */
  readonly starts: Int32Array;
}

/** A file's outcome that a patch can take: read, no findings, every record valid, no companions. */
export function isPlain(outcome: FileOutcome): boolean {
  const { result } = outcome;
  return (
    !outcome.continued &&
    result.failure === undefined &&
    result.failureIfItHeldRecords === undefined &&
    result.continuation === undefined &&
    result.findings.length === 0 &&
    outcome.validated.every((v) => v.record !== undefined && v.findings.length === 0)
  );
}

/**
 * The assembly with the outcomes of some files replaced, or undefined when the patch cannot stand
 * for a full assembly (a file not in the list, an outcome not plain, another number of records).
 */
export function patchAssembly(
  assembly: Assembly,
  files: readonly string[],
  edited: ReadonlyMap<string, FileOutcome>,
  /** The sources read before the record files (dossier.yaml's), put over the assembly's. */
  read: ReadonlyMap<string, SourceFile>,
): Assembly | undefined {
  if (files !== assembly.files) return undefined;
  const records = assembly.records.slice();
  const sources = new Map(read);
  for (const [rel, outcome] of edited) {
    const index = insertionPoint(files, rel);
    if (files[index] !== rel || !isPlain(outcome) || !outcome.result.source) return undefined;
    const start = assembly.starts[index]!;
    if (assembly.starts[index + 1]! - start !== outcome.validated.length) return undefined;
    // A plain file's old records were plain too: the file had no findings (the assembly has none).
    outcome.validated.forEach((v, i) => {
      records[start + i] = v.record!;
    });
    sources.set(rel, outcome.result.source);
  }
  // Laid over the previous sources rather than copied (64,000 entries); flattened once the layer
  // holds a tenth of them.
  const layered = LayeredMap.over(assembly.sources, sources);
  return {
    ...assembly,
    records,
    sources: layered.layered * 10 > layered.size ? new Map(layered) : layered,
  };
}
