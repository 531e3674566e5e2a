/**
 * Does an imported test run still say what its report says (IEC 62304 5.7.5 b, 5.8.7)? The import
 * writes one result per execution (`testcase` element) with the case name and outcome the report
 * gives, and the test id its mapping gives; the release gate reads the report again and compares.
 * A result edited (failed → passed), added or removed, or credited to another test, disagrees.
 *
 * What the comparison cannot see: a report and its record edited consistently. The report's hash
 * (kept in the run and in the evidence manifest of earlier gates) catches an edited report; an edit
 * of both before any gate ran is caught only by signed approvals and protected history.
 */
import type { DossierRecord } from '../model/record.js';
import { type CaseMapper, caseName } from './import-run.js';
import type { JUnitReport } from './junit.js';

export interface Disagreement {
  /** The case name as the import writes it (`suite › classname › name`). */
  readonly caseName: string;
  readonly message: string;
}

interface RecordedResult {
  readonly test?: string;
  readonly case?: string;
  readonly outcome?: string;
}

/** Outcomes of one case, in a stable order so that the comparison ignores the order of results. */
const sorted = (outcomes: readonly string[]) => [...outcomes].sort();
const describe = (outcomes: readonly string[]) => (outcomes.length === 0 ? '' : sorted(outcomes).join(', '));

/**
 * Every way the run's `results` disagree with the report as read now, in the report's order of
 * cases (then cases the report does not have). `mapCase` is the import's mapping over today's tests.
 */
export function disagreementsWithReport(
  run: DossierRecord,
  report: JUnitReport,
  reportFile: string,
  mapCase: CaseMapper,
): Disagreement[] {
  const expected = new Map<string, { outcomes: string[]; tests: readonly string[] }>();
  // The same case fully qualified (`suite › classname › name`, a classname that repeats the suite or
  // the name kept), as records written by hand or by earlier tools name it: the same case, not another.
  const qualified = new Map<string, string>();
  for (const c of report.cases) {
    const name = caseName(c);
    qualified.set([c.suite, c.classname, c.name].filter(Boolean).join(' › '), name);
    const entry = expected.get(name) ?? { outcomes: [], tests: mapCase(c) };
    entry.outcomes.push(...c.executions.map((e) => e.outcome));
    expected.set(name, entry);
  }
  const recorded = new Map<string, RecordedResult[]>();
  const results = (run.fields.results as RecordedResult[] | undefined) ?? [];
  const out: Disagreement[] = [];
  for (const [index, result] of results.entries()) {
    if (typeof result.case !== 'string') {
      out.push({
        caseName: `result ${index + 1}`,
        message: `result ${index + 1}${result.test ? ` (${result.test})` : ''} names no case, so ${reportFile} cannot confirm its outcome ${String(result.outcome)}`,
      });
      continue;
    }
    const name = expected.has(result.case) ? result.case : (qualified.get(result.case) ?? result.case);
    recorded.set(name, [...(recorded.get(name) ?? []), result]);
  }
  const names = [...expected.keys(), ...[...recorded.keys()].filter((n) => !expected.has(n))];
  for (const name of names) {
    const want = expected.get(name);
    const have = recorded.get(name) ?? [];
    const wantOutcomes = want?.outcomes ?? [];
    const haveOutcomes = have.map((r) => String(r.outcome));
    if (describe(wantOutcomes) !== describe(haveOutcomes)) {
      out.push({
        caseName: name,
        message: `${name}: recorded ${describe(haveOutcomes) || 'nothing'}, but ${reportFile} says ${describe(wantOutcomes) || 'nothing (no such case)'}`,
      });
      continue;
    }
    // The outcomes agree; each credits the test the report's case names, or none.
    const tests = want?.tests ?? [];
    const named = tests.length === 1 ? tests[0] : undefined;
    const credited = [...new Set(have.map((r) => r.test).filter((t): t is string => t !== undefined))];
    const wrong = credited.filter((t) => t !== named);
    if (wrong.length > 0) {
      out.push({
        caseName: name,
        message: `${name}: recorded for ${wrong.join(', ')}, but the report's case is ${named ?? (tests.length > 1 ? `ambiguous (${tests.join(', ')})` : 'no test record')}`,
      });
    }
  }
  return out;
}
