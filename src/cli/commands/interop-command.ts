// `dossier import` and `dossier export` as the command line offers them; the work is in
// ./interop.ts, loaded when one runs.
import { type Command, Option } from 'commander';
import { READER_FORMATS, WRITER_FORMATS } from '../../interop/formats.js';

export function registerInteropCommands(cli: Command, setExit: (code: number) => void): void {
  const readers = READER_FORMATS;
  cli
    .command('import')
    .description(
      'Import records from ReqIF, spreadsheets and other tools (non-destructive; see docs/migration.md)',
    )
    .argument('<from>', `source format: ${readers.map((r) => r.format).join(', ')}`)
    .argument('<files...>', 'files (or folders, for doorstop) to import')
    .option('-C, --dir <dir>', 'project folder', '.')
    .option(
      '--into <dir>',
      'folder (in the project) for new records, one Markdown file each',
      'records/imported',
    )
    .option(
      '-m, --mapping <file>',
      'mapping file: source types, attributes and links → Dossier kinds, fields and links',
    )
    .option('--date <YYYY-MM-DD>', 'date recorded in imported.date (default: today)')
    .option('-n, --dry-run', 'print the plan without writing anything')
    .option('--guess', 'xlsx, csv: print a mapping file proposed from the header row, and stop')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Readers:
${readers.map((r) => `  ${r.format.padEnd(18)}${r.description}`).join('\n')}

Imported records start as draft, one file each under --into, with where they came from in
\`imported\` (source id, file, tool, the tool's status and approvals as provenance, never as Dossier
approvals). Importing again updates only what the source changed, and never a record someone changed
in Dossier since or that is no longer a draft: that is reported as a conflict. Nothing is deleted;
links that cannot be Dossier links, attributes without a field and skipped objects are reported and
kept in \`imported\`. Exit 1 when something was not imported.

Examples:
  dossier import reqif specs/srs.reqifz --into records/srs --dry-run
  dossier import xlsx requirements.xlsx --mapping mapping.yaml
  dossier import doorstop reqs/ --into records/reqs`,
    )
    .action(async (from: string, files: string[], opts) =>
      setExit(await (await import('./interop.js')).runImport(from, files, opts)),
    );

  cli
    .command('export')
    .description('Export the records as ReqIF, XLSX, CSV or sphinx-needs needs.json (see docs/migration.md)')
    .argument('<to>', `format: ${WRITER_FORMATS.map((w) => w.format).join(', ')}`)
    .argument('[dir]', 'project folder', '.')
    .requiredOption('-o, --out <file>', 'file to write')
    .option('--dialect <dialect>', 'reqif: standard (default) or doors')
    .option('--kind <kinds>', 'only these kinds, comma-separated (csv: exactly one)')
    .action(async (to: string, dir: string, opts) =>
      setExit(await (await import('./interop.js')).runExport(to, dir, opts)),
    );
}
