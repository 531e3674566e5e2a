/**
 * Import of CISA's KEV catalog JSON into the advisory store: one transaction that replaces the
 * catalog held, unless the one held is newer (an older catalog never makes the data look fresher).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AdvisoryStore } from '../advisories/store.js';
import { type KevCatalog, KevFormatError, parseKevCatalog } from './catalog.js';

export interface KevImportSummary {
  readonly source: string;
  readonly kind: 'kev';
  readonly importedAt: string;
  readonly catalogVersion: string;
  readonly dateReleased: string;
  /** Entries read and valid. */
  readonly entries: number;
  /** `count` as the catalog states it. */
  readonly declaredCount: number;
  /** False when the store already held a newer catalog (kept). */
  readonly stored: boolean;
  readonly invalid: KevCatalog['invalid'];
  readonly warnings: readonly string[];
}

/** The text of a KEV or EPSS file, or `error` naming it when it cannot be read. */
export function readFeedFile(file: string, error: new (message: string) => Error): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new error(`cannot read ${file} (${(cause as Error).message}): check the path and permissions`);
  }
}

/**
 * Reads `file` (a KEV catalog) and stores it. Throws {@link KevFormatError} (naming the file) when it
 * is not a KEV catalog; entries that break the schema are skipped and listed.
 */
export async function importKev(
  store: AdvisoryStore,
  file: string,
  options: { now?: Date; sourceLabel?: string } = {},
): Promise<KevImportSummary> {
  const catalog = parseKevCatalog(readFeedFile(file, KevFormatError), file);
  const importedAt = (options.now ?? new Date()).toISOString();
  const source = options.sourceLabel ?? path.resolve(file);
  const warnings: string[] = [];
  const counted = catalog.entries.length + catalog.invalid.length;
  if (catalog.declaredCount !== counted)
    warnings.push(
      `${file} says it holds ${catalog.declaredCount} vulnerabilities but lists ${counted}: the file may be truncated or edited; download the catalog again`,
    );
  const held = store.kevCatalog();
  const older = held !== undefined && Date.parse(held.dateReleased) > Date.parse(catalog.dateReleased);
  if (older)
    warnings.push(
      `${file} (catalog ${catalog.catalogVersion}, released ${catalog.dateReleased}) is older than the catalog held (${held.catalogVersion}, released ${held.dateReleased}): kept the newer one`,
    );
  else await store.write(async (writer) => writer.replaceKev(catalog, source, importedAt));
  return {
    source,
    kind: 'kev',
    importedAt,
    catalogVersion: catalog.catalogVersion,
    dateReleased: catalog.dateReleased,
    entries: catalog.entries.length,
    declaredCount: catalog.declaredCount,
    stored: !older,
    invalid: catalog.invalid,
    warnings,
  };
}
