/**
 * The import readers, by the name `dossier import <from>` takes. Each turns files into an
 * {@link ImportBatch}; the mapping, planning and writing are shared (src/interop/import.ts).
 */
import type { Limits } from '../model/limits.js';
import { zipLimitsOf } from '../soup/osv/read-zip.js';
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

const READERS: readonly ReaderSpec[] = [
  {
    format: 'reqif',
    description: 'ReqIF 1.0-1.2 (.reqif, .reqifz) from DOORS, Polarion, Jama, Capella, EA, ReqIF Studio',
    read: async (files, context) => {
      const { readReqif } = await import('./reqif/index.js');
      const { limits } = context;
      return readReqif([...files], {
        maxValueBytes: limits.maxXmlValueBytes,
        zipLimits: zipLimitsOf(limits),
      });
    },
  },
  {
    format: 'xlsx',
    description: 'Excel workbooks, with the columns in the mapping file (--guess proposes them)',
    read: (files, context) => sheetReader(files, context, 'xlsx'),
  },
  {
    format: 'csv',
    description: 'CSV (comma, semicolon or tab), with the columns in the mapping file',
    read: (files, context) => sheetReader(files, context, 'csv'),
  },
  {
    format: 'github',
    description: 'GitHub issues as the REST API gives them (gh api repos/O/R/issues --paginate)',
    read: async (files, context) => {
      const { readGitHubIssues } = await import('./tracker/index.js');
      const labelTypes = context.mapping.trackers?.labelTypes;
      return readGitHubIssues(files, labelTypes ? { labelTypes } : {});
    },
  },
  {
    format: 'jira',
    description: 'Jira issues: the REST search JSON, or the CSV export (by extension)',
    read: async (files) => {
      const { readJiraCsv, readJiraJson } = await import('./tracker/index.js');
      const csv = files.filter((f) => f.toLowerCase().endsWith('.csv'));
      const json = files.filter((f) => !f.toLowerCase().endsWith('.csv'));
      if (csv.length > 0 && json.length > 0) {
        throw new ImportError('import Jira CSV and JSON exports in separate runs');
      }
      return csv.length > 0 ? readJiraCsv(csv) : readJiraJson(json);
    },
  },
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
