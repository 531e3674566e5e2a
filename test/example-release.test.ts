/**
 * The example device's releases, the issue's "done when" for verification evidence: the current
 * release passes the gate (with NVD data current at its date for its C libraries matched by CPE;
 * without, it is blocked as "not checked"), the earlier one is blocked by clause, and turning one passing test into a
 * failure in an imported report makes its requirements unverified and blocks the release.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyDir, EXAMPLE, EXAMPLE_TRUST_ROOT, REPO, runCli } from './helpers.js';
import { NVD_SAMPLE } from './nvd-readme-table.js';

// The example's trust root, pinned as CI pins it (docs/signatures.md).
process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;

interface Blocker {
  code: string;
  clauses: string[];
  record: string | null;
  message: string;
}

/**
 * Advisory data for the gate: the example's own npm advisories, always there (with ../shared, the
 * example-soup tests add the real OSV data).
 */
const DB = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-release-adv-')), 'advisories.sqlite');
const imported = runCli(['advisories', 'import', path.join(EXAMPLE, 'advisories/npm'), '--db', DB, '-q']);
if (imported.code !== 0) throw new Error(imported.stderr);

function gate(dir: string, version: string) {
  const r = runCli([
    'release',
    'check',
    version,
    dir,
    '--format',
    'json',
    '--advisories',
    DB,
    '--manifest',
    path.join(dir, 'out', `m-${version}.json`),
  ]);
  return { code: r.code, report: JSON.parse(r.stdout) as { releasable: boolean; blockers: Blocker[] } };
}

/**
 * NVD data as it stood at release 1.1.0: the real sample of ../shared (whose newest record is of
 * 2026-06-17) and a fictional fixture record of 2026-09-27 that dates the data (test/fixtures/nvd).
 */
const nvdPresent = fs.existsSync(NVD_SAMPLE);
if (!nvdPresent) console.warn(`SKIPPED: ${NVD_SAMPLE} is absent; the passing gate of 1.1.0 needs ../shared`);
const NVD_DB = path.join(path.dirname(DB), 'with-nvd.sqlite');
if (nvdPresent) {
  const withNvd = runCli([
    'advisories',
    'import',
    path.join(EXAMPLE, 'advisories/npm'),
    NVD_SAMPLE,
    path.join(REPO, 'test/fixtures/nvd/current-at-2026-09-27.json'),
    '--db',
    NVD_DB,
    '-q',
  ]);
  if (withNvd.code !== 0) throw new Error(withNvd.stderr);
}

describe('the example device releases', () => {
  it('release check on the current release (1.1.0) without NVD data: its C libraries are not checked, and it says so', () => {
    const { code, report } = gate(copyDir(EXAMPLE), '1.1.0');
    expect(code).toBe(1);
    expect(report.blockers.map((b) => `${b.code} ${b.message}`)).toEqual([
      expect.stringMatching(
        /^release\/vulnerabilities-not-checked 5 SOUP items with a CPE not scanned: no NVD data \(SOUP-001, SOUP-003, SOUP-004, SOUP-009, SOUP-010\)/,
      ),
    ]);
  });

  it.skipIf(!nvdPresent)(
    'release check on the current release (1.1.0) exits 0 with NVD data current at its date',
    () => {
      const copy = copyDir(EXAMPLE);
      const r = runCli([
        'release',
        'check',
        '1.1.0',
        copy,
        '--format',
        'json',
        '--advisories',
        NVD_DB,
        '--manifest',
        path.join(copy, 'out', 'm-1.1.0.json'),
      ]);
      const report = JSON.parse(r.stdout) as { blockers: Blocker[] };
      expect(report.blockers.map((b) => b.message)).toEqual([]);
      expect(r.code).toBe(0);
      const manifest = JSON.parse(fs.readFileSync(path.join(copy, 'out', 'm-1.1.0.json'), 'utf8'));
      const evidence = manifest.files.filter((f: { role: string }) => f.role === 'evidence');
      expect(evidence.length).toBeGreaterThanOrEqual(2);
      for (const f of evidence) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      // The advisory data is judged at the release date; 1.1.0's SOUP are the C libraries: five are
      // matched by CPE against the NVD data (the six Mbed TLS CVEs are evaluated, VE-004 to VE-009),
      // the others have anomaly reviews covering vulnerabilities. Every age is recorded.
      expect(manifest.advisoryData).toMatchObject({ referenceDate: '2026-09-28', maxAgeDays: 30 });
      expect(manifest.advisoryData.ecosystems).toEqual([
        expect.objectContaining({
          ecosystem: 'npm',
          items: 0,
          newestModified: '2026-11-14T16:00:00Z',
          status: 'unused',
        }),
        expect.objectContaining({
          ecosystem: 'NVD',
          items: 5,
          newestModified: '2026-09-27T10:00:00Z',
          status: 'current',
        }),
      ]);
    },
  );

  it('dossier build without any advisory data (npm start) exits 0 and says NOT CHECKED loudly', () => {
    const copy = copyDir(EXAMPLE);
    const r = runCli(['build', copy, '--out', path.join(copy, 'out')]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(
      /vulnerabilities NOT CHECKED for 37 SOUP items: no crates\.io, npm, NVD advisory data/,
    );
    expect(r.stdout).toMatch(/NVD\s+5\s+NOT CHECKED: no advisory data/);
    expect(r.stdout).toMatch(/crates\.io\s+29\s+NOT CHECKED: no advisory data/);
    expect(r.stdout).toMatch(/npm\s+3\s+NOT CHECKED: no advisory data/);
  });

  it('the build judges the release with the same evidence check as release check: an edited report blocks it', () => {
    const copy = copyDir(EXAMPLE);
    const report = path.join(copy, 'evidence/1.1.0/unit-ctest.xml');
    fs.appendFileSync(report, '<!-- edited after import -->\n');
    const r = runCli(['build', copy, '--out', path.join(copy, 'out')]);
    expect(r.code, r.stdout).toBe(1);
    // Changed since import (the run's sha256) and since the gate whose manifest the example keeps.
    expect(r.stdout).toMatch(/release\s+✖ 1\.1\.0 blocked: 2 blockers/);
    const gateJson = JSON.parse(fs.readFileSync(path.join(copy, 'out/release/gate-1.1.0.json'), 'utf8'));
    expect(gateJson.blockers.map((b: { code: string; message: string }) => `${b.code} ${b.message}`)).toEqual(
      [
        // Built without advisory data: the C libraries matched by CPE were not checked either.
        expect.stringMatching(/^release\/vulnerabilities-not-checked 5 SOUP items with a CPE not scanned/),
        expect.stringMatching(
          /^release\/evidence-changed RUN-\d+: evidence\/1\.1\.0\/unit-ctest\.xml changed since it was imported/,
        ),
        expect.stringMatching(
          /^release\/evidence-changed RUN-\d+: evidence\/1\.1\.0\/unit-ctest\.xml changed since the gate of \d{4}-\d{2}-\d{2}/,
        ),
      ],
    );
  });

  it('release check on the earlier release (1.0.0) exits 1 listing its blockers by clause', () => {
    const { code, report } = gate(copyDir(EXAMPLE), '1.0.0');
    expect(code).toBe(1);
    const byCode = new Map(report.blockers.map((b) => [`${b.code} ${b.record}`, b]));
    expect(byCode.get('release/test-not-passed TC-036')?.clauses).toContain('5.7.4');
    expect(byCode.get('release/risk-control-unverified RC-014')?.clauses).toContain('7.3.1');
    expect(byCode.get('release/unit-unverified SI-025')?.clauses).toContain('5.5.5');
    for (const b of report.blockers) expect(b.clauses.length).toBeGreaterThan(0);
    const text = runCli(['release', 'check', '1.0.0', copyDir(EXAMPLE), '--advisories', DB]).stdout;
    expect(text).toMatch(/✖ 5\.7\.4 {2}release\/test-not-passed \(1\)\n {2}- TC-036 failed on 1\.0\.0/);
  });

  it('one passing test turned failing in an imported report: its requirements are unverified in trace and the release is blocked', () => {
    const copy = copyDir(EXAMPLE);
    const report = path.join(copy, 'evidence/1.1.0/unit-ctest.xml');
    const xml = fs.readFileSync(report, 'utf8');
    const failing = xml.replace(
      /(<testcase name="\[TC-011\][^"]*"[^>]*>)/,
      '$1\n\t\t<failure message="occlusion alarm raised after 2.4 s (limit 2.0 s)"/>',
    );
    expect(failing).not.toBe(xml);
    fs.writeFileSync(report, failing);
    const imported = runCli(
      [
        'evidence',
        'import',
        'evidence/1.1.0/unit-ctest.xml',
        '-C',
        '.',
        '--version',
        '1.1.0',
        '--executed-by',
        'GitLab CI runner sp200-ci-3',
      ],
      copy,
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/1 failed/);

    const matrices = JSON.parse(
      runCli(['trace', copy, '--results', '1.1.0', '--format', 'json']).stdout,
    ).matrices;
    const rows = matrices[0].rows as { cells: (string[] | null)[]; verification: string }[];
    const srs067 = rows.filter((r) => r.cells[1]?.includes('SRS-067'));
    expect(srs067.length).toBeGreaterThan(0);
    for (const row of srs067) expect(row.verification).toContain('TC-011 failed');

    const { code, report: blocked } = gate(copy, '1.1.0');
    expect(code).toBe(1);
    const codes = blocked.blockers.map((b) => `${b.code} ${b.record}`);
    expect(codes).toEqual(
      expect.arrayContaining(['release/test-not-passed TC-011', 'release/unit-unverified SI-014']),
    );
  });
});
