/**
 * `dossier docs build [dir]`: the documents of the package (docs/documents.md) into a folder, the
 * same files as the build's documents stage, with a choice of documents and a release baseline.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { analyze } from '../../analyze.js';
import { documentContext } from '../../docs/context.js';
import { documentFiles } from '../../docs/files.js';
import {
  DOCUMENT_FORMATS,
  DOCUMENTS,
  type DocumentFormat,
  PLANNED_DOCUMENT_FORMATS,
} from '../../docs/registry.js';
import { limitsOf } from '../../model/limits.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { projectBuildDate } from '../../util/build-date.js';
import { projectFileReader } from '../evidence-hasher.js';
import { EXIT, loadOrReport, UsageError } from '../io.js';
import { writeOut } from '../terminal.js';

export interface DocsBuildOptions {
  format: string;
  only?: string;
  release?: string;
  out: string;
}

/** A comma-separated option as a list of distinct values, each one of `allowed`. */
function listOption(
  value: string,
  allowed: readonly string[],
  option: string,
  planned: readonly string[] = [],
): string[] {
  const values = [
    ...new Set(
      value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  ];
  if (values.length === 0) throw new UsageError(`${option}: name at least one of ${allowed.join(', ')}`);
  for (const v of values) {
    if (planned.includes(v))
      throw new UsageError(
        `${option} ${v}: not written yet (docs/documents.md); written today: ${allowed.join(', ')}`,
      );
    if (!allowed.includes(v))
      throw new UsageError(`${option} ${v}: unknown; choose from ${allowed.join(', ')}`);
  }
  return values;
}

export function runDocsBuild(dir: string, options: DocsBuildOptions): number {
  const formats = listOption(
    options.format,
    DOCUMENT_FORMATS,
    '--format',
    PLANNED_DOCUMENT_FORMATS,
  ) as DocumentFormat[];
  const keys = DOCUMENTS.map((d) => d.key);
  const only = options.only === undefined ? keys : listOption(options.only, keys, '--only');
  if (options.release !== undefined && !/^\S+$/.test(options.release))
    throw new UsageError(`--release ${JSON.stringify(options.release)}: a version has no spaces, e.g. 1.2.0`);
  const date = projectBuildDate(dir);
  // A document built from a project whose files did not all load would leave records out silently.
  const loaded = loadOrReport(dir, { refuse: 'write the documents' });
  const project = loaded.project;
  if (!project) return loaded.exitCode!;
  const analysis = analyze(project);
  const outDir = path.resolve(options.out);
  const context = documentContext(analysis, {
    date: date.timestamp.slice(0, 10),
    ...(options.release !== undefined ? { baseline: options.release } : {}),
    // The release gate of the baseline (the Verification Report) reads the evidence as `release check` does.
    readEvidence: projectFileReader(dir, limitsOf(project.config.limits).maxReportBytes),
  });
  for (const spec of DOCUMENTS.filter((d) => only.includes(d.key))) {
    const doc = spec.build(context);
    const files = documentFiles(doc, formats);
    for (const f of files) writeFileAtomic(path.join(outDir, f.path), f.render());
    const first = path.join(outDir, files[0]!.path);
    writeOut(
      `${path.relative(process.cwd(), first) || first}: ${doc.title}, revision ${doc.control.revision} (${doc.control.status}), ${doc.records.length} records\n`,
    );
  }
  return EXIT.ok;
}

export function registerDocsCommand(cli: Command, setExit: (code: number) => void): void {
  const docs = cli
    .command('docs')
    .description('The documentation package: documents written from the records');
  docs
    .command('build')
    .description('Write the documents (today: the Software Requirements Specification, as Markdown)')
    .argument('[dir]', 'project folder (holds dossier.yaml)', '.')
    .option(
      '-f, --format <formats>',
      `formats, comma-separated (written today: ${DOCUMENT_FORMATS.join(', ')})`,
      'md',
    )
    .option(
      '--only <keys>',
      `documents, comma-separated (${DOCUMENTS.map((d) => d.key).join(', ')}; default all)`,
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
the commit date of HEAD), and the status, "uncontrolled draft" until documents can be approved.
What the records do not say is written as "Not recorded", never left out. The same files are a stage
of \`dossier build\`. Refused, writing nothing, while any record file does not load.

Examples:
  dossier docs build                          every document into out/documents/
  dossier docs build --only SRS --release 1.2.0 --out dhf/`,
    )
    .action((dir: string, opts: DocsBuildOptions) => setExit(runDocsBuild(dir, opts)));
}
