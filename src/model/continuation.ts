/**
 * Companion files: where an evidence record's long list continues when one file would be over the
 * loader's size limit (`limits.maxFileBytes`). A 20,000-case test report gives 20,000 results; a
 * static analysis, thousands of findings. The record keeps its header, its totals and the first part
 * of the list, and names its companion files in `continuedIn`; each companion says which record it
 * continues (`continues: RUN-004`) and holds the rest of the list:
 *
 * ```yaml
 * # records/evidence/RUN-004.results-2.yaml
 * continues: RUN-004
 * results:
 *   - { case: …, outcome: passed }
 * ```
 *
 * The loader reads them as part of the record (src/load/continuations.ts): every analysis, the trace
 * and the release gate see one record with the whole list. A companion that is missing, or that no
 * record names, makes the record's file not load (fail closed: a run missing results never passes).
 */
import type { z } from 'zod';
import { type KindName, kindSpec } from './kinds.js';

/** The record field naming its companion files, relative to the record's own file. */
export const CONTINUED_IN = 'continuedIn';
/** The companion's field naming the record it continues. */
export const CONTINUES = 'continues';

/** The list fields that may continue in companion files, by kind. */
export const CONTINUED_LISTS: Partial<Record<KindName, readonly string[]>> = {
  'test-run': ['results'],
  'verification-report': ['findings'],
};

export function continuedListsOf(kind: KindName): readonly string[] {
  return CONTINUED_LISTS[kind] ?? [];
}

/** The schema of one item of a continued list: the same one the record's own list is checked with. */
export function continuedItemSchema(kind: KindName, list: string): z.ZodType | undefined {
  if (!continuedListsOf(kind).includes(list)) return undefined;
  let schema = kindSpec(kind).fields[list] as z.ZodType | undefined;
  // Unwrap `.optional()` to the array, then take its element.
  while (schema && 'unwrap' in schema && typeof schema.unwrap === 'function' && !('element' in schema)) {
    schema = (schema as unknown as { unwrap(): z.ZodType }).unwrap();
  }
  return schema && 'element' in schema ? (schema as unknown as { element: z.ZodType }).element : undefined;
}

/**
 * The name of a record file's `part`-th companion for `list`, beside it:
 * `RUN-004.yaml` → `RUN-004.results-2.yaml` (part 1 is the record's own file).
 */
export function companionFileName(recordFileName: string, list: string, part: number): string {
  const ext = recordFileName.match(/\.(ya?ml)$/)?.[0] ?? '.yaml';
  return `${recordFileName.slice(0, recordFileName.length - ext.length)}.${list}-${part}${ext}`;
}
