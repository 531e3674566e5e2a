/**
 * The schema memo: which record values passed their kind's schema in an earlier run, so that a warm
 * run need not check them again (the parse cache, src/load/parse-cache.ts, keeps it).
 */

/**
 * The schema memo's key of a record value: the hash of the YAML text it was parsed from, where in
 * that text it is, and what the schema check of src/load/validate-record.ts depends on besides the
 * value (the kind, and whether the record has a Markdown body). The schemas themselves depend only on
 * the Dossier build and dossier.yaml, which the cache key covers, and are pure (no clock, no files),
 * so a value with the same key passes again: the memo can save a check, never change its verdict.
 */
export function schemaMemoKey(
  textHash: string,
  path: readonly (string | number)[],
  kind: string,
  hasBody: boolean,
): string {
  return `${textHash}\0${path.join('\0')}\0${kind}\0${hasBody ? 'body' : ''}`;
}

/** Remembers which record values passed their schema (see {@link schemaMemoKey}). */
export interface SchemaMemo {
  passed(key: string): boolean;
  remember(key: string): void;
}
