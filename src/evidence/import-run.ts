/**
 * A test report becomes one `test-run` evidence record (IEC 62304 5.7.5 a–g): the version tested,
 * date, environment, tools, who ran it, the report's sha256, and one result per execution (each
 * `testcase` element) mapped to the test records. Importing the same report again changes nothing
 * (same sha256).
 *
 * Repeated names (TestNG data providers, Jest tests with equal titles, parametrised tests, reruns
 * written as separate elements) are separate executions, each with its own result, so the record's
 * `totals` equal the report's own: `tests` counts distinct names, `executions` the elements, and
 * `passed`/`failed`/`errors`/`skipped` count executions. The gate then takes the worst result of a
 * test id within a run (verdicts.ts). What the reader found wrong with the report, such as declared
 * totals that disagree with its testcases, is kept in `reportWarnings`.
 */
import { idAllocator } from '../model/next-id.js';
import type { DossierRecord } from '../model/record.js';
import type { TestOutcome } from '../model/vocabulary.js';
import { yamlCommentText } from '../util/yaml-comment.js';
import { resultMapper, type TestRecordRef } from './evidence-id.js';
import type { JUnitCase, JUnitReport } from './junit.js';
import { evidenceRecordFiles, type PlannedFile } from './record-files.js';

export interface RunMetadata {
  readonly version: string;
  readonly date: string;
  readonly executedBy: string;
  readonly environment?: string;
  readonly tools?: readonly string[];
  readonly level?: string;
  readonly commit?: string;
}

export interface ImportedRun {
  readonly id: string;
  readonly fields: Record<string, unknown>;
  /** Cases that map to no test record (reported, and kept in the record without a test id). */
  readonly unmapped: readonly string[];
  /** Cases that name several test records. */
  readonly ambiguous: readonly { readonly name: string; readonly tests: readonly string[] }[];
}

export type RunImportPlan =
  | { readonly kind: 'unchanged'; readonly runId: string }
  | ({ readonly kind: 'create' } & ImportedRun);

/** What an import needs to know of the runs already recorded: their ids and report hashes. */
export interface KnownRun {
  readonly id: string;
  readonly sha256?: string;
}

export function knownRun(run: DossierRecord): KnownRun {
  const sha256 = (run.fields.report as { sha256?: string } | undefined)?.sha256;
  return { id: run.id, ...(sha256 ? { sha256 } : {}) };
}

/** How a case maps to test ids: one id, several (ambiguous), or none. */
export type CaseMapper = (testCase: JUnitCase) => readonly string[];

/**
 * The mapper an import uses, over the test records of the project (their ids and `patterns`). The
 * release gate builds the same one to check that each recorded `test` is the one the report names.
 */
export function caseMapperFor(testRecords: readonly DossierRecord[]): CaseMapper {
  const refs: TestRecordRef[] = testRecords
    .filter((r) => r.kind === 'test')
    .map((t) => ({
      id: t.id,
      ...(Array.isArray(t.fields.patterns) ? { patterns: t.fields.patterns as string[] } : {}),
    }));
  const mapper = resultMapper(refs);
  return (c) => {
    const mapped = mapper(c);
    if (!mapped) return [];
    return Array.isArray(mapped) ? mapped.map((m) => m.testId) : [(mapped as { testId: string }).testId];
  };
}

/** Suite › classname › name, leaving out a classname that repeats the suite or the name (CTest). */
export function caseName(c: JUnitCase): string {
  const classname =
    c.classname && c.classname !== c.suite && c.classname !== c.name ? c.classname : undefined;
  return [c.suite, classname, c.name].filter(Boolean).join(' › ');
}

/** The record that already holds a report with this sha256: importing it again changes nothing. */
export function alreadyImported(known: readonly KnownRun[], sha256: string): KnownRun | undefined {
  return known.find((k) => k.sha256 === sha256);
}

/** The next free `PREFIX-NNN` after the highest number among the records already there. */
export function nextEvidenceId(runs: readonly KnownRun[], prefix: string): string {
  return idAllocator(
    runs.map((r) => r.id),
    prefix,
  )();
}

export function planRunImport(input: {
  readonly report: JUnitReport;
  readonly reportFile: string;
  readonly sha256: string;
  readonly metadata: RunMetadata;
  readonly runs: readonly KnownRun[];
  readonly prefix: string;
  readonly mapCase: CaseMapper;
}): RunImportPlan {
  const same = alreadyImported(input.runs, input.sha256);
  if (same) return { kind: 'unchanged', runId: same.id };
  const unmapped: string[] = [];
  const ambiguous: { name: string; tests: string[] }[] = [];
  const results = input.report.cases.flatMap((c) => {
    const tests = input.mapCase(c);
    const name = caseName(c);
    if (tests.length === 0) unmapped.push(name);
    if (tests.length > 1) ambiguous.push({ name, tests: [...tests] });
    return c.executions.map((e) => ({
      ...(tests.length === 1 ? { test: tests[0] } : {}),
      case: name,
      outcome: e.outcome as TestOutcome,
      ...(e.outcome !== 'passed' && e.message ? { message: e.message.slice(0, 500) } : {}),
      ...(e.flaky ? { flaky: true } : {}),
    }));
  });
  const t = input.report.totals;
  const e = t.byExecution;
  const totals = {
    tests: t.tests,
    executions: e.executions,
    passed: e.passed,
    failed: e.failed,
    errors: e.errors,
    skipped: e.skipped,
    ...(e.flaky > 0 ? { flaky: e.flaky } : {}),
  };
  const reportWarnings = input.report.problems.filter((p) => p.severity === 'warning').map((p) => p.message);
  const m = input.metadata;
  const tools = m.tools && m.tools.length > 0 ? m.tools : input.report.tool ? [input.report.tool] : undefined;
  const fields: Record<string, unknown> = {
    version: m.version,
    ...(m.commit ? { commit: m.commit } : {}),
    date: m.date,
    executedBy: m.executedBy,
    ...(m.environment ? { environment: m.environment } : {}),
    ...(tools ? { tools: [...tools] } : {}),
    ...(m.level ? { level: m.level } : {}),
    report: { file: input.reportFile, sha256: input.sha256, format: input.report.format },
    totals,
    ...(reportWarnings.length > 0 ? { reportWarnings } : {}),
    results,
  };
  return { kind: 'create', id: nextEvidenceId(input.runs, input.prefix), fields, unmapped, ambiguous };
}

/**
 * The files of a new run: a one-record collection, so the results stay tabular, and companion files
 * for the results that do not fit within the loader's limit (src/evidence/record-files.ts). Throws
 * RecordTooLargeError when even split it would not load.
 */
export function runRecordFiles(
  run: ImportedRun,
  title: string,
  target: { readonly rel: string; readonly maxFileBytes: number },
): PlannedFile[] {
  const reportFile = String((run.fields.report as { file: string }).file);
  const header = `# Imported by \`dossier evidence import\` from ${yamlCommentText(reportFile)}.\n# Review it, add anomalies: [PR-…] for problem reports raised from this run (5.6.8, 5.7.2),\n# then set status: approved.\n`;
  return evidenceRecordFiles({
    kind: 'test-run',
    record: { id: run.id, title, status: 'draft', ...run.fields },
    list: 'results',
    header,
    companionAbout: `Results of ${run.id}, imported from ${reportFile}`,
    rel: target.rel,
    maxFileBytes: target.maxFileBytes,
    // The results of test records are what the trace and the gate's verdicts read: first in the run.
    preferInRecord: (result) => (result as { test?: string }).test !== undefined,
  });
}
