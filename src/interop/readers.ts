/**
 * The import readers, by the name `dossier import <from>` takes. Each turns files into an
 * {@link ImportBatch}; the mapping, planning and writing are shared (src/interop/import.ts).
 */
import type { Limits } from '../model/limits.js';
import type { Mapping } from './mapping.js';
import { type ImportBatch, ImportError } from './model.js';

export interface ReaderContext {
  readonly mapping: Mapping;
  /** The project's read limits (XML value sizes, zip sizes). */
  readonly limits: Limits;
}

export interface ReaderSpec {
  readonly format: string;
  /** One line for `dossier import --help`. */
  readonly description: string;
  readonly read: (files: readonly string[], context: ReaderContext) => Promise<ImportBatch>;
}

const READERS: readonly ReaderSpec[] = [];

export const readerFormats = (): readonly ReaderSpec[] => READERS;

export function readerFor(format: string): ReaderSpec {
  const found = READERS.find((r) => r.format === format);
  if (!found) {
    throw new ImportError(
      `there is no reader "${format}"; choose one of: ${READERS.map((r) => r.format).join(', ') || '(none yet)'}`,
    );
  }
  return found;
}
