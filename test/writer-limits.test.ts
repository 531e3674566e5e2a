/**
 * Issue 10 §2, "importers write files the loader refuses": a 20,000-case JUnit import wrote a 1.2 MB
 * run record over the loader's 1 MiB limit, after which `check` did not load it and the next import
 * failed with "already exists". Every writer of records now checks its output with the loader's own
 * checks before writing; long lists of evidence (a run's results, a static analysis' findings)
 * continue in companion files loaded as part of the same record, which the gate still compares case
 * by case; a file that would still be refused is never written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../src/load/project.js';
import { recordFileRefusal } from '../src/load/would-load.js';
import { createFilesExclusive } from '../src/util/new-files.js';
import { INTEGRATION, RELEASE, withAdvisoryData } from './gate-fixtures.js';
import { approved, approvedStarterProject, CONFIG, runCli, starterProject } from './helpers.js';

const CASES = 20_000;

/** A JUnit report: the four tests of the project by id, then `extra` cases that map to no test. */
function junit(extra: number, options: { failLast?: boolean; longName?: number } = {}): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="system">',
    `  <testsuite name="therapy" tests="${extra + 4}" timestamp="2026-09-30T08:00:00">`,
    '    <testcase classname="therapy" name="[TC-001] out-of-range parameters"/>',
    '    <testcase classname="therapy" name="[TC-002] delivery fault"/>',
    '    <testcase classname="sim" name="[TC-003] therapy control with simulator"/>',
    '    <testcase classname="validation" name="[TC-100] simulated use"/>',
  ];
  for (let i = 1; i <= extra; i++) {
    const name = `profile step ${String(i).padStart(5, '0')} keeps the rate${i === extra && options.longName ? ` ${'x'.repeat(options.longName)}` : ''}`;
    lines.push(
      i === extra && options.failLast
        ? `    <testcase classname="profile" name="${name}"><failure message="rate drifted"/></testcase>`
        : `    <testcase classname="profile" name="${name}"/>`,
    );
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

const IMPORT = [
  '--version',
  '0.1.0',
  '--executed-by',
  'CI',
  '--environment',
  'Simulator rig SR-1',
  '--tool',
  'pytest 8.3.2',
];

function importReport(dir: string, report: string) {
  return runCli(['evidence', 'import', report, '-C', '.', ...IMPORT], dir);
}

const evidenceDir = (dir: string) => path.join(dir, 'records/evidence');
const evidenceFiles = (dir: string) =>
  fs.existsSync(evidenceDir(dir)) ? fs.readdirSync(evidenceDir(dir)).sort() : [];
const companions = (dir: string, id: string) =>
  evidenceFiles(dir).filter((f) => f.startsWith(`${id}.`) && f !== `${id}.yaml`);

function edit(file: string, change: (text: string) => string): void {
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
}

function gate(dir: string) {
  const r = runCli(['release', 'check', '0.1.0', '.', '--format', 'json', '--manifest', 'out/m.json'], dir);
  if (r.code === 2) return { code: r.code, blockers: [] as string[], stderr: r.stderr };
  const report = JSON.parse(r.stdout) as { blockers: { code: string; message: string }[] };
  return { code: r.code, blockers: report.blockers.map((b) => `${b.code} ${b.message}`), stderr: r.stderr };
}

function copyProject(dir: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-test-'));
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

function withoutPlans(dir: string): string {
  fs.rmSync(path.join(dir, 'records/plans'), { recursive: true, force: true });
  return dir;
}

/**
 * The starter without its link stamps (`linkReviews`) and its editors' schema modelines, so that its
 * records fit a limit of a few hundred bytes; neither is what these tests are about.
 */
function withoutStamps(dir: string): string {
  for (const rel of ['records/architecture/SI-002.md', 'records/tests/system-tests.yaml']) {
    const file = path.join(dir, rel);
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(/^ *linkReviews:\n(?: +- [A-Z]+-\d+ fp1:.*\n)+/gm, '')
        .replace(/^# yaml-language-server: .*\n/, ''),
    );
  }
  return dir;
}

describe('a 20,000-case JUnit import', () => {
  let imported: string;
  let importOutput: string;

  beforeAll(() => {
    imported = approvedStarterProject({
      'records/tests/integration.yaml': approved(INTEGRATION),
      'records/releases/REL-001.md': RELEASE,
      'reports/big.xml': junit(CASES, { failLast: true }),
    });
    withAdvisoryData(imported);
    const run = importReport(imported, 'reports/big.xml');
    if (run.code !== 0) throw new Error(run.stderr);
    importOutput = run.stdout;
    // Reviewed and approved, as before a release.
    edit(path.join(evidenceDir(imported), 'RUN-001.yaml'), (t) =>
      t.replace('status: draft', 'status: approved'),
    );
  }, 300_000);

  it('writes only files within the limit, which check loads as one run with every result', () => {
    const parts = companions(imported, 'RUN-001');
    expect(parts.length).toBeGreaterThan(0);
    expect(importOutput).toContain(
      `→ records/evidence/RUN-001.yaml (RUN-001) with ${parts.length} companion files (${parts.join(', ')})`,
    );
    // The unmapped cases are listed up to 20, then counted.
    expect(importOutput.match(/^ {2}unmapped: /gm)).toHaveLength(20);
    expect(importOutput).toContain(`… and ${(CASES - 20).toLocaleString('en-US')} more unmapped cases`);
    for (const file of ['RUN-001.yaml', ...parts]) {
      expect(fs.statSync(path.join(evidenceDir(imported), file)).size).toBeLessThanOrEqual(1024 * 1024);
    }
    const loaded = loadProject(imported);
    if (!loaded.ok) throw new Error('config did not load');
    expect(loaded.project.unloaded).toEqual([]);
    expect(loaded.project.findings).toEqual([]);
    const run = loaded.project.records.find((r) => r.id === 'RUN-001')!;
    const results = run.fields.results as { test?: string; case: string; outcome: string }[];
    expect(results).toHaveLength(CASES + 4);
    // The results the trace needs (those of test records) stay in the run record itself.
    const own = fs.readFileSync(path.join(evidenceDir(imported), 'RUN-001.yaml'), 'utf8');
    for (const id of ['TC-001', 'TC-002', 'TC-003', 'TC-100']) expect(own).toContain(`test: ${id}`);
    expect(results.filter((r) => r.outcome === 'failed').map((r) => r.case)).toEqual([
      `therapy › profile › profile step ${CASES} keeps the rate`,
    ]);

    const checked = runCli(['check', '.', '--format', 'json'], imported);
    expect(checked.stderr).not.toContain('INCOMPLETE');
    const diagnostics = (JSON.parse(checked.stdout) as { diagnostics: { code: string }[] }).diagnostics;
    expect(diagnostics.filter((d) => d.code.startsWith('load/'))).toEqual([]);
  });

  it('the next import of another report works', () => {
    const dir = copyProject(imported);
    fs.writeFileSync(path.join(dir, 'reports/small.xml'), junit(3));
    const next = importReport(dir, 'reports/small.xml');
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('(RUN-002)');
    // The same big report again changes nothing.
    const again = importReport(dir, 'reports/big.xml');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already imported as RUN-001');
  });

  it('the gate compares every result, those in companion files too', () => {
    // The failing case at the end of the report is in a companion file, and it is what blocks.
    const blocked = gate(imported);
    expect(blocked.code).toBe(1);
    expect(blocked.blockers.filter((b) => b.startsWith('release/evidence-'))).toEqual([]);
    expect(blocked.blockers.join('\n')).not.toContain('evidence-disagrees');
    const last = companions(imported, 'RUN-001').at(-1)!;
    expect(fs.readFileSync(path.join(evidenceDir(imported), last), 'utf8')).toContain('outcome: failed');

    // Flip it to passed in the companion file: the gate re-reads the report and disagrees.
    const dir = copyProject(imported);
    edit(path.join(evidenceDir(dir), last), (t) => t.replace('outcome: failed', 'outcome: passed'));
    const tampered = gate(dir);
    expect(tampered.code).toBe(1);
    expect(tampered.blockers.filter((b) => b.startsWith('release/evidence-disagrees'))).toEqual([
      expect.stringContaining(
        `RUN-001: therapy › profile › profile step ${CASES} keeps the rate: recorded passed, but reports/big.xml says failed`,
      ),
    ]);
  });

  it('a deleted companion file fails closed: the run does not load, and check and the gate say so', () => {
    const dir = copyProject(imported);
    const part = companions(dir, 'RUN-001')[0]!;
    fs.rmSync(path.join(evidenceDir(dir), part));
    const checked = runCli(['check', '.', '--format', 'json'], dir);
    expect(checked.code).not.toBe(0);
    const diagnostics = (
      JSON.parse(checked.stdout) as { diagnostics: { code: string; message: string; file: string }[] }
    ).diagnostics;
    expect(diagnostics[0]).toMatchObject({
      code: 'load/continuation-missing',
      file: 'records/evidence/RUN-001.yaml',
    });
    expect(diagnostics[0]!.message).toContain(part);
    const refused = gate(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('records/evidence/RUN-001.yaml');

    // Deleting the companion and its name in the run too leaves results missing: the gate disagrees.
    edit(path.join(evidenceDir(dir), 'RUN-001.yaml'), (t) =>
      t.replace(new RegExp(`\\n\\s*- ${part.replaceAll('.', '\\.')}`), ''),
    );
    const blocked = gate(dir);
    expect(blocked.code).toBe(1);
    expect(blocked.blockers.filter((b) => b.startsWith('release/evidence-disagrees')).length).toBeGreaterThan(
      0,
    );
  });

  it('a companion file its run does not name does not load (its results would count for nothing)', () => {
    const dir = copyProject(imported);
    const part = companions(dir, 'RUN-001').at(-1)!;
    edit(path.join(evidenceDir(dir), 'RUN-001.yaml'), (t) => t.replace(`\n      - ${part}`, ''));
    const checked = runCli(['check', '.', '--format', 'json'], dir);
    const diagnostics = (JSON.parse(checked.stdout) as { diagnostics: { code: string; file: string }[] })
      .diagnostics;
    expect(diagnostics[0]).toMatchObject({
      code: 'load/continuation-unclaimed',
      file: `records/evidence/${part}`,
    });
    expect(runCli(['release', 'check', '0.1.0', '.'], dir).code).toBe(2);
  });
});

describe('a record that would still be over the limit is never written', () => {
  // The starter plans are longer than these limits; the import does not need them.
  const lowLimit = (limit: number) =>
    withoutStamps(
      withoutPlans(starterProject({ 'dossier.yaml': `${CONFIG}limits:\n  maxFileBytes: ${limit}\n` })),
    );

  it('a JUnit result too large for any file: the import refuses and writes nothing', () => {
    const dir = lowLimit(2_000);
    fs.mkdirSync(path.join(dir, 'reports'));
    fs.writeFileSync(path.join(dir, 'reports/r.xml'), junit(40, { longName: 2_500 }));
    const r = importReport(dir, 'reports/r.xml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over the 2,000-byte limit for a record file \(limits\.maxFileBytes\)/);
    expect(r.stderr).toContain('nothing was written');
    expect(evidenceFiles(dir)).toEqual([]);
    // Within the limit the same project splits the results and loads.
    fs.writeFileSync(path.join(dir, 'reports/r.xml'), junit(40));
    expect(importReport(dir, 'reports/r.xml').code).toBe(0);
    expect(companions(dir, 'RUN-001').length).toBeGreaterThan(0);
    const loaded = loadProject(dir);
    expect(loaded.ok && loaded.project.unloaded).toEqual([]);
    expect(
      loaded.ok &&
        (loaded.project.records.find((x) => x.id === 'RUN-001')!.fields.results as unknown[]).length,
    ).toBe(44);
  });

  it('a run record whose header alone is over the limit is refused', () => {
    const dir = lowLimit(800);
    fs.mkdirSync(path.join(dir, 'reports'));
    fs.writeFileSync(path.join(dir, 'reports/r.xml'), junit(1));
    const r = importReport(dir, 'reports/r.xml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /records\/evidence\/RUN-001\.yaml would be [\d,]+ bytes, over the 800-byte limit/,
    );
    expect(evidenceFiles(dir)).toEqual([]);
  });
});

/** A SARIF log: `errors` errors, then `warnings` warnings, each in its own file. */
function sarif(errors: number, warnings: number, longPath = 0): string {
  const result = (i: number, level: string) => ({
    ruleId: level === 'error' ? 'core.NullDereference' : 'readability-magic-numbers',
    level,
    message: { text: `finding ${i}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: `src/module${i}${i === 1 && longPath ? 'x'.repeat(longPath) : ''}.c` },
          region: { startLine: 1 },
        },
      },
    ],
  });
  return JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Clang-Tidy', version: '17.0.6' } },
        results: [
          ...Array.from({ length: errors }, (_, i) => result(i + 1, 'error')),
          ...Array.from({ length: warnings }, (_, i) => result(errors + i + 1, 'warning')),
        ],
      },
    ],
  });
}

describe('static-analysis findings continue in companion files too', () => {
  it('a split SARIF import loads whole, and error findings in companion files still block the release', () => {
    const dir = approvedStarterProject({
      'dossier.yaml': `${CONFIG}limits:\n  maxFileBytes: 16384\n`,
      'records/tests/integration.yaml': approved(INTEGRATION),
      'records/releases/REL-001.md': RELEASE,
      'reports/junit.xml': junit(0),
      'reports/analysis.sarif': sarif(150, 300),
    });
    withAdvisoryData(dir);
    expect(importReport(dir, 'reports/junit.xml').code).toBe(0);
    const r = importReport(dir, 'reports/analysis.sarif');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const parts = companions(dir, 'VR-001');
    expect(parts.length).toBeGreaterThan(1);
    // The record keeps errors first; those that do not fit go on in its companions, with the warnings.
    const first = fs.readFileSync(path.join(evidenceDir(dir), parts[0]!), 'utf8');
    expect(first).toContain('level: error');
    for (const f of ['RUN-001.yaml', 'VR-001.yaml']) {
      edit(path.join(evidenceDir(dir), f), (t) => t.replace('status: draft', 'status: approved'));
    }
    const loaded = loadProject(dir);
    expect(loaded.ok && loaded.project.unloaded).toEqual([]);
    if (!loaded.ok) throw new Error('config did not load');
    const report = loaded.project.records.find((x) => x.id === 'VR-001')!;
    expect((report.fields.findings as unknown[]).length).toBe(450);
    const blockers = gate(dir).blockers.filter((b) => b.startsWith('release/static-analysis-errors'));
    expect(blockers).toHaveLength(150);
    expect(blockers.at(-1)).toContain('VR-001: core.NullDereference in src/module150.c:1');

    // A companion deleted: the report does not load, and the gate refuses.
    fs.rmSync(path.join(evidenceDir(dir), parts[0]!));
    expect(gate(dir).code).toBe(2);
  });

  it('a finding too large for any file: the import refuses and writes nothing', () => {
    const dir = withoutPlans(
      starterProject({
        'dossier.yaml': `${CONFIG}limits:\n  maxFileBytes: 2000\n`,
        'reports/analysis.sarif': sarif(1, 30, 2_500),
      }),
    );
    const r = importReport(dir, 'reports/analysis.sarif');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over the 2,000-byte limit for a record file/);
    expect(evidenceFiles(dir)).toEqual([]);
  });
});

describe('every writer checks its files with the loader before writing any', () => {
  it('init refuses a dossier.yaml the loader would refuse (an empty --name), writing nothing', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-init-')), 'p');
    const r = runCli(['init', dir, '--name', '', '--manufacturer', 'Test Co']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dossier\.yaml would not load: setting "device\.name"/);
    expect(r.stderr).toContain('Nothing was written');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('the shared check refuses what the loader refuses: size, lone surrogates, YAML, front matter, shape', () => {
    expect(recordFileRefusal('r.yaml', 'kind: test\nrecords: []\n', 100)).toBeUndefined();
    expect(recordFileRefusal('r.yaml', `records: [${'x'.repeat(200)}]\n`, 100)).toMatch(
      /^r\.yaml would be 212 bytes, over the 100-byte limit for a record file/,
    );
    expect(recordFileRefusal('r.yaml', 'records:\n  - { id: "\uD800" }\n', 1000)).toMatch(/lone surrogate/);
    // The `yaml` writer accepts duplicate keys; the loader (js-yaml) does not.
    expect(recordFileRefusal('r.yaml', 'records:\n  - { id: A-1, id: A-2 }\n', 1000)).toMatch(
      /^r\.yaml would not load: invalid YAML/,
    );
    expect(recordFileRefusal('r.md', 'id: SRS-001\n', 1000)).toMatch(/would not load: .*front matter/);
    expect(recordFileRefusal('r.yaml', 'notes: x\n', 1000)).toMatch(/not a collection/);
  });

  it('several new files are created all or none', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-files-'));
    fs.writeFileSync(path.join(root, 'b.yaml'), 'mine\n');
    const files = ['a.yaml', 'b.yaml', 'c.yaml'].map((f) => ({ file: path.join(root, f), content: 'new\n' }));
    expect(createFilesExclusive(files, { root, owner: 'test' })).toEqual({
      ok: false,
      existing: path.join(root, 'b.yaml'),
    });
    expect(fs.readdirSync(root).sort()).toEqual(['b.yaml']);
    expect(fs.readFileSync(path.join(root, 'b.yaml'), 'utf8')).toBe('mine\n');
    fs.rmSync(path.join(root, 'b.yaml'));
    expect(createFilesExclusive(files, { root, owner: 'test' })).toEqual({ ok: true });
    expect(fs.readdirSync(root).sort()).toEqual(['.dossier', 'a.yaml', 'b.yaml', 'c.yaml']);
  });
});

describe('companion files as the loader reads them', () => {
  const RUN = `kind: test-run
records:
  - id: RUN-001
    title: Run
    version: 0.1.0
    date: 2026-09-30
    executedBy: CI
    environment: Rig
    tools: [pytest]
    manual: true
    results:
      - { test: TC-001, outcome: passed }
    continuedIn: [RUN-001.results-2.yaml]
`;
  const part = (body: string) => `continues: RUN-001\nresults:\n${body}`;
  const load = (files: Record<string, string>) => {
    const loaded = loadProject(starterProject(files));
    if (!loaded.ok) throw new Error('config did not load');
    return loaded.project;
  };

  it('joins a companion to its record, and points diagnostics at the line in the companion', () => {
    const project = load({
      'records/evidence/RUN-001.yaml': RUN,
      'records/evidence/RUN-001.results-2.yaml': part(
        '  - { test: TC-002, outcome: failed }\n  - { test: TC-404, outcome: passed }\n',
      ),
    });
    expect(project.unloaded).toEqual([]);
    const run = project.records.find((r) => r.id === 'RUN-001')!;
    expect(run.fields.results).toEqual([
      { test: 'TC-001', outcome: 'passed' },
      { test: 'TC-002', outcome: 'failed' },
      { test: 'TC-404', outcome: 'passed' },
    ]);
    const dir = starterProject({
      'records/evidence/RUN-001.yaml': RUN,
      'records/evidence/RUN-001.results-2.yaml': part(
        '  - { test: TC-002, outcome: failed }\n  - { test: TC-404, outcome: passed }\n',
      ),
    });
    const checked = JSON.parse(runCli(['check', '.', '--format', 'json'], dir).stdout) as {
      diagnostics: { code: string; file: string; line: number }[];
    };
    expect(checked.diagnostics.find((d) => d.code === 'evidence/unknown-reference')).toMatchObject({
      file: 'records/evidence/RUN-001.results-2.yaml',
      line: 4,
    });
  });

  it('a companion of another record, or one named twice, makes the record not load', () => {
    const other = load({
      'records/evidence/RUN-001.yaml': RUN,
      'records/evidence/RUN-001.results-2.yaml': part('  - { test: TC-002, outcome: failed }\n').replace(
        'RUN-001',
        'RUN-002',
      ),
    });
    expect(other.records.some((r) => r.id === 'RUN-001')).toBe(false);
    expect(other.unloaded.map((u) => [u.file, u.finding.code])).toEqual([
      ['records/evidence/RUN-001.results-2.yaml', 'load/continuation-unclaimed'],
      ['records/evidence/RUN-001.yaml', 'load/continuation-missing'],
    ]);
    const twice = load({
      'records/evidence/RUN-001.yaml': RUN.replace(
        'continuedIn: [RUN-001.results-2.yaml]',
        'continuedIn: [RUN-001.results-2.yaml, ./RUN-001.results-2.yaml]',
      ),
      'records/evidence/RUN-001.results-2.yaml': part('  - { test: TC-002, outcome: failed }\n'),
    });
    expect(twice.unloaded.map((u) => u.finding.code)).toEqual(['load/continuation-missing']);
    expect(twice.unloaded[0]!.finding.message).toContain('more than once');
  });

  it('an invalid result in a companion is an error where it is, and is not counted', () => {
    const project = load({
      'records/evidence/RUN-001.yaml': RUN,
      'records/evidence/RUN-001.results-2.yaml': part('  - { test: TC-002, outcome: pased }\n'),
    });
    expect(project.unloaded).toEqual([]);
    expect(project.findings.map((f) => [f.code, f.at?.file])).toEqual([
      ['schema/invalid-value', 'records/evidence/RUN-001.results-2.yaml'],
    ]);
    expect(project.records.find((r) => r.id === 'RUN-001')!.fields.results).toEqual([
      { test: 'TC-001', outcome: 'passed' },
    ]);
  });
});
