/**
 * Issue 9 section 4, "not checked is never none": advisory coverage per ecosystem, the age of the
 * advisory data and the release date, postmarket findings, and the 7.1.3 anomaly-list reviews that
 * must stand in for advisory data where no advisory database can match the SOUP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Analysis, analyze } from '../src/analyze.js';
import { releaseGate } from '../src/evidence/release-gate.js';
import { renderGateText } from '../src/evidence/release-report.js';
import { loadProject } from '../src/load/project.js';
import {
  soupAnomalyReviewNotCurrent,
  soupVulnerabilitiesUnreviewed,
} from '../src/rules/soup-anomaly-review.js';
import { importAdvisories } from '../src/soup/advisories/import.js';
import { type AdvisoryStore, openAdvisoryStore } from '../src/soup/advisories/store.js';
import { scanSoup } from '../src/soup/scan.js';
import { today } from '../src/util/clock.js';
import { runCli, starterProject } from './helpers.js';
import { writeZip } from './zip-writer.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-coverage-'));

interface Spec {
  ecosystem?: string;
  name?: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  fixed?: string;
}

function osv(id: string, spec: Spec = {}): Record<string, unknown> {
  return {
    schema_version: '1.7.0',
    id,
    modified: spec.modified ?? '2026-09-20T00:00:00Z',
    ...(spec.published ? { published: spec.published } : {}),
    ...(spec.withdrawn ? { withdrawn: spec.withdrawn } : {}),
    summary: `summary of ${id}`,
    affected: [
      {
        package: { ecosystem: spec.ecosystem ?? 'PyPI', name: spec.name ?? 'data-parser' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: spec.fixed ?? '9.0' }] }],
      },
    ],
  };
}

/** PyPI-only data: one advisory before the release date (2026-10-01), one after it. */
const PYPI = [
  osv('PYSEC-2026-1', { published: '2026-09-01T00:00:00Z', modified: '2026-09-20T00:00:00Z' }),
  osv('PYSEC-2026-2', { published: '2026-10-15T00:00:00Z', modified: '2026-10-16T00:00:00Z' }),
];

/** A store at `file` holding `records` (imported from a zip, as `dossier advisories import` does). */
async function storeWith(file: string, records: readonly unknown[]): Promise<string> {
  const zip = path.join(path.dirname(file), `data-${path.basename(file)}.zip`);
  fs.writeFileSync(
    zip,
    writeZip(records.map((r) => ({ name: `${(r as { id: string }).id}.json`, data: JSON.stringify(r) }))),
  );
  const store = openAdvisoryStore(file);
  try {
    await importAdvisories(store, zip, { now: new Date('2026-11-01T00:00:00Z') });
  } finally {
    store.close();
  }
  return file;
}

const review = (date: string, extra = '') =>
  `anomalyReview: { date: ${date}, reviewer: A. Reviewer, conclusion: reviewed${extra} }`;
const COVERS =
  ', coversVulnerabilities: true, sources: [NVD CVE search for FreeRTOS-Kernel, FreeRTOS GitHub security advisories]';

interface SoupOptions {
  npmReview?: string;
  pypiReview?: string;
  githubReview?: string;
}

function soupYaml(o: SoupOptions = {}): string {
  const common =
    'manufacturer: ACME\n    requirements: r\n    systemRequirements: s\n    supportLevel: actively-maintained\n    endOfSupport: 2030-01-01';
  return `kind: soup
records:
  - id: SOUP-101
    title: widget
    version: 2.4.0
    purl: pkg:npm/%40acme/widget@2.4.0
    ${common}
    ${o.npmReview ?? review('2026-09-01')}
  - id: SOUP-102
    title: data-parser
    version: "1.2"
    purl: pkg:pypi/data-parser@1.2
    ${common}
    ${o.pypiReview ?? review('2026-09-01')}
  - id: SOUP-103
    title: tinyvec
    version: 1.6.0
    purl: pkg:cargo/tinyvec@1.6.0
    ${common}
    ${review('2026-09-01')}
  - id: SOUP-104
    title: FreeRTOS kernel
    version: V11.1.0
    purl: pkg:github/FreeRTOS/FreeRTOS-Kernel@V11.1.0
    ${common}
    ${o.githubReview ?? review('2026-09-01', COVERS)}
`;
}

const release = (date?: string) => `---
id: REL-001
title: Software 0.1.0
status: approved
version: 0.1.0
${date ? `date: ${date}\n` : ''}buildProcedure: CI pipeline build.yml, tag v0.1.0.
buildEnvironment: Debian 12, GCC 12.2.
archive: Release archive on the document server.
delivery: Signed image through the update server.
---
First release.
`;

function project(options: SoupOptions & { date?: string | null; config?: string } = {}): string {
  const dir = starterProject({
    'records/soup.yaml': soupYaml(options),
    'records/releases/REL-001.md': release(
      options.date === null ? undefined : (options.date ?? '2026-10-01'),
    ),
  });
  if (options.config) fs.appendFileSync(path.join(dir, 'dossier.yaml'), options.config);
  return dir;
}

function analysed(dir: string, store: AdvisoryStore | undefined, on: string): Analysis {
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error('load');
  return analyze(loaded.project, { ...(store ? { advisories: store } : {}), today: on });
}

/** The same analysis with every SOUP item taking class `cls` (as if only items of that class used it). */
function withSoupClass(analysis: Analysis, cls: string): Analysis {
  return {
    ...analysis,
    safety: { ...analysis.safety, soup: analysis.safety.soup.map((s) => ({ ...s, cls })) },
  };
}

let open: AdvisoryStore | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

async function pypiStore(records: readonly unknown[] = PYPI): Promise<AdvisoryStore> {
  const file = await storeWith(path.join(tmp(), 'advisories.sqlite'), records);
  open = openAdvisoryStore(file, { readonly: true });
  return open;
}

describe('advisory coverage per ecosystem', () => {
  it('npm SOUP scanned against PyPI-only advisory data exits 1 naming npm', async () => {
    const dir = project();
    const db = await storeWith(path.join(dir, 'adv.sqlite'), PYPI);
    const scan = runCli(['soup', 'scan', '.', '--advisories', db, '--no-save'], dir);
    expect(scan.code).toBe(1);
    expect(scan.stdout).toContain('1 npm SOUP item not scanned: no npm advisory data');
    expect(scan.stdout).toContain('1 crates.io SOUP item not scanned: no crates.io advisory data');
    expect(scan.stdout).not.toMatch(/PyPI SOUP item not scanned/);

    const json = JSON.parse(
      runCli(['soup', 'scan', '.', '--advisories', db, '--no-save', '--format', 'json'], dir).stdout,
    );
    expect(json.notScanned).toEqual([
      { ecosystem: 'crates.io', soup: ['SOUP-103'], reason: 'no crates.io advisory data' },
      { ecosystem: 'npm', soup: ['SOUP-101'], reason: 'no npm advisory data' },
    ]);
    // The PyPI SOUP item was matched: its findings are there.
    expect(json.findings.map((f: { advisory: string }) => f.advisory)).toEqual([
      'PYSEC-2026-1',
      'PYSEC-2026-2',
    ]);
  });

  it('the scan leaves SOUP of an ecosystem without data unscanned instead of reporting no findings', async () => {
    const dir = project();
    const store = await pypiStore();
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    const soups = loaded.project.records.filter((r) => r.kind === 'soup');
    const scan = scanSoup(soups, [], store);
    expect(scan.notScanned.map((n) => `${n.soupId} ${n.ecosystem}`)).toEqual([
      'SOUP-101 npm',
      'SOUP-103 crates.io',
    ]);
    expect(scan.unmatchable.map((u) => u.soupId)).toEqual(['SOUP-104']);
    expect(scan.scanned).toBe(1);
  });

  it('check warns once per ecosystem without data (soup/no-advisory-data is a warning)', async () => {
    const store = await pypiStore();
    const diagnostics = analysed(project(), store, '2026-10-01').diagnostics.filter(
      (d) => d.code === 'soup/no-advisory-data',
    );
    expect(diagnostics.map((d) => `${d.severity} ${d.message}`).sort()).toEqual([
      expect.stringMatching(/^warning 1 crates\.io SOUP item not scanned: no crates\.io advisory data/),
      expect.stringMatching(/^warning 1 npm SOUP item not scanned: no npm advisory data/),
    ]);
    // Each points at the purl of the first SOUP item of its ecosystem.
    expect(diagnostics.map((d) => `${d.recordId} ${d.file}`).sort()).toEqual([
      'SOUP-101 records/soup.yaml',
      'SOUP-103 records/soup.yaml',
    ]);
    const none = analysed(project(), undefined, '2026-10-01').diagnostics.filter(
      (d) => d.code === 'soup/no-advisory-data',
    );
    expect(none.map((d) => d.recordId).sort()).toEqual(['SOUP-101', 'SOUP-102', 'SOUP-103']);
  });

  it('soup list, SBOM and VEX say "not scanned" per component', async () => {
    const dir = project();
    const db = await storeWith(path.join(dir, 'adv.sqlite'), PYPI);
    const sbom = JSON.parse(runCli(['sbom', '.', '--advisories', db], dir).stdout);
    const scanOf = (ref: string) =>
      Object.fromEntries(
        (sbom.components.find((c: { 'bom-ref': string }) => c['bom-ref'] === ref).properties ?? []).map(
          (p: { name: string; value: string }) => [p.name, p.value],
        ),
      );
    expect(scanOf('SOUP-101')['dossier:vulnerability-scan']).toBe('not-scanned');
    expect(scanOf('SOUP-101')['dossier:vulnerability-scan-note']).toContain('no npm advisory data');
    expect(scanOf('SOUP-102')['dossier:vulnerability-scan']).toBe('scanned');
    expect(scanOf('SOUP-104')['dossier:vulnerability-scan']).toBe('not-scanned');
    expect(scanOf('SOUP-104')['dossier:vulnerability-scan-note']).toMatch(
      /no advisory database can match it/,
    );

    const spdx = JSON.parse(runCli(['sbom', '.', '--format', 'spdx', '--advisories', db], dir).stdout);
    const widget = spdx.packages.find((p: { name: string }) => p.name === 'widget');
    expect(widget.annotations.map((a: { comment: string }) => a.comment)).toContain(
      'Vulnerability scan: not scanned: no npm advisory data was loaded',
    );

    const list = runCli(['soup', 'list', '.', '--advisories', db], dir).stdout;
    expect(list).toMatch(/\| widget \|.*not scanned: no npm advisory data/);
    expect(list).toMatch(/\| data-parser \|.*\| none \|/);

    const vex = JSON.parse(runCli(['sbom', '.', '--vex', 'cyclonedx', '--advisories', db], dir).stdout);
    expect(vex.metadata.properties).toEqual(
      expect.arrayContaining([
        { name: 'dossier:not-scanned', value: 'SOUP-101: no npm advisory data was loaded' },
        { name: 'dossier:not-scanned', value: 'SOUP-103: no crates.io advisory data was loaded' },
      ]),
    );
    const openvex = runCli(['sbom', '.', '--vex', 'openvex', '--advisories', db], dir);
    expect(openvex.stderr).toContain(
      'SOUP-101 (widget 2.4.0) was not scanned: no npm advisory data was loaded',
    );
  });
});

describe('release gate: advisory data per ecosystem and its age', () => {
  it('blocks once per ecosystem without data, naming it', async () => {
    const store = await pypiStore();
    const gate = releaseGate(analysed(project(), store, '2026-12-01'), '0.1.0');
    const notChecked = gate.blockers.filter((b) => b.code === 'release/vulnerabilities-not-checked');
    expect(notChecked.map((b) => b.message)).toEqual([
      expect.stringMatching(/^1 crates\.io SOUP item not scanned: no crates\.io advisory data \(SOUP-103\)/),
      expect.stringMatching(/^1 npm SOUP item not scanned: no npm advisory data \(SOUP-101\)/),
    ]);
    expect(notChecked[0]!.clauses).toContain('7.1.3');
  });

  it('an advisory published after the release date is a postmarket finding, not a blocker', async () => {
    const store = await pypiStore();
    const gate = releaseGate(analysed(project(), store, '2026-12-01'), '0.1.0');
    const unevaluated = gate.blockers.filter((b) => b.code === 'release/vulnerability-unevaluated');
    expect(unevaluated.map((b) => b.message)).toEqual([expect.stringContaining('PYSEC-2026-1')]);
    expect(gate.postmarket.map((f) => `${f.soupId} ${f.advisory} ${f.published}`)).toEqual([
      'SOUP-102 PYSEC-2026-2 2026-10-15T00:00:00Z',
    ]);
    expect(renderGateText(gate)).toContain(
      'Postmarket findings (published after 2026-10-01; evaluate them, they do not block 0.1.0):\n  SOUP-102 data-parser 1.2: PYSEC-2026-2 published 2026-10-15, not evaluated yet',
    );
  });

  it('without a release date the same holds relative to today (the injected clock)', async () => {
    const store = await pypiStore();
    const undated = project({ date: null });
    const before = releaseGate(analysed(undated, store, '2026-10-05'), '0.1.0');
    expect(before.referenceDate).toBe('2026-10-05');
    expect(before.postmarket.map((f) => f.advisory)).toEqual(['PYSEC-2026-2']);
    const after = releaseGate(analysed(undated, store, '2026-10-20'), '0.1.0');
    expect(after.postmarket).toEqual([]);
    expect(
      after.blockers.filter((b) => b.code === 'release/vulnerability-unevaluated').map((b) => b.message),
    ).toEqual([expect.stringContaining('PYSEC-2026-1'), expect.stringContaining('PYSEC-2026-2')]);
  });

  it('stale data blocks the release and warns on check; advisories.maxAgeDays sets the limit', async () => {
    const store = await pypiStore([
      osv('PYSEC-2026-1', { published: '2026-07-01T00:00:00Z', modified: '2026-08-01T00:00:00Z' }),
    ]);
    const gate = releaseGate(analysed(project(), store, '2026-12-01'), '0.1.0');
    const stale = gate.blockers.filter((b) => b.code === 'release/advisory-data-stale');
    expect(stale.map((b) => b.message)).toEqual([
      expect.stringMatching(
        /^PyPI advisory data reaches only 2026-08-01 .*61 days before 2026-10-01.*limit is 30 days/,
      ),
    ]);
    expect(stale[0]!.clauses).toContain('7.1.3');
    const warning = analysed(project(), store, '2026-10-01').diagnostics.filter(
      (d) => d.code === 'soup/advisory-data-stale',
    );
    expect(warning.map((d) => d.severity)).toEqual(['warning']);
    expect(warning[0]!.message).toContain('PyPI');

    const lenient = project({ config: 'advisories:\n  maxAgeDays: 90\n' });
    const passes = releaseGate(analysed(lenient, store, '2026-12-01'), '0.1.0');
    expect(passes.blockers.filter((b) => b.code === 'release/advisory-data-stale')).toEqual([]);
  });

  it('data age is the newest modified among the advisories in the store, written to the manifest', async () => {
    const dir = project();
    const db = await storeWith(path.join(dir, 'adv.sqlite'), [
      // 23:30Z is later than 00:30+02:00 (22:30Z) although it sorts first as text.
      osv('PYSEC-2026-1', { published: '2026-09-01T00:00:00Z', modified: '2026-09-20T23:30:00Z' }),
      osv('PYSEC-2026-3', { modified: '2026-09-21T00:30:00+02:00', name: 'other' }),
      // Go's zero time is no date; a withdrawn advisory still dates the data.
      osv('PYSEC-2026-4', { modified: '0001-01-01T00:00:00Z', name: 'third' }),
      osv('PYSEC-2026-5', { modified: '2026-09-19T00:00:00Z', withdrawn: '2026-09-19T00:00:00Z', name: 'x' }),
    ]);
    const store = openAdvisoryStore(db, { readonly: true });
    open = store;
    expect(store.advisoryData()).toEqual([
      {
        ecosystem: 'PyPI',
        advisories: 4,
        withdrawn: 1,
        newestModified: '2026-09-20T23:30:00Z',
        basis: 'modified',
      },
    ]);
    const manifest = path.join(dir, 'manifest.json');
    const check = runCli(
      ['release', 'check', '0.1.0', '.', '--advisories', db, '--manifest', manifest, '--format', 'json'],
      dir,
    );
    expect(check.code).toBe(1);
    const written = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    expect(written.advisoryData).toMatchObject({ referenceDate: '2026-10-01', maxAgeDays: 30 });
    expect(written.advisoryData.ecosystems).toEqual([
      expect.objectContaining({ ecosystem: 'crates.io', items: 1, status: 'no-data', newestModified: null }),
      expect.objectContaining({ ecosystem: 'npm', items: 1, status: 'no-data' }),
      expect.objectContaining({
        ecosystem: 'PyPI',
        items: 1,
        advisories: 4,
        newestModified: '2026-09-20T23:30:00Z',
        ageDays: 11,
        status: 'current',
      }),
    ]);
    const report = JSON.parse(check.stdout);
    expect(report.advisoryData.ecosystems).toEqual(written.advisoryData.ecosystems);
    const text = runCli(
      ['release', 'check', '0.1.0', '.', '--advisories', db, '--manifest', manifest],
      dir,
    ).stdout;
    expect(text).toContain('Advisory data at 2026-10-01 (7.1.3; data must reach to within 30 days):');
    expect(text).toContain('  npm: 1 SOUP item, NOT CHECKED: no advisory data');
    expect(text).toContain('  PyPI: 1 SOUP item, 4 advisories, newest 2026-09-20 (11 days)');
  });

  it('an advisory database of schema 1 is read as it is and upgraded when opened for writing', async () => {
    const dir = tmp();
    const file = await storeWith(path.join(dir, 'v1.sqlite'), [
      osv('PYSEC-2026-1', { modified: '2026-09-20T23:30:00Z' }),
      osv('PYSEC-2026-3', { modified: '2026-09-21T00:30:00+02:00', name: 'other' }),
    ]);
    // Turn it back into a schema 1 database: no modified_key column, no age index.
    const raw = new Database(file);
    raw.exec('DROP INDEX affected_by_age; ALTER TABLE affected DROP COLUMN modified_key;');
    raw.pragma('user_version = 1');
    raw.close();
    const expected = [
      {
        ecosystem: 'PyPI',
        advisories: 2,
        withdrawn: 0,
        newestModified: '2026-09-20T23:30:00Z',
        basis: 'modified',
      },
    ];
    const readonly = openAdvisoryStore(file, { readonly: true });
    expect(readonly.advisoryData()).toEqual(expected);
    readonly.close();
    const writable = openAdvisoryStore(file);
    writable.close();
    const upgraded = new Database(file, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(5);
    upgraded.close();
    const again = openAdvisoryStore(file, { readonly: true });
    expect(again.advisoryData()).toEqual(expected);
    again.close();
  });
});

describe('7.1.3 anomaly-list reviews', () => {
  it('a review older than soup.anomalyReviewMaxAgeDays before the release date blocks class B/C', async () => {
    const store = await pypiStore();
    const old = project({ pypiReview: review('2026-01-01') });
    const gate = releaseGate(analysed(old, store, '2026-12-01'), '0.1.0');
    const outdated = gate.blockers.filter((b) => b.code === 'release/soup-anomaly-review');
    expect(outdated.map((b) => `${b.recordId} ${b.message}`)).toEqual([
      expect.stringMatching(/^SOUP-102 .*reviewed on 2026-01-01, 273 days before 2026-10-01 .*180 days/),
    ]);
    expect(outdated[0]!.clauses).toContain('7.1.3');

    // A review after the release date is not evidence for that release.
    const late = project({ pypiReview: review('2026-11-01') });
    expect(
      releaseGate(analysed(late, store, '2026-12-01'), '0.1.0')
        .blockers.filter((b) => b.code === 'release/soup-anomaly-review')
        .map((b) => b.message),
    ).toEqual([expect.stringContaining('after 2026-10-01')]);

    const lenient = project({
      pypiReview: review('2026-01-01'),
      config: 'soup:\n  anomalyReviewMaxAgeDays: 365\n',
    });
    expect(
      releaseGate(analysed(lenient, store, '2026-12-01'), '0.1.0').blockers.filter(
        (b) => b.code === 'release/soup-anomaly-review',
      ),
    ).toEqual([]);
  });

  it('for class A SOUP an old review does not block and check warns', async () => {
    const store = await pypiStore();
    const analysis = withSoupClass(
      analysed(project({ pypiReview: review('2026-01-01') }), store, '2026-10-01'),
      'A',
    );
    expect(releaseGate(analysis, '0.1.0').blockers.filter((b) => b.code.startsWith('release/soup-'))).toEqual(
      [],
    );
    const findings = [...soupAnomalyReviewNotCurrent.check(analysis)];
    expect(
      findings.map((f) => `${f.recordId} ${f.severity ?? soupAnomalyReviewNotCurrent.severity}`),
    ).toEqual(['SOUP-102 warning']);
    expect(findings[0]!.message).toContain('273 days');
    expect(soupAnomalyReviewNotCurrent.clauses).toContain('7.1.3');
  });

  it('check: an outdated review is a warning (it depends on the date), at every class', async () => {
    const store = await pypiStore();
    const diagnostics = analysed(
      project({ pypiReview: review('2026-01-01') }),
      store,
      '2026-10-01',
    ).diagnostics;
    const outdated = diagnostics.filter((d) => d.code === 'soup/anomaly-review-not-current');
    expect(outdated.map((d) => `${d.severity} ${d.recordId}`)).toEqual(['warning SOUP-102']);
    expect(outdated[0]!.file).toBe('records/soup.yaml');
  });

  it('SOUP no advisory database can match needs a review that covers vulnerabilities, or the release is blocked', async () => {
    const store = await pypiStore();
    const uncovered = project({ githubReview: review('2026-09-01') });
    const analysis = analysed(uncovered, store, '2026-10-01');
    const blockers = releaseGate(analysis, '0.1.0').blockers.filter(
      (b) => b.code === 'release/soup-vulnerabilities-unreviewed',
    );
    expect(blockers.map((b) => `${b.recordId} ${b.message}`)).toEqual([
      expect.stringMatching(/^SOUP-104 .*no advisory database can match it .*coversVulnerabilities/),
    ]);
    expect(blockers[0]!.clauses).toContain('7.1.3');
    const errors = analysis.diagnostics.filter((d) => d.code === 'soup/vulnerabilities-unreviewed');
    expect(errors.map((d) => `${d.severity} ${d.recordId}`)).toEqual(['error SOUP-104']);
    expect(errors[0]!.hint).toContain('coversVulnerabilities');

    // Covering vulnerabilities without naming the sources consulted is not enough.
    const noSources = project({ githubReview: review('2026-09-01', ', coversVulnerabilities: true') });
    expect(
      releaseGate(analysed(noSources, store, '2026-10-01'), '0.1.0')
        .blockers.filter((b) => b.code === 'release/soup-vulnerabilities-unreviewed')
        .map((b) => b.message),
    ).toEqual([expect.stringContaining('sources')]);

    // The review of the fixture project covers vulnerabilities and names its sources.
    expect(
      releaseGate(analysed(project(), store, '2026-10-01'), '0.1.0').blockers.filter(
        (b) => b.code === 'release/soup-vulnerabilities-unreviewed',
      ),
    ).toEqual([]);

    // Class A: a warning in check, no blocker.
    const classA = withSoupClass(analysis, 'A');
    expect(
      releaseGate(classA, '0.1.0').blockers.filter(
        (b) => b.code === 'release/soup-vulnerabilities-unreviewed',
      ),
    ).toEqual([]);
    expect([...soupVulnerabilitiesUnreviewed.check(classA)].map((f) => f.severity)).toEqual(['warning']);
  });
});

describe('the clock and the build summary', () => {
  it('today() is the UTC date, or DOSSIER_TODAY when set', () => {
    const saved = process.env.DOSSIER_TODAY;
    try {
      process.env.DOSSIER_TODAY = '2027-01-02';
      expect(today()).toBe('2027-01-02');
      process.env.DOSSIER_TODAY = '2027-13-45';
      expect(() => today()).toThrow(/DOSSIER_TODAY/);
      delete process.env.DOSSIER_TODAY;
      expect(today()).toBe(new Date().toISOString().slice(0, 10));
    } finally {
      if (saved === undefined) delete process.env.DOSSIER_TODAY;
      else process.env.DOSSIER_TODAY = saved;
    }
  });

  it('build shows the advisory coverage per ecosystem: items, data present, data age', async () => {
    const dir = project();
    const db = await storeWith(path.join(dir, 'adv.sqlite'), PYPI);
    const r = runCli(['build', '.', '--out', 'out', '--advisories', db], dir);
    expect(r.stdout).toMatch(/Advisory data \(7\.1\.3\)/);
    expect(r.stdout).toMatch(/crates\.io\s+1\s+NOT CHECKED: no advisory data/);
    expect(r.stdout).toMatch(/npm\s+1\s+NOT CHECKED: no advisory data/);
    expect(r.stdout).toMatch(/PyPI\s+1\s+2 advisories, newest 2026-10-16\s+\d+ days/);
    expect(r.stdout).toMatch(/not matchable\s+1\s+anomaly list reviews/);
    const json = JSON.parse(
      runCli(['build', '.', '--out', 'out', '--advisories', db, '--format', 'json'], dir).stdout,
    );
    expect(
      json.advisoryCoverage.map((c: { ecosystem: string; items: number }) => `${c.ecosystem} ${c.items}`),
    ).toEqual(['crates.io 1', 'npm 1', 'PyPI 1']);
  });

  it('build without any advisory data still exits 0 and says NOT CHECKED', () => {
    const dir = project();
    const r = runCli(['build', '.', '--out', 'out'], dir);
    expect(r.stdout).toMatch(
      /soup\s+✔ .*vulnerabilities NOT CHECKED for 3 SOUP items: no crates\.io, npm, PyPI advisory data/,
    );
  });
});
