/**
 * Change impact (issue 13 section 4): on the example, changing one software requirement selects
 * the tests the records say depend on it. The expectation is derived here from the raw records
 * with plain scans (no trace graph, no impact module), so the test does not restate the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { analyseImpact, recordsNamed } from '../src/impact/impact.js';
import { impactReport, impactReportSchema } from '../src/impact/report.js';
import { loadProject } from '../src/load/project.js';
import type { DossierRecord } from '../src/model/record.js';
import { copyDir, EXAMPLE, runCli, writeProject } from './helpers.js';

function exampleAnalysis() {
  const loaded = loadProject(EXAMPLE);
  if (!loaded.ok) throw new Error('example did not load');
  return analyze(loaded.project);
}

/** The regression tests for a changed software requirement, from the records by brute force. */
function expectedTests(records: readonly DossierRecord[], srsId: string): Set<string> {
  const links = (r: DossierRecord, field: string) => r.links[field] ?? [];
  const byId = new Map(records.map((r) => [r.id, r]));
  // What must be re-verified: the requirement, requirements derived from it (transitively), the
  // items implementing any of those, the items containing such an item, and the risk controls the
  // changed requirement implements.
  const derived = new Set([srsId]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const r of records)
      if (
        r.kind === 'software-requirement' &&
        !derived.has(r.id) &&
        links(r, 'derivesFrom').some((t) => derived.has(t))
      ) {
        derived.add(r.id);
        grown = true;
      }
  }
  const items = records.filter(
    (r) => r.kind === 'software-item' && links(r, 'implements').some((t) => derived.has(t)),
  );
  const containers = new Set<string>();
  for (const item of items)
    for (
      let parent = links(item, 'partOf')[0];
      parent && byId.has(parent);
      parent = links(byId.get(parent)!, 'partOf')[0]
    )
      containers.add(parent);
  const controls = links(byId.get(srsId)!, 'implements');
  const verifiable = new Set([...derived, ...items.map((i) => i.id), ...containers, ...controls]);
  return new Set(
    records
      .filter(
        (t) =>
          t.kind === 'test' &&
          t.status !== 'obsolete' &&
          [...links(t, 'verifies'), ...links(t, 'verifiesEffectiveness')].some((v) => verifiable.has(v)),
      )
      .map((t) => t.id),
  );
}

describe('dossier impact on the example', () => {
  const analysis = exampleAnalysis();
  const records = analysis.project.records;

  for (const srs of ['SRS-012', 'SRS-067', 'SRS-005']) {
    it(`changing ${srs} selects the tests that verify it or what depends on it`, () => {
      const impact = analyseImpact(analysis.graph, analysis.safety, recordsNamed(analysis.graph, [srs]));
      const selected = impact.tests.map((t) => t.test.id);
      const expected = expectedTests(records, srs);
      expect(expected.size).toBeGreaterThan(0);
      expect(new Set(selected)).toEqual(expected);
      // Each test says why: the record it verifies and how that record is in the impact.
      for (const t of impact.tests) expect(t.reason).toMatch(/^(verifies|verifiesEffectiveness) \S+, /);
    });
  }

  it('changing SRS-012 revisits the risk control it implements and its hazardous situation', () => {
    const impact = analyseImpact(analysis.graph, analysis.safety, recordsNamed(analysis.graph, ['SRS-012']));
    const srs = records.find((r) => r.id === 'SRS-012')!;
    const controls = srs.links.implements ?? [];
    expect(controls.length).toBeGreaterThan(0);
    expect(impact.controls.map((c) => c.control.id)).toEqual(expect.arrayContaining([...controls]));
    const situations = records
      .filter((r) => r.kind === 'risk-control' && controls.includes(r.id))
      .flatMap((rc) => rc.links.mitigates ?? []);
    expect(impact.situations.map((s) => s.situation.id)).toEqual(expect.arrayContaining(situations));
    // Upstream: the system requirement it derives from.
    expect(impact.upstream.map((u) => u.record.id)).toEqual(
      expect.arrayContaining([...(srs.links.derivesFrom ?? [])]),
    );
    expect(impact.classes[0]?.cls).toBe('C');
    const report = impactReport(impact);
    expect(impactReportSchema.safeParse(report).success).toBe(true);
  });

  it('an unknown id is an error naming it, not an empty impact', () => {
    expect(() => recordsNamed(analysis.graph, ['SRS-012', 'SRS-999'])).toThrow(/SRS-999/);
  });
});

describe('dossier impact CLI', () => {
  it('prints the report and --write records it into the change request, keeping impactAnalysis and comments', () => {
    const dir = copyDir(EXAMPLE);
    const file = path.join(dir, 'records/changes/CR-002.md');
    const before = fs.readFileSync(file, 'utf8').replace('state: closed', 'state: closed   # kept comment');
    fs.writeFileSync(file, before);
    const json = runCli(['impact', 'CR-002', '-C', dir, '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(impactReportSchema.safeParse(report).success).toBe(true);
    expect(report.changed.map((c: { id: string }) => c.id)).toEqual([
      'SI-020',
      'SRS-029',
      'SRS-068',
      'TC-029',
      'TC-069',
    ]);

    const written = runCli(['impact', 'CR-002', '-C', dir, '--write'], undefined, {
      DOSSIER_TODAY: '2026-05-28',
    });
    expect(written.code).toBe(0);
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toContain('# kept comment');
    expect(after).toContain(before.match(/impactAnalysis: >-\n(?: {2}.*\n)+/)![0]);
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('copy did not load');
    const cr = loaded.project.records.find((r) => r.id === 'CR-002')!;
    const impact = cr.fields.impact as { analysed: string; tests: string[]; records: string[] };
    expect(impact.analysed).toBe('2026-05-28');
    expect(impact.tests).toEqual(report.tests.map((t: { id: string }) => t.id));
    expect(impact.records).toEqual(expect.arrayContaining(['SRS-029', 'SI-020']));
    expect(runCli(['check', dir]).code).toBe(0);
  });

  it('refuses an unknown change request and --write without one', () => {
    const unknown = runCli(['impact', 'CR-999', '-C', EXAMPLE]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/CR-999/);
    expect(runCli(['impact', '--records', 'SRS-012', '--write', '-C', EXAMPLE]).code).toBe(2);
  });
});

describe('dossier impact fails closed', () => {
  it('lists a link in the impact that does not resolve as not analysed and exits 1', () => {
    const dir = writeProject({
      'records/all.yaml': `records:
  - { id: SRS-001, kind: software-requirement, title: Stop, status: draft, category: function, text: The software shall stop., derivesFrom: [SYS-404] }
  - { id: TC-001, kind: test, title: Stop test, status: draft, level: system, verifies: [SRS-001] }
`,
    });
    const r = runCli(['impact', '--records', 'SRS-001', '-C', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.unresolved).toEqual([{ from: 'SRS-001', field: 'derivesFrom', target: 'SYS-404' }]);
    expect(report.tests.map((t: { id: string }) => t.id)).toEqual(['TC-001']);
    expect(runCli(['impact', '--records', 'SRS-001', '-C', dir]).stdout).toMatch(
      /NOT ANALYSED: .*\n {2}SRS-001\.derivesFrom → SYS-404/,
    );
  });
});
