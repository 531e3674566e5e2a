/**
 * The schema memo: which record values passed their kind's schema in an earlier run, so that a warm
 * run need not check them again (the parse cache, src/load/parse-cache.ts, keeps it).
 */

/**
 * Where a record value is in its text and what the schema check of src/load/validate-record.ts
 * depends on besides the value: the kind, and whether the record has a Markdown body. With the hash
 * of the YAML text the value was parsed from, it names the check exactly. The schemas themselves
 * depend only on the Dossier build and dossier.yaml, which the cache key covers, and are pure (no
 * clock, no files), so a value named the same passes again: the memo can save a check, never change
 * its verdict.
 */
export function schemaMemoSlot(path: readonly (string | number)[], kind: string, hasBody: boolean): string {
  return `${path.join('/')}|${kind}|${hasBody ? 'body' : ''}`;
}

/**
 * Remembers which record values passed their schema: by the hash of their text, then by their slot
 * ({@link schemaMemoSlot}). Two steps, because a warm run asks once per record of 100,000, and one
 * long key per record cost more to build and hash than the hash alone.
 */
export interface SchemaMemo {
  /**
   * The content fingerprint of the record value in this slot of this text when it passed its schema
   * before (a pass is kept with its record's fingerprint); undefined when it is not known to pass.
   * The text's hash names the whole record: a Markdown file's is of the whole file, body included
   * (src/load/read-file.ts passes it as the key text).
   */
  recall(textHash: string, slot: string): string | undefined;
  remember(textHash: string, slot: string, fingerprint: string): void;
}
