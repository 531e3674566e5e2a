import { listItemAnchor, valueAnchor } from '../model/record.js';
import { didYouMean } from '../util/suggest.js';
import type { Rule } from './rule.js';

/**
 * Ids inside evidence records (a run's per-test results, a report's units) are links in all but
 * name: one that names no test or item is evidence for nothing (5.7.5 a, 5.5.5).
 */
export const evidenceUnknownReference: Rule = {
  code: 'evidence/unknown-reference',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['5.7.5 a', '5.5.5'],
  reads: { kinds: ['test-run', 'verification-report'] },
  summary: 'A test result names no test record, or a verification report names no software item.',
  hint: 'correct the id, or map the result to the right test (an id in its name, a `test` property, or `patterns` on the test)',
  *check({ graph }) {
    for (const run of graph.ofKind('test-run')) {
      const results = (run.fields.results as { test?: string }[] | undefined) ?? [];
      for (const [i, result] of results.entries()) {
        if (result.test === undefined) continue;
        const target = graph.byId.get(result.test);
        if (target?.kind === 'test') continue;
        yield {
          code: 'evidence/unknown-reference',
          message: `${run.id} has a result for ${result.test}, which is ${
            target
              ? `a ${target.kind}, not a test`
              : `not a record${didYouMean(
                  result.test,
                  graph.ofKind('test').map((t) => t.id),
                )}`
          }`,
          recordId: run.id,
          ...(target ? {} : { targetId: result.test }),
          at: listItemAnchor(run, 'results', i, 'test'),
        };
      }
    }
    for (const report of graph.ofKind('verification-report')) {
      for (const field of ['units', 'findings'] as const) {
        const entries = (report.fields[field] as { unit?: string }[] | undefined) ?? [];
        for (const [i, entry] of entries.entries()) {
          if (entry.unit === undefined || graph.byId.get(entry.unit)?.kind === 'software-item') continue;
          yield {
            code: 'evidence/unknown-reference',
            message: `${report.id} attributes results to ${entry.unit}, which is not a software item`,
            recordId: report.id,
            ...(graph.byId.get(entry.unit) ? {} : { targetId: entry.unit }),
            at: listItemAnchor(report, field, i, 'unit'),
          };
        }
      }
    }
  },
};

/** Tests that no run has a result for, on any version: planned but never executed (5.7.4). */
export const evidenceTestNeverRun: Rule = {
  code: 'evidence/test-never-run',
  severity: 'info',
  applicability: 'fixed',
  clauses: ['5.7.4'],
  reads: { kinds: ['test', 'test-run'] },
  summary: 'A test has no result in any test run (shown only once the project records test runs).',
  hint: 'import its results with `dossier evidence import`, or record a manual run',
  *check({ graph }) {
    const runs = graph.ofKind('test-run');
    if (runs.length === 0) return;
    const seen = new Set(
      runs.flatMap((r) => ((r.fields.results as { test?: string }[] | undefined) ?? []).map((x) => x.test)),
    );
    for (const test of graph.ofKind('test')) {
      if (test.status === 'obsolete' || seen.has(test.id)) continue;
      yield {
        code: 'evidence/test-never-run',
        message: `${test.id} (${test.title}) has no result in any test run`,
        recordId: test.id,
        at: valueAnchor(test, 'id'),
      };
    }
  },
};

/** 5.7.5 d, e: a test record says the configuration and the tools, so the test can be repeated. */
export const evidenceRunIncomplete: Rule = {
  code: 'evidence/run-incomplete',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.7.5 d', '5.7.5 e', '5.6.7'],
  reads: { kinds: ['test-run'] },
  summary: 'A test run does not name its hardware and software configuration or its test tools.',
  hint: 'add `environment` (rig, hardware revision, firmware image) and `tools` (with versions); `evidence import` takes --environment and --tool',
  *check({ graph }) {
    for (const run of graph.ofKind('test-run')) {
      if (run.status === 'obsolete') continue;
      const missing = (['environment', 'tools'] as const).filter((f) => run.fields[f] === undefined);
      if (missing.length === 0) continue;
      yield {
        code: 'evidence/run-incomplete',
        message: `${run.id} (${String(run.fields.version)}, ${String(run.fields.date)}) has no ${missing.map((m) => `\`${m}\``).join(' or ')} (5.7.5 ${missing.map((m) => (m === 'environment' ? 'd' : 'e')).join(', ')})`,
        recordId: run.id,
        at: valueAnchor(run, 'id'),
      };
    }
  },
};
