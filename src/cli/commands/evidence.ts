import fs from 'node:fs';
import path from 'node:path';
import { mapResultToTest, sha256OfText } from '../../evidence/evidence-id.js';
import {
  type CaseMapper,
  type KnownRun,
  knownRun,
  planRunImport,
  runFileText,
} from '../../evidence/import-run.js';
import { readJUnit } from '../../evidence/junit.js';
import { prefixFor } from '../../model/config.js';
import { kindSpec } from '../../model/kinds.js';
import { TEST_LEVELS } from '../../model/vocabulary.js';
import { createFileExclusive } from '../../util/atomic-write.js';
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
  const { project, exitCode } = loadOrReport(options.dir);
  if (!project) return exitCode!;
  const root = path.resolve(options.dir);
  const tests = project.records
    .filter((r) => r.kind === 'test')
    .map((t) => ({
      id: t.id,
      ...(Array.isArray(t.fields.patterns) ? { patterns: t.fields.patterns as string[] } : {}),
    }));
  const mapCase: CaseMapper = (c) => {
    const mapped = mapResultToTest(c, tests);
    if (!mapped) return [];
    return Array.isArray(mapped) ? mapped.map((m) => m.testId) : [(mapped as { testId: string }).testId];
  };
  const runs: KnownRun[] = project.records.filter((r) => r.kind === 'test-run').map(knownRun);
  const prefix = prefixFor(project.config, 'test-run', kindSpec('test-run').defaultPrefix);
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
    const text = fs.readFileSync(absolute, 'utf8');
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
      sha256: sha256OfText(text),
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
      process.stdout.write(`${rel}: already imported as ${plan.runId}; nothing changed\n`);
      continue;
    }
    const t = report.totals;
    const target = path.join(root, options.into, `${plan.id}.yaml`);
    const title = `${report.name ?? path.basename(rel)} on ${options.version}`;
    if (!createFileExclusive(target, runFileText(plan, title))) {
      throw new UsageError(
        `${toPosix(path.relative(process.cwd(), target))} already exists; nothing was written`,
      );
    }
    runs.push({ id: plan.id, sha256: sha256OfText(text) });
    process.stdout.write(
      `${rel} (${report.tool ?? report.format}): ${t.tests} cases, ${t.passed} passed, ${t.failed} failed, ${t.errors} errors, ${t.skipped} skipped → ${toPosix(path.relative(root, target))} (${plan.id})\n`,
    );
    for (const name of plan.unmapped)
      process.stdout.write(
        `  unmapped: ${name} (name a test id in it, e.g. [TC-012], or add \`patterns\` to the test record)\n`,
      );
    for (const a of plan.ambiguous)
      process.stdout.write(`  ambiguous: ${a.name} names ${a.tests.join(', ')}\n`);
  }
  return failed ? EXIT.findings : EXIT.ok;
}
