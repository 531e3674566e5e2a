/**
 * CVSS 3.x base scores. The oracle is NVD itself: every NVD record carries the vector and the base
 * score and severity NVD computed from it (`metrics.cvssMetricV3x[].cvssData`), so each vector of
 * the real sample must score exactly what NVD published. OSV publishes vectors only (no number):
 * every CVSS 3 vector in the real OSV archives must parse, and score what the same vector scores in
 * NVD wherever NVD scored it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cvssRatings } from '../src/soup/cvss/ratings.js';
import { scoreCvss3 } from '../src/soup/cvss/v3.js';
import { readZipTextEntries } from '../src/soup/osv/read-zip.js';
import { EXAMPLE, EXAMPLE_TRUST_ROOT, REPO, runCli } from './helpers.js';
import { NVD_SAMPLE } from './nvd-readme-table.js';

const nvdPresent = fs.existsSync(NVD_SAMPLE);
if (!nvdPresent) console.warn(`SKIPPED: ${NVD_SAMPLE} is absent; the CVSS tests against NVD need ../shared`);
const ZIPS = ['PyPI', 'Go', 'crates.io'].map((e) =>
  path.resolve(REPO, `../shared/data/advisories/${e}-all.zip`),
);
const zipsPresent = ZIPS.every((z) => fs.existsSync(z));
if (!zipsPresent)
  console.warn('SKIPPED: ../shared/data/advisories is absent; the CVSS tests on OSV vectors need it');

interface Published {
  vector: string;
  baseScore: number;
  baseSeverity: string;
}

/** Every CVSS 3.x metric of the NVD sample, as NVD published it. */
function nvdMetrics(): Published[] {
  const page = JSON.parse(fs.readFileSync(NVD_SAMPLE, 'utf8')) as {
    vulnerabilities: { cve: { metrics?: Record<string, { cvssData: Record<string, unknown> }[]> } }[];
  };
  return page.vulnerabilities.flatMap(({ cve }) =>
    Object.entries(cve.metrics ?? {})
      .filter(([key]) => key === 'cvssMetricV30' || key === 'cvssMetricV31')
      .flatMap(([, list]) =>
        list.map((m) => ({
          vector: m.cvssData.vectorString as string,
          baseScore: m.cvssData.baseScore as number,
          baseSeverity: m.cvssData.baseSeverity as string,
        })),
      ),
  );
}

describe.skipIf(!nvdPresent)('CVSS 3.x against the scores NVD published', () => {
  it('scores every v3 vector of the real NVD sample as NVD did', () => {
    const metrics = nvdMetrics();
    expect(metrics.length).toBeGreaterThan(0);
    for (const m of metrics) {
      const score = scoreCvss3(m.vector);
      expect(score, m.vector).toMatchObject({ baseScore: m.baseScore });
      expect('severity' in score && score.severity.toUpperCase(), m.vector).toBe(m.baseSeverity);
    }
  });
});

describe('CVSS 3.x vectors that cannot be scored', () => {
  it.each([
    ['AV:N/AC:L/Au:N/C:P/I:N/A:N', 'not a CVSS 3.0 or 3.1 vector'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'not a CVSS 3.0 or 3.1 vector'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'base metrics missing: A'],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:X is not a valid value'],
    ['CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV is given twice'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1', 'unknown metric ZZ'],
  ])('%s: %s', (vector, why) => {
    const score = scoreCvss3(vector);
    expect(score).not.toHaveProperty('baseScore');
    expect((score as { error: string }).error).toContain(why);
  });

  it('temporal and environmental metrics are allowed and do not change the base score', () => {
    // CVSS 3.1 specification, section 7.5 example vector: base 9.8.
    expect(scoreCvss3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C')).toMatchObject({
      baseScore: 9.8,
      severity: 'Critical',
    });
  });
});

describe.skipIf(!zipsPresent)('CVSS 3.x vectors of the real OSV archives', () => {
  it('every CVSS_V3 vector parses; a vector NVD also scored gets NVD’s score', async () => {
    const published = new Map(nvdPresent ? nvdMetrics().map((m) => [m.vector, m.baseScore]) : []);
    let vectors = 0;
    let crossChecked = 0;
    const unparsed: string[] = [];
    for (const zip of ZIPS) {
      for await (const entry of readZipTextEntries(zip, { accept: (n) => n.endsWith('.json') })) {
        const record = JSON.parse(entry.text) as { id: string; severity?: { type: string; score: string }[] };
        for (const s of record.severity ?? []) {
          if (s.type !== 'CVSS_V3') continue;
          vectors++;
          const score = scoreCvss3(s.score);
          if (!('baseScore' in score)) unparsed.push(`${record.id}: ${s.score}: ${score.error}`);
          else if (published.has(s.score)) {
            crossChecked++;
            expect(score.baseScore, s.score).toBe(published.get(s.score));
          }
        }
      }
    }
    expect(vectors).toBeGreaterThan(100);
    expect(unparsed).toEqual([]);
    console.info(`CVSS: ${vectors} OSV CVSS_V3 vectors scored, ${crossChecked} checked against NVD's scores`);
  }, 120_000);
});

describe('CVSS ratings of a finding', () => {
  it('scores 3.x, keeps 2.0 and 4.0 vectors unscored with the reason, and ignores database ratings', () => {
    const ratings = cvssRatings([
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
      'AV:N/AC:L/Au:N/C:P/I:N/A:N',
      'CVSS:3.1/AV:N/AC:L',
      'HIGH',
    ]);
    expect(ratings.map((r) => [r.version, r.baseScore, r.note ?? null])).toEqual([
      ['3.1', 7.5, null],
      ['4.0', null, 'CVSS 4.0 score not computed'],
      ['2.0', null, 'CVSS 2.0 score not computed'],
      ['3.1', null, expect.stringContaining('unparseable vector: base metrics missing')],
    ]);
  });
});

describe.skipIf(!nvdPresent)('CVSS in the scan and the VEX of the example', () => {
  it('each NVD finding carries the score NVD published for its v3.1 vector; CycloneDX ratings too', () => {
    process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cvss-')), 'db.sqlite');
    expect(runCli(['advisories', 'import', NVD_SAMPLE, '--db', db, '-q']).code).toBe(0);
    const page = JSON.parse(fs.readFileSync(NVD_SAMPLE, 'utf8')) as {
      vulnerabilities: {
        cve: {
          id: string;
          metrics?: { cvssMetricV31?: { cvssData: Published & { vectorString: string } }[] };
        };
      }[];
    };
    const published = new Map(
      page.vulnerabilities.flatMap(({ cve }) =>
        (cve.metrics?.cvssMetricV31 ?? []).map((m) => [cve.id, m.cvssData.baseScore] as const),
      ),
    );
    const scan = JSON.parse(
      runCli(['soup', 'scan', EXAMPLE, '--advisories', db, '--no-save', '--format', 'json']).stdout,
    );
    const nvd = scan.findings.filter((f: { ecosystem: string }) => f.ecosystem === 'NVD');
    expect(nvd.length).toBeGreaterThan(0);
    for (const f of nvd) {
      const scored = f.cvss.filter((r: { version: string }) => r.version === '3.1');
      if (!published.has(f.advisory)) continue;
      expect(
        scored.map((r: { baseScore: number }) => r.baseScore),
        f.advisory,
      ).toContain(published.get(f.advisory));
    }
    const cdx = JSON.parse(runCli(['sbom', EXAMPLE, '--vex', 'cyclonedx', '--advisories', db]).stdout);
    const v = cdx.vulnerabilities.find((x: { id: string }) => x.id === 'CVE-2025-27809');
    expect(v.ratings).toContainEqual(
      expect.objectContaining({ method: 'CVSSv31', score: published.get('CVE-2025-27809') }),
    );
  }, 60_000);
});
