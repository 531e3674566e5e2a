/**
 * `dossier self-validate --out DIR` (issue 17 §2; docs/validation.md): runs the acceptance suite
 * shipped in the package (validation/acceptance/*.test.mjs, node:test) against the package's own
 * command-line interface, and writes the Tool Validation Report with the results, the environment
 * and the places the user must complete. Fails closed: exit 1 unless every acceptance test passed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJUnit } from '../../evidence/junit.js';
import { loadProject } from '../../load/project.js';
import type { TestOutcome } from '../../model/vocabulary.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { resolveBuildDate } from '../../util/build-date.js';
import { gitHeadCommit } from '../../util/git.js';
import { packageRoot } from '../../util/package-files.js';
import { acceptanceSuiteDir, kitOf, validationProjectDir } from '../../validation/kit.js';
import {
  type CaseResult,
  renderToolValidationReport,
  toolValidationReport,
  type ValidationEnvironment,
  validationVerdict,
} from '../../validation/tool-validation-report.js';
import { DOSSIER_VERSION } from '../../version.js';
import { EXIT, UsageError } from '../io.js';
import { writeErr, writeOut } from '../terminal.js';

export interface SelfValidateOptions {
  readonly out: string;
}

/** The environment variable that points the suite at another CLI (the suite's own test, TC-010). */
export const CLI_OVERRIDE = 'DOSSIER_SELF_VALIDATE_CLI';

const ID_IN_NAME = /^\[([A-Z][A-Z0-9]*-\d+)\]/;

/** The acceptance cases of a JUnit report written by node:test, mapped by the `[TC-…]` in their names. */
export function casesOfReport(xml: string): { cases: CaseResult[]; problem?: string } {
  const report = readJUnit(xml);
  const errors = report.problems.filter((p) => p.severity === 'error');
  if (report.root === undefined || errors.length > 0) {
    return {
      cases: [],
      problem: `the suite's JUnit report could not be read: ${errors[0]?.message ?? 'no report'}`,
    };
  }
  const cases = report.cases.map((c) => {
    const id = ID_IN_NAME.exec(c.name)?.[1];
    const outcome: TestOutcome = c.outcome;
    return {
      name: c.suite ? `${c.suite} › ${c.name}` : c.name,
      ...(id ? { testId: id } : {}),
      outcome,
      ...(c.message || c.details ? { message: c.message ?? c.details } : {}),
    };
  });
  return { cases };
}

function environment(cli: string, override: string | undefined): ValidationEnvironment {
  const root = packageRoot();
  // Only for a clone of Dossier's own repository: an installed package inside a user's repository
  // would otherwise report the user's commit.
  const commit = fs.existsSync(path.join(root, '.git')) ? gitHeadCommit(root) : undefined;
  return {
    dossierVersion: DOSSIER_VERSION,
    node: process.version,
    os: `${os.type()} ${os.release()} (${process.platform}, ${process.arch})`,
    ...(commit ? { commit } : {}),
    cli,
    ...(override ? { cliOverride: override } : {}),
  };
}

export function runSelfValidate(options: SelfValidateOptions): number {
  if (!options.out)
    throw new UsageError('--out is required: the folder to write the Tool Validation Report to');
  const suiteDir = acceptanceSuiteDir();
  const suite = fs.existsSync(suiteDir)
    ? fs
        .readdirSync(suiteDir)
        .filter((f) => f.endsWith('.test.mjs'))
        .sort()
    : [];
  if (suite.length === 0) {
    throw new UsageError(
      `Dossier's installation is incomplete: no acceptance suite in ${suiteDir} (validation/acceptance/*.test.mjs); reinstall it`,
    );
  }
  const loaded = loadProject(validationProjectDir());
  if (!loaded.ok || loaded.project.unloaded.length > 0) {
    throw new UsageError(
      `Dossier's validation kit (${validationProjectDir()}) does not load; reinstall Dossier (run \`dossier check ${validationProjectDir()}\` to see why)`,
    );
  }
  const project = loaded.project;
  const out = path.resolve(options.out);
  fs.mkdirSync(out, { recursive: true });
  const junitFile = path.join(out, 'acceptance-junit.xml');
  fs.rmSync(junitFile, { force: true });

  const override = process.env[CLI_OVERRIDE] || undefined;
  const cli = override ? path.resolve(override) : path.join(packageRoot(), 'dist', 'cli', 'main.js');
  writeErr(`Running the acceptance suite (${suite.length} file(s)) against ${cli} …\n`);
  if (override) writeErr(`warning: ${CLI_OVERRIDE} is set: the suite tests ${cli}, not this package's CLI\n`);
  // The one other program Dossier runs: Node.js itself, without a shell, on the acceptance files
  // shipped in the package (names from its own folder). Nothing from a record reaches the
  // arguments; from the command line only the --out folder does, inside
  // `--test-reporter-destination=`, where it cannot be read as an option.
  const runner = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stderr',
      '--test-reporter=junit',
      `--test-reporter-destination=${junitFile}`,
      ...suite.map((f) => path.join(suiteDir, f)),
    ],
    { cwd: os.tmpdir(), stdio: ['ignore', 'inherit', 'inherit'], env: process.env },
  );

  let cases: CaseResult[] = [];
  let runnerProblem: string | undefined;
  if (runner.error) runnerProblem = `the test runner could not start: ${runner.error.message}`;
  else if (!fs.existsSync(junitFile)) runnerProblem = 'the test runner wrote no JUnit report';
  else {
    const read = casesOfReport(fs.readFileSync(junitFile, 'utf8'));
    cases = read.cases;
    runnerProblem = read.problem;
  }
  const date = resolveBuildDate({
    sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
    commitDate: () => undefined,
    now: () => new Date(),
  }).timestamp;
  const kit = kitOf(project);
  const run = {
    source: 'self-validate' as const,
    cases,
    ...(runner.status !== null ? { runnerExit: runner.status } : { runnerExit: -1 }),
    ...(runnerProblem ? { runnerProblem } : {}),
    date,
    environment: environment(cli, override),
  };
  const doc = toolValidationReport(kit, run, {
    device: 'Dossier',
    manufacturer: project.config.device.manufacturer,
    version: DOSSIER_VERSION,
  });
  const { markdown, html } = renderToolValidationReport(doc);
  const verdict = validationVerdict(kit, run);
  writeFileAtomic(path.join(out, 'tool-validation-report.md'), markdown);
  writeFileAtomic(path.join(out, 'tool-validation-report.html'), html);
  writeFileAtomic(
    path.join(out, 'tool-validation-report.json'),
    `${JSON.stringify({ schemaVersion: 1, passed: verdict.passed, counts: verdict.counts, reasons: verdict.reasons, environment: run.environment, date, cases }, null, 2)}\n`,
  );
  const relative = path.relative(process.cwd(), out);
  const shown = relative === '' ? '.' : relative.startsWith('..') ? out : relative;
  writeOut(
    `${verdict.passed ? '✔ PASS' : '✖ FAIL'}: ${verdict.counts.passed} of ${kit.tests.length} acceptance tests passed` +
      `${verdict.passed ? '' : `\n  ${verdict.reasons.join('\n  ')}`}\n` +
      `Wrote ${shown}/tool-validation-report.md, .html, .json and acceptance-junit.xml; complete and approve the report (docs/validation.md)\n`,
  );
  return verdict.passed ? EXIT.ok : EXIT.findings;
}
