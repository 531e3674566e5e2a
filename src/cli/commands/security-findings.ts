/**
 * `dossier security import-findings FILE --test ST-…`: merges the findings of a security test run
 * (generic CSV/JSON, or SARIF) into a security-test record (src/security/findings-merge.ts), in
 * place, keeping comments and what people wrote; all or nothing, under the project lock (a dry run
 * takes none and writes nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import { editRecords, RecordEditConflictError } from '../../edit/record-edit.js';
import { isApproved } from '../../model/approval.js';
import { maxFileBytesOf } from '../../model/config.js';
import { formatBytes, limitsOf, raiseHint } from '../../model/limits.js';
import {
  FINDINGS_FORMATS,
  type FindingsFormat,
  FindingsInputError,
  readRunFindings,
} from '../../security/findings-input.js';
import { type FindingsMerge, findingsEdits, mergeFindings } from '../../security/findings-merge.js';
import { withProjectLock } from '../../util/project-lock.js';
import { EXIT, loadOrReport, oneOf, UsageError, warnLock } from '../io.js';
import { writeOut } from '../terminal.js';

export interface ImportFindingsOptions {
  readonly test: string;
  readonly format?: string;
  readonly dryRun?: boolean;
}

export function runImportFindings(file: string, dir: string, options: ImportFindingsOptions): number {
  const job = () => importFindings(file, dir, options);
  return options.dryRun
    ? job()
    : withProjectLock(path.resolve(dir), 'dossier security import-findings', warnLock, job);
}

function importFindings(file: string, dir: string, options: ImportFindingsOptions): number {
  const format = options.format
    ? (oneOf(options.format, FINDINGS_FORMATS, '--format') as FindingsFormat)
    : undefined;
  const { project, exitCode } = loadOrReport(dir, { refuse: 'import security findings' });
  if (!project) return exitCode!;
  const test = project.records.find((r) => r.id === options.test);
  if (!test) throw new UsageError(`--test ${options.test}: no record has that id; nothing was written`);
  if (test.kind !== 'security-test')
    throw new UsageError(
      `--test ${options.test} is a ${test.kind}, not a security-test: findings belong to the security test campaign that found them`,
    );
  if (isApproved(test))
    throw new UsageError(
      `${test.id} is approved, and its findings are part of what was approved; nothing was written. Set its status back to in-review, run this again and have it approved again (or record the run as a new security test)`,
    );
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile())
    throw new UsageError(`${file}: no such file`);
  const { maxReportBytes } = limitsOf(project.config.limits);
  const size = fs.statSync(absolute).size;
  if (size > maxReportBytes)
    throw new UsageError(
      `${file}: the file is ${formatBytes(size)}, over the limit of ${formatBytes(maxReportBytes)} for a report (limits.maxReportBytes); nothing was read. ${raiseHint('maxReportBytes')}`,
    );
  let run: ReturnType<typeof readRunFindings>;
  try {
    run = readRunFindings(file, fs.readFileSync(absolute), format);
  } catch (error) {
    if (error instanceof FindingsInputError) throw new UsageError(`${error.message}; nothing was written`);
    throw error;
  }
  const merge = mergeFindings(test, run.findings);
  const changed = merge.added.length + merge.updated.length > 0;
  const where = test.origin.source.path;
  writeOut(summary(test.id, where, run.format, run.findings.length, merge));
  for (const note of run.notes) writeOut(`  note: ${note}\n`);
  if (!changed) {
    writeOut(`${test.id}: nothing to change\n`);
    return EXIT.ok;
  }
  if (options.dryRun) {
    writeOut('dry run: nothing written\n');
    return EXIT.ok;
  }
  try {
    editRecords(findingsEdits(test, merge), {
      root: path.resolve(dir),
      sources: project.sources,
      maxFileBytes: maxFileBytesOf(project.config),
      owner: 'dossier security import-findings',
    });
  } catch (error) {
    if (error instanceof RecordEditConflictError) throw new UsageError(`${where}: ${error.message}`);
    throw error;
  }
  writeOut(
    `wrote ${where}${merge.added.length > 0 ? `; the new findings are open until you record their disposition (security/finding-open)` : ''}\n`,
  );
  return EXIT.ok;
}

/** What the run changes, finding by finding, in the order of the run. */
function summary(id: string, where: string, format: string, count: number, merge: FindingsMerge): string {
  const lines = [
    `${id} (${where}): ${count} finding(s) in this ${format} run: ${merge.added.length} new, ${merge.updated.length} updated, ${merge.unchanged} unchanged, ${merge.notInRun.length} not in this run`,
  ];
  for (const f of merge.added)
    lines.push(`  new      ${f.id}: ${f.title}${f.severity ? ` (${f.severity})` : ''}: disposition open`);
  for (const u of merge.updated)
    lines.push(
      `  updated  ${u.id}: ${u.changes.map((c) => `${c.field} ${c.from !== undefined ? `${JSON.stringify(c.from)} → ` : ''}${JSON.stringify(c.to)}`).join(', ')}`,
    );
  for (const f of merge.notInRun)
    lines.push(
      `  not in this run  ${f.id}: ${f.title} (disposition ${f.disposition ?? 'not recorded'}; kept, not removed)`,
    );
  return `${lines.join('\n')}\n`;
}
