/**
 * `dossier import <from> FILE… --into DIR` and `dossier export <to> [dir] --out FILE`
 * (docs/migration.md): thin over src/interop.
 */
import path from 'node:path';
import { recordFilePath } from '../../interop/apply.js';
import { exportProject, writerFor } from '../../interop/export.js';
import {
  describeImportAction,
  describeIssue,
  describeSkipped,
  type ImportOutcome,
  importIntoProject,
} from '../../interop/import.js';
import { readMappingFile } from '../../interop/mapping.js';
import { importCounts, importReport } from '../../interop/report.js';
import { listingMatcher } from '../../load/discover.js';
import { KIND_NAMES } from '../../model/kinds.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { projectBuildDate } from '../../util/build-date.js';
import { calendarDateProblem } from '../../util/calendar-date.js';
import { today } from '../../util/clock.js';
import { withProjectLockAsync } from '../../util/project-lock.js';
import { yamlText } from '../../util/yaml-text.js';
import { EXIT, loadOrReport, UsageError } from '../io.js';
import { writeErr, writeOut, writeProgress } from '../terminal.js';

export interface ImportOptions {
  guess?: boolean;
  dir: string;
  into: string;
  mapping?: string;
  date?: string;
  dryRun?: boolean;
  format: string;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
const warnLock = (message: string) => writeErr(`warning: ${message}\n`);

export async function runImport(
  from: string,
  files: readonly string[],
  options: ImportOptions,
): Promise<number> {
  if (options.guess) return guessMapping(from, files);
  if (options.dryRun) return importFiles(from, files, options);
  // The lock is held from reading the records to the last write.
  return withProjectLockAsync(path.resolve(options.dir), 'dossier import', warnLock, () =>
    importFiles(from, files, options),
  );
}

async function importFiles(from: string, files: readonly string[], options: ImportOptions): Promise<number> {
  const date = options.date ?? today();
  const dateProblem = calendarDateProblem(date);
  if (dateProblem) throw new UsageError(`--date: ${dateProblem}`);
  if (files.length === 0) throw new UsageError('name the files to import');
  const mapping = options.mapping ? readMappingFile(options.mapping) : undefined;
  // A record file that did not load hides its records: importing now could create duplicates.
  const { project, exitCode } = loadOrReport(options.dir, { refuse: 'import records' });
  if (!project) return exitCode!;
  const into = options.into.replace(/\\/g, '/').replace(/\/+$/, '');
  const outcome = await importIntoProject(project, {
    format: from,
    files,
    into,
    date,
    dryRun: options.dryRun === true,
    ...(mapping ? { mapping } : {}),
    // A large import takes seconds per stage: say which, on an interactive terminal only.
    ...(process.stderr.isTTY
      ? { onStage: (_stage: string, detail: string) => writeProgress(`${detail}…`) }
      : {}),
  });
  if (process.stderr.isTTY) writeProgress();
  if (options.format === 'json')
    writeOut(`${JSON.stringify(importReport(outcome, options.dryRun === true), null, 2)}\n`);
  else writeOut(importText(outcome, into, options.dryRun === true));
  // Checked on the paths, not by loading the project again: every new file was already checked to
  // load before it was written (src/soup/sync/apply.ts), so what is left to ask is whether the
  // `records:` globs take it.
  const matches = listingMatcher(project.config.records, project.config.exclude);
  const unmatched = outcome.plan.actions
    .flatMap((a) => (a.kind === 'create' ? [recordFilePath(into, a.record.id)] : []))
    .filter((f) => !matches(f));
  if (unmatched.length > 0) {
    writeErr(
      `warning: ${plural(unmatched.length, 'new record file')} (e.g. ${unmatched[0]}) ${unmatched.length === 1 ? 'is' : 'are'} not matched by the \`records:\` globs in dossier.yaml, so they are not checked; add ${into}/**/*.md there or import --into a folder they match\n`,
    );
  }
  // Anything the source holds that is not in Dossier now, links included, makes the import
  // incomplete: a partial import never looks like a clean one.
  const incomplete =
    outcome.plan.actions.some((a) => a.kind === 'conflict') ||
    outcome.plan.issues.some((i) => i.severity === 'error') ||
    outcome.plan.unresolvedLinks > 0 ||
    outcome.attachmentConflicts.length > 0;
  return incomplete ? EXIT.findings : EXIT.ok;
}

/** `--guess`: a mapping file proposed from a spreadsheet's header row, printed, nothing written. */
async function guessMapping(from: string, files: readonly string[]): Promise<number> {
  if (from !== 'xlsx' && from !== 'csv')
    throw new UsageError('--guess proposes the columns of an xlsx or csv file');
  if (files.length !== 1) throw new UsageError('--guess reads one file');
  const { guessSheetColumns } = await import('../../interop/sheet/index.js');
  const { columns, explanation } = await guessSheetColumns(files[0]!, { format: from });
  const lines = [
    `# Proposed by \`dossier import ${from} --guess\` from ${path.basename(files[0]!)}. Check it, add \`kinds:\``,
    '# (sheet or type → Dossier kind) and `fields:`, then import with --mapping (docs/migration.md).',
    ...explanation.map((e) => `# - ${e}`),
    yamlText({ sheet: columns }).trimEnd(),
  ];
  writeOut(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

function importText(outcome: ImportOutcome, into: string, dryRun: boolean): string {
  const { batch, plan } = outcome;
  const c = importCounts(outcome);
  const lines = [
    `${batch.sources.length <= 3 ? batch.sources.join(', ') : `${plural(batch.sources.length, 'file')} (${batch.sources[0]}, …)`} (${batch.format}${batch.tool ? `, written by ${batch.tool}` : ''}): ${plural(c.objects, 'object')}, ${plural(c.relations, 'link')}`,
    `  ${c.created} new, ${c.updated} updated, ${c.unchanged} unchanged, ${plural(c.conflicts, 'conflict')}, ${c.skipped} skipped${c.unresolvedLinks > 0 ? `; ${plural(c.unresolvedLinks, 'link')} not made Dossier links (kept in imported.unresolvedLinks)` : ''}`,
  ];
  for (const action of plan.actions)
    if (action.kind !== 'unchanged') lines.push(describeImportAction(action, into));
  for (const skipped of plan.skipped) lines.push(describeSkipped(skipped));
  for (const record of plan.gone) {
    lines.push(`  ? ${record.id}: no longer in the source; kept (mark it obsolete if it is gone for good)`);
  }
  for (const file of outcome.attachmentConflicts) {
    lines.push(`  ! ${file}: an attachment with other content is already there; not written`);
  }
  if (plan.issues.length > 0) {
    lines.push('issues:');
    for (const issue of plan.issues) lines.push(`  ${describeIssue(issue)}`);
  }
  if (dryRun) lines.push('dry run: nothing was written');
  else if (outcome.written.length > 0)
    lines.push(`wrote ${plural(outcome.written.length, 'file')} under ${into}`);
  else lines.push('nothing to write');
  return `${lines.join('\n')}\n`;
}

export interface ExportOptions {
  out: string;
  dialect?: string;
  kind?: string;
}

export async function runExport(to: string, dir: string, options: ExportOptions): Promise<number> {
  const writer = writerFor(to);
  const kinds = (options.kind ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  for (const kind of kinds) {
    if (!(KIND_NAMES as readonly string[]).includes(kind)) {
      throw new UsageError(`--kind ${kind}: not a kind; choose from ${KIND_NAMES.join(', ')}`);
    }
  }
  const { project, exitCode } = loadOrReport(dir, { refuse: `export ${to}` });
  if (!project) return exitCode!;
  const date = projectBuildDate(project.root);
  let warnings = 0;
  const content = await exportProject(project, writer, {
    date,
    kinds,
    warn: (message) => {
      warnings++;
      writeErr(`warning: ${message}\n`);
    },
    ...(options.dialect ? { dialect: options.dialect } : {}),
  });
  writeFileAtomic(path.resolve(options.out), content);
  writeOut(`wrote ${options.out} (${to})${warnings > 0 ? `; ${plural(warnings, 'warning')} above` : ''}\n`);
  return EXIT.ok;
}
