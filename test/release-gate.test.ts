/** Verification evidence and the release gate (issue 5) on small projects built from the starter. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { problemTrends } from '../src/evidence/problem-trends.js';
import { releaseGate } from '../src/evidence/release-gate.js';
import { verdictsOn } from '../src/evidence/verdicts.js';
import { tagsInText } from '../src/load/code-tags.js';
import { loadProject } from '../src/load/project.js';
import { REPO, runCli, starterProject } from './helpers.js';

const INTEGRATION = `kind: test
records:
  - id: TC-003
    title: Therapy control with the delivery simulator
    level: integration
    verifies: [SI-002]
`;

const RELEASE = `---
id: REL-001
title: Software 0.1.0
status: approved
version: 0.1.0
date: 2026-10-01
buildProcedure: CI pipeline build.yml, tag v0.1.0.
buildEnvironment: Debian 12, GCC 12.2.
archive: Release archive on the document server.
delivery: Signed image through the update server.
---
First release.
`;

function run(id: string, version: string, date: string, results: [string, string][]): string {
  return `kind: test-run
records:
  - id: ${id}
    title: Run ${id}
    version: ${version}
    date: ${date}
    executedBy: J. Tester
    environment: Bench rig 1
    results:
${results.map(([test, outcome]) => `      - { test: ${test}, outcome: ${outcome} }`).join('\n')}
`;
}

/** Loads advisory data that affects nothing of the project into its default store (.dossier/). */
function withAdvisoryData(dir: string): void {
  const osv = {
    id: 'x_TEST-0001',
    modified: '2026-11-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name: 'left-pad' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
      },
    ],
  };
  fs.mkdirSync(path.join(dir, 'osv'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'osv/x_TEST-0001.json'), JSON.stringify(osv));
  const imported = runCli(['advisories', 'import', 'osv', '-C', '.', '-q'], dir);
  if (imported.code !== 0) throw new Error(imported.stderr);
}

/** Advisory data with nothing in it: the SOUP was checked and nothing affects it. */
const NO_ADVISORIES = { findAffecting: () => [], aliasClosure: (id: string) => [id] };

function project(files: Record<string, string>) {
  const dir = starterProject({
    'records/tests/integration.yaml': INTEGRATION,
    'records/releases/REL-001.md': RELEASE,
    ...files,
  });
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error('load');
  return { dir, analysis: analyze(loaded.project, { advisories: NO_ADVISORIES }) };
}

const ALL_PASS: [string, string][] = [
  ['TC-001', 'passed'],
  ['TC-002', 'passed'],
  ['TC-003', 'passed'],
];

describe('verdicts on a version', () => {
  it('the latest run on the version decides; other versions do not count', () => {
    const { analysis } = project({
      'records/evidence/RUN-001.yaml': run('RUN-001', '0.1.0', '2026-09-01', [
        ['TC-001', 'failed'],
        ['TC-002', 'passed'],
      ]),
      'records/evidence/RUN-002.yaml': run('RUN-002', '0.1.0', '2026-09-05', [['TC-001', 'passed']]),
      'records/evidence/RUN-003.yaml': run('RUN-003', '0.2.0', '2026-09-09', [['TC-002', 'failed']]),
    });
    const verdicts = verdictsOn(analysis.graph.ofKind('test-run'), '0.1.0');
    expect(verdicts.get('TC-001')).toMatchObject({ outcome: 'passed', runId: 'RUN-002' });
    expect(verdicts.get('TC-002')).toMatchObject({ outcome: 'passed', runId: 'RUN-001' });
    expect(verdicts.has('TC-003')).toBe(false);
  });
});

describe('release gate', () => {
  it('passes when every requirement, item and control is verified on the version', () => {
    const { analysis } = project({
      'records/evidence/RUN-001.yaml': run('RUN-001', '0.1.0', '2026-09-30', ALL_PASS),
    });
    const gate = releaseGate(analysis, '0.1.0');
    expect(gate.blockers.map((b) => `${b.code} ${b.message}`)).toEqual([]);
    expect(gate.runs).toEqual(['RUN-001']);
  });

  it('a failing test blocks the release and leaves the requirements it verifies unverified, by clause', () => {
    const { analysis } = project({
      'records/evidence/RUN-001.yaml': run('RUN-001', '0.1.0', '2026-09-30', [
        ['TC-001', 'failed'],
        ['TC-002', 'passed'],
        ['TC-003', 'passed'],
      ]),
    });
    const blockers = releaseGate(analysis, '0.1.0').blockers;
    const unverified = blockers.find((b) => b.code === 'release/requirement-unverified')!;
    expect(unverified.recordId).toBe('SRS-001');
    expect(unverified.clauses).toEqual(expect.arrayContaining(['5.7.1', '5.7.4']));
    expect(unverified.message).toContain('TC-001 failed on 0.1.0 (RUN-001');
    expect(blockers.find((b) => b.code === 'release/test-not-passed')?.recordId).toBe('TC-001');
  });

  it('a pass on an earlier version is "not run" on this one; a missing release record blocks', () => {
    const { analysis } = project({
      'records/evidence/RUN-001.yaml': run('RUN-001', '0.0.9', '2026-09-30', ALL_PASS),
    });
    const gate = releaseGate(analysis, '0.1.0');
    expect(gate.blockers.filter((b) => b.code === 'release/test-not-run').map((b) => b.message)).toContain(
      'TC-001 not run on 0.1.0 (last passed on 0.0.9, RUN-001)',
    );
    expect(
      gate.blockers.some((b) => b.code === 'release/item-not-integration-tested' && b.recordId === 'SI-002'),
    ).toBe(true);
    expect(releaseGate(analysis, '9.9.9').blockers.map((b) => b.code)).toContain('release/record-missing');
  });

  it('unresolved problems must be known anomalies with a residual-risk evaluation; included changes must be closed', () => {
    const problem = `---
id: PR-001
title: Alarm text truncated
status: approved
state: open
affectedVersions: ["0.1.0"]
---
The alarm text is cut at 40 characters.
`;
    const change = `---
id: CR-001
title: Longer alarm texts
status: approved
state: approved
impactAnalysis: Display only.
safetyImpact: None.
approvedBy: CCB
approvedOn: 2026-09-01
---
Allow 80 characters.
`;
    const release = RELEASE.replace('---\nFirst release.', 'includes: [CR-001]\n---\nFirst release.');
    const { analysis } = project({
      'records/evidence/RUN-001.yaml': run('RUN-001', '0.1.0', '2026-09-30', ALL_PASS),
      'records/problems/PR-001.md': problem,
      'records/changes/CR-001.md': change,
      'records/releases/REL-001.md': release,
    });
    const codes = releaseGate(analysis, '0.1.0').blockers.map((b) => `${b.code} ${b.recordId}`);
    expect(codes).toEqual(
      expect.arrayContaining(['release/anomaly-unlisted PR-001', 'release/change-open CR-001']),
    );
    const listed = release.replace('includes: [CR-001]', 'includes: [CR-001]\nknownAnomalies: [PR-001]');
    const again = project({
      'records/evidence/RUN-001.yaml': run('RUN-001', '0.1.0', '2026-09-30', ALL_PASS),
      'records/problems/PR-001.md': problem,
      'records/changes/CR-001.md': change,
      'records/releases/REL-001.md': listed,
    });
    const next = releaseGate(again.analysis, '0.1.0').blockers.map((b) => `${b.code} ${b.recordId}`);
    expect(next).toContain('release/anomaly-unevaluated PR-001');
    expect(next).not.toContain('release/anomaly-unlisted PR-001');
  });
});

describe('dossier evidence import, trace --results and release check', () => {
  const JUNIT = (outcome1: string) => `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="system">
  <testsuite name="therapy" tests="3" timestamp="2026-09-30T08:00:00">
    <testcase classname="therapy" name="[TC-001] out-of-range parameters"${outcome1 === 'failed' ? '><failure message="accepted 1201 mL/h"/></testcase>' : '/>'}
    <testcase classname="therapy" name="delivery fault"><properties><property name="test" value="TC-002"/></properties></testcase>
    <testcase classname="sim" name="TC_003 therapy control with simulator"/>
    <testcase classname="sim" name="helper without an id"/>
  </testsuite>
</testsuites>
`;

  it('imports once, maps by bracket, property and word, and a failure shows in trace and blocks the release', () => {
    const dir = starterProject({
      'records/tests/integration.yaml': INTEGRATION,
      'records/releases/REL-001.md': RELEASE,
      'reports/system.xml': JUNIT('passed'),
    });
    withAdvisoryData(dir);
    const args = [
      'evidence',
      'import',
      'reports/system.xml',
      '-C',
      '.',
      '--version',
      '0.1.0',
      '--executed-by',
      'CI',
    ];
    const first = runCli(args, dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('4 tests, 4 executions: 4 passed');
    expect(first.stdout).toContain('unmapped: therapy › sim › helper without an id');
    const record = fs.readFileSync(path.join(dir, 'records/evidence/RUN-001.yaml'), 'utf8');
    for (const id of ['TC-001', 'TC-002', 'TC-003']) expect(record).toContain(`test: ${id}`);
    // The same report again changes nothing.
    expect(runCli(args, dir).stdout).toContain('already imported as RUN-001');
    expect(fs.readdirSync(path.join(dir, 'records/evidence'))).toEqual(['RUN-001.yaml']);

    expect(runCli(['release', 'check', '0.1.0', '.', '--manifest', 'manifest.json'], dir).code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.files).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'reports/system.xml', role: 'evidence' })]),
    );
    const trace = runCli(['trace', '.', '--results', '0.1.0', '--format', 'json'], dir);
    const rows = JSON.parse(trace.stdout).matrices[0].rows;
    expect(rows.every((r: { verification: string }) => r.verification === 'verified')).toBe(true);

    // One passing test turned failing, imported as a new run: unverified in trace, release blocked.
    fs.writeFileSync(path.join(dir, 'reports/system-rerun.xml'), JUNIT('failed'));
    runCli(
      [
        'evidence',
        'import',
        'reports/system-rerun.xml',
        '-C',
        '.',
        '--version',
        '0.1.0',
        '--executed-by',
        'CI',
        '--date',
        '2026-10-01',
      ],
      dir,
    );
    const after = JSON.parse(runCli(['trace', '.', '--results', '0.1.0', '--format', 'json'], dir).stdout)
      .matrices[0].rows;
    const srs001 = after.find((r: { cells: string[][] }) => r.cells[1]?.[0] === 'SRS-001');
    expect(srs001.verification).toBe('UNVERIFIED: TC-001 failed');
    const gate = runCli(
      ['release', 'check', '0.1.0', '.', '--format', 'json', '--manifest', 'manifest.json'],
      dir,
    );
    expect(gate.code).toBe(1);
    const blockers = JSON.parse(gate.stdout).blockers;
    expect(blockers.map((b: { code: string; record: string }) => `${b.code} ${b.record}`)).toEqual(
      expect.arrayContaining(['release/requirement-unverified SRS-001', 'release/test-not-passed TC-001']),
    );

    // Tampering with an imported report is caught by the gate (5.8.7).
    fs.appendFileSync(path.join(dir, 'reports/system.xml'), '<!-- edited -->\n');
    const tampered = JSON.parse(
      runCli(['release', 'check', '0.1.0', '.', '--format', 'json', '--manifest', 'manifest.json'], dir)
        .stdout,
    );
    expect(tampered.blockers.map((b: { code: string }) => b.code)).toContain('release/evidence-changed');
  });

  it('refuses a report without test cases and warns when a report comes back under another version', () => {
    const dir = starterProject({
      'reports/empty.xml': '<testsuites/>',
      'reports/system.xml': JUNIT('passed'),
    });
    const args = (file: string, version: string) => [
      'evidence',
      'import',
      file,
      '-C',
      '.',
      '--version',
      version,
      '--executed-by',
      'CI',
    ];
    const empty = runCli(args('reports/empty.xml', '0.1.0'), dir);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('holds no test cases');
    expect(runCli(args('reports/system.xml', '0.1.0'), dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'records/evidence/RUN-001.yaml'), 'utf8')).toContain(
      'status: draft',
    );
    const other = runCli(args('reports/system.xml', '0.2.0'), dir);
    expect(other.stderr).toContain('already imported as RUN-001 for version 0.1.0, not 0.2.0');
  });

  it("records every execution of repeated names and the report's totals; says when declared totals disagree", () => {
    const testng = fs.readFileSync(path.join(REPO, 'test/fixtures/evidence/testng-dataprovider.xml'), 'utf8');
    const dir = starterProject({
      'reports/testng.xml': testng,
      // The same report with its declared totals edited: one skip and four tests more than it holds.
      'reports/edited.xml': testng.replace('tests="36"', 'tests="40"').replace('skipped="3"', 'skipped="4"'),
    });
    const args = (file: string) => [
      'evidence',
      'import',
      file,
      '-C',
      '.',
      '--version',
      '0.1.0',
      '--executed-by',
      'CI',
    ];
    const imported = runCli(args('reports/testng.xml'), dir);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain(
      'reports/testng.xml (JUnit XML): 30 tests, 36 executions: 32 passed, 1 failed, 0 errors, 3 skipped',
    );
    const record = fs.readFileSync(path.join(dir, 'records/evidence/RUN-001.yaml'), 'utf8');
    expect(record).toContain(
      'totals:\n      tests: 30\n      executions: 36\n      passed: 32\n      failed: 1\n      errors: 0\n      skipped: 3\n',
    );
    expect(record.match(/outcome: skipped/g)).toHaveLength(3);
    expect(record).not.toContain('reportWarnings');

    const edited = runCli(args('reports/edited.xml'), dir);
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stderr).toContain(
      'reports/edited.xml:3: warning: the report\'s declared totals disagree with what was read: suite "com.acme.pump.dose.DoseLimitTest" (line 3) declares tests=40, skipped=4 but its testcase elements give tests=36, skipped=3',
    );
    expect(edited.stdout).toContain('warning (recorded in reportWarnings)');
    const second = fs.readFileSync(path.join(dir, 'records/evidence/RUN-002.yaml'), 'utf8');
    expect(second).toContain('reportWarnings:\n      - "the report\'s declared totals disagree');
    expect(JSON.parse(runCli(['check', '.', '--format', 'json'], dir).stdout).summary.errors).toBe(0);
  });

  it('needs --version and --executed-by, and says so in one line', () => {
    const dir = starterProject({ 'reports/system.xml': JUNIT('passed') });
    const missing = runCli(['evidence', 'import', 'reports/system.xml', '-C', '.'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--version is required/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('coverage and static analysis as unit evidence', () => {
  it('ties files to units by sourceFiles, imports once, and error findings block the release (5.1.12)', () => {
    const fixtures = path.join(REPO, 'test/fixtures/evidence');
    const dir = starterProject({
      'records/tests/integration.yaml': INTEGRATION,
      'records/releases/REL-001.md': RELEASE,
      'records/evidence/RUN-001.yaml': run('RUN-001', '0.1.0', '2026-09-30', ALL_PASS),
      'reports/coverage.lcov': fs.readFileSync(path.join(fixtures, 'coverage.lcov'), 'utf8'),
      'reports/analysis.sarif': fs.readFileSync(path.join(fixtures, 'clang-tidy-cppcheck.sarif'), 'utf8'),
    });
    const item = path.join(dir, 'records/architecture/SI-002.md');
    fs.writeFileSync(
      item,
      fs
        .readFileSync(item, 'utf8')
        .replace(
          'implements: [SRS-001, SRS-002]',
          'implements: [SRS-001, SRS-002]\nsourceFiles: ["src/dose/**", "src/alarm/**"]',
        ),
    );
    const args = (file: string) => [
      'evidence',
      'import',
      file,
      '-C',
      '.',
      '--version',
      '0.1.0',
      '--executed-by',
      'CI',
      '--date',
      '2026-09-30',
    ];
    const coverage = runCli(args('reports/coverage.lcov'), dir);
    expect(coverage.code, coverage.stderr).toBe(0);
    expect(coverage.stdout).toContain('(lcov): 1 unit(s)');
    const record = fs.readFileSync(path.join(dir, 'records/evidence/VR-001.yaml'), 'utf8');
    expect(record).toContain('unit: SI-002');
    expect(runCli(args('reports/coverage.lcov'), dir).stdout).toContain('already imported as VR-001');

    const sarif = runCli(args('reports/analysis.sarif'), dir);
    expect(sarif.stdout).toContain("no unit's sourceFiles match src/ui/alarm banner.c");
    const gate = JSON.parse(
      runCli(['release', 'check', '0.1.0', '.', '--format', 'json', '--manifest', 'm.json'], dir).stdout,
    );
    const errors = gate.blockers.filter((b: { code: string }) => b.code === 'release/static-analysis-errors');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].clauses).toContain('5.1.12');
    expect(JSON.parse(runCli(['check', '.', '--format', 'json'], dir).stdout).summary.errors).toBe(0);
    // A coverage report changed after import is caught like a test report (5.8.7).
    fs.appendFileSync(path.join(dir, 'reports/coverage.lcov'), 'end_of_record\n');
    const changed = JSON.parse(
      runCli(['release', 'check', '0.1.0', '.', '--format', 'json', '--manifest', 'm.json'], dir).stdout,
    );
    expect(changed.blockers.map((b: { code: string; record: string }) => `${b.code} ${b.record}`)).toContain(
      'release/evidence-changed VR-001',
    );
  });
});

describe('problem reports, change requests and code tags', () => {
  it('clause 9 content by state, and only allowed transitions', () => {
    const { analysis } = project({
      'records/problems/PR-001.md': `---
id: PR-001
title: Wrong unit on the volume screen
status: approved
state: closed
history:
  - { date: 2026-08-01, state: open }
  - { date: 2026-08-03, state: closed }
---
Shows mL/h instead of mL.
`,
    });
    const messages = analysis.diagnostics
      .filter((d) => d.code.startsWith('problem/') || d.code === 'change-control/transition')
      .map((d) => `${d.code} ${d.message}`);
    expect(messages.join('\n')).toContain('change-control/transition PR-001 moved from open to closed');
    for (const field of [
      'criticality',
      'investigation',
      'safetyRelevant',
      'partiesAdvised',
      'resolutionVerification',
    ]) {
      expect(messages.join('\n')).toContain(`\`${field}\``);
    }
    expect(messages.join('\n')).toContain('rationaleNoAction');
  });

  it('problem trends count reports by category and month (9.6)', () => {
    const pr = (id: string, reported: string, category: string) =>
      `---\nid: ${id}\ntitle: ${id}\nstatus: approved\nstate: open\nreported: ${reported}\ncategory: ${category}\n---\nText.\n`;
    const { analysis } = project({
      'records/problems/PR-001.md': pr('PR-001', '2026-07-03', 'alarm'),
      'records/problems/PR-002.md': pr('PR-002', '2026-07-20', 'alarm'),
      'records/problems/PR-003.md': pr('PR-003', '2026-09-01', 'display'),
    });
    expect(problemTrends(analysis.graph)).toEqual({
      months: ['2026-07', '2026-09'],
      rows: [
        { category: 'alarm', counts: [2, 0], total: 2 },
        { category: 'display', counts: [0, 1], total: 1 },
      ],
    });
  });

  it('finds tags in any comment style, with their line and column', () => {
    const text =
      '/* @implements SRS-001, SRS-002 */\nint f(void);\n# @verifies: RC-001\n-- @implements SYS-9\n';
    expect(tagsInText('a.c', text)).toEqual([
      { file: 'a.c', line: 1, column: 16, tag: 'implements', id: 'SRS-001' },
      { file: 'a.c', line: 1, column: 25, tag: 'implements', id: 'SRS-002' },
      { file: 'a.c', line: 3, column: 14, tag: 'verifies', id: 'RC-001' },
      { file: 'a.c', line: 4, column: 16, tag: 'implements', id: 'SYS-9' },
    ]);
  });

  it('unknown or wrong-kind ids and untraced implementations are diagnostics with file and line', () => {
    const config = (dir: string) =>
      fs.appendFileSync(path.join(dir, 'dossier.yaml'), '\ncodeTags:\n  sources: ["src/**/*.c"]\n');
    const dir = starterProject({
      'src/therapy/limits.c':
        '// Therapy limits\n/* @implements SRS-001 */\nint limits(void);\n/* @implements SRS-099 */\n/* @implements SYS-001 */\n',
      'src/other/display.c': '/* @implements SRS-002 */\n',
    });
    config(dir);
    const item = path.join(dir, 'records/architecture/SI-002.md');
    fs.writeFileSync(
      item,
      fs
        .readFileSync(item, 'utf8')
        .replace(
          'implements: [SRS-001, SRS-002]',
          'implements: [SRS-001, SRS-002]\nsourceFiles: ["src/therapy/**"]',
        ),
    );
    const si3 =
      '---\nid: SI-003\ntitle: Display\nstatus: draft\nitemType: item\npartOf: SI-001\nsourceFiles: ["src/other/**"]\n---\nThe display.\n';
    fs.writeFileSync(path.join(dir, 'records/architecture/SI-003.md'), si3);
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    const found = analyze(loaded.project).diagnostics.filter((d) => d.code.startsWith('tag/'));
    expect(found.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      'src/other/display.c:1:16 tag/untraced',
      'src/therapy/limits.c:4:16 tag/unknown-id',
      'src/therapy/limits.c:5:16 tag/unknown-id',
    ]);
    expect(found[1]!.message).toContain('did you mean "SRS-001"');
  });
});
