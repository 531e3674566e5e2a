/**
 * The import readers, by the name `dossier import <from>` takes. Each turns files into an
 * {@link ImportBatch}; the mapping, planning and writing are shared (src/interop/import.ts).
 */
import type { Limits } from '../model/limits.js';
import { readDoorstop } from './doorstop/read.js';
import type { Mapping } from './mapping.js';
import { readMlxRst } from './mlx-rst/read.js';
import { type ImportBatch, ImportError } from './model.js';
import { readNeedsJson } from './needs-json/read.js';
import { readOft } from './oft/read.js';
import { readSdoc } from './sdoc/read.js';
import { readSphinxNeedsRst } from './sphinx-needs-rst/read.js';

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

const READERS: readonly ReaderSpec[] = [
  {
    format: 'needs-json',
    description: 'sphinx-needs needs.json (the build output or an export)',
    read: (files) => readNeedsJson(files),
  },
  {
    format: 'sphinx-needs-rst',
    description: 'sphinx-needs directives in .rst files, read without Sphinx (types from conf.py)',
    read: (files) => readSphinxNeedsRst(files),
  },
  {
    format: 'mlx-rst',
    description: 'mlx.traceability `.. item::` directives in .rst files',
    read: (files) => readMlxRst(files),
  },
  { format: 'sdoc', description: 'StrictDoc .sdoc documents', read: (files) => readSdoc(files) },
  {
    format: 'doorstop',
    description: 'a Doorstop tree (folders with .doorstop.yml and one YAML file per item)',
    read: (files) => readDoorstop(files),
  },
  {
    format: 'oft',
    description: 'OpenFastTrace Markdown specifications (`type~name~revision` items)',
    read: (files) => readOft(files),
  },
];

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
