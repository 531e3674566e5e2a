/**
 * `dossier export`: the project's records in the neutral export shape, handed to a writer (ReqIF,
 * XLSX, CSV, needs.json). Deterministic: records in id order, dates from the build date
 * (SOURCE_DATE_EPOCH, else the commit date), never the clock when either is known.
 */
import type { Project } from '../load/project.js';
import { IMPORTED_FIELD } from '../model/imported.js';
import { compareById, type DossierRecord } from '../model/record.js';
import type { BuildDate } from '../util/build-date.js';
import { WRITER_FORMATS, type WriterFormat } from './formats.js';
import { type ExportRecord, ImportError } from './model.js';
import { writeNeedsJson } from './needs-json/write.js';

export interface WriterOptions {
  readonly date: BuildDate;
  /** The project's name, for the document title. */
  readonly title: string;
  readonly dialect?: string;
  /** Told what the format could not hold (a link to a record left out of the export). */
  readonly warn?: (message: string) => void;
}

export interface WriterSpec {
  readonly format: string;
  readonly description: string;
  readonly write: (records: readonly ExportRecord[], options: WriterOptions) => Promise<string | Uint8Array>;
}

/** Each format's code, by the format's name (its help line is in ./formats.ts). */
const CODE: Readonly<Record<WriterFormat, WriterSpec['write']>> = {
  reqif: async (records, options) => {
    const { writeReqif } = await import('./reqif/index.js');
    const dialect = options.dialect ?? 'standard';
    if (dialect !== 'standard' && dialect !== 'doors') {
      throw new ImportError(`--dialect ${dialect}: choose standard or doors`);
    }
    return writeReqif(records, {
      creationTime: options.date.timestamp,
      title: options.title,
      dialect,
      onSkippedLink: (link) =>
        options.warn?.(
          `${link.from}: its ${link.field} link to ${link.to} is not in the export (a ReqIF relation must point into the file)`,
        ),
    });
  },
  xlsx: async (records, options) => {
    const { writeXlsx } = await import('./sheet/index.js');
    return writeXlsx(records, { created: options.date.timestamp });
  },
  csv: async (records) => {
    const { writeCsv } = await import('./sheet/index.js');
    const kinds = [...new Set(records.map((r) => r.kind))].sort();
    if (kinds.length !== 1) {
      throw new ImportError(
        `CSV holds one kind; choose one with --kind (this project has ${kinds.join(', ') || 'no records'})`,
      );
    }
    return writeCsv(records);
  },
  'needs-json': async (records, options) =>
    writeNeedsJson(records, {
      created: options.date.timestamp,
      project: options.title,
      ...(options.warn ? { warn: options.warn } : {}),
    }),
};

const WRITERS: readonly WriterSpec[] = WRITER_FORMATS.map(({ format, description }) => ({
  format,
  description,
  write: CODE[format],
}));

export const writerFormats = (): readonly WriterSpec[] => WRITERS;

export function writerFor(format: string): WriterSpec {
  const found = WRITERS.find((w) => w.format === format);
  if (!found) {
    throw new ImportError(
      `there is no export format "${format}"; choose one of: ${WRITERS.map((w) => w.format).join(', ') || '(none yet)'}`,
    );
  }
  return found;
}

/** One record as exporters see it: provenance of an earlier import left out (it is not content). */
export function exportRecord(record: DossierRecord): ExportRecord {
  // Tags travel as a field: every format has somewhere to put one, and the import reads `tags` back.
  const fields: Record<string, unknown> = record.tags.length > 0 ? { tags: [...record.tags] } : {};
  for (const [key, value] of Object.entries(record.fields)) if (key !== IMPORTED_FIELD) fields[key] = value;
  return {
    id: record.id,
    kind: record.kind,
    title: record.title,
    status: record.status,
    text: record.text,
    fields,
    links: record.links,
  };
}

export async function exportProject(
  project: Project,
  writer: WriterSpec,
  options: { date: BuildDate; dialect?: string; kinds?: readonly string[]; warn?: (message: string) => void },
): Promise<string | Uint8Array> {
  const kinds = options.kinds && options.kinds.length > 0 ? new Set(options.kinds) : undefined;
  const records = [...project.records]
    .filter((r) => !kinds || kinds.has(r.kind))
    .sort(compareById)
    .map(exportRecord);
  return writer.write(records, {
    date: options.date,
    title: project.config.device?.name ?? 'Dossier export',
    ...(options.dialect ? { dialect: options.dialect } : {}),
    ...(options.warn ? { warn: options.warn } : {}),
  });
}
