/**
 * The formats `dossier import` reads and `dossier export` writes, with the line each shows in
 * `--help`: on their own so that the command line lists them without loading the readers and
 * writers (src/interop/readers.ts and src/interop/export.ts pair each with its code).
 */
export interface FormatSpec {
  readonly format: string;
  /** One line for `dossier import --help` / `dossier export --help`. */
  readonly description: string;
}

export const READER_FORMATS = [
  {
    format: 'reqif',
    description: 'ReqIF 1.0-1.2 (.reqif, .reqifz) from DOORS, Polarion, Jama, Capella, EA, ReqIF Studio',
  },
  {
    format: 'xlsx',
    description: 'Excel workbooks, with the columns in the mapping file (--guess proposes them)',
  },
  { format: 'csv', description: 'CSV (comma, semicolon or tab), with the columns in the mapping file' },
  {
    format: 'github',
    description: 'GitHub issues as the REST API gives them (gh api repos/O/R/issues --paginate)',
  },
  { format: 'jira', description: 'Jira issues: the REST search JSON, or the CSV export (by extension)' },
  { format: 'needs-json', description: 'sphinx-needs needs.json (the build output or an export)' },
  {
    format: 'sphinx-needs-rst',
    description: 'sphinx-needs directives in .rst files, read without Sphinx (types from conf.py)',
  },
  { format: 'mlx-rst', description: 'mlx.traceability `.. item::` directives in .rst files' },
  { format: 'sdoc', description: 'StrictDoc .sdoc documents' },
  {
    format: 'doorstop',
    description: 'a Doorstop tree (folders with .doorstop.yml and one YAML file per item)',
  },
  { format: 'oft', description: 'OpenFastTrace Markdown specifications (`type~name~revision` items)' },
] as const satisfies readonly FormatSpec[];

export const WRITER_FORMATS = [
  { format: 'reqif', description: 'ReqIF 1.2 (--dialect doors for IBM DOORS Next)' },
  {
    format: 'xlsx',
    description: 'an Excel workbook: one sheet per kind, a Trace sheet; text cells, never formulas',
  },
  {
    format: 'csv',
    description: 'one kind as CSV (--kind); cells that a spreadsheet would run as a formula are quoted',
  },
  {
    format: 'needs-json',
    description: 'sphinx-needs needs.json (declare the link fields in needs_extra_links)',
  },
] as const satisfies readonly FormatSpec[];

export type ReaderFormat = (typeof READER_FORMATS)[number]['format'];
export type WriterFormat = (typeof WRITER_FORMATS)[number]['format'];
