/**
 * What the test-run records say about each test on one software version.
 *
 * A requirement is only verified when a test that traces to it passed on the version being
 * released (IEC 62304 5.7.4, 5.8.1; FDA: tested version = released version). For each test the
 * latest run on that version decides (by date, then run id): a rerun after a fix replaces the
 * failure it fixed, and a later failure replaces an earlier pass.
 */
import type { TraceGraph } from '../graph/graph.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import type { TestOutcome } from '../model/vocabulary.js';
import { maven } from '../soup/versions/index.js';

export interface TestResult {
  readonly test?: string;
  readonly case?: string;
  readonly outcome: TestOutcome;
  readonly message?: string;
  readonly flaky?: boolean;
}

export interface Verdict {
  readonly testId: string;
  readonly outcome: TestOutcome;
  readonly runId: string;
  readonly date: string;
  readonly version: string;
  readonly message?: string;
  readonly flaky?: boolean;
}

export function resultsOf(run: DossierRecord): readonly TestResult[] {
  return (run.fields.results as TestResult[] | undefined) ?? [];
}

/** Runs in the order they happened: date, then id. */
export function chronological(runs: readonly DossierRecord[]): DossierRecord[] {
  return [...runs].filter(isActive).sort((a, b) => {
    const da = String(a.fields.date);
    const db = String(b.fields.date);
    return da < db ? -1 : da > db ? 1 : compareById(a, b);
  });
}

/**
 * Each test's outcome in one run. A run holds one result per execution (every `testcase` element of
 * a report: data-provider rows, equal titles, parametrised cases, reruns written as separate
 * elements), and a test id may have several. They aggregate conservatively: the worst outcome is
 * the test's, so any failure or error fails it, and a skip among passes leaves it `skipped`, not
 * passed — part of what the test covers did not run. Only Surefire's explicit rerun inside one
 * `testcase` (a flaky pass, marked `flaky`) counts as a pass after a failure.
 */
export function runVerdicts(run: DossierRecord): Map<string, Verdict> {
  const inRun = new Map<string, Verdict>();
  for (const result of resultsOf(run)) {
    if (!result.test) continue;
    const verdict: Verdict = {
      testId: result.test,
      outcome: result.outcome,
      runId: run.id,
      date: String(run.fields.date),
      version: String(run.fields.version),
      ...(result.message ? { message: result.message } : {}),
      ...(result.flaky ? { flaky: true } : {}),
    };
    const before = inRun.get(result.test);
    if (!before || SEVERITY[verdict.outcome] > SEVERITY[before.outcome]) inRun.set(result.test, verdict);
  }
  return inRun;
}

/** The outcome of every test in its latest run on `version` (see {@link runVerdicts} within a run). */
export function verdictsOn(runs: readonly DossierRecord[], version: string): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  for (const run of chronological(runs)) {
    if (String(run.fields.version) !== version) continue;
    for (const [test, verdict] of runVerdicts(run)) verdicts.set(test, verdict);
  }
  return verdicts;
}

/** Within one run, the worst outcome of a test's executions is the test's outcome. */
const SEVERITY: Readonly<Record<TestOutcome, number>> = {
  passed: 0,
  skipped: 1,
  'not-run': 2,
  failed: 3,
  error: 4,
};

/** The latest result of each test on any version, to say "last run on 1.0.0" when V has none. */
export function latestVerdicts(runs: readonly DossierRecord[]): Map<string, Verdict> {
  const latest = new Map<string, Verdict>();
  for (const run of chronological(runs)) {
    for (const [test, verdict] of runVerdicts(run)) latest.set(test, verdict);
  }
  return latest;
}

export function describeVerdict(
  testId: string,
  version: string,
  verdicts: ReadonlyMap<string, Verdict>,
  latest: ReadonlyMap<string, Verdict>,
): string {
  const verdict = verdicts.get(testId);
  if (verdict) return `${testId} ${verdict.outcome} on ${version} (${verdict.runId}, ${verdict.date})`;
  const last = latest.get(testId);
  return last
    ? `${testId} not run on ${version} (last ${last.outcome} on ${last.version}, ${last.runId})`
    : `${testId} has no result on any version`;
}

export interface VerificationStatus {
  readonly verified: boolean;
  /** Tests whose result on the version is not a pass. */
  readonly failing: readonly Verdict[];
  readonly passed: readonly string[];
  /** Tests without a result on the version. */
  readonly missing: readonly string[];
}

/**
 * Is something verified on a version by these tests? At least one passed there and none failed, was
 * skipped or was not run there (a failing test that traces to a requirement means the requirement
 * does not meet its pass/fail criteria, 5.7.4, even if another test passed). Tests without a result
 * on the version neither verify nor block here; the gate lists them on their own.
 */
export function verificationStatus(
  testIds: readonly string[],
  verdicts: ReadonlyMap<string, Verdict>,
): VerificationStatus {
  const failing: Verdict[] = [];
  const passed: string[] = [];
  const missing: string[] = [];
  for (const id of testIds) {
    const verdict = verdicts.get(id);
    if (!verdict) missing.push(id);
    else if (verdict.outcome === 'passed') passed.push(id);
    else failing.push(verdict);
  }
  return { verified: passed.length > 0 && failing.length === 0, failing, passed, missing };
}

/** The tests among `ids` that belong to `version` (not introduced in a later one, see appliesTo). */
export function testsOn(graph: TraceGraph, ids: readonly string[], version: string): string[] {
  return ids.filter((id) => {
    const test = graph.byId.get(id);
    return test === undefined || appliesTo(test, version);
  });
}

/**
 * Does a record belong to the software of `version`? Records introduced in a later version (work in
 * progress on main) are left out of an earlier release's gate and trace. Versions are ordered with
 * Maven's ComparableVersion rules, which order any dotted version numerically (1.10 after 1.2).
 */
export function appliesTo(record: DossierRecord, version: string): boolean {
  const since = record.fields.introducedIn;
  return typeof since !== 'string' || maven.compare(since, version) <= 0;
}
