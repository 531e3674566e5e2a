import fs from 'node:fs';
import path from 'node:path';
import { plural } from '../../diagnostics/format.js';
import { type CoverageReport, readCobertura, readLcov } from '../../evidence/coverage.js';
import { resultMapper } from '../../evidence/evidence-id.js';
import {
  analysisFileText,
  planCoverageImport,
  planSarifImport,
  type UnitMatcher,
  unitMatcher,
} from '../../evidence/import-analysis.js';
import {
  type CaseMapper,
  type KnownRun,
  knownRun,
  planRunImport,
  type RunMetadata,
  runFileText,
} from '../../evidence/import-run.js';
import { readJUnit } from '../../evidence/junit.js';
import { decodeReport } from '../../evidence/report-encoding.js';
import { readSarif, type SarifReport } from '../../evidence/sarif.js';
import { prefixFor } from '../../model/config.js';
import { kindSpec } from '../../model/kinds.js';
import { TEST_LEVELS } from '../../model/vocabulary.js';
import { createFileExclusive } from '../../util/atomic-write.js';
import { reportSha256 } from '../evidence-hasher.js';
import { EXIT, loadOrReport, oneOf, UsageError } from '../io.js';

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

/** `dossier evidence import`: each JUnit report becomes a test-run record; the same report twice changes nothing. */
export function runEvidenceImport(files: readonly string[], options: EvidenceImportOptions): number {
  if (!options.version)
    throw new UsageError('--version is required: the software version or build the tests ran on (5.7.5 c)');
  const executedBy = options.executedBy ?? process.env.DOSSIER_EXECUTED_BY;
  if (!executedBy) {
    throw new UsageError(
      '--executed-by is required: who ran and recorded the tests (5.7.5 g); or set DOSSIER_EXECUTED_BY',
    );
  }
  if (options.date && !/^\d{4}-\d{2}-\d{2}$/.test(options.date))
    throw new UsageError(`--date must be YYYY-MM-DD (got "${options.date}")`);
  const level = options.level ? oneOf(options.level, TEST_LEVELS, '--level') : undefined;
  // A test or test-run file that did not load would make results unmapped and run ids reused.
  const { project, exitCode } = loadOrReport(options.dir, { refuse: 'import test results' });
  if (!project) return exitCode!;
  const root = path.resolve(options.dir);
  const tests = project.records
    .filter((r) => r.kind === 'test')
    .map((t) => ({
      id: t.id,
      ...(Array.isArray(t.fields.patterns) ? { patterns: t.fields.patterns as string[] } : {}),
    }));
  const mapper = resultMapper(tests);
  const mapCase: CaseMapper = (c) => {
    const mapped = mapper(c);
    if (!mapped) return [];
    return Array.isArray(mapped) ? mapped.map((m) => m.testId) : [(mapped as { testId: string }).testId];
  };
  const runs: KnownRun[] = project.records.filter((r) => r.kind === 'test-run').map(knownRun);
  const prefix = prefixFor(project.config, 'test-run', kindSpec('test-run').defaultPrefix);
  const analyses: KnownRun[] = project.records.filter((r) => r.kind === 'verification-report').map(knownRun);
  const analysisPrefix = prefixFor(
    project.config,
    'verification-report',
    kindSpec('verification-report').defaultPrefix,
  );
  const units = unitMatcher(project.records.filter((r) => r.kind === 'software-item'));
  let failed = false;
  for (const file of files) {
    const absolute = path.resolve(file);
    if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
      process.stderr.write(`error: ${file}: no such file\n`);
      failed = true;
      continue;
    }
    const rel = toPosix(path.relative(root, absolute));
    if (rel.startsWith('..')) {
      process.stderr.write(
        `warning: ${file} is outside the project; archive the report with the records (5.8.7), or the release gate will miss it\n`,
      );
    }
    // The identity of a report is the sha256 of its bytes, as the release gate hashes it
    // (src/cli/evidence-hasher.ts); the text is decoded from them by the report's own encoding.
    const bytes = fs.readFileSync(absolute);
    const sha256 = reportSha256(bytes);
    const decoded = decodeReport(bytes);
    if (!decoded.ok) {
      process.stderr.write(`${rel}: error: ${decoded.message}\n  hint: ${decoded.hint}\n`);
      failed = true;
      continue;
    }
    const text = decoded.text;
    const kind = reportKind(text);
    if (kind !== 'junit') {
      const date = options.date ?? new Date().toISOString().slice(0, 10);
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
        ) || failed;
      continue;
    }
    const report = readJUnit(text);
    for (const p of report.problems) {
      process.stderr.write(`${rel}${p.line ? `:${p.line}` : ''}: ${p.severity}: ${p.message}\n`);
    }
    if (report.root === undefined) {
      failed = true;
      continue;
    }
    const date =
      options.date ?? report.environment.timestamps[0]?.slice(0, 10) ?? new Date().toISOString().slice(0, 10);
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
        process.stderr.write(
          `warning: ${rel} is already imported as ${plan.runId} for version ${recorded}, not ${options.version}; nothing changed (correct the record if the version was wrong)\n`,
        );
      } else process.stdout.write(`${rel}: already imported as ${plan.runId}; nothing changed\n`);
      continue;
    }
    if (report.cases.length === 0) {
      process.stderr.write(
        `error: ${rel} holds no test cases; a run without results is no evidence, nothing was written\n`,
      );
      failed = true;
      continue;
    }
    const t = report.totals;
    const e = t.byExecution;
    const target = path.join(root, options.into, `${plan.id}.yaml`);
    const title = `${report.name ?? path.basename(rel)} on ${options.version}`;
    if (!createFileExclusive(target, runFileText(plan, title))) {
      throw new UsageError(
        `${toPosix(path.relative(process.cwd(), target))} already exists; nothing was written`,
      );
    }
    runs.push({ id: plan.id, sha256 });
    process.stdout.write(
      `${rel} (${report.tool ?? report.format}): ${plural(t.tests, 'test')}, ${plural(e.executions, 'execution')}: ${e.passed} passed${e.flaky > 0 ? ` (${e.flaky} flaky)` : ''}, ${e.failed} failed, ${e.errors} errors, ${e.skipped} skipped → ${toPosix(path.relative(root, target))} (${plan.id})\n`,
    );
    const warnings = (plan.fields.reportWarnings as string[] | undefined) ?? [];
    for (const warning of warnings)
      process.stdout.write(`  warning (recorded in reportWarnings): ${warning}\n`);
    for (const name of plan.unmapped)
      process.stdout.write(
        `  unmapped: ${name} (name a test id in it, e.g. [TC-012], or add \`patterns\` to the test record)\n`,
      );
    for (const a of plan.ambiguous)
      process.stdout.write(`  ambiguous: ${a.name} names ${a.tests.join(', ')}\n`);
  }
  return failed ? EXIT.findings : EXIT.ok;
}

type ReportKind = 'junit' | 'sarif' | 'lcov' | 'cobertura';

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
): boolean {
  const report = kind === 'sarif' ? readSarif(text) : kind === 'lcov' ? readLcov(text) : readCobertura(text);
  for (const p of report.problems)
    process.stderr.write(`${rel}${p.line ? `:${p.line}` : ''}: ${p.severity}: ${p.message}\n`);
  if (report.problems.some((p) => p.severity === 'error')) return true;
  const input = { file: rel, sha256, metadata, known, prefix, units };
  const plan =
    kind === 'sarif'
      ? planSarifImport({ ...input, report: report as SarifReport })
      : planCoverageImport({ ...input, report: report as CoverageReport });
  if (plan.kind === 'unchanged') {
    process.stdout.write(`${rel}: already imported as ${plan.id}; nothing changed\n`);
    return false;
  }
  const target = path.join(root, into, `${plan.id}.yaml`);
  const title = `${kind === 'sarif' ? 'Static analysis' : 'Coverage'} of ${metadata.version}`;
  if (!createFileExclusive(target, analysisFileText(plan.id, title, plan.fields!))) {
    throw new UsageError(
      `${toPosix(path.relative(process.cwd(), target))} already exists; nothing was written`,
    );
  }
  known.push({ id: plan.id, sha256 });
  const units_ = (plan.fields!.units as unknown[]).length;
  process.stdout.write(
    `${rel} (${kind}): ${units_} unit(s) → ${toPosix(path.relative(root, target))} (${plan.id})\n`,
  );
  for (const f of plan.unmatchedFiles.slice(0, 20))
    process.stdout.write(`  no unit's sourceFiles match ${f}\n`);
  if (plan.unmatchedFiles.length > 20)
    process.stdout.write(`  … and ${plan.unmatchedFiles.length - 20} more files\n`);
  return false;
}
