import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { TraceGraph } from '../src/graph/graph.js';
import { jsonSchemas } from '../src/model/json-schemas.js';
import { criticalityOfText, postmarketFails, securityPostmarket } from '../src/security/postmarket.js';
import type { SoupFinding, SoupScan } from '../src/soup/scan.js';
import { copyDir, loadOk, REPO, runCli } from './helpers.js';

const FIXTURE = path.join(REPO, 'test/fixtures/security-report');
const ON = { DOSSIER_TODAY: '2026-12-06' };

function finding(overrides: Partial<SoupFinding>): SoupFinding {
  return {
    soupId: 'SOUP-001',
    ecosystem: 'NVD',
    packageName: 'mbedtls',
    version: '3.6.2',
    advisory: 'CVE-2025-00001',
    ids: ['CVE-2025-00001'],
    modified: '2026-11-01T00:00:00Z',
    severity: [],
    reasons: [],
    ...overrides,
  };
}

function scanOf(findings: SoupFinding[]): SoupScan {
  return {
    findings,
    unmatchable: [{ soupId: 'SOUP-009', why: 'no purl, repository or CPE' }],
    notScanned: [],
    supportSuggestions: [],
    withdrawn: [],
    orphanEvaluations: [],
    scanned: 1,
    kev: null,
  };
}

describe('dossier security report: open items and deadlines', () => {
  it('dates each open item from its identification and security.patchDays; overdue items fail (exit 1)', () => {
    const r = runCli(['security', 'report', FIXTURE, '--format', 'json'], REPO, ON);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(
      jsonSchemas()['security-postmarket.schema.json'] as object,
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.patchDays).toEqual({ critical: 30, major: 60, minor: 180 });
    const byId = new Map(report.open.map((o: { id: string }) => [o.id, o]));
    // A security-test finding without severity counts as critical: 2026-10-01 + 30 days.
    expect(byId.get('ST-001 F2')).toMatchObject({
      source: 'security-test-finding',
      criticality: 'critical',
      criticalityBasis: 'no severity: assumed critical',
      identified: '2026-10-01',
      deadline: '2026-10-31',
      daysLeft: -36,
      overdue: true,
    });
    // The open vulnerability problem report: reported 2026-11-20, critical.
    expect(byId.get('PR-002')).toMatchObject({ deadline: '2026-12-20', daysLeft: 14, overdue: false });
    // No `reported` date: no deadline, said so.
    expect(byId.get('PR-003')).toMatchObject({
      deadline: null,
      deadlineNote: 'not computable: the identification date is not recorded',
    });
    // Closed problem reports and resolved findings are not open.
    expect(byId.has('PR-001')).toBe(false);
    expect(byId.has('ST-001 F1')).toBe(false);
    expect(report.open[0].id).toBe('ST-001 F2');
  });

  it('says the SOUP was NOT CHECKED without advisory data (fail closed), never "no findings"', () => {
    const r = runCli(['security', 'report', FIXTURE], REPO, ON);
    expect(r.stdout).toContain('SOUP vulnerabilities: NOT CHECKED: no advisory database');
    expect(r.stdout).toMatch(/OVERDUE by 36 days/);
    expect(r.stdout).toMatch(/PR-002: TLS library CVE \(open\).*2026-12-20\s+14 days left/);
    const json = JSON.parse(runCli(['security', 'report', FIXTURE, '--format', 'json'], REPO, ON).stdout);
    expect(json.soup).toMatchObject({ checked: false, scanned: 0 });
  });

  it('without security.patchDays: no deadline is computed, and says why', () => {
    const dir = copyDir(FIXTURE);
    const config = path.join(dir, 'dossier.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^security:\n.*\n/m, ''));
    const r = runCli(['security', 'report', dir], REPO, ON);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Patch timelines: not configured (dossier.yaml security.patchDays)');
    expect(r.stdout).toContain('no patch timeline: dossier.yaml security.patchDays is not set');
  });

  it('SOUP findings: KEV and CVSS set the criticality, the advisory publication the start; evaluated ones are not open', () => {
    const project = loadOk(FIXTURE);
    const graph = new TraceGraph(project.records);
    const report = securityPostmarket({
      graph,
      config: project.config,
      today: '2026-12-06',
      scan: scanOf([
        finding({
          advisory: 'CVE-2025-00001',
          published: '2026-11-01T10:00:00Z',
          severity: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'],
        }),
        finding({
          advisory: 'CVE-2025-00002',
          published: '2026-11-20',
          kev: { cveID: 'CVE-2025-00002' } as unknown as SoupFinding['kev'],
        }),
        finding({ advisory: 'CVE-2025-00003', published: '2026-11-25' }),
        finding({
          advisory: 'CVE-2025-00004',
          published: '2026-01-01',
          evaluation: project.records[0]!,
        }),
      ]),
    });
    const soup = report.open.filter((o) => o.source === 'soup-finding');
    expect(soup.map((o) => [o.id, o.criticality, o.criticalityBasis, o.deadline])).toEqual([
      ['SOUP-001 CVE-2025-00002', 'critical', 'listed in CISA KEV', '2026-12-20'],
      ['SOUP-001 CVE-2025-00003', 'critical', 'no CVSS score: assumed critical', '2026-12-25'],
      ['SOUP-001 CVE-2025-00001', 'major', 'CVSS base score 7.5', '2026-12-31'],
    ]);
    expect(report.soup).toEqual({
      checked: true,
      scanned: 1,
      notChecked: [{ soup: 'SOUP-009', why: 'no purl, repository or CPE' }],
    });
    expect(postmarketFails(report)).toBe(true);
  });

  it('a CVSS 4.0 vector sets the criticality from its CVSS-B score; one that does not parse does not', () => {
    const project = loadOk(FIXTURE);
    const report = securityPostmarket({
      graph: new TraceGraph(project.records),
      config: project.config,
      today: '2026-12-06',
      scan: scanOf([
        // 9.2 and 2.1 in FIRST's reference calculator (see test/cvss.test.ts).
        finding({
          advisory: 'CVE-2025-00011',
          published: '2026-11-01',
          severity: ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L'],
        }),
        finding({
          advisory: 'CVE-2025-00012',
          published: '2026-11-01',
          severity: ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N'],
        }),
        finding({
          advisory: 'CVE-2025-00013',
          published: '2026-11-01',
          severity: ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N'],
        }),
      ]),
    });
    const basis = new Map(report.open.map((o) => [o.id, [o.criticality, o.criticalityBasis]]));
    expect(basis.get('SOUP-001 CVE-2025-00011')).toEqual(['critical', 'CVSS base score 9.2']);
    expect(basis.get('SOUP-001 CVE-2025-00012')).toEqual(['minor', 'CVSS base score 2.1']);
    expect(basis.get('SOUP-001 CVE-2025-00013')).toEqual(['critical', 'no CVSS score: assumed critical']);
  });

  it("reads a tester's severity as a criticality, or not at all", () => {
    expect(criticalityOfText('Critical')).toBe('critical');
    expect(criticalityOfText('high')).toBe('major');
    expect(criticalityOfText('Medium')).toBe('minor');
    expect(criticalityOfText('9.8')).toBe('critical');
    expect(criticalityOfText('7.0')).toBe('major');
    expect(criticalityOfText('4.3')).toBe('minor');
    expect(criticalityOfText('P1')).toBeUndefined();
    expect(criticalityOfText(undefined)).toBeUndefined();
  });
});

describe('dossier security report: metrics', () => {
  const report = JSON.parse(
    runCli(['security', 'report', FIXTURE, '--format', 'json'], REPO, ON).stdout,
  ) as ReturnType<typeof securityPostmarket>;
  const metric = (id: string) => report.metrics.vulnerabilities.find((v) => v.problemReport === id)!;

  it('time to fix: from `reported` to the first history entry resolved or closed', () => {
    expect(metric('PR-001').toFix).toEqual({
      days: 19,
      from: '2026-09-01',
      to: '2026-09-20',
      evidence: 'history: resolved on 2026-09-20',
    });
  });

  it('time to deployed update: to the first dated release including a change request that addresses it', () => {
    expect(metric('PR-001').toDeployedUpdate).toEqual({
      days: 34,
      from: '2026-09-01',
      to: '2026-10-05',
      evidence: 'REL-002 (0.2.0) includes CR-001',
    });
  });

  it('not computable, with the reason, when the records lack the data', () => {
    expect(metric('PR-002').toFix).toEqual({ days: null, reason: 'not fixed yet (open)' });
    expect(metric('PR-002').toDeployedUpdate).toEqual({
      days: null,
      reason: 'no change request addresses it',
    });
    expect(metric('PR-003').toFix).toEqual({ days: null, reason: 'no `reported` date' });
    expect(report.metrics.summary.toFix).toEqual({
      computed: 1,
      notComputable: 2,
      medianDays: 19,
      maxDays: 19,
    });
    expect(report.metrics.summary.devicesUpdated.days).toBeNull();
  });

  it('a fix without a dated history entry, or a release without a date, is not computable', () => {
    const dir = copyDir(FIXTURE);
    const problems = path.join(dir, 'records/security/problems.yaml');
    fs.writeFileSync(problems, fs.readFileSync(problems, 'utf8').replace(/ {4}history:\n( {6}- .*\n)+/, ''));
    const releases = path.join(dir, 'records/security/releases.yaml');
    fs.writeFileSync(releases, fs.readFileSync(releases, 'utf8').replace('    date: 2026-10-05\n', ''));
    const project = loadOk(dir);
    const out = securityPostmarket({
      graph: new TraceGraph(project.records),
      config: project.config,
      today: '2026-12-06',
    });
    const pr1 = out.metrics.vulnerabilities.find((v) => v.problemReport === 'PR-001')!;
    expect(pr1.toFix).toEqual({ days: null, reason: 'closed, but no dated history entry says when' });
    expect(pr1.toDeployedUpdate).toEqual({ days: null, reason: 'REL-002 has no release date' });
    const text = runCli(['security', 'report', dir], REPO, ON).stdout;
    expect(text).toContain(
      'identification → fix:            not computable: closed, but no dated history entry says when',
    );
    expect(text).toContain('Devices updated: not computable');
  });
});
