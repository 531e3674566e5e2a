// `dossier docs build` as the command line offers it; the work is in ./docs.ts, loaded when it runs.
import type { Command } from 'commander';
import { DOCUMENT_FORMATS } from '../../report-formats.js';
import type { DocsBuildOptions } from './docs.js';

/**
 * `documentKeys` is the list `--only` shows in its help (documentKeysHelp() of src/docs/registry.ts,
 * which loads every document's code): main.ts passes it only when the command line names `docs`,
 * the only way that help can be shown.
 */
export function registerDocsCommand(
  cli: Command,
  setExit: (code: number) => void,
  documentKeys: string | undefined,
): void {
  const docs = cli
    .command('docs')
    .description('The documentation package: documents written from the records');
  docs
    .command('build')
    .description('Write the documents of the package as Markdown, HTML, DOCX and PDF')
    .argument('[dir]', 'project folder (holds dossier.yaml)', '.')
    .option(
      '-f, --format <formats>',
      `formats, comma-separated: ${DOCUMENT_FORMATS.join(', ')}`,
      DOCUMENT_FORMATS.join(','),
    )
    .option(
      '--only <keys>',
      `documents, comma-separated (${documentKeys === undefined ? '' : `${documentKeys}; `}default all)`,
    )
    .option(
      '--release <version>',
      'the baseline the documents are built from (default: software.version in dossier.yaml)',
    )
    .option('-o, --out <dir>', 'output folder', 'out/documents')
    .addHelpText(
      'after',
      `
Each document carries its control block: revision = baseline + a hash of the fingerprints of every
record it includes (it changes exactly when their content changes), the date (SOURCE_DATE_EPOCH, else
the commit date of HEAD), and the status: "uncontrolled draft" until an approval of that revision
(dossier approve DOC-<KEY>) makes it a controlled document.
What the records do not say is written as "Not recorded", never left out. The same files are a stage
of \`dossier build\`. Refused, writing nothing, while any record file does not load.

Formats: md (with the diagrams as .svg beside), html (one page per document and index.html,
self-contained, ids linked across documents, print style sheet), docx (Word: title page, contents,
header and footer with number, revision and page x of y), pdf (typeset by Typst, no browser).

Examples:
  dossier docs build                          every document, every format, into out/documents/
  dossier docs build --only SRS,SOUP --format pdf
  dossier docs build --only SRS --release 1.2.0 --out dhf/`,
    )
    .action(async (dir: string, opts: DocsBuildOptions) =>
      setExit(await (await import('./docs.js')).runDocsBuild(dir, opts)),
    );
}
