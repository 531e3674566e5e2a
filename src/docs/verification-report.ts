/**
 * Software Verification Report (IEC 62304 5.5.5, 5.6.6–5.6.8, 5.7.2–5.7.5, 5.8.1, 9.8; FDA 2023
 * guidance element H, the test reports): the results of the test-run records (src/evidence/verdicts:
 * a test's latest run on a version decides, the worst execution within a run; results carried
 * forward by the release record count only where the gate's assessment found them valid), per
 * level on the baseline version; the runs on the baseline with their 5.7.5 record contents; the
 * deviations (every failure, error, skip or not-run on the version, even one a later run superseded)
 * and the problem reports raised for them (5.6.8, 5.7.2); the regression testing of the changes
 * (5.6.6, 5.7.3: each change request's regression selection and its results); the release gate of
 * the baseline's release (5.8.1); and the runs of every version. "Not run" and "no result on this
 * version" are never shown as passed.
 */

import { plural } from '../diagnostics/format.js';
import { withCarriedForward } from '../evidence/release-gate.js';
import { latestVerdicts, resultsOf, runVerdicts, type Verdict, verdictsOn } from '../evidence/verdicts.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type DocumentContext, documentOf } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import {
  compareVersions,
  excerpt,
  inBaseline,
  LEVELS,
  type LevelSpec,
  outcomeCell,
  textField,
} from './verification-common.js';

export function softwareVerificationReport(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project } = analysis;
  const included = new Set<string>();
  const allRuns = graph.ofKind('test-run').filter(isActive);
  const runsOn = allRuns.filter((r) => String(r.fields.version) === baseline).sort(compareById);
  const gate = context.gate();
  const verdicts = withCarriedForward(verdictsOn(allRuns, baseline), analysis, gate?.carriedForward);
  const latest = latestVerdicts(allRuns);
  const tests = graph
    .ofKind('test')
    .filter((t) => isActive(t) && inBaseline(t, baseline))
    .sort(compareById);
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This report states the verification results of the software of ${project.config.device.name}, version ${baseline}, from the test-run records (IEC 62304 5.5.5, 5.6.7, 5.7.5): the results per level, the deviations and the problem reports raised for them (5.6.8, 5.7.2), the regression testing of the changes (5.6.6, 5.7.3), the release gate (5.8.1), and the test runs of every version. A test's result on ${baseline} is that of its latest run on ${baseline}; a result on another version (a release candidate, an earlier release) counts only where the release record carries it forward and the assessment of that found it valid. "Not run" and "no result on ${baseline}" are not passes. The procedures and acceptance criteria are in the Software Verification Plan.`,
        },
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'FDA 2023 guidance element H: the system-level test report is submitted at both documentation levels; the unit and integration test reports only at the Enhanced level. This report holds every level.',
        },
      ],
    },
  ];

  blocks.push(
    { kind: 'heading', level: 1, text: `2 Release gate of ${baseline} (5.8.1)` },
    ...gateBlocks(context, included),
  );

  blocks.push({ kind: 'heading', level: 1, text: `3 Results on ${baseline}` });
  if (runsOn.length === 0)
    blocks.push({ kind: 'not-recorded', what: `a test run on version ${baseline}`, clause: '5.7.5 c' });
  blocks.push(summaryTable(tests, verdicts, baseline));
  LEVELS.forEach((level, i) => {
    blocks.push(
      ...levelBlocks(context, level, `3.${i + 1}`, tests, verdicts, latest, runsOn.length > 0, included),
    );
  });

  blocks.push(
    { kind: 'heading', level: 1, text: `4 Test runs on ${baseline} (5.7.5)` },
    ...runBlocks(runsOn, baseline, included),
    { kind: 'heading', level: 1, text: '5 Deviations and problem reports (5.6.8, 5.7.2)' },
    ...deviationBlocks(context, runsOn, included),
    { kind: 'heading', level: 1, text: '6 Regression testing (5.6.6, 5.7.3)' },
    ...regressionBlocks(context, verdicts, included),
    { kind: 'heading', level: 1, text: '7 Test runs of every version' },
    ...historyBlocks(allRuns, included),
  );
  return documentOf(context, 'VVR', 'Software Verification Report', blocks, included);
}

/** Counts per outcome of the tests of a level on the version. */
function tally(tests: readonly DossierRecord[], verdicts: ReadonlyMap<string, Verdict>) {
  const counts = { passed: 0, failed: 0, skipped: 0, none: 0 };
  for (const t of tests) {
    const v = verdicts.get(t.id);
    if (!v) counts.none++;
    else if (v.outcome === 'passed') counts.passed++;
    else if (v.outcome === 'failed' || v.outcome === 'error') counts.failed++;
    else counts.skipped++;
  }
  return counts;
}

function summaryTable(
  tests: readonly DossierRecord[],
  verdicts: ReadonlyMap<string, Verdict>,
  baseline: string,
): Block {
  return {
    kind: 'table',
    columns: [
      { title: 'Level', width: 3 },
      { title: 'Tests', width: 1 },
      { title: 'Passed', width: 1 },
      { title: 'Failed or error', width: 2 },
      { title: 'Skipped or not run', width: 2 },
      { title: `No result on ${baseline}`, width: 2 },
    ],
    rows: LEVELS.map((level) => {
      const ofLevel = tests.filter((t) => t.fields.level === level.level);
      const c = tally(ofLevel, verdicts);
      const n = (count: number): Inline[] => (count === 0 ? [{ text: '0' }] : [{ strong: String(count) }]);
      return [
        [{ text: `${level.title} (${level.clause})` }],
        [{ text: String(ofLevel.length) }],
        [{ text: String(c.passed) }],
        n(c.failed),
        n(c.skipped),
        n(c.none),
      ];
    }),
  };
}

function levelBlocks(
  context: DocumentContext,
  level: LevelSpec,
  number: string,
  all: readonly DossierRecord[],
  verdicts: ReadonlyMap<string, Verdict>,
  latest: ReadonlyMap<string, Verdict>,
  anyRun: boolean,
  included: Set<string>,
): Block[] {
  const { baseline } = context;
  const tests = all.filter((t) => t.fields.level === level.level);
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: `${number} ${level.title} (${level.clause})` },
    { kind: 'paragraph', inlines: [{ text: level.fda }] },
  ];
  if (tests.length === 0) {
    blocks.push({ kind: 'not-recorded', what: `no ${level.level} test`, clause: level.procedureClause });
    return blocks;
  }
  const c = tally(tests, verdicts);
  blocks.push({
    kind: 'paragraph',
    inlines: [
      {
        text: `${plural(tests.length, `${level.level} test`)}: ${c.passed} passed, ${c.failed} failed or ended in an error, ${c.skipped} skipped or not run, ${c.none} without a result on ${baseline}.`,
      },
    ],
  });
  if (!anyRun) return blocks;
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Test', width: 2 },
      { title: 'Title', width: 4 },
      { title: `Result on ${baseline}`, width: 2 },
      { title: 'Run', width: 2 },
      { title: 'Observed', width: 5 },
    ],
    rows: tests.map((t) => {
      included.add(t.id);
      const v = verdicts.get(t.id);
      if (!v) {
        const last = latest.get(t.id);
        return [
          [{ ref: t.id }],
          [{ text: t.title }],
          [{ strong: `no result on ${baseline}` }],
          [{ text: '–' }],
          [
            {
              text: last
                ? `last ${last.outcome} on ${last.version} (${last.runId})`
                : 'no result on any version',
            },
          ],
        ];
      }
      included.add(v.runId);
      const carried = v.version !== baseline;
      return [
        [{ ref: t.id }],
        [{ text: t.title }],
        [...outcomeCell(v.outcome), ...(v.flaky ? [{ text: ' (passed on a rerun)' }] : [])],
        [{ ref: v.runId }, ...(carried ? [{ text: ` (${v.version}, carried forward)` }] : [])],
        v.message ? [{ text: excerpt(v.message) }] : [{ text: '' }],
      ];
    }),
  });
  return blocks;
}

function runBlocks(runs: readonly DossierRecord[], baseline: string, included: Set<string>): Block[] {
  if (runs.length === 0)
    return [{ kind: 'paragraph', inlines: [{ text: `No test run records version ${baseline}.` }] }];
  const blocks: Block[] = [];
  for (const run of runs) {
    included.add(run.id);
    const report = run.fields.report as { file: string; sha256: string; format: string } | undefined;
    const tools = run.fields.tools as string[] | undefined;
    const environment = textField(run, 'environment');
    const verdicts = runVerdicts(run);
    const outcomes = countOutcomes(run);
    const rows: (readonly [string, readonly Inline[]])[] = [
      [
        'Version tested (5.7.5 c)',
        [
          { text: String(run.fields.version) },
          ...(typeof run.fields.commit === 'string' ? [{ text: `, commit ${run.fields.commit}` }] : []),
        ],
      ],
      ['Date (5.7.5 f)', [{ text: String(run.fields.date) }]],
      ['Executed by (5.7.5 g)', [{ text: String(run.fields.executedBy) }]],
      ['Level', [{ text: typeof run.fields.level === 'string' ? run.fields.level : 'not given on the run' }]],
      [
        'Test configuration (5.7.5 d)',
        environment ? [{ text: excerpt(environment, 400) }] : [{ strong: 'not recorded' }],
      ],
      [
        'Test tools (5.7.5 e)',
        tools && tools.length > 0 ? [{ text: tools.join('; ') }] : [{ strong: 'not recorded' }],
      ],
      [
        'Source',
        report
          ? [
              { text: `${report.format} report ` },
              { code: report.file },
              { text: ` (sha256 ${report.sha256.slice(0, 12)}…)` },
            ]
          : run.fields.manual === true
            ? [{ text: 'recorded by hand (manual run)' }]
            : [{ strong: 'neither an imported report nor a manual run' }],
      ],
      ['Results (5.7.5 b)', [{ text: `${plural(verdicts.size, 'test')}: ${outcomes}` }]],
      ['Problem reports raised', refsOrNone(run.links.anomalies ?? [])],
    ];
    blocks.push(
      { kind: 'heading', level: 2, text: `${run.id} ${run.title}`, anchor: run.id },
      { kind: 'fields', rows },
    );
    if (!environment)
      blocks.push({ kind: 'not-recorded', what: `the test configuration of ${run.id}`, clause: '5.7.5 d' });
    if (!tools || tools.length === 0)
      blocks.push({ kind: 'not-recorded', what: `the test tools of ${run.id}`, clause: '5.7.5 e' });
    for (const warning of (run.fields.reportWarnings as string[] | undefined) ?? [])
      blocks.push({ kind: 'paragraph', inlines: [{ strong: 'Report warning: ' }, { text: warning }] });
    if (run.text.trim() !== '') blocks.push({ kind: 'record-text', recordId: run.id, markdown: run.text });
  }
  return blocks;
}

/** "12 passed, 1 failed" over the tests of a run (worst execution per test), plus unmapped cases. */
function countOutcomes(run: DossierRecord): string {
  const counts = new Map<string, number>();
  for (const v of runVerdicts(run).values()) counts.set(v.outcome, (counts.get(v.outcome) ?? 0) + 1);
  const parts = ['passed', 'failed', 'error', 'skipped', 'not-run']
    .filter((o) => counts.has(o))
    .map((o) => `${counts.get(o)} ${o}`);
  const unmapped = resultsOf(run).filter((r) => !r.test).length;
  if (unmapped > 0) parts.push(`${plural(unmapped, 'case')} mapped to no test`);
  return parts.length > 0 ? parts.join(', ') : 'no results';
}

function refsOrNone(ids: readonly string[]): Inline[] {
  return ids.length > 0
    ? [...ids].sort().flatMap((id, i) => [...(i > 0 ? [{ text: ', ' }] : []), { ref: id }])
    : [{ text: 'none' }];
}

function deviationBlocks(
  context: DocumentContext,
  runs: readonly DossierRecord[],
  included: Set<string>,
): Block[] {
  const { graph } = context.analysis;
  const rows: Inline[][][] = [];
  const blocks: Block[] = [];
  for (const run of runs) {
    const anomalies = run.links.anomalies ?? [];
    let failures = 0;
    for (const result of resultsOf(run)) {
      if (result.outcome === 'passed') continue;
      if (result.outcome === 'failed' || result.outcome === 'error') failures++;
      const name = result.test ?? result.case ?? 'unnamed case';
      rows.push([
        [{ ref: run.id }],
        result.test ? [{ ref: result.test }] : [{ text: name }],
        outcomeCell(result.outcome),
        [{ text: result.message ? excerpt(result.message) : '' }],
        result.outcome === 'failed' || result.outcome === 'error'
          ? anomalies.length > 0
            ? refsOrNone(anomalies)
            : [{ strong: 'no problem report' }]
          : [{ text: '–' }],
      ]);
    }
    if (failures > 0 && anomalies.length === 0)
      blocks.push({
        kind: 'not-recorded',
        what: `the problem report raised for the ${plural(failures, 'failure')} of ${run.id} (anomalies)`,
        clause: '5.6.8, 5.7.2',
      });
  }
  const raised = [...new Set(runs.flatMap((r) => r.links.anomalies ?? []))].sort();
  const out: Block[] = [];
  if (rows.length === 0) {
    out.push({
      kind: 'paragraph',
      inlines: [
        {
          text:
            runs.length === 0
              ? `No run on ${context.baseline}, so no deviation is recorded.`
              : `Every result recorded on ${context.baseline} is a pass: no failure, error, skip or not-run.`,
        },
      ],
    });
  } else {
    out.push(
      {
        kind: 'paragraph',
        inlines: [
          {
            text: `Every result on ${context.baseline} that is not a pass, in every run (a later pass does not erase a failure), with the problem reports the run names.`,
          },
        ],
      },
      {
        kind: 'table',
        columns: [
          { title: 'Run', width: 2 },
          { title: 'Test', width: 2 },
          { title: 'Outcome', width: 2 },
          { title: 'Message', width: 6 },
          { title: 'Problem report', width: 2 },
        ],
        rows,
      },
    );
  }
  out.push(...blocks);
  if (raised.length > 0) {
    out.push({
      kind: 'table',
      columns: [
        { title: 'Problem report', width: 2 },
        { title: 'Title', width: 6 },
        { title: 'State', width: 2 },
        { title: 'Criticality', width: 2 },
      ],
      rows: raised.map((id) => {
        const p = graph.byId.get(id);
        if (!p)
          return [[{ text: id }], [{ strong: 'no such problem report' }], [{ text: '' }], [{ text: '' }]];
        included.add(id);
        return [
          [{ ref: id }],
          [{ text: p.title }],
          [{ text: String(p.fields.state ?? 'open') }],
          p.fields.criticality === undefined
            ? [{ strong: 'not recorded' }]
            : [{ text: String(p.fields.criticality) }],
        ];
      }),
    });
  }
  return out;
}

function regressionBlocks(
  context: DocumentContext,
  verdicts: ReadonlyMap<string, Verdict>,
  included: Set<string>,
): Block[] {
  const { analysis, baseline, release } = context;
  const { graph } = analysis;
  const releasedAnywhere = new Set(
    graph
      .ofKind('release')
      .filter(isActive)
      .flatMap((r) => r.links.includes ?? []),
  );
  const changes = release
    ? graph.targets(release, 'includes')
    : graph.ofKind('change-request').filter((cr) => isActive(cr) && !releasedAnywhere.has(cr.id));
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      inlines: [
        {
          text: release
            ? `The change requests ${release.id} includes, each with its regression test selection (the impact analysed by dossier impact --write, 5.7.3, 8.2.3) and the results of those tests on ${baseline}.`
            : `No release record names ${baseline}: the change requests not released yet, each with its regression test selection and the results of those tests on ${baseline}.`,
        },
      ],
    },
  ];
  if (changes.length === 0) {
    blocks.push({ kind: 'paragraph', inlines: [{ text: 'No change request to regression-test.' }] });
  } else {
    const rows = [...changes].sort(compareById).map((cr) => {
      included.add(cr.id);
      const selection = (cr.fields.impact as { tests?: string[] } | undefined)?.tests;
      if (!selection)
        return [[{ ref: cr.id }], [{ text: cr.title }], [{ strong: 'not recorded' }], [{ text: '–' }]];
      const onVersion = selection.filter((id) => {
        const t = graph.byId.get(id);
        return !t || inBaseline(t, baseline);
      });
      const passed = onVersion.filter((id) => verdicts.get(id)?.outcome === 'passed');
      const failing = onVersion.filter((id) => {
        const o = verdicts.get(id)?.outcome;
        return o !== undefined && o !== 'passed';
      });
      const missing = onVersion.filter((id) => !verdicts.has(id));
      const result: Inline[] = [{ text: `${passed.length} of ${onVersion.length} passed` }];
      if (failing.length > 0) result.push({ text: '; ' }, { strong: `not passed: ${failing.join(', ')}` });
      if (missing.length > 0)
        result.push(
          { text: '; ' },
          { strong: `no result on ${baseline}: ${excerpt(missing.join(', '), 120)}` },
        );
      return [[{ ref: cr.id }], [{ text: cr.title }], [{ text: plural(selection.length, 'test') }], result];
    });
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Change request', width: 2 },
        { title: 'Title', width: 5 },
        { title: 'Regression selection', width: 2 },
        { title: `Results on ${baseline}`, width: 5 },
      ],
      rows,
    });
    for (const cr of changes
      .filter((c) => !(c.fields.impact as { tests?: string[] } | undefined)?.tests)
      .sort(compareById))
      blocks.push({
        kind: 'not-recorded',
        what: `the regression test selection of ${cr.id} (dossier impact ${cr.id} --write)`,
        clause: '5.7.3, 8.2.3',
      });
  }
  const carried = context.gate()?.carriedForward ?? [];
  if (carried.length > 0) {
    blocks.push({
      kind: 'paragraph',
      inlines: [{ strong: 'Results carried forward from earlier versions (5.6.6, 8.2.3)' }],
    });
    blocks.push({
      kind: 'list',
      items: carried.map((c) => {
        included.add(c.run);
        return [
          { ref: c.run },
          { text: ` (${c.tests.join(', ')}): ${c.valid ? 'counted' : 'not counted'}. ${c.rationale}` },
          ...(c.valid ? [] : [{ strong: ` ${c.problems.join(' ')}` }]),
        ];
      }),
    });
  }
  return blocks;
}

function historyBlocks(runs: readonly DossierRecord[], included: Set<string>): Block[] {
  if (runs.length === 0)
    return [{ kind: 'not-recorded', what: 'no test run on any version', clause: '5.7.5' }];
  const sorted = [...runs].sort(
    (a, b) =>
      compareVersions(String(a.fields.version), String(b.fields.version)) ||
      String(a.fields.date).localeCompare(String(b.fields.date)) ||
      compareById(a, b),
  );
  return [
    {
      kind: 'table',
      columns: [
        { title: 'Version', width: 2 },
        { title: 'Run', width: 2 },
        { title: 'Date', width: 2 },
        { title: 'Level', width: 2 },
        { title: 'Results', width: 5 },
        { title: 'Problem reports', width: 2 },
      ],
      rows: sorted.map((run) => {
        included.add(run.id);
        return [
          [{ text: String(run.fields.version) }],
          [{ ref: run.id }],
          [{ text: String(run.fields.date) }],
          [{ text: typeof run.fields.level === 'string' ? run.fields.level : 'not given' }],
          [{ text: countOutcomes(run) }],
          refsOrNone(run.links.anomalies ?? []),
        ];
      }),
    },
  ];
}

function gateBlocks(context: DocumentContext, included: Set<string>): Block[] {
  const { release, baseline } = context;
  if (!release)
    return [
      {
        kind: 'not-recorded',
        what: `a release record of version ${baseline}: the release gate is evaluated for a release only`,
        clause: '5.8.1, 5.8.4',
      },
    ];
  included.add(release.id);
  const gate = context.gate()!;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      inlines: [
        { text: 'The release gate of ' },
        { ref: release.id },
        { text: ' (' },
        { code: `dossier release check ${baseline}` },
        {
          text: `) over the records: ${gate.blockers.length === 0 ? `no blocker, ${baseline} may be released` : `${plural(gate.blockers.length, 'blocker')}, ${baseline} is blocked`}. Test runs on ${baseline}: ${gate.runs.length > 0 ? gate.runs.join(', ') : 'none'}.`,
        },
      ],
    },
  ];
  if (gate.blockers.length > 0) {
    const byCode = new Map<string, { clauses: Set<string>; messages: string[] }>();
    for (const b of gate.blockers) {
      let entry = byCode.get(b.code);
      if (!entry) {
        entry = { clauses: new Set(), messages: [] };
        byCode.set(b.code, entry);
      }
      for (const c of b.clauses) entry.clauses.add(c);
      entry.messages.push(b.message);
    }
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Check', width: 3 },
        { title: 'Clauses', width: 2 },
        { title: 'Blockers', width: 1 },
        { title: 'First blocker', width: 7 },
      ],
      rows: [...byCode.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([code, entry]) => [
          [{ code }],
          [{ text: [...entry.clauses].join(', ') }],
          [{ strong: String(entry.messages.length) }],
          [{ text: excerpt(entry.messages[0]!, 200) }],
        ]),
    });
  }
  if (gate.waived.length > 0)
    blocks.push({
      kind: 'list',
      items: gate.waived.map((w) => [
        { text: `Not required by dossier.yaml: ${w.code} for ${w.kind}: ${w.reason}` },
      ]),
    });
  return blocks;
}
