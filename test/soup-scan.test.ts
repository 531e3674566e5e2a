import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadProject } from '../src/load/project.js';
import { compareTimestamps } from '../src/soup/advisories/timestamps.js';
import type { OsvRecord } from '../src/soup/osv/types.js';
import { normalizePypiName } from '../src/soup/purl.js';
import { type AdvisorySource, needsEvaluation, scanSoup } from '../src/soup/scan.js';
import { monitorAgainst, monitorSince, savedScan } from '../src/soup/scan-report.js';
import { makeRecord, writeProject } from './helpers.js';

/** An in-memory advisory source with the store's semantics (aliases symmetric and transitive). */
export function memorySource(records: OsvRecord[]): AdvisorySource {
  const edges = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    edges.set(a, (edges.get(a) ?? new Set()).add(b));
    edges.set(b, (edges.get(b) ?? new Set()).add(a));
  };
  for (const r of records) for (const alias of r.aliases ?? []) link(r.id, alias);
  return {
    advisoryData() {
      const byEcosystem = new Map<string, OsvRecord[]>();
      for (const r of records) {
        for (const e of new Set(
          (r.affected ?? []).flatMap((a) => (a.package ? [a.package.ecosystem] : [])),
        )) {
          byEcosystem.set(e, [...(byEcosystem.get(e) ?? []), r]);
        }
      }
      return [...byEcosystem].map(([ecosystem, rs]) => ({
        ecosystem,
        advisories: rs.length,
        withdrawn: rs.filter((r) => r.withdrawn).length,
        newestModified: rs.map((r) => r.modified).sort((a, b) => compareTimestamps(b, a))[0] ?? null,
        basis: 'modified' as const,
      }));
    },
    findAffecting(ecosystem, name) {
      return records.filter(
        (r) =>
          !r.withdrawn &&
          (r.affected ?? []).some(
            (a) =>
              a.package?.ecosystem === ecosystem &&
              (ecosystem === 'PyPI' ? normalizePypiName(a.package.name) : a.package.name) === name,
          ),
      );
    },
    withdrawnFor(ecosystem, name) {
      return records.filter(
        (r) =>
          r.withdrawn &&
          (r.affected ?? []).some((a) => a.package?.ecosystem === ecosystem && a.package.name === name),
      );
    },
    aliasClosure(id) {
      const seen = new Set([id]);
      const queue = [id];
      while (queue.length > 0) {
        for (const next of edges.get(queue.pop()!) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          queue.push(next);
        }
      }
      return [...seen].sort();
    },
  };
}

const ADVISORIES: OsvRecord[] = [
  {
    id: 'GHSA-aaaa-bbbb-cccc',
    modified: '2026-10-01T00:00:00Z',
    published: '2026-09-01T00:00:00Z',
    aliases: ['CVE-2026-1111'],
    summary: 'Prototype pollution in widget',
    affected: [
      {
        package: { ecosystem: 'npm', name: '@acme/widget' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.4.1' }] }],
      },
    ],
  },
  {
    id: 'PYSEC-2026-1',
    modified: '2026-11-10T00:00:00Z',
    published: '2026-11-09T00:00:00Z',
    aliases: ['CVE-2026-2222'],
    summary: 'ReDoS in parser',
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'Data_Parser' },
        ranges: [
          // Two intervals in one range: 1.2 is between them and must not match.
          {
            type: 'ECOSYSTEM',
            events: [{ introduced: '1.0' }, { fixed: '1.1' }, { introduced: '1.5' }, { fixed: '1.6' }],
          },
        ],
      },
    ],
  },
  // The CVE record itself, aliasing the GHSA: an evaluation written against it must still match.
  { id: 'CVE-2026-1111', modified: '2026-09-02T00:00:00Z', aliases: ['GHSA-aaaa-bbbb-cccc'] },
  {
    id: 'RUSTSEC-2026-0001',
    modified: '2026-05-01T00:00:00Z',
    summary: 'oldcrate is unmaintained',
    // As RustSec's OSV export writes it: in the affected entry, not at the top level.
    affected: [
      {
        package: { ecosystem: 'crates.io', name: 'oldcrate' },
        database_specific: { informational: 'unmaintained' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0.0.0-0' }] }],
      },
    ],
  },
  {
    id: 'GHSA-with-drawn',
    modified: '2026-10-01T00:00:00Z',
    withdrawn: '2026-10-02T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name: '@acme/widget' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
      },
    ],
  },
];

const soups = [
  makeRecord('SOUP-001', 'soup', { version: '2.4.0', purl: 'pkg:npm/%40acme/widget@2.4.0' }),
  makeRecord('SOUP-002', 'soup', { version: '1.2', purl: 'pkg:pypi/data-parser@1.2' }),
  makeRecord('SOUP-003', 'soup', { version: '1.5.3', purl: 'pkg:pypi/data-parser@1.5.3' }),
  makeRecord('SOUP-004', 'soup', {
    version: '0.3.0',
    purl: 'pkg:cargo/oldcrate@0.3.0',
    supportLevel: 'actively-maintained',
  }),
  makeRecord('SOUP-005', 'soup', { version: 'V11.1.0', purl: 'pkg:github/FreeRTOS/FreeRTOS-Kernel@V11.1.0' }),
  makeRecord('SOUP-006', 'soup', { version: '2.5.0', purl: 'pkg:npm/%40acme/widget@2.5.0' }),
];

describe('soup scan', () => {
  const source = memorySource(ADVISORIES);

  it('matches by purl and ecosystem order, without multi-interval false positives or withdrawn records', () => {
    const scan = scanSoup(soups, [], source);
    expect(scan.findings.map((f) => `${f.soupId} ${f.advisory}`)).toEqual([
      'SOUP-001 GHSA-aaaa-bbbb-cccc',
      'SOUP-003 PYSEC-2026-1',
    ]);
    expect(scan.findings[0]!.ids).toEqual(['CVE-2026-1111', 'GHSA-aaaa-bbbb-cccc']);
    expect(scan.findings[0]!.reasons[0]).toContain('fixed in 2.4.1');
    expect(scan.findings[1]!.reasons[0]).toContain('affected from 1.5, fixed in 1.6');
    expect(scan.unmatchable.map((u) => u.soupId)).toEqual(['SOUP-005']);
    // Withdrawn advisories never match, but are listed for the audit trail.
    expect(scan.withdrawn.map((w) => `${w.soupId} ${w.advisory}`)).toEqual([
      'SOUP-001 GHSA-with-drawn',
      'SOUP-006 GHSA-with-drawn',
    ]);
    expect(scan.unmatchable[0]!.why).toContain('github');
    // RustSec "unmaintained" is a support-level suggestion, not a vulnerability to evaluate.
    expect(scan.supportSuggestions).toEqual([
      {
        soupId: 'SOUP-004',
        advisory: 'RUSTSEC-2026-0001',
        informational: 'unmaintained',
        current: 'actively-maintained',
        suggested: 'no-longer-maintained',
      },
    ]);
  });

  it('an advisory whose range cannot be read is a finding (assumed affected), not silence', () => {
    const broken: OsvRecord = {
      id: 'x_BROKEN-1',
      modified: '2026-10-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'htm' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: 'garbage!' }, { fixed: '9.0.0' }] }],
        },
      ],
    };
    const htm = makeRecord('SOUP-009', 'soup', { version: '3.1.1', purl: 'pkg:npm/htm@3.1.1' });
    const scan = scanSoup([htm], [], memorySource([broken]));
    expect(scan.findings).toHaveLength(1);
    expect(scan.findings[0]!.reasons[0]).toMatch(/could not be evaluated .*assumed affected/);
  });

  it('an evaluation matches by advisory id or any alias, and goes stale when the version changes', () => {
    const byAlias = makeRecord(
      'VE-001',
      'vulnerability-evaluation',
      { advisory: 'CVE-2026-1111', state: 'not_affected', version: '2.4.0', date: '2026-10-05' },
      { soup: ['SOUP-001'] },
    );
    const scan = scanSoup(soups, [byAlias], source);
    const widget = scan.findings.find((f) => f.soupId === 'SOUP-001')!;
    expect(widget.evaluation?.id).toBe('VE-001');
    expect(needsEvaluation(widget)).toBe(false);

    const oldVersion = makeRecord(
      'VE-002',
      'vulnerability-evaluation',
      { advisory: 'PYSEC-2026-1', state: 'not_affected', version: '1.5.1', date: '2026-11-09' },
      { soup: ['SOUP-003'] },
    );
    const stale = scanSoup(soups, [oldVersion], source).findings.find((f) => f.soupId === 'SOUP-003')!;
    expect(stale.staleBecause).toContain('1.5.1');
    expect(needsEvaluation(stale)).toBe(true);

    // An evaluation for another SOUP item does not cover this one.
    const elsewhere = makeRecord(
      'VE-003',
      'vulnerability-evaluation',
      { advisory: 'GHSA-aaaa-bbbb-cccc', state: 'not_affected', date: '2026-10-05' },
      { soup: ['SOUP-006'] },
    );
    const result = scanSoup(soups, [elsewhere], source);
    expect(result.findings.find((f) => f.soupId === 'SOUP-001')!.evaluation).toBeUndefined();
    expect(result.orphanEvaluations.map((e) => e.id)).toEqual(['VE-003']);
  });

  it('postmarket: --since a date and against the last scan', () => {
    const scan = scanSoup(soups, [], source);
    expect(monitorSince(scan, '2026-11-01').map((m) => [m.finding.advisory, m.isNew])).toEqual([
      ['PYSEC-2026-1', true],
    ]);
    const last = savedScan(
      scanSoup(
        soups.filter((s) => s.id !== 'SOUP-003'),
        [],
        source,
      ),
      '2026-11-01T00:00:00Z',
    );
    expect(monitorAgainst(scan, last).map((m) => m.finding.soupId)).toEqual(['SOUP-003']);
    // An evaluation older than the advisory's last modification is flagged for review.
    const ve = makeRecord(
      'VE-004',
      'vulnerability-evaluation',
      { advisory: 'PYSEC-2026-1', state: 'not_affected', date: '2026-11-05' },
      { soup: ['SOUP-003'] },
    );
    const m = monitorSince(scanSoup(soups, [ve], source), '2026-11-01');
    expect(m[0]!.changedSinceEvaluation).toBe(true);
  });
});

const PROJECT_SOUP = `kind: soup
records:
  - id: SOUP-001
    title: widget
    manufacturer: ACME
    version: 2.4.0
    purl: pkg:npm/%40acme/widget@2.4.0
    requirements: r
    systemRequirements: s
    anomalyReview: { date: 2026-10-01, conclusion: reviewed }
    supportLevel: actively-maintained
    endOfSupport: 2030-01-01
`;

describe('soup rules in check', () => {
  it('an unevaluated finding is an error citing 7.1.3 for class C SOUP; an evaluation clears it', () => {
    const dir = writeProject({
      'records/soup.yaml': PROJECT_SOUP,
      'records/SI-001.md':
        '---\nid: SI-001\nkind: software-item\ntitle: System\nitemType: system\nuses: [SOUP-001]\n---\nThe system.\n',
    });
    const project = (loadProject(dir) as { ok: true; project: never }).project;
    const findings = analyze(project, { advisories: memorySource(ADVISORIES) }).diagnostics.filter(
      (d) => d.code === 'soup/unevaluated-vulnerability',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('error');
    expect(findings[0]!.clauses).toContain('7.1.3');
    expect(findings[0]!.message).toContain('GHSA-aaaa-bbbb-cccc');
    expect(findings[0]!.file).toBe('records/soup.yaml');
    expect(findings[0]!.line).toBe(7);

    const withEvaluation = writeProject({
      'records/soup.yaml': PROJECT_SOUP,
      'records/SI-001.md':
        '---\nid: SI-001\nkind: software-item\ntitle: System\nitemType: system\nuses: [SOUP-001]\n---\nThe system.\n',
      'records/VE-001.md':
        '---\nid: VE-001\nkind: vulnerability-evaluation\ntitle: widget prototype pollution\nsoup: SOUP-001\nadvisory: CVE-2026-1111\nversion: 2.4.0\nstate: affected\nreviewer: M. Keller\ndate: 2026-10-05\n---\nWe pass user input to widget.merge.\n',
    });
    const again = analyze((loadProject(withEvaluation) as { ok: true; project: never }).project, {
      advisories: memorySource(ADVISORIES),
    });
    const codes = again.diagnostics.map((d) => d.code);
    expect(codes).not.toContain('soup/unevaluated-vulnerability');
    // Affected without the hazardous situation or control is incomplete.
    expect(
      again.diagnostics
        .filter((d) => d.code === 'soup/evaluation-incomplete')
        .map((d) => d.message)
        .join('\n'),
    ).toMatch(/hazardousSituations[\s\S]*riskControls/);
  });

  it('without advisory data, check warns that vulnerabilities were not checked', () => {
    const dir = writeProject({ 'records/soup.yaml': PROJECT_SOUP });
    const project = (loadProject(dir) as { ok: true; project: never }).project;
    const info = analyze(project).diagnostics.filter((d) => d.code === 'soup/no-advisory-data');
    expect(info).toHaveLength(1);
    expect(info[0]!.severity).toBe('warning');
    expect(info[0]!.message).toMatch(/^1 npm SOUP item not scanned: no npm advisory data/);
    // SOUP that no advisory database can name (a GitHub purl) does not raise it.
    const github = writeProject({
      'records/soup.yaml': PROJECT_SOUP.replace(
        'pkg:npm/%40acme/widget@2.4.0',
        'pkg:github/acme/widget@v2.4.0',
      ),
    });
    const none = analyze((loadProject(github) as { ok: true; project: never }).project).diagnostics;
    expect(none.filter((d) => d.code === 'soup/no-advisory-data')).toEqual([]);
  });
});
