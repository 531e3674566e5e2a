/**
 * The verification-evidence readers (src/evidence): JUnit XML against the oracles of
 * EnricoMi/publish-unit-test-result-action in ../shared, hand-written fixtures for the flavours
 * the oracles do not cover, coverage (lcov, Cobertura), SARIF, mapping results to test records,
 * and properties: no input makes a reader throw.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCobertura, readLcov } from '../src/evidence/coverage.js';
import {
  globMatches,
  mapResultToTest,
  sha256OfText,
  type TestRecordRef,
} from '../src/evidence/evidence-id.js';
import { planRunImport } from '../src/evidence/import-run.js';
import { type JUnitCase, type JUnitReport, readJUnit } from '../src/evidence/junit.js';
import { readSarif } from '../src/evidence/sarif.js';
import { verdictsOn } from '../src/evidence/verdicts.js';
import { makeRecord, REPO } from './helpers.js';

const JUNIT_DATA = path.resolve(REPO, '../shared/data/junit');
const FIXTURES = path.join(REPO, 'test/fixtures/evidence');
const present = fs.existsSync(JUNIT_DATA);
if (!present)
  console.warn(`[skip] ${JUNIT_DATA} is absent (a fresh clone has no ../shared): JUnit oracle tests skipped`);

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    )
    .sort();
}

// ---------------------------------------------------------------------------------------------
// The oracle: `*.results.json` as written by publish-unit-test-result-action for each `*.xml`.

interface OracleStats {
  readonly errors: readonly { readonly file: string; readonly message: string }[];
  readonly suites: number;
  readonly duration: number;
  readonly tests: number;
  readonly tests_succ: number;
  readonly tests_skip: number;
  readonly tests_fail: number;
  readonly tests_error: number;
  readonly runs: number;
  readonly runs_succ: number;
  readonly runs_skip: number;
  readonly runs_fail: number;
  readonly runs_error: number;
}
interface OracleAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  readonly title?: string;
  readonly raw_details?: string;
}
interface Oracle {
  readonly stats: OracleStats;
  readonly annotations: readonly OracleAnnotation[];
}

/** The action replaces code points above U+FFFF by `\U0001f600` (GitHub's API refuses them). */
function restrictUnicode(text: string): string {
  return [...text]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : c;
    })
    .join('');
}

/** The action's test name: `classname ‑ name` (U+2011) or the name alone. */
function oracleName(c: JUnitCase): string {
  const token = ' \u2011 ';
  const parts = [c.classname, c.name || 'Unknown test'].filter((p): p is string => !!p);
  return restrictUnicode(parts.map((p) => p.replaceAll(token, ' \u2010 ')).join(token));
}

function listed(oracle: Oracle, label: RegExp): string[] {
  return oracle.annotations
    .filter((a) => a.annotation_level === 'notice' && a.path === '.github' && label.test(a.title ?? ''))
    .flatMap((a) => (a.raw_details ?? '').split('\n'))
    .filter((line) => line !== '')
    .sort();
}

/** The action's annotation for a failed or errored test, from our case. */
function expectedAnnotation(c: JUnitCase) {
  const state = c.outcome === 'error' ? 'with error' : 'failed';
  const base = c.classname ? `${c.name} (${c.classname})` : c.name || 'Unknown test';
  const same = (c.attempts ?? [{ outcome: c.outcome }]).filter((a) => a.outcome === c.outcome).length;
  const title =
    c.runs > 1
      ? same === c.runs
        ? `All ${c.runs} runs ${state}: ${base}`
        : `${same} out of ${c.runs} runs ${state}: ${base}`
      : `${base} ${state}`;
  return {
    title: restrictUnicode(title),
    path: c.file ?? c.classname ?? '/',
    start_line: c.line ?? 0,
    annotation_level: c.outcome === 'error' ? 'failure' : 'warning',
  };
}

const squash = (text: string) => restrictUnicode(text).replace(/\s+/g, ' ').trim();

/**
 * The oracle's "runs" family is what each top-level suite declares, as junitparser reads it:
 * `tests`, `skipped`, `failures`, `errors`, `time` in this order, and the first attribute that is
 * missing makes junitparser recount everything from the cases, overwriting the attributes still to
 * be read (so xunit.xml's declared `time="2.407"` becomes the cases' 0.458 s). The action also adds
 * `disabled` to `skipped` only when `skipped` is non-zero. The reader reports each attribute as
 * written (`declared`) and as counted (`counted`); these quirks are reproduced here, not there.
 */
function oracleSuiteCounts(report: JUnitReport) {
  const sum = { tests: 0, skipped: 0, failures: 0, errors: 0, durationS: 0 };
  for (const suite of report.suites.filter((s) => s.depth === 0)) {
    let recounted = false;
    const pick = (key: 'tests' | 'skipped' | 'failures' | 'errors' | 'durationS') => {
      const declared = suite.declared[key];
      if (declared === undefined) recounted = true;
      return recounted || declared === undefined ? suite.counted[key] : declared;
    };
    sum.tests += pick('tests');
    const skipped = pick('skipped');
    sum.skipped += skipped + (skipped > 0 ? (suite.declared.disabled ?? 0) : 0);
    sum.failures += pick('failures');
    sum.errors += pick('errors');
    sum.durationS += pick('durationS');
  }
  return sum;
}

describe.skipIf(!present)('readJUnit agrees with the publish-unit-test-result-action oracles', () => {
  const files = present ? walk(JUNIT_DATA).filter((f) => f.endsWith('.xml')) : [];
  const withOracle = files.filter((f) => fs.existsSync(f.replace(/\.xml$/, '.results.json')));

  it('finds the oracle files', () => {
    expect(withOracle.length).toBeGreaterThanOrEqual(28);
  });

  for (const file of withOracle) {
    const rel = path.relative(JUNIT_DATA, file);
    it(rel, () => {
      const oracle = JSON.parse(fs.readFileSync(file.replace(/\.xml$/, '.results.json'), 'utf8')) as Oracle;
      const report = readJUnit(fs.readFileSync(file, 'utf8'));
      const { stats } = oracle;

      // Files the action could not read are errors for us too, with no cases.
      const errors = report.problems.filter((p) => p.severity === 'error');
      expect(errors.length > 0, JSON.stringify(report.problems)).toBe(stats.errors.length > 0);
      if (stats.errors.length > 0) {
        expect(report.cases).toEqual([]);
        expect(report.totals.tests).toBe(0);
        return;
      }

      // Tests: distinct identities and their aggregated outcomes.
      const runs = oracleSuiteCounts(report);
      expect({
        tests: report.totals.tests,
        tests_succ: report.totals.passed,
        tests_skip: report.totals.skipped,
        tests_fail: report.totals.failed,
        tests_error: report.totals.errors,
        suites: report.totals.suites,
        duration: Math.floor(runs.durationS),
      }).toEqual({
        tests: stats.tests,
        tests_succ: stats.tests_succ,
        tests_skip: stats.tests_skip,
        tests_fail: stats.tests_fail,
        tests_error: stats.tests_error,
        suites: stats.suites,
        duration: stats.duration,
      });
      // Runs: the suites' declared counts, read the way junitparser reads them.
      expect({
        runs: runs.tests,
        runs_succ: runs.tests - runs.skipped - runs.failures - runs.errors,
        runs_skip: runs.skipped,
        runs_fail: runs.failures,
        runs_error: runs.errors,
      }).toEqual({
        runs: stats.runs,
        runs_succ: stats.runs_succ,
        runs_skip: stats.runs_skip,
        runs_fail: stats.runs_fail,
        runs_error: stats.runs_error,
      });
      // The declared total of tests never depends on those quirks (it is read first).
      expect(report.declared.tests).toBe(stats.runs);

      // Per case: the lists of all and of skipped tests (the action drops nameless cases).
      const named = report.cases.filter((c) => c.name !== '' || c.classname !== undefined);
      expect(named.map(oracleName).sort()).toEqual(listed(oracle, /^\d+ tests? found/));
      expect(
        named
          .filter((c) => c.outcome === 'skipped')
          .map(oracleName)
          .sort(),
      ).toEqual(listed(oracle, /^\d+ skipped tests? found/));
      // Per case: one annotation per failed or errored test, with its file, line and message.
      const actual = oracle.annotations
        .filter((a) => a.annotation_level !== 'notice' && a.title !== 'Error processing result file')
        .filter((a) => !a.title?.startsWith('Logging on'));
      const failing = named.filter((c) => c.outcome === 'failed' || c.outcome === 'error');
      const key = (a: { title?: string; path: string; start_line: number; annotation_level: string }) =>
        `${a.annotation_level}|${a.title}|${a.path}|${a.start_line}`;
      expect(failing.map(expectedAnnotation).map(key).sort()).toEqual(actual.map(key).sort());
      for (const c of failing) {
        const annotation = actual.find((a) => a.title === expectedAnnotation(c).title);
        const details = squash(annotation?.raw_details ?? '');
        const ours = [c.message, c.details].filter((t): t is string => t !== undefined).map(squash);
        if (ours.length > 0)
          expect(
            ours.some((t) => details.includes(t)),
            `${c.name}: ${details}`,
          ).toBe(true);
      }
    });
  }

  it('reports the truncated pytest file (no oracle) as malformed XML with a line', () => {
    const report = readJUnit(fs.readFileSync(path.join(JUNIT_DATA, 'pytest/corrupt-xml.xml'), 'utf8'));
    expect(report.cases).toEqual([]);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ severity: 'error' });
    expect(report.problems[0]?.line).toBeGreaterThan(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Flavours the oracles do not cover: realistic fixtures with exact outcomes.

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const byName = (report: JUnitReport, name: string) => {
  const found = report.cases.find((c) => c.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
};
const outcomes = (report: JUnitReport) => Object.fromEntries(report.cases.map((c) => [c.name, c.outcome]));

describe('readJUnit on the flavours of real tools', () => {
  it('GoogleTest --gtest_output=xml: notrun/suppressed is skipped, failure message decoded, properties', () => {
    const report = readJUnit(fixture('googletest.xml'));
    expect(report.problems).toEqual([]);
    expect(report.tool).toBe('GoogleTest');
    expect(report.root).toBe('testsuites');
    expect(report.name).toBe('AllTests');
    expect(outcomes(report)).toEqual({
      RejectsEmptyRate: 'passed',
      ClampsToMaximum: 'failed',
      DISABLED_StressTenThousandChanges: 'skipped',
      UsesHardwareTimer: 'skipped',
      'DetectsAbove/0': 'passed',
    });
    expect(report.totals).toEqual({
      tests: 5,
      passed: 2,
      failed: 1,
      errors: 0,
      skipped: 2,
      flaky: 0,
      runs: 5,
      suites: 2,
      durationS: 0.004,
      source: 'cases',
      byExecution: { executions: 5, passed: 2, failed: 1, errors: 0, skipped: 2, flaky: 0 },
    });
    expect(report.declared).toMatchObject({ tests: 5, failures: 1, skipped: 1, disabled: 1 });
    const failed = byName(report, 'ClampsToMaximum');
    expect(failed).toMatchObject({
      suite: 'RateLimiterTest',
      classname: 'RateLimiterTest',
      file: '/home/ci/pump/test/rate_limiter_test.cc',
      line: 22,
      status: 'run/completed',
      xmlLine: 10,
    });
    expect(failed.message).toBe(
      '/home/ci/pump/test/rate_limiter_test.cc:27\nExpected equality of these values:\n  limiter.rate()\n    Which is: 1001\n  kMaxRate\n    Which is: 1000',
    );
    expect(byName(report, 'DISABLED_StressTenThousandChanges').status).toBe('notrun/suppressed');
    expect(byName(report, 'UsesHardwareTimer').message).toBe(
      '/home/ci/pump/test/rate_limiter_test.cc:40\nno hardware timer on this host',
    );
    expect(byName(report, 'RejectsEmptyRate').properties).toEqual({
      requirement: 'SRS-012',
      test_id: 'TC-012',
    });
    expect(report.environment.timestamps).toEqual(['2024-05-14T09:12:03.418', '2024-05-14T09:12:03.421']);
  });

  it('CTest --output-junit: root testsuite, status run/fail/disabled/notrun, cmake_labels', () => {
    const report = readJUnit(fixture('ctest-junit.xml'));
    expect(report.problems).toEqual([]);
    expect(report.tool).toBe('CTest');
    expect(report.root).toBe('testsuite');
    expect(outcomes(report)).toEqual({
      alarm_unit: 'passed',
      occlusion_integration: 'failed',
      hw_in_loop: 'skipped',
      flash_endurance: 'skipped',
    });
    expect(byName(report, 'occlusion_integration')).toMatchObject({
      suite: 'Linux-c++',
      message: 'Failed',
      status: 'fail',
      durationS: 1.50214,
      properties: { cmake_labels: 'integration' },
    });
    expect(byName(report, 'flash_endurance').message).toBe('Required Files Missing');
    expect(byName(report, 'hw_in_loop').status).toBe('disabled');
    expect(report.totals).toMatchObject({
      tests: 4,
      passed: 1,
      failed: 1,
      skipped: 2,
      suites: 1,
      durationS: 3,
    });
    expect(report.environment).toEqual({
      timestamps: ['2024-05-14T09:15:40'],
      hostnames: ['build-agent-07'],
    });
  });

  it('Go (gotestsum --rerun-fails): a repeated test that failed then passed stays a failure (flaky, 2 runs)', () => {
    const report = readJUnit(fixture('gotestsum.xml'));
    expect(report.problems).toEqual([]);
    expect(report.tool).toBe('Go (go-junit-report/gotestsum)');
    expect(report.properties).toEqual({ 'go.version': 'go1.22.3 linux/amd64' });
    // Repeated testcase elements cannot be told apart from distinct tests sharing a name (Jest,
    // one spec per browser), so a failure among them is the verdict; only Surefire's explicit
    // rerun elements make a flaky pass.
    expect(outcomes(report)).toEqual({
      TestBolusLimit: 'passed',
      TestTC_014_RampUp: 'failed',
      TestPumpOnHardware: 'skipped',
      TestOcclusionAlarm: 'passed',
      'TestOcclusionAlarm/above_threshold': 'passed',
    });
    const flaky = byName(report, 'TestTC_014_RampUp');
    expect(flaky).toMatchObject({ runs: 2, flaky: true, durationS: 0.59, xmlLine: 8 });
    expect(flaky.attempts).toEqual([
      { outcome: 'failed', message: 'Failed', xmlLine: 9 },
      { outcome: 'passed', xmlLine: 14 },
    ]);
    expect(report.totals).toMatchObject({ tests: 5, runs: 6, passed: 3, skipped: 1, failed: 1, flaky: 1 });
    // The suites declare 6 tests and 1 failure: the attempts, as gotestsum counts them.
    expect(report.declared).toMatchObject({ tests: 6, failures: 1 });
  });

  it('two cases with one name in one suite (Jest) are not a rerun: the failure stands', () => {
    const xml = `<testsuites><testsuite name="dose.test.ts" tests="2" failures="1">
      <testcase classname="dose" name="[TC-041] renders"><failure message="expected 5 got 6"/></testcase>
      <testcase classname="dose" name="[TC-041] renders"/>
    </testsuite></testsuites>`;
    const report = readJUnit(xml);
    expect(report.cases).toHaveLength(1);
    expect(report.cases[0]).toMatchObject({ outcome: 'failed', runs: 2, message: 'expected 5 got 6' });
  });

  it('Vitest: ids embedded in names, failure type, entities and Unicode', () => {
    const report = readJUnit(fixture('vitest.xml'));
    expect(report.problems).toEqual([]);
    expect(report.tool).toBe('Vitest');
    expect(report.cases.map((c) => [c.name, c.outcome])).toEqual([
      ['rate limiter > [TC-012] rejects empty rate', 'passed'],
      ['rate limiter > [TC-013] clamps to the maximum', 'failed'],
      ['rate limiter > ramps over 30\u00a0s', 'skipped'],
      ['alarm banner > shows ⚠ occlusion in 日本語 and 🚨', 'passed'],
    ]);
    expect(byName(report, 'rate limiter > [TC-013] clamps to the maximum')).toMatchObject({
      suite: 'src/dose/rate.test.ts',
      classname: 'src/dose/rate.test.ts',
      message: 'expected 1001 to be 1000 // Object.is equality',
      type: 'AssertionError',
    });
    expect(report.environment.hostnames).toEqual(['ci-runner-3']);
    expect(report.totals).toMatchObject({ tests: 4, passed: 2, failed: 1, skipped: 1, suites: 2 });
  });

  it('Maven Surefire: flakyFailure passes as flaky, rerunFailure stays failed with all attempts', () => {
    const report = readJUnit(fixture('surefire-flaky.xml'));
    expect(report.problems).toEqual([]);
    expect(report.tool).toBe('Maven Surefire/Failsafe');
    expect(outcomes(report)).toEqual({
      rejectsEmptyRate: 'passed',
      recoversAfterSensorGlitch: 'passed',
      clampsToMaximum: 'failed',
      readsCalibration: 'error',
      stressTest: 'skipped',
    });
    const flaky = byName(report, 'recoversAfterSensorGlitch');
    expect(flaky).toMatchObject({ flaky: true, runs: 2 });
    expect(flaky.message).toBeUndefined();
    expect(flaky.attempts?.map((a) => a.outcome)).toEqual(['failed', 'passed']);
    expect(flaky.attempts?.[0]).toMatchObject({
      message: 'expected: <OK> but was: <SENSOR_FAULT>',
      type: 'org.opentest4j.AssertionFailedError',
    });
    const rerun = byName(report, 'clampsToMaximum');
    expect(rerun).toMatchObject({ flaky: false, runs: 3, message: 'expected: <1000> but was: <1001>' });
    expect(rerun.attempts?.map((a) => a.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(rerun.details).toContain('RateLimiterTest.java:31');
    expect(byName(report, 'readsCalibration').type).toBe('java.io.FileNotFoundException');
    expect(byName(report, 'stressTest').message).toBe('@Disabled: runs nightly');
    expect(report.totals).toMatchObject({
      tests: 5,
      passed: 2,
      failed: 1,
      errors: 1,
      skipped: 1,
      flaky: 1,
      runs: 8,
    });
    expect(report.properties).toMatchObject({ 'java.version': '17.0.10', 'os.name': 'Linux' });
  });
});

// ---------------------------------------------------------------------------------------------
// Each testcase element is one execution; a run record keeps the report's own execution totals.

/** The record `dossier evidence import` would write for a report, with a name-based mapping. */
function imported(report: JUnitReport, mapCase: (c: JUnitCase) => string[] = () => []) {
  const plan = planRunImport({
    report,
    reportFile: 'reports/x.xml',
    sha256: 'a'.repeat(64),
    metadata: { version: '1.0.0', date: '2024-05-14', executedBy: 'CI' },
    runs: [],
    prefix: 'RUN',
    mapCase,
  });
  if (plan.kind !== 'create') throw new Error('not created');
  return plan;
}

type RunResult = { test?: string; case: string; outcome: string; message?: string; flaky?: boolean };
const resultsOf = (fields: Record<string, unknown>) => fields.results as RunResult[];

/** The totals the report itself declares: the `tests`, `failures`, `errors`, `skipped` of its suites. */
const declaredTotals = (report: JUnitReport) => ({
  executions: report.declared.tests,
  failed: report.declared.failures,
  errors: report.declared.errors,
  skipped: report.declared.skipped,
});

describe("execution totals equal the report's own totals", () => {
  it('TestNG data providers: every execution and every skip of repeated names is recorded', () => {
    const report = readJUnit(fixture('testng-dataprovider.xml'));
    expect(report.problems).toEqual([]);
    // 36 testcase elements of 30 distinct names; the report declares 36 tests, 1 failure, 3 skipped.
    // Counted per name, a sixth of the executions and two of the three skips disappear (a skipped
    // data-provider row merges into its passing siblings): the record must not count that way.
    expect(report.totals).toMatchObject({ tests: 30, skipped: 1 });
    expect(report.totals.byExecution).toEqual({
      executions: 36,
      passed: 32,
      failed: 1,
      errors: 0,
      skipped: 3,
      flaky: 0,
    });
    expect(report.totals.byExecution).toMatchObject(declaredTotals(report));
    expect(byName(report, 'computesRateForSyringe').executions.map((e) => e.outcome)).toEqual([
      'passed',
      'skipped',
      'passed',
      'skipped',
    ]);

    const plan = imported(report);
    expect(plan.fields.totals).toEqual({
      tests: 30,
      executions: 36,
      passed: 32,
      failed: 1,
      errors: 0,
      skipped: 3,
    });
    const results = resultsOf(plan.fields);
    expect(results).toHaveLength(36);
    expect(results.filter((r) => r.outcome === 'skipped')).toHaveLength(3);
    expect(results.filter((r) => r.case.endsWith('computesRateForSyringe')).map((r) => r.outcome)).toEqual([
      'passed',
      'skipped',
      'passed',
      'skipped',
    ]);
    expect(results.find((r) => r.outcome === 'failed')?.message).toContain('hard limit not enforced');
    expect(plan.fields.reportWarnings).toBeUndefined();
  });

  it('Jest (jest-junit) tests with equal titles are separate executions with their own outcomes', () => {
    const report = readJUnit(fixture('jest-repeated-titles.xml'));
    expect(report.problems).toEqual([]);
    expect(report.tool).toBe('Jest (jest-junit)');
    expect(report.totals.tests).toBe(7);
    expect(report.totals.byExecution).toEqual({
      executions: 12,
      passed: 8,
      failed: 1,
      errors: 0,
      skipped: 3,
      flaky: 0,
    });
    expect(report.totals.byExecution).toMatchObject(declaredTotals(report));
    const arbitration = byName(report, 'alarm priority arbitrates by priority');
    expect(arbitration.executions.map((e) => e.outcome)).toEqual(['passed', 'passed', 'failed']);
    expect(arbitration.executions[2]?.message).toBe(
      'Error: expect(received).toEqual(expected) // deep equality',
    );

    const plan = imported(report, (c) => (c.name.includes('[TC-031]') ? ['TC-031'] : []));
    expect(plan.fields.totals).toEqual({
      tests: 7,
      executions: 12,
      passed: 8,
      failed: 1,
      errors: 0,
      skipped: 3,
    });
    expect(resultsOf(plan.fields)).toHaveLength(12);
    // Unmapped names are listed once per test, not once per execution.
    expect(plan.unmapped).toHaveLength(6);
  });

  it.skipIf(!present)('mocha (latex-utensils): 109 executions of 101 tests, as the report declares', () => {
    const report = readJUnit(fs.readFileSync(path.join(JUNIT_DATA, 'mocha/latex-utensils.xml'), 'utf8'));
    expect(report.problems).toEqual([]);
    expect(report.totals.tests).toBe(101);
    expect(report.totals.byExecution).toMatchObject({ executions: 109, passed: 109, skipped: 0 });
    expect(report.totals.byExecution).toMatchObject(declaredTotals(report));
    const plan = imported(report);
    expect(plan.fields.totals).toEqual({
      tests: 101,
      executions: 109,
      passed: 109,
      failed: 0,
      errors: 0,
      skipped: 0,
    });
    expect(resultsOf(plan.fields)).toHaveLength(109);
  });

  it.skipIf(!present)(
    'every oracle file: one execution per testcase element, equal to the declared totals or a warning',
    () => {
      const files = walk(JUNIT_DATA).filter((f) => f.endsWith('.xml'));
      let compared = 0;
      for (const file of files) {
        const report = readJUnit(fs.readFileSync(file, 'utf8'));
        if (report.totals.source === 'declared' || report.cases.length === 0) continue;
        const elements = report.cases.reduce((n, c) => n + c.executions.length, 0);
        expect(report.totals.byExecution.executions, file).toBe(elements);
        // Where every top-level suite writes all four attributes, they are the report's own totals.
        const topLevel = report.suites.filter((s) => s.depth === 0);
        const keys = ['tests', 'failures', 'errors', 'skipped'] as const;
        if (!topLevel.every((s) => keys.every((k) => s.declared[k] !== undefined))) continue;
        compared++;
        const warned = report.problems.some(
          (p) => p.severity === 'warning' && /declared totals disagree/.test(p.message),
        );
        const e = report.totals.byExecution;
        const d = report.declared;
        const agrees =
          (d.tests === e.executions || d.tests - d.disabled === e.executions) &&
          (d.skipped === e.skipped || d.skipped + d.disabled === e.skipped) &&
          d.failures === e.failed &&
          d.errors === e.errors;
        expect(warned, file).toBe(!agrees);
      }
      expect(compared).toBeGreaterThanOrEqual(15);
    },
  );

  it('Surefire reruns inside one testcase stay one execution: a flaky pass is a pass, as today', () => {
    const report = readJUnit(fixture('surefire-flaky.xml'));
    expect(report.totals.byExecution).toEqual({
      executions: 5,
      passed: 2,
      failed: 1,
      errors: 1,
      skipped: 1,
      flaky: 1,
    });
    expect(report.totals.byExecution).toMatchObject(declaredTotals(report));
    const results = resultsOf(imported(report).fields);
    expect(results.find((r) => r.case.endsWith('recoversAfterSensorGlitch'))).toMatchObject({
      outcome: 'passed',
      flaky: true,
    });
    expect(results.find((r) => r.case.endsWith('clampsToMaximum'))?.outcome).toBe('failed');
  });

  it('declared totals that disagree with the testcases are a warning, recorded on the run', () => {
    const xml = `<?xml version="1.0"?>
<testsuites tests="7" failures="0">
  <testsuite name="pump.alarm" tests="6" failures="0" errors="0" skipped="1">
    <testcase classname="pump.alarm" name="[TC-001] occlusion alarm"/>
    <testcase classname="pump.alarm" name="[TC-001] occlusion alarm"><failure message="no alarm within 2 s"/></testcase>
    <testcase classname="pump.alarm" name="[TC-002] air alarm"/>
    <testcase classname="pump.alarm" name="[TC-002] air alarm"/>
  </testsuite>
</testsuites>`;
    const report = readJUnit(xml);
    const warnings = report.problems.filter((p) => p.severity === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain(
      '<testsuites> declares tests=7, failures=0 but its testcase elements give tests=4, failures=1',
    );
    expect(warnings[0]?.message).toContain(
      'suite "pump.alarm" (line 3) declares tests=6, failures=0, skipped=1 but its testcase elements give tests=4, failures=1, skipped=0',
    );
    expect(report.totals.byExecution).toMatchObject({ executions: 4, passed: 3, failed: 1 });
    const plan = imported(report, (c) => [c.name.slice(1, 7)]);
    expect(plan.fields.reportWarnings).toEqual([warnings[0]?.message]);
    expect(plan.fields.totals).toMatchObject({ tests: 2, executions: 4, failed: 1 });
  });

  it('a test id takes the worst of its executions: any failure fails, a skip among passes is not a pass', () => {
    const report = readJUnit(fixture('testng-dataprovider.xml'));
    const ids: Record<string, string> = {
      computesRateForSyringe: 'TC-001',
      convertsConcentrationUnits: 'TC-002',
      rejectsRateAboveHardLimit: 'TC-003',
    };
    const plan = imported(report, (c) => (ids[c.name] ? [ids[c.name]!] : []));
    const run = makeRecord('RUN-001', 'test-run', { ...plan.fields });
    const verdicts = verdictsOn([run], '1.0.0');
    expect(verdicts.get('TC-001')?.outcome).toBe('skipped');
    expect(verdicts.get('TC-002')?.outcome).toBe('passed');
    expect(verdicts.get('TC-003')?.outcome).toBe('failed');
    expect(verdicts.get('TC-003')?.message).toContain('hard limit not enforced');
  });
});

describe('readJUnit edge cases', () => {
  it('joins nested suite names with › and keeps document order', () => {
    const report = readJUnit(
      '<testsuite name="all">\n<testsuite name="dose">\n<testsuite name="limits">\n<testcase name="a"/>\n</testsuite>\n</testsuite>\n<testcase name="b"/>\n</testsuite>',
    );
    expect(report.cases.map((c) => [c.suite, c.name, c.xmlLine])).toEqual([
      ['all › dose › limits', 'a', 4],
      ['all', 'b', 7],
    ]);
    expect(report.totals.suites).toBe(2);
    expect(report.suites.map((s) => [s.path, s.depth, s.leaf])).toEqual([
      ['all', 0, true],
      ['all › dose', 1, false],
      ['all › dose › limits', 2, true],
    ]);
  });

  it('decodes predefined and numeric character references, keeps unknown ones as written', () => {
    const report = readJUnit(
      '<testsuites><testsuite><testcase name="&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#65;&#x42; &#x1F680; &nbsp;"/></testsuite></testsuites>',
    );
    expect(report.cases[0]?.name).toBe('<a> & "b" \'c\' AB 🚀 &nbsp;');
  });

  it('refuses XXE and billion-laughs files with an error problem and no cases', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<testsuites><testsuite name="x"><testcase name="&xxe;"/></testsuite></testsuites>`;
    const lol = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n<testsuite name="&lol3;"><testcase name="&lol3;"/></testsuite>`;
    for (const text of [xxe, lol]) {
      const report = readJUnit(text);
      expect(report.cases).toEqual([]);
      expect(report.totals.tests).toBe(0);
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatchObject({ severity: 'error', line: 3 });
      expect(report.problems[0]?.message).toMatch(/entit/i);
    }
  });

  it('reports a file that is not JUnit, and an empty one, as errors with zero cases', () => {
    const notJUnit = readJUnit('<?xml version="1.0"?>\n<assemblies><assembly name="x"/></assemblies>');
    expect(notJUnit.cases).toEqual([]);
    expect(notJUnit.problems[0]).toMatchObject({ severity: 'error', line: 2 });
    expect(notJUnit.problems[0]?.message).toContain('<assemblies>');
    expect(readJUnit('').problems[0]?.severity).toBe('error');
    expect(readJUnit('{"tests": []}').problems[0]?.severity).toBe('error');
  });

  it('says where a truncated report ends', () => {
    const report = readJUnit(
      '<testsuites>\n<testsuite name="s">\n<testcase name="a">\n<failure message="x">boom',
    );
    expect(report.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: 4, message: expect.stringContaining('truncated') }),
    ]);
  });

  it('a repeated test that passed and then failed is failed, not flaky', () => {
    const report = readJUnit(
      '<testsuite name="s"><testcase classname="C" name="t"/><testcase classname="C" name="t"><failure message="late"/></testcase></testsuite>',
    );
    expect(report.cases).toHaveLength(1);
    expect(report.cases[0]).toMatchObject({ outcome: 'failed', flaky: false, runs: 2, message: 'late' });
  });

  it('a case with both error and failure is an error; the oracle would agree', () => {
    const report = readJUnit(
      '<testsuite><testcase name="t"><failure message="f"/><error message="e"/></testcase></testsuite>',
    );
    expect(report.cases[0]).toMatchObject({ outcome: 'error', message: 'e' });
    expect(report.declared).toMatchObject({ tests: 1, failures: 1, errors: 1 });
  });

  it('keeps nameless cases with a warning and reads cases directly under <testsuites>', () => {
    const report = readJUnit(
      '<testsuites>\n<testcase/>\n<testcase name="loose"/>\n<testsuite>\n<testcase/>\n</testsuite>\n</testsuites>',
    );
    // An attribute-less <testcase/> has no position of its own: it gets its parent's line.
    expect(report.cases.map((c) => [c.name, c.suite, c.xmlLine])).toEqual([
      ['', '', 1],
      ['loose', '', 3],
      ['', '', 4],
    ]);
    expect(report.totals.tests).toBe(3);
    expect(report.problems.map((p) => p.severity).sort()).toEqual(['info', 'warning']);
  });

  it('stops at absurdly deep nesting with a warning, and survives deeper documents', () => {
    const nest = (n: number) =>
      `${'<testsuite name="s">'.repeat(n)}<testcase name="deep"/>${'</testsuite>'.repeat(n)}`;
    const deep = readJUnit(nest(100));
    expect(deep.cases).toEqual([]);
    expect(deep.problems).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(readJUnit(nest(60)).cases).toHaveLength(1);
    expect(() => readJUnit(nest(20000))).not.toThrow();
  });

  it('warns when suites declare tests but list none, and falls back to the declared numbers', () => {
    const report = readJUnit('<testsuite tests="3" failures="1" skipped="1" time="0.5"/>');
    expect(report.totals).toMatchObject({ tests: 3, passed: 1, failed: 1, skipped: 1, source: 'declared' });
    expect(report.problems).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });
});

// ---------------------------------------------------------------------------------------------
// Coverage and SARIF.

describe('readLcov', () => {
  it('reads and merges records of the same file from several test names', () => {
    const report = readLcov(fixture('coverage.lcov'));
    expect(report.problems).toEqual([]);
    expect(report.files).toEqual([
      {
        path: 'src/alarm/occlusion.c',
        linesFound: 3,
        linesHit: 2,
        branchesFound: 0,
        branchesHit: 0,
        functionsFound: 1,
        functionsHit: 1,
      },
      {
        path: 'src/dose/rate_limiter.c',
        linesFound: 5,
        linesHit: 4,
        branchesFound: 4,
        branchesHit: 2,
        functionsFound: 2,
        functionsHit: 2,
      },
    ]);
    expect(report.totals).toEqual({
      files: 2,
      linesFound: 8,
      linesHit: 6,
      branchesFound: 4,
      branchesHit: 2,
      functionsFound: 3,
      functionsHit: 3,
    });
  });

  it('uses LF/LH summaries when a record has no DA lines, and reports damage with lines', () => {
    const report = readLcov('SF:a.c\nLF:10\nLH:7\nBRF:2\nBRH:1\nend_of_record\nSF:b.c\nDA:x,1\nDA:3,2\n');
    expect(report.files).toEqual([
      { path: 'a.c', linesFound: 10, linesHit: 7, branchesFound: 2, branchesHit: 1 },
      { path: 'b.c', linesFound: 1, linesHit: 1, branchesFound: 0, branchesHit: 0 },
    ]);
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 7,
        message: expect.stringContaining('end_of_record'),
      }),
      expect.objectContaining({
        severity: 'warning',
        line: 8,
        message: expect.stringContaining('malformed'),
      }),
    ]);
    expect(readLcov('').problems[0]?.severity).toBe('error');
  });

  it('reads lcov 2 function lines with end lines and names holding commas', () => {
    const report = readLcov('SF:a.cc\nFN:3,9,foo(int, int)\nFNDA:1,foo(int, int)\nDA:3,1\nend_of_record\n');
    expect(report.files[0]).toMatchObject({ functionsFound: 1, functionsHit: 1 });
  });
});

describe('readCobertura', () => {
  it('reads gcovr/JaCoCo-style Cobertura with a DOCTYPE, merging classes of one file', () => {
    const report = readCobertura(fixture('cobertura.xml'));
    expect(report.problems).toEqual([]);
    expect(report.sources).toEqual(['/home/ci/pump']);
    expect(report.tool).toBe('gcovr 7.2');
    expect(report.files).toEqual([
      { path: 'src/alarm/Occlusion.java', linesFound: 3, linesHit: 3, branchesFound: 0, branchesHit: 0 },
      {
        path: 'src/dose/rate_limiter.c',
        linesFound: 5,
        linesHit: 4,
        branchesFound: 4,
        branchesHit: 2,
        functionsFound: 2,
        functionsHit: 1,
      },
    ]);
    expect(report.totals).toMatchObject({
      files: 2,
      linesFound: 8,
      linesHit: 7,
      branchesFound: 4,
      branchesHit: 2,
    });
  });

  it('refuses entities and reports files that are not Cobertura', () => {
    const xxe = readCobertura(
      '<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><coverage>&x;</coverage>',
    );
    expect(xxe.problems[0]?.severity).toBe('error');
    expect(readCobertura('<report name="jacoco"/>').problems[0]?.message).toContain('<report>');
    expect(readCobertura('').files).toEqual([]);
  });
});

describe('readSarif', () => {
  it('flattens runs, resolves ruleIndex and artifact index, levels, suppressions, missing locations', () => {
    const report = readSarif(fixture('clang-tidy-cppcheck.sarif'));
    expect(report.problems).toEqual([]);
    expect(report.tool).toEqual({ name: 'Clang-Tidy', version: '17.0.6' });
    expect(report.tools).toEqual([
      { name: 'Clang-Tidy', version: '17.0.6' },
      { name: 'cppcheck', version: '2.14.1' },
    ]);
    expect(
      report.results.map((r) => [
        r.tool,
        r.ruleId,
        r.level,
        r.file ?? null,
        r.line ?? null,
        r.column ?? null,
        r.suppressed,
      ]),
    ).toEqual([
      ['Clang-Tidy', 'bugprone-narrowing-conversions', 'warning', 'src/dose/rate_limiter.c', 33, 17, false],
      ['Clang-Tidy', 'clang-analyzer-core.NullDereference', 'error', 'src/ui/alarm banner.c', 41, 9, false],
      ['Clang-Tidy', 'readability-magic-numbers', 'note', 'src/dose/rate_limiter.c', 12, 30, true],
      ['Clang-Tidy', 'clang-diagnostic-unused-parameter', 'warning', null, null, null, false],
      ['cppcheck', 'nullPointer', 'error', 'src/alarm/occlusion.c', 17, 5, false],
      ['cppcheck', 'missingIncludeSystem', 'note', 'src/alarm/occlusion.c', 1, null, true],
    ]);
    expect(report.results[0]).toMatchObject({
      ruleName: 'BugproneNarrowingConversions',
      uriBaseId: 'SRCROOT',
      baselineState: 'new',
      message: "narrowing conversion from 'double' to 'int'",
    });
    expect(report.results[1]).toMatchObject({ ruleName: 'CoreNullDereference', uriBaseId: 'SRCROOT' });
    expect(report.results[2]?.justification).toBe('maximum rate fixed by SRS-071');
    expect(report.results[5]?.message).toBe('Include file: <stdio.h> not found. {std}');
  });

  it('reports invalid JSON with a line, and JSON that is not SARIF', () => {
    const broken = readSarif('{\n  "version": "2.1.0",\n  "runs": [\n    {,\n  ]\n}');
    expect(broken.problems[0]).toMatchObject({ severity: 'error' });
    expect(broken.problems[0]?.line).toBe(4);
    expect(readSarif('[]').problems[0]?.message).toContain('not a SARIF log');
    expect(readSarif('{"version":"2.0.0","runs":[]}').problems[0]?.severity).toBe('warning');
  });

  it('levels: kind other than fail is none; an unknown rule index is reported', () => {
    const report = readSarif(
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 't', rules: [{ id: 'R1' }] } },
            results: [
              { kind: 'pass', ruleId: 'R1', message: { text: 'ok' } },
              { ruleIndex: 7, message: { text: 'x' } },
            ],
          },
        ],
      }),
    );
    expect(report.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['R1', 'none'],
      ['', 'warning'],
    ]);
    expect(report.problems).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });
});

// ---------------------------------------------------------------------------------------------
// No input makes a reader throw.

const seeds = [
  'googletest.xml',
  'ctest-junit.xml',
  'gotestsum.xml',
  'vitest.xml',
  'surefire-flaky.xml',
  'cobertura.xml',
  'coverage.lcov',
  'clang-tidy-cppcheck.sarif',
].map(fixture);
if (present) {
  for (const name of ['junit.multiresult.xml', 'testsuite-in-testsuite.xml', 'pytest/junit.fail.xml']) {
    seeds.push(fs.readFileSync(path.join(JUNIT_DATA, name), 'utf8'));
  }
}

/** A real file truncated, with a slice deleted, or with random text spliced in. */
const damaged = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.nat(),
    fc.nat({ max: 200 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('truncate', 'delete', 'insert'),
  )
  .map(([text, at, length, insert, how]) => {
    const i = at % (text.length + 1);
    if (how === 'truncate') return text.slice(0, i);
    if (how === 'delete') return text.slice(0, i) + text.slice(i + length);
    return text.slice(0, i) + insert + text.slice(i);
  });

/** Well-formed and broken JUnit-ish markup made of the pieces readers react to. */
const junitish = fc
  .array(
    fc.constantFrom(
      '<testsuites>',
      '</testsuites>',
      '<testsuite name="s" tests="x" time="-1">',
      '<testsuite>',
      '</testsuite>',
      '<testcase name="a" classname="C">',
      '<testcase name="a" classname="C"/>',
      '<testcase/>',
      '</testcase>',
      '<failure message="m"/>',
      '<error/>',
      '<skipped/>',
      '<flakyFailure message="f"><stackTrace>s</stackTrace></flakyFailure>',
      '<rerunError/>',
      '<properties><property name="test_id" value="TC-1"/></properties>',
      '<property name="__proto__" value="x"/>',
      '<__proto__/>',
      '&amp;',
      '&#0;',
      '&bogus;',
      '<![CDATA[<x>]]>',
      '<!-- c -->',
      'text',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

const anyInput = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), damaged, junitish, fc.json());

describe('the readers never throw', () => {
  it('on arbitrary, damaged and JUnit-ish input', () => {
    fc.assert(
      fc.property(anyInput, (text) => {
        const junit = readJUnit(text);
        expect(Number.isFinite(junit.totals.tests)).toBe(true);
        expect(junit.totals.passed + junit.totals.failed + junit.totals.errors + junit.totals.skipped).toBe(
          junit.totals.tests,
        );
        for (const c of junit.cases) expect(c.runs).toBeGreaterThanOrEqual(1);
        expect(Array.isArray(readCobertura(text).files)).toBe(true);
        expect(Array.isArray(readLcov(text).files)).toBe(true);
        expect(Array.isArray(readSarif(text).results)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('on SARIF-shaped documents with arbitrary values in them', () => {
    const sarifish = fc
      .record({
        version: fc.oneof(fc.constant('2.1.0'), fc.anything()),
        runs: fc.array(
          fc.record({
            tool: fc.oneof(
              fc.anything(),
              fc.record({ driver: fc.record({ name: fc.anything(), rules: fc.anything() }) }),
            ),
            artifacts: fc.anything(),
            results: fc.array(
              fc.record({
                ruleId: fc.anything(),
                ruleIndex: fc.anything(),
                rule: fc.anything(),
                level: fc.anything(),
                kind: fc.anything(),
                message: fc.oneof(fc.anything(), fc.record({ id: fc.anything(), arguments: fc.anything() })),
                locations: fc.anything(),
                suppressions: fc.anything(),
              }),
              { maxLength: 4 },
            ),
          }),
          { maxLength: 3 },
        ),
      })
      .map((doc) => JSON.stringify(doc));
    fc.assert(
      fc.property(sarifish, (text) => {
        expect(Array.isArray(readSarif(text).results)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Performance sanity: a large report parses correctly (the time is printed, not asserted).

describe('a 5,000-case report', () => {
  it('parses with the right totals', () => {
    const cases: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const body =
        i % 100 === 0
          ? `<failure message="boom ${i}" type="AssertionError">stack ${i}</failure>`
          : i % 50 === 0
            ? '<skipped message="not on this host"/>'
            : '';
      cases.push(
        `    <testcase classname="pump.Suite${i % 20}" name="test_TC_${String(i).padStart(4, '0')}_case" time="0.001">${body}</testcase>`,
      );
    }
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="big" tests="5000">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
    const start = performance.now();
    const report = readJUnit(text);
    const ms = performance.now() - start;
    console.log(`readJUnit: 5,000 cases (${(text.length / 1024).toFixed(0)} KiB) in ${ms.toFixed(0)} ms`);
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ tests: 5000, runs: 5000, failed: 50, skipped: 50, passed: 4900 });
    expect(report.cases[4999]).toMatchObject({ name: 'test_TC_4999_case', xmlLine: 5003 });
    expect(report.cases[100]).toMatchObject({ outcome: 'failed', message: 'boom 100' });
  });
});

// ---------------------------------------------------------------------------------------------
// Mapping results to test records.

describe('mapResultToTest', () => {
  const tests: TestRecordRef[] = [
    { id: 'TC-012' },
    { id: 'TC-013' },
    { id: 'TC-014', patterns: ['com.acme.pump.RateLimiterTest.clamps*'] },
    { id: 'TC-020', patterns: ['src/ui/alarm.test.ts › alarm banner > *'] },
    { id: 'TC-021', patterns: ['/^github\\.com\\/acme\\/pump\\/alarm\\.TestOcclusion/'] },
  ];

  it('maps by property (test_id, testId, test, testcase_id, dossier)', () => {
    for (const name of ['test_id', 'testId', 'test', 'testcase_id', 'dossier', 'TEST-ID']) {
      expect(mapResultToTest({ name: 'whatever', properties: { [name]: 'TC-013' } }, tests)).toEqual({
        testId: 'TC-013',
        by: 'property',
      });
    }
    // A requirement property is not a test id.
    expect(mapResultToTest({ name: 'x', properties: { requirement: 'TC-013' } }, tests)).toBeUndefined();
  });

  it('maps by a bracketed id or a bare word in the name or classname, underscores allowed', () => {
    expect(mapResultToTest({ name: 'rate limiter > [TC-012] rejects empty rate' }, tests)).toEqual({
      testId: 'TC-012',
      by: 'name',
    });
    expect(mapResultToTest({ name: 'test_TC_012_rejects_empty_rate' }, tests)).toEqual({
      testId: 'TC-012',
      by: 'name',
    });
    expect(mapResultToTest({ name: 'TestTC_013_RampUp' }, tests)).toEqual({ testId: 'TC-013', by: 'name' });
    expect(mapResultToTest({ name: 'XTC-013 and TC-013x' }, tests)).toBeUndefined();
    expect(mapResultToTest({ name: 'ramp up', classname: 'TC-013.RampUpTest' }, tests)).toEqual({
      testId: 'TC-013',
      by: 'name',
    });
    expect(mapResultToTest({ name: 'TC-0123 is another id' }, tests)).toBeUndefined();
  });

  it('maps by a glob or regex pattern over classname.name or suite › name', () => {
    expect(
      mapResultToTest({ classname: 'com.acme.pump.RateLimiterTest', name: 'clampsToMaximum' }, tests),
    ).toEqual({
      testId: 'TC-014',
      by: 'pattern',
    });
    expect(
      mapResultToTest(
        { suite: 'src/ui/alarm.test.ts', classname: 'x', name: 'alarm banner > shows occlusion' },
        tests,
      ),
    ).toEqual({ testId: 'TC-020', by: 'pattern' });
    expect(
      mapResultToTest({ classname: 'github.com/acme/pump/alarm', name: 'TestOcclusionAlarm' }, tests),
    ).toEqual({ testId: 'TC-021', by: 'pattern' });
    expect(globMatches('a*b*c', 'aXXbYYc')).toBe(true);
    expect(globMatches('a*b*c', 'aXXbYY')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches(`${'*a'.repeat(30)}b`, 'a'.repeat(5000))).toBe(false);
  });

  it('precedence: property > bracketed id > pattern > bare word', () => {
    const clamps = { classname: 'com.acme.pump.RateLimiterTest', name: 'clamps TC-012 [TC-013]' };
    expect(mapResultToTest({ ...clamps, properties: { test_id: 'TC-012' } }, tests)).toEqual({
      testId: 'TC-012',
      by: 'property',
    });
    expect(mapResultToTest(clamps, tests)).toEqual({ testId: 'TC-013', by: 'name' });
    expect(mapResultToTest({ ...clamps, name: 'clamps TC-012' }, tests)).toEqual({
      testId: 'TC-014',
      by: 'pattern',
    });
    expect(mapResultToTest({ name: 'plain TC-012' }, tests)).toEqual({ testId: 'TC-012', by: 'name' });
  });

  it('returns every candidate when the deciding route names different ids', () => {
    expect(mapResultToTest({ name: '[TC-012][TC-013] both' }, tests)).toEqual([
      { testId: 'TC-012', by: 'name' },
      { testId: 'TC-013', by: 'name' },
    ]);
    expect(mapResultToTest({ name: 'x', properties: { test: 'TC-013, TC-012' } }, tests)).toEqual([
      { testId: 'TC-012', by: 'property' },
      { testId: 'TC-013', by: 'property' },
    ]);
    const overlapping = [
      { id: 'TC-1', patterns: ['a.*'] },
      { id: 'TC-2', patterns: ['*.b'] },
    ];
    expect(mapResultToTest({ classname: 'a', name: 'b' }, overlapping)).toEqual([
      { testId: 'TC-1', by: 'pattern' },
      { testId: 'TC-2', by: 'pattern' },
    ]);
    // The same id named twice is not ambiguous.
    expect(mapResultToTest({ name: '[TC-012] TC_012' }, tests)).toEqual({ testId: 'TC-012', by: 'name' });
  });

  it('does not match ids that are not among the given tests', () => {
    expect(
      mapResultToTest({ name: '[TC-999] unknown', properties: { test_id: 'TC-998' } }, tests),
    ).toBeUndefined();
    expect(mapResultToTest({ name: 'covers SRS-012' }, tests)).toBeUndefined();
    expect(mapResultToTest({ name: '[TC-012]' }, [])).toBeUndefined();
  });

  it('maps a Go test named TestTC_014_… by the bare id', () => {
    const report = readJUnit(fixture('gotestsum.xml'));
    expect(mapResultToTest(byName(report, 'TestTC_014_RampUp'), [{ id: 'TC-014' }])).toEqual({
      testId: 'TC-014',
      by: 'name',
    });
  });

  it('maps the cases of a real report', () => {
    const report = readJUnit(fixture('vitest.xml'));
    const mapped = report.cases.map((c) => mapResultToTest(c, tests));
    expect(mapped).toEqual([
      { testId: 'TC-012', by: 'name' },
      { testId: 'TC-013', by: 'name' },
      undefined,
      { testId: 'TC-020', by: 'pattern' },
    ]);
  });

  it('hashes text as UTF-8 SHA-256', () => {
    expect(sha256OfText('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256OfText('é')).toBe(sha256OfText('\u00e9'));
    expect(sha256OfText('a\r\n')).not.toBe(sha256OfText('a\n'));
  });
});
