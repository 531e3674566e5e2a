/**
 * NVD findings in the SOUP scan, the coverage and the CLI: SOUP with a CPE is matched against the
 * imported CVEs, findings pair with evaluations as OSV findings do, and without NVD data such SOUP
 * is "not checked", never "no findings".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importAdvisories } from '../src/soup/advisories/import.js';
import { type AdvisoryStore, openAdvisoryStore } from '../src/soup/advisories/store.js';
import { advisoryCoverage } from '../src/soup/coverage.js';
import { needsEvaluation, scanSoup } from '../src/soup/scan.js';
import { makeRecord, runCli, writeProject } from './helpers.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-nvd-scan-'));

const match = (criteria: string, bounds: Record<string, string> = {}, vulnerable = true) => ({
  vulnerable,
  criteria,
  matchCriteriaId: 'X',
  ...bounds,
});

/** CVEs for a fictional TCP/IP stack `acme:tcpip` (fixture, API 2.0 shape). */
const CVES = [
  {
    id: 'CVE-2026-1001',
    lastModified: '2026-11-01T08:00:00.000',
    published: '2026-10-01T08:00:00.000',
    vulnStatus: 'Analyzed',
    sourceIdentifier: 'cve@mitre.org',
    descriptions: [{ lang: 'en', value: 'Overflow in acme tcpip before 2.3.0.' }],
    metrics: {
      cvssMetricV31: [
        {
          source: 'nvd@nist.gov',
          type: 'Primary',
          cvssData: { vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        },
      ],
    },
    configurations: [
      {
        nodes: [
          {
            operator: 'OR',
            negate: false,
            cpeMatch: [match('cpe:2.3:a:acme:tcpip:*:*:*:*:*:*:*:*', { versionEndExcluding: '2.3.0' })],
          },
        ],
      },
    ],
  },
  {
    id: 'CVE-2026-1002',
    lastModified: '2026-11-02T08:00:00.000',
    vulnStatus: 'Analyzed',
    sourceIdentifier: 'cve@mitre.org',
    descriptions: [{ lang: 'en', value: 'Only on the X board.' }],
    configurations: [
      {
        operator: 'AND',
        nodes: [
          {
            operator: 'OR',
            negate: false,
            cpeMatch: [match('cpe:2.3:a:acme_old:tcpip:*:*:*:*:*:*:*:*', { versionStartIncluding: '2.0' })],
          },
          {
            operator: 'OR',
            negate: false,
            cpeMatch: [match('cpe:2.3:h:acme:board_x:-:*:*:*:*:*:*:*', {}, false)],
          },
        ],
      },
    ],
  },
  {
    id: 'CVE-2026-1003',
    lastModified: '2026-11-03T08:00:00.000',
    vulnStatus: 'Analyzed',
    sourceIdentifier: 'cve@mitre.org',
    descriptions: [{ lang: 'en', value: 'Fixed long ago.' }],
    configurations: [
      {
        nodes: [
          {
            operator: 'OR',
            negate: false,
            cpeMatch: [match('cpe:2.3:a:acme:tcpip:*:*:*:*:*:*:*:*', { versionEndExcluding: '1.0' })],
          },
        ],
      },
    ],
  },
];

const tcpip = makeRecord('SOUP-001', 'soup', {
  version: '2.2.0',
  purl: 'pkg:github/acme/tcpip@v2.2.0',
  cpe: ['cpe:2.3:a:acme:tcpip:2.2.0:*:*:*:*:*:*:*', 'cpe:2.3:a:acme_old:tcpip:2.2.0:*:*:*:*:*:*:*'],
});
const vendored = makeRecord('SOUP-002', 'soup', { version: '1.0', purl: 'pkg:generic/vendored@1.0' });

let store: AdvisoryStore;
let page: string;
beforeAll(async () => {
  const dir = tmp();
  page = path.join(dir, 'nvd-page.json');
  fs.writeFileSync(
    page,
    JSON.stringify({
      format: 'NVD_CVE',
      version: '2.0',
      totalResults: 3,
      vulnerabilities: CVES.map((cve) => ({ cve })),
    }),
  );
  store = openAdvisoryStore(path.join(dir, 'db.sqlite'));
  await importAdvisories(store, page);
});

describe('NVD findings in the SOUP scan', () => {
  it('finds the CVEs of every vendor alias, with reasons, conditional where the platform is needed', () => {
    const scan = scanSoup([tcpip, vendored], [], store);
    expect(scan.findings.map((f) => [f.soupId, f.advisory, f.ecosystem])).toEqual([
      ['SOUP-001', 'CVE-2026-1001', 'NVD'],
      ['SOUP-001', 'CVE-2026-1002', 'NVD'],
    ]);
    const [plain, onBoard] = scan.findings;
    expect(plain).toMatchObject({
      packageName: 'acme:tcpip, acme_old:tcpip',
      version: '2.2.0',
      summary: 'Overflow in acme tcpip before 2.3.0.',
      published: '2026-10-01T08:00:00.000Z',
      modified: '2026-11-01T08:00:00.000Z',
      severity: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    });
    expect(plain!.conditional).toBeUndefined();
    expect(plain!.reasons).toEqual([
      'cpe:2.3:a:acme:tcpip:*:*:*:*:*:*:*:* versionEndExcluding 2.3.0: 2.2.0 is inside [configurations[0].nodes[0].cpeMatch[0]]',
    ]);
    expect(onBoard!.conditional).toMatch(/^only when running on or with cpe:2\.3:h:acme:board_x:-/);
    // The C library is matched by CPE, so it is not "not matchable"; the vendored one is.
    expect(scan.unmatchable.map((u) => u.soupId)).toEqual(['SOUP-002']);
    expect(scan.notScanned).toEqual([]);
    expect(scan.scanned).toBe(1);
  });

  it('pairs findings with evaluations by CVE id; an evaluation of another version is stale', () => {
    const evaluation = (id: string, advisory: string, version: string) =>
      makeRecord(
        id,
        'vulnerability-evaluation',
        { advisory, version, state: 'not_affected', date: '2026-11-05' },
        { soup: ['SOUP-001'] },
      );
    const scan = scanSoup(
      [tcpip],
      [
        evaluation('VE-001', 'CVE-2026-1001', '2.2.0'),
        evaluation('VE-002', 'CVE-2026-1002', '2.1.0'),
        evaluation('VE-003', 'CVE-2026-1003', '2.2.0'),
      ],
      store,
    );
    const [a, b] = scan.findings;
    expect(a!.evaluation?.id).toBe('VE-001');
    expect(needsEvaluation(a!)).toBe(false);
    expect(b!.staleBecause).toMatch(/VE-002 evaluated version 2\.1\.0/);
    expect(needsEvaluation(b!)).toBe(true);
    // CVE-2026-1003 does not affect 2.2.0: its evaluation matches no finding.
    expect(scan.orphanEvaluations.map((e) => e.id)).toEqual(['VE-003']);
  });

  it('without NVD data a SOUP item with a CPE is not scanned, and the coverage says NVD has no data', () => {
    const noNvd = { advisoryData: () => [], findAffecting: () => [], aliasClosure: (id: string) => [id] };
    const scan = scanSoup([tcpip], [], noNvd);
    expect(scan.findings).toEqual([]);
    expect(scan.notScanned).toEqual([{ soupId: 'SOUP-001', ecosystem: 'NVD' }]);
    expect(scan.unmatchable).toEqual([]);
    expect(advisoryCoverage([tcpip], [])).toEqual([{ ecosystem: 'NVD', soupIds: ['SOUP-001'] }]);
    expect(advisoryCoverage([tcpip], store.advisoryData())).toEqual([
      { ecosystem: 'NVD', soupIds: ['SOUP-001'], data: expect.objectContaining({ advisories: 3 }) },
    ]);
  });

  it('a SOUP item with a purl ecosystem and a CPE is covered by both sources', () => {
    const both = makeRecord('SOUP-003', 'soup', {
      version: '2.2.0',
      purl: 'pkg:pypi/acme-tcpip@2.2.0',
      cpe: 'cpe:2.3:a:acme:tcpip:2.2.0:*:*:*:*:*:*:*',
    });
    expect(
      advisoryCoverage([both], store.advisoryData()).map((c) => [c.ecosystem, c.data !== undefined]),
    ).toEqual([
      ['NVD', true],
      ['PyPI', false],
    ]);
    const scan = scanSoup([both], [], store);
    expect(scan.findings.map((f) => f.advisory)).toEqual(['CVE-2026-1001']);
    expect(scan.notScanned).toEqual([{ soupId: 'SOUP-003', ecosystem: 'PyPI' }]);
  });
});

const SOUP_FILE = `kind: soup
records:
  - id: SOUP-001
    title: acme tcpip
    manufacturer: Acme
    version: 2.2.0
    cpe: cpe:2.3:a:acme:tcpip:2.2.0:*:*:*:*:*:*:*
`;

describe('dossier soup scan and check with NVD data', () => {
  it('exits 1 while a CVE is unevaluated or NVD data is missing, 0 once evaluated', () => {
    const dir = writeProject({ 'records/soup.yaml': SOUP_FILE });
    const db = path.join(dir, 'db.sqlite');
    // No database at all: soup scan refuses; an empty one: not checked.
    fs.writeFileSync(
      path.join(dir, 'empty.json'),
      JSON.stringify({ format: 'NVD_CVE', vulnerabilities: [] }),
    );
    expect(runCli(['advisories', 'import', path.join(dir, 'empty.json'), '--db', db]).code).toBe(0);
    const unchecked = runCli(['soup', 'scan', dir, '--advisories', db, '--no-save']);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stdout).toContain(
      'NOT CHECKED: 1 SOUP item with a CPE not scanned: no NVD data (SOUP-001); import it (dossier advisories import <NVD CVE API 2.0 JSON',
    );

    expect(runCli(['advisories', 'import', page, '--db', db]).code).toBe(0);
    const open = runCli(['soup', 'scan', dir, '--advisories', db, '--no-save', '--format', 'json']);
    expect(open.code).toBe(1);
    const report = JSON.parse(open.stdout);
    expect(
      report.findings.map((f: { advisory: string; needsEvaluation: boolean }) => [
        f.advisory,
        f.needsEvaluation,
      ]),
    ).toEqual([['CVE-2026-1001', true]]);
    const checked = runCli(['check', dir, '--advisories', db, '--format', 'json']);
    const unevaluated = JSON.parse(checked.stdout).diagnostics.filter(
      (d: { code: string }) => d.code === 'soup/unevaluated-vulnerability',
    );
    expect(unevaluated).toHaveLength(1);
    expect(unevaluated[0]).toMatchObject({ severity: 'error', line: 7 });
    expect(unevaluated[0].file).toMatch(/records\/soup\.yaml$/);
    expect(unevaluated[0].message).toMatch(
      /SOUP-001 acme:tcpip 2\.2\.0 \(class C\) is affected by CVE-2026-1001/,
    );

    fs.mkdirSync(path.join(dir, 'records/evaluations'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'records/evaluations/VE-001.md'),
      `---\nid: VE-001\ntitle: overflow\nstatus: approved\nsoup: SOUP-001\nadvisory: CVE-2026-1001\nversion: 2.2.0\nstate: not_affected\njustification: vulnerable_code_not_present\nreviewer: A. Person\ndate: 2026-11-05\n---\nThe overflowing option parser is compiled out.\n`,
    );
    const done = runCli(['soup', 'scan', dir, '--advisories', db, '--no-save']);
    expect(done.stdout).toContain('VE-001: not_affected (vulnerable_code_not_present)');
    expect(done.code).toBe(0);
  });
});
