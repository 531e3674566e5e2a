/**
 * The import readers, by the name `dossier import <from>` takes. Each turns files into an
 * {@link ImportBatch}; the mapping, planning and writing are shared (src/interop/import.ts).
 */
import type { Limits } from '../model/limits.js';
import { zipLimitsOf } from '../soup/osv/read-zip.js';
import { readDoorstop } from './doorstop/read.js';
import { READER_FORMATS, type ReaderFormat } from './formats.js';
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

/** A spreadsheet reader: the columns come from the mapping file (`sheet:`, checked when it was read). */
async function sheetReader(files: readonly string[], context: ReaderContext, format: 'xlsx' | 'csv') {
  const { readSheet } = await import('./sheet/index.js');
  if (context.mapping.sheet === undefined) {
    throw new ImportError(
      `a ${format} import needs the mapping file's \`sheet:\` section (which columns hold the id, title, text and links); run \`dossier import ${format} FILE --guess\` to have one proposed (docs/migration.md#spreadsheets)`,
    );
  }
  return readSheet(files, context.mapping.sheet, { format, zipLimits: zipLimitsOf(context.limits) });
}

/** Each format's code, by the format's name (its help line is in ./formats.ts). */
const CODE: Readonly<Record<ReaderFormat, ReaderSpec['read']>> = {
  reqif: async (files, context) => {
    const { readReqif } = await import('./reqif/index.js');
    const { limits } = context;
    return readReqif([...files], {
      maxValueBytes: limits.maxXmlValueBytes,
      zipLimits: zipLimitsOf(limits),
    });
  },
  xlsx: (files, context) => sheetReader(files, context, 'xlsx'),
  csv: (files, context) => sheetReader(files, context, 'csv'),
  github: async (files, context) => {
    const { readGitHubIssues } = await import('./tracker/index.js');
    const labelTypes = context.mapping.trackers?.labelTypes;
    return readGitHubIssues(files, labelTypes ? { labelTypes } : {});
  },
  jira: async (files) => {
    const { readJiraCsv, readJiraJson } = await import('./tracker/index.js');
    const csv = files.filter((f) => f.toLowerCase().endsWith('.csv'));
    const json = files.filter((f) => !f.toLowerCase().endsWith('.csv'));
    if (csv.length > 0 && json.length > 0) {
      throw new ImportError('import Jira CSV and JSON exports in separate runs');
    }
    return csv.length > 0 ? readJiraCsv(csv) : readJiraJson(json);
  },
  'needs-json': (files) => readNeedsJson(files),
  'sphinx-needs-rst': (files) => readSphinxNeedsRst(files),
  'mlx-rst': (files) => readMlxRst(files),
  sdoc: (files) => readSdoc(files),
  doorstop: (files) => readDoorstop(files),
  oft: (files) => readOft(files),
};

const READERS: readonly ReaderSpec[] = READER_FORMATS.map(({ format, description }) => ({
  format,
  description,
  read: CODE[format],
}));

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
