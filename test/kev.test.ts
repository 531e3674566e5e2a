/**
 * CISA's Known Exploited Vulnerabilities catalog: import (the real catalog of ../shared and a
 * fixture), KEV status on findings (OSV through aliases, NVD by CVE id), "KEV not checked" without a
 * catalog, and the "done when": a KEV-listed finding blocks `release check` until evaluated.
 * Expectations come from the catalog files themselves, not from this code's output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openAdvisoryStore } from '../src/soup/advisories/store.js';
import { KevFormatError, parseKevCatalog } from '../src/soup/kev/catalog.js';
import { importKev } from '../src/soup/kev/import.js';
import type { OsvRecord } from '../src/soup/osv/types.js';
import { type AdvisorySource, scanSoup } from '../src/soup/scan.js';
import { commitAllInGit, copyDir, EXAMPLE, EXAMPLE_TRUST_ROOT, makeRecord, REPO, runCli } from './helpers.js';
import { NVD_SAMPLE } from './nvd-readme-table.js';

process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;

const KEV = path.resolve(REPO, '../shared/data/vulnerability-feeds/kev/known_exploited_vulnerabilities.json');
const kevPresent = fs.existsSync(KEV);
if (!kevPresent) console.warn(`SKIPPED: ${KEV} is absent; the tests on the real KEV catalog need ../shared`);
const nvdPresent = fs.existsSync(NVD_SAMPLE);
if (!nvdPresent) console.warn(`SKIPPED: ${NVD_SAMPLE} is absent; the KEV release-gate tests need ../shared`);
const FIXTURE = path.join(REPO, 'test/fixtures/kev/kev-fixture-mbedtls.json');

/** One OSV advisory as an advisory source (no store): its package and its aliases. */
function oneAdvisory(record: OsvRecord): AdvisorySource {
  return {
    advisoryData: () => [
      { ecosystem: 'npm', advisories: 1, withdrawn: 0, newestModified: record.modified, basis: 'modified' },
    ],
    findAffecting: (ecosystem, name) =>
      record.affected?.some((a) => a.package?.ecosystem === ecosystem && a.package.name === name)
        ? [record]
        : [],
    aliasClosure: (id) => [...new Set([id, record.id, ...(record.aliases ?? [])])].sort(),
  };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-kev-'));

interface RealEntry {
  cveID: string;
  dateAdded: string;
  dueDate: string;
  knownRansomwareCampaignUse: string;
  vendorProject: string;
  product: string;
}

describe.skipIf(!kevPresent)('the real CISA KEV catalog (../shared/data/vulnerability-feeds/kev)', () => {
  const real = kevPresent
    ? (JSON.parse(fs.readFileSync(KEV, 'utf8')) as {
        catalogVersion: string;
        dateReleased: string;
        count: number;
        vulnerabilities: RealEntry[];
      })
    : undefined;

  it('imports every entry, with the catalog version and release date as the data age', () => {
    const db = path.join(tmp(), 'db.sqlite');
    const r = runCli(['advisories', 'import', KEV, '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.imports).toEqual([]);
    expect(out.kev).toHaveLength(1);
    expect(out.kev[0]).toMatchObject({
      catalogVersion: real!.catalogVersion,
      dateReleased: real!.dateReleased,
      entries: real!.vulnerabilities.length,
      declaredCount: real!.count,
      stored: true,
      invalid: [],
    });
    const status = JSON.parse(runCli(['advisories', 'status', '--db', db, '--format', 'json']).stdout);
    expect(status.kev).toMatchObject({
      catalogVersion: real!.catalogVersion,
      dateReleased: real!.dateReleased,
      count: real!.count,
    });
  });

  it('finds a known CVE with its dates and ransomware use as the file states them', async () => {
    const store = openAdvisoryStore(path.join(tmp(), 'db.sqlite'));
    await importKev(store, KEV);
    const heartbleed = real!.vulnerabilities.find((v) => v.cveID === 'CVE-2014-0160')!;
    expect(store.kevEntry('CVE-2014-0160')).toMatchObject({
      cveID: 'CVE-2014-0160',
      vendorProject: heartbleed.vendorProject,
      product: heartbleed.product,
      dateAdded: heartbleed.dateAdded,
      dueDate: heartbleed.dueDate,
      knownRansomwareCampaignUse: heartbleed.knownRansomwareCampaignUse,
    });
    const ransomware = real!.vulnerabilities.find((v) => v.knownRansomwareCampaignUse === 'Known')!;
    expect(store.kevEntry(ransomware.cveID)?.knownRansomwareCampaignUse).toBe('Known');
    // The example's Mbed TLS CVEs are not in the real catalog (hence the fixture below).
    expect(store.kevEntry('CVE-2025-27809')).toBeUndefined();
    // An OSV finding is marked through its CVE alias.
    const soup = makeRecord('SOUP-001', 'soup', {
      version: '1.0.1f',
      purl: 'pkg:npm/fixture-openssl@1.0.1f',
    });
    const osv = oneAdvisory({
      id: 'GHSA-fixture-heartbleed',
      modified: '2026-01-01T00:00:00Z',
      aliases: ['CVE-2014-0160'],
      affected: [
        {
          package: { ecosystem: 'npm', name: 'fixture-openssl' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
        },
      ],
    });
    const withKev = scanSoup([soup], [], {
      ...osv,
      kevCatalog: () => store.kevCatalog(),
      kevEntry: (cve) => store.kevEntry(cve),
    });
    expect(withKev.kev?.catalogVersion).toBe(real!.catalogVersion);
    expect(withKev.findings.map((f) => [f.advisory, f.kev?.dateAdded])).toEqual([
      ['GHSA-fixture-heartbleed', heartbleed.dateAdded],
    ]);
    // Without a catalog: nothing is marked, and the scan says KEV was not checked (kev: null).
    const without = scanSoup([soup], [], osv);
    expect(without.kev).toBeNull();
    expect(without.findings[0]!.kev).toBeUndefined();
    store.close();
  });

  it('an older catalog does not replace a newer one', async () => {
    const store = openAdvisoryStore(path.join(tmp(), 'db.sqlite'));
    await importKev(store, FIXTURE);
    const older = await importKev(store, KEV);
    expect(older.stored).toBe(false);
    expect(older.warnings.join('\n')).toContain('older than the catalog held');
    expect(store.kevCatalog()?.catalogVersion).toBe('2026.09.20-dossier-fixture');
    expect(store.kevEntry('CVE-2014-0160')).toBeUndefined();
    store.close();
  });
});

describe('KEV catalog input', () => {
  it('refuses a file that is not a catalog, naming it, without a stack trace', () => {
    const dir = tmp();
    const file = path.join(dir, 'kev.json');
    fs.writeFileSync(file, '{"catalogVersion": 2025, "vulnerabilities": []}');
    expect(() => parseKevCatalog(fs.readFileSync(file, 'utf8'), file)).toThrow(KevFormatError);
    const r = runCli(['advisories', 'import', file, '--db', path.join(dir, 'db.sqlite')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} is not a CISA KEV catalog`);
    expect(r.stderr).toContain('dateReleased');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('skips an entry that breaks the schema with its line, and warns when count disagrees', () => {
    const dir = tmp();
    const file = path.join(dir, 'kev.json');
    fs.writeFileSync(
      file,
      [
        '{"catalogVersion": "x", "dateReleased": "2026-01-01T00:00:00Z", "count": 3,',
        ' "vulnerabilities": [',
        '  {"cveID": "CVE-2026-0001", "dateAdded": "2026-01-01", "dueDate": "2026-01-22"},',
        '  {"cveID": "CVE-2026-0002", "dateAdded": "01/01/2026", "dueDate": "2026-01-22"}',
        ']}',
      ].join('\n'),
    );
    const r = runCli(['advisories', 'import', file, '--db', path.join(dir, 'db.sqlite'), '--format', 'json']);
    expect(r.code).toBe(1);
    const kev = JSON.parse(r.stdout).kev[0];
    expect(kev.entries).toBe(1);
    expect(kev.invalid).toEqual([
      {
        entry: `${file}#vulnerabilities[1] (line 4)`,
        id: 'CVE-2026-0002',
        reason: 'dateAdded is not YYYY-MM-DD',
      },
    ]);
    expect(r.stderr).toContain('says it holds 3 vulnerabilities but lists 2');
  });

  it('a KEV catalog inside a folder of OSV files is refused with what to do', () => {
    const dir = tmp();
    fs.copyFileSync(FIXTURE, path.join(dir, 'kev.json'));
    const r = runCli(['advisories', 'import', dir, '--db', path.join(tmp(), 'db.sqlite')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a CISA KEV catalog; give it as a source of its own');
  });
});

describe.skipIf(!nvdPresent)(
  'a KEV-listed finding of the example blocks release check until evaluated',
  () => {
    let db: string;
    let withoutKev: string;
    beforeAll(() => {
      const dir = tmp();
      db = path.join(dir, 'with-kev.sqlite');
      withoutKev = path.join(dir, 'without-kev.sqlite');
      // The real NVD sample, the fictional record that dates the NVD data at 1.1.0 (test/fixtures/nvd),
      // and the fixture KEV catalog listing CVE-2025-27809 (test/fixtures/kev).
      const nvd = [
        path.join(EXAMPLE, 'advisories/npm'),
        NVD_SAMPLE,
        path.join(REPO, 'test/fixtures/nvd/current-at-2026-09-27.json'),
      ];
      for (const [file, extra] of [
        [db, [FIXTURE]],
        [withoutKev, []],
      ] as const) {
        const r = runCli(['advisories', 'import', ...nvd, ...extra, '--db', file, '-q']);
        expect(r.code, r.stderr).toBe(0);
      }
    }, 300_000);

    const gate = (dir: string, advisories: string) => {
      const r = runCli([
        'release',
        'check',
        '1.1.0',
        dir,
        '--format',
        'json',
        '--advisories',
        advisories,
        '--manifest',
        path.join(tmp(), 'm.json'),
      ]);
      const report = JSON.parse(r.stdout);
      return { code: r.code, report, blockers: report.blockers as { code: string; message: string }[] };
    };

    it('without the evaluation of CVE-2025-27809: blocked with release/kev-unevaluated, and check errs', () => {
      const copy = copyDir(EXAMPLE);
      fs.rmSync(path.join(copy, 'records/soup/evaluations/VE-004.md'));
      commitAllInGit(copy);
      const { code, blockers } = gate(copy, db);
      expect(code).toBe(1);
      const kev = blockers.filter((b) => b.code === 'release/kev-unevaluated');
      expect(kev.map((b) => b.message)).toEqual([
        expect.stringMatching(
          /^SOUP-003 .*: CVE-2025-27809 is KNOWN EXPLOITED \(KEV: listed 2026-09-15, due 2026-10-06/,
        ),
      ]);
      const check = runCli(['check', copy, '--advisories', db, '--format', 'json']);
      const codes = JSON.parse(check.stdout).diagnostics.map((d: { code: string; severity: string }) => [
        d.code,
        d.severity,
      ]);
      expect(codes).toContainEqual(['soup/kev-unevaluated', 'error']);
      // Without a KEV catalog the same copy is blocked as unevaluated (at every class), not as KEV:
      // its KEV status is "not checked", never "not listed".
      const plain = gate(copy, withoutKev);
      expect(plain.blockers.map((b) => b.code)).toContain('release/vulnerability-unevaluated');
      expect(plain.blockers.map((b) => b.code)).not.toContain('release/kev-unevaluated');
      const plainText = runCli([
        'release',
        'check',
        '1.1.0',
        copy,
        '--advisories',
        withoutKev,
        '--manifest',
        path.join(tmp(), 'm.json'),
      ]).stdout;
      expect(plainText).toContain('CISA KEV: NOT CHECKED: no catalog loaded');
      const scan = JSON.parse(
        runCli(['soup', 'scan', copy, '--advisories', withoutKev, '--no-save', '--format', 'json']).stdout,
      );
      expect(scan.kev).toBeNull();
      const mbed = scan.findings.find((f: { advisory: string }) => f.advisory === 'CVE-2025-27809');
      expect(mbed.kevStatus).toBe('not-checked');
    });

    it.skipIf(!kevPresent)(
      'a KEV catalog older than advisories.maxAgeDays at the release date is reported STALE, never as checked',
      () => {
        // The real catalog (2025-08-25) judged at release 1.1.0 (2026-09-28): 399 days old.
        const stale = path.join(tmp(), 'stale-kev.sqlite');
        const nvd = [NVD_SAMPLE, path.join(REPO, 'test/fixtures/nvd/current-at-2026-09-27.json')];
        expect(runCli(['advisories', 'import', ...nvd, KEV, '--db', stale, '-q']).code).toBe(0);
        const { report } = gate(copyDir(EXAMPLE), stale);
        expect(report.kev).toMatchObject({ catalogVersion: '2025.08.25', ageDays: 399, stale: true });
        const text = runCli([
          'release',
          'check',
          '1.1.0',
          EXAMPLE,
          '--advisories',
          stale,
          '--manifest',
          path.join(tmp(), 'm.json'),
        ]).stdout;
        expect(text).toContain('CISA KEV: catalog 2025.08.25 (released 2025-08-25, 399 days) STALE');
        expect(text).toContain('was NOT CHECKED');
      },
    );

    it('with the evaluation (the example as it is): not blocked, the finding shown as KEV-listed', () => {
      const copy = copyDir(EXAMPLE);
      const { code, blockers, report: gateReport } = gate(copy, db);
      expect(blockers.map((b) => `${b.code} ${b.message}`)).toEqual([]);
      expect(code).toBe(0);
      expect(gateReport.kev).toEqual({
        catalogVersion: '2026.09.20-dossier-fixture',
        dateReleased: '2026-09-20T12:00:00.000Z',
        ageDays: 8, // to the release date, 2026-09-28
        stale: false,
      });
      const scan = runCli(['soup', 'scan', copy, '--advisories', db, '--no-save', '--format', 'json']);
      const report = JSON.parse(scan.stdout);
      expect(report.kev.catalogVersion).toBe('2026.09.20-dossier-fixture');
      const status = Object.fromEntries(
        report.findings
          .filter((f: { soup: string }) => f.soup === 'SOUP-003')
          .map((f: { advisory: string; kevStatus: string }) => [f.advisory, f.kevStatus]),
      );
      expect(status['CVE-2025-27809']).toBe('listed');
      expect(status['CVE-2025-27810']).toBe('not-listed');
      const text = runCli(['soup', 'scan', copy, '--advisories', db, '--no-save']).stdout;
      expect(text).toContain('KEV: listed 2026-09-15, due 2026-10-06, ransomware use Unknown');
      // The VEX names where each advisory is published: the NVD for a CVE matched by CPE.
      const vex = JSON.parse(runCli(['sbom', copy, '--vex', 'cyclonedx', '--advisories', db]).stdout);
      const sources = Object.fromEntries(
        vex.vulnerabilities.map((v: { id: string; source?: { name: string; url: string } }) => [
          v.id,
          v.source,
        ]),
      );
      expect(sources['CVE-2025-27809']).toEqual({
        name: 'NVD',
        url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-27809',
      });
      expect(sources['x_SP200-NPM-2026-0001']).toEqual({
        name: 'OSV',
        url: 'https://osv.dev/vulnerability/x_SP200-NPM-2026-0001',
      });
    });
  },
);

describe('EPSS scores (FIRST CSV, a fixture)', () => {
  const CSV = path.join(REPO, 'test/fixtures/epss/epss-fixture.csv');
  /** The fixture's rows, read here as the oracle. */
  const rows = new Map(
    fs
      .readFileSync(CSV, 'utf8')
      .split('\n')
      .slice(2)
      .filter((l) => l.trim())
      .map((l) => {
        const [cve, epss, percentile] = l.split(',');
        return [cve!, { epss: Number(epss), percentile: Number(percentile) }] as const;
      }),
  );

  it('imports the CSV (recognised by content), dated by its score_date', () => {
    const db = path.join(tmp(), 'db.sqlite');
    const r = runCli(['advisories', 'import', CSV, '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).epss[0]).toMatchObject({
      modelVersion: 'v2025.03.14',
      scoreDate: '2026-09-27T12:55:00Z',
      scores: rows.size,
      invalid: [],
    });
  });

  it.skipIf(!nvdPresent)(
    'shows each finding’s EPSS score in the scan; without scores, says none loaded',
    () => {
      const db = path.join(tmp(), 'db.sqlite');
      expect(runCli(['advisories', 'import', NVD_SAMPLE, CSV, '--db', db, '-q']).code).toBe(0);
      const scan = JSON.parse(
        runCli(['soup', 'scan', EXAMPLE, '--advisories', db, '--no-save', '--format', 'json']).stdout,
      );
      expect(scan.epss.scoreDate).toBe('2026-09-27T12:55:00Z');
      for (const f of scan.findings.filter((x: { ecosystem: string }) => x.ecosystem === 'NVD')) {
        const expected = rows.get(f.advisory);
        expect(f.epss, f.advisory).toEqual(expected ? { cve: f.advisory, ...expected } : null);
      }
      const text = runCli(['soup', 'scan', EXAMPLE, '--advisories', db, '--no-save']).stdout;
      expect(text).toContain(`EPSS ${rows.get('CVE-2025-52497')!.epss.toFixed(3)}`);
      const without = path.join(tmp(), 'nvd-only.sqlite');
      expect(runCli(['advisories', 'import', NVD_SAMPLE, '--db', without, '-q']).code).toBe(0);
      const plain = runCli(['soup', 'scan', EXAMPLE, '--advisories', without, '--no-save']).stdout;
      expect(plain).toContain('EPSS: no scores loaded');
      expect(plain).toContain('KEV NOT CHECKED');
    },
  );

  it('a malformed file is refused with its name and line', () => {
    const dir = tmp();
    const file = path.join(dir, 'epss.csv');
    fs.writeFileSync(file, '#model_version:v1,score_date:2026-01-01\ncve,score\n');
    const r = runCli(['advisories', 'import', file, '--db', path.join(dir, 'db.sqlite')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2: expected the header "cve,epss,percentile"`);
  });
});
