import fs from 'node:fs';
import path from 'node:path';
import { plural } from '../../diagnostics/format.js';
import { type CoverageReport, readCobertura, readLcov } from '../../evidence/coverage.js';
import {
  analysisRecordFiles,
  planCoverageImport,
  planSarifImport,
  type UnitMatcher,
  unitMatcher,
} from '../../evidence/import-analysis.js';
import {
  type CaseMapper,
  caseMapperFor,
  type KnownRun,
  knownRun,
  planRunImport,
  type RunMetadata,
  runRecordFiles,
} from '../../evidence/import-run.js';
import { readJUnit } from '../../evidence/junit.js';
import { type PlannedFile, RecordTooLargeError } from '../../evidence/record-files.js';
import { decodeReport, reportSha256 } from '../../evidence/report-encoding.js';
import { readSarif, type SarifReport } from '../../evidence/sarif.js';
import type { EvidenceProblem } from '../../evidence/xml-util.js';
import { prefixFor } from '../../model/config.js';
import { kindSpec } from '../../model/kinds.js';
import { formatBytes, limitsOf, raiseHint } from '../../model/limits.js';
import { TEST_LEVELS } from '../../model/vocabulary.js';
import { calendarDateProblem } from '../../util/calendar-date.js';
import { today } from '../../util/clock.js';
import { createFilesExclusive } from '../../util/new-files.js';
import { withProjectLock } from '../../util/project-lock.js';
import { insideProject } from '../../util/write-guard.js';
import { EXIT, loadOrReport, oneOf, UsageError, warnLock } from '../io.js';
import { writeErr, writeOut } from '../terminal.js';

export interface EvidenceImportOptions {
  dir: string;
  version?: string;
  executedBy?: string;
  environment?: string;
  tool?: string[];
  date?: string;
  level?: string;
  commit?: string;
  into: string;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/**
 * `dossier evidence import`: each JUnit report becomes a test-run record; the same report twice
 * changes nothing. It holds the project lock from reading the records (run ids) to the last write.
 */
export function runEvidenceImport(files: readonly string[], options: EvidenceImportOptions): number {
  return withProjectLock(path.resolve(options.dir), 'dossier evidence import', warnLock, () =>
    importEvidence(files, options),
  );
}

function importEvidence(files: readonly string[], options: EvidenceImportOptions): number {
  if (!options.version)
    throw new UsageError('--version is required: the software version or build the tests ran on (5.7.5 c)');
  const executedBy = options.executedBy ?? process.env.DOSSIER_EXECUTED_BY;
  if (!executedBy) {
    throw new UsageError(
      '--executed-by is required: who ran and recorded the tests (5.7.5 g); or set DOSSIER_EXECUTED_BY',
    );
  }
  const dateProblem = options.date === undefined ? undefined : calendarDateProblem(options.date);
  if (dateProblem) throw new UsageError(`--date: ${dateProblem}`);
  const level = options.level ? oneOf(options.level, TEST_LEVELS, '--level') : undefined;
  // A test or test-run file that did not load would make results unmapped and run ids reused.
  const { project, exitCode } = loadOrReport(options.dir, { refuse: 'import test results' });
  if (!project) return exitCode!;
  const root = path.resolve(options.dir);
  insideProject(root, options.into, options.into);
  const mapCase: CaseMapper = caseMapperFor(project.records);
  const runs: KnownRun[] = project.records.filter((r) => r.kind === 'test-run').map(knownRun);
  const prefix = prefixFor(project.config, 'test-run', kindSpec('test-run').defaultPrefix);
  const analyses: KnownRun[] = project.records.filter((r) => r.kind === 'verification-report').map(knownRun);
  const analysisPrefix = prefixFor(
    project.config,
    'verification-report',
    kindSpec('verification-report').defaultPrefix,
  );
  const units = unitMatcher(project.records.filter((r) => r.kind === 'software-item'));
  const limits = limitsOf(project.config.limits);
  const maxFileBytes = limits.maxFileBytes;
  let failed = false;
  for (const file of files) {
    const absolute = path.resolve(file);
    if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
      writeErr(`error: ${file}: no such file\n`);
      failed = true;
      continue;
    }
    const rel = toPosix(path.relative(root, absolute));
    if (rel.startsWith('..')) {
      writeErr(
        `warning: ${file} is outside the project; archive the report with the records (5.8.7), or the release gate will miss it\n`,
      );
    }
    // Checked before reading: a report is read whole, and parsed in memory several times its size.
    const size = fs.statSync(absolute).size;
    if (size > limits.maxReportBytes) {
      writeErr(
        `${rel}: error: the report is ${formatBytes(size)}, over the limit of ${formatBytes(limits.maxReportBytes)} for a report (limits.maxReportBytes); it was not read, nothing was imported\n  hint: split the test run into several reports; if the report is genuine, ${raiseHint('maxReportBytes')}\n`,
      );
      failed = true;
      continue;
    }
    // The identity of a report is the sha256 of its bytes, as the release gate hashes it
    // (src/cli/evidence-hasher.ts); the text is decoded from them by the report's own encoding.
    const bytes = fs.readFileSync(absolute);
    const sha256 = reportSha256(bytes);
    const decoded = decodeReport(bytes);
    if (!decoded.ok) {
      writeErr(`${rel}: error: ${decoded.message}\n  hint: ${decoded.hint}\n`);
      failed = true;
      continue;
    }
    const text = decoded.text;
    const kind = reportKind(text);
    if (kind !== 'junit') {
      const date = options.date ?? today();
      const metadata = {
        version: options.version,
        date,
        executedBy,
        ...(options.tool ? { tools: options.tool } : {}),
      };
      failed =
        importAnalysis(
          kind,
          { text, sha256 },
          rel,
          root,
          metadata,
          analyses,
          analysisPrefix,
          units,
          options.into,
          limits.maxXmlValueBytes,
          maxFileBytes,
        ) || failed;
      continue;
    }
    const report = readJUnit(text, { maxValueBytes: limits.maxXmlValueBytes });
    for (const p of report.problems) writeErr(problemLine(rel, p));
    if (report.root === undefined) {
      failed = true;
      continue;
    }
    const date = options.date ?? report.environment.timestamps[0]?.slice(0, 10) ?? today();
    const plan = planRunImport({
      report,
      reportFile: rel,
      sha256,
      metadata: {
        version: options.version,
        date,
        executedBy,
        ...(options.environment ? { environment: options.environment } : {}),
        ...(options.tool ? { tools: options.tool } : {}),
        ...(level ? { level } : {}),
        ...(options.commit ? { commit: options.commit } : {}),
      },
      runs,
      prefix,
      mapCase,
    });
    if (plan.kind === 'unchanged') {
      const existing = project.records.find((r) => r.id === plan.runId);
      const recorded = existing ? String(existing.fields.version) : undefined;
      if (recorded && recorded !== options.version) {
        writeErr(
          `warning: ${rel} is already imported as ${plan.runId} for version ${recorded}, not ${options.version}; nothing changed (correct the record if the version was wrong)\n`,
        );
      } else writeOut(`${rel}: already imported as ${plan.runId}; nothing changed\n`);
      continue;
    }
    if (report.cases.length === 0) {
      writeErr(
        `error: ${rel} holds no test cases; a run without results is no evidence, nothing was written\n`,
      );
      failed = true;
      continue;
    }
    const t = report.totals;
    const e = t.byExecution;
    const target = path.join(root, options.into, `${plan.id}.yaml`);
    const title = `${report.name ?? path.basename(rel)} on ${options.version}`;
    const written = writeRecordFiles(root, rel, () =>
      runRecordFiles(plan, title, { rel: toPosix(path.relative(root, target)), maxFileBytes }),
    );
    runs.push({ id: plan.id, sha256 });
    writeOut(
      `${rel} (${report.tool ?? report.format}): ${plural(t.tests, 'test')}, ${plural(e.executions, 'execution')}: ${e.passed} passed${e.flaky > 0 ? ` (${e.flaky} flaky)` : ''}, ${e.failed} failed, ${e.errors} errors, ${e.skipped} skipped → ${toPosix(path.relative(root, target))} (${plan.id})${companionsNote(written)}\n`,
    );
    const warnings = (plan.fields.reportWarnings as string[] | undefined) ?? [];
    for (const warning of warnings) writeOut(`  warning (recorded in reportWarnings): ${warning}\n`);
    for (const name of plan.unmapped.slice(0, MAX_LISTED))
      writeOut(
        `  unmapped: ${name} (name a test id in it, e.g. [TC-012], or add \`patterns\` to the test record)\n`,
      );
    if (plan.unmapped.length > MAX_LISTED)
      writeOut(
        `  … and ${(plan.unmapped.length - MAX_LISTED).toLocaleString('en-US')} more unmapped cases (results without \`test\` in ${plan.id})\n`,
      );
    for (const a of plan.ambiguous) writeOut(`  ambiguous: ${a.name} names ${a.tests.join(', ')}\n`);
  }
  return failed ? EXIT.findings : EXIT.ok;
}

/** Names, files and cases listed one by one; the rest are counted (a report can hold thousands). */
const MAX_LISTED = 20;

/**
 * Writes a new record and its companion files, all or none, after checking each with the loader's
 * own checks (`plan` throws RecordTooLargeError for one it would refuse). Returns the files written,
 * project-relative. The one place an import writes records: the write journal is to take over here.
 */
function writeRecordFiles(root: string, report: string, plan: () => PlannedFile[]): readonly PlannedFile[] {
  let files: PlannedFile[];
  try {
    files = plan();
  } catch (error) {
    if (error instanceof RecordTooLargeError) {
      throw new UsageError(
        `${error.message}, even with its list split into companion files; ${report} was not imported (nothing was written for it). Raise \`limits.maxFileBytes\` in dossier.yaml, or shorten what the report writes (test names, messages)`,
      );
    }
    throw error;
  }
  const created = createFilesExclusive(
    files.map((f) => ({ file: path.join(root, f.rel), content: f.text })),
    { root, owner: 'dossier evidence import' },
  );
  if (!created.ok) {
    throw new UsageError(
      `${toPosix(path.relative(process.cwd(), created.existing))} already exists; ${report} was not imported (nothing was written for it)`,
    );
  }
  return files;
}

/** " with 2 companion files (RUN-004.results-2.yaml, RUN-004.results-3.yaml)" when the record was split. */
function companionsNote(files: readonly PlannedFile[]): string {
  return files.length > 1
    ? ` with ${plural(files.length - 1, 'companion file')} (${files
        .slice(1)
        .map((f) => path.posix.basename(f.rel))
        .join(', ')})`
    : '';
}

type ReportKind = 'junit' | 'sarif' | 'lcov' | 'cobertura';

/** `file:line: severity: message`, then the problem's hint when it has one. */
function problemLine(rel: string, p: EvidenceProblem): string {
  return `${rel}${p.line ? `:${p.line}` : ''}: ${p.severity}: ${p.message}${p.hint ? `\n  hint: ${p.hint}` : ''}\n`;
}

/** Which reader a report needs, from its content (names vary too much to trust). */
export function reportKind(text: string): ReportKind {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  if (/^\s*\{/.test(head) && /"runs"\s*:/.test(text.slice(0, 65536))) return 'sarif';
  if (/^(TN|SF):/m.test(head)) return 'lcov';
  if (/<coverage[\s>]/.test(head)) return 'cobertura';
  return 'junit';
}

/** Imports a coverage or static-analysis report; returns true when it failed. */
function importAnalysis(
  kind: Exclude<ReportKind, 'junit'>,
  { text, sha256 }: { text: string; sha256: string },
  rel: string,
  root: string,
  metadata: RunMetadata,
  known: KnownRun[],
  prefix: string,
  units: UnitMatcher,
  into: string,
  maxValueBytes: number,
  maxFileBytes: number,
): boolean {
  const report =
    kind === 'sarif'
      ? readSarif(text)
      : kind === 'lcov'
        ? readLcov(text)
        : readCobertura(text, { maxValueBytes });
  for (const p of report.problems) writeErr(problemLine(rel, p));
  if (report.problems.some((p) => p.severity === 'error')) return true;
  const input = { file: rel, sha256, metadata, known, prefix, units };
  const plan =
    kind === 'sarif'
      ? planSarifImport({ ...input, report: report as SarifReport })
      : planCoverageImport({ ...input, report: report as CoverageReport });
  if (plan.kind === 'unchanged') {
    writeOut(`${rel}: already imported as ${plan.id}; nothing changed\n`);
    return false;
  }
  const target = path.join(root, into, `${plan.id}.yaml`);
  const title = `${kind === 'sarif' ? 'Static analysis' : 'Coverage'} of ${metadata.version}`;
  const written = writeRecordFiles(root, rel, () =>
    analysisRecordFiles(plan.id, title, plan.fields!, {
      rel: toPosix(path.relative(root, target)),
      maxFileBytes,
    }),
  );
  known.push({ id: plan.id, sha256 });
  const units_ = (plan.fields!.units as unknown[]).length;
  writeOut(
    `${rel} (${kind}): ${units_} unit(s) → ${toPosix(path.relative(root, target))} (${plan.id})${companionsNote(written)}\n`,
  );
  for (const f of plan.unmatchedFiles.slice(0, MAX_LISTED)) writeOut(`  no unit's sourceFiles match ${f}\n`);
  if (plan.unmatchedFiles.length > MAX_LISTED)
    writeOut(`  … and ${plan.unmatchedFiles.length - MAX_LISTED} more files\n`);
  return false;
}
