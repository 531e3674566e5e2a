/**
 * CVSS 3.x base scores. The oracle is NVD itself: every NVD record carries the vector and the base
 * score and severity NVD computed from it (`metrics.cvssMetricV3x[].cvssData`), so each vector of
 * the real sample must score exactly what NVD published. OSV publishes vectors only (no number):
 * every CVSS 3 vector in the real OSV archives must parse, and score what the same vector scores in
 * NVD wherever NVD scored it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { documentContext } from '../src/docs/context.js';
import { documentsFor } from '../src/docs/registry.js';
import { renderMarkdown } from '../src/docs/render-markdown.js';
import { loadProject } from '../src/load/project.js';
import { openAdvisoryStore } from '../src/soup/advisories/store.js';
import { cvssRatings, cvssScoreText, cvssText } from '../src/soup/cvss/ratings.js';
import { cvssSeverity, scoreCvss3 } from '../src/soup/cvss/v3.js';
import { parseCvss4, scoreCvss4 } from '../src/soup/cvss/v4.js';
import { readZipTextEntries } from '../src/soup/osv/read-zip.js';
import { EXAMPLE, EXAMPLE_TRUST_ROOT, REPO, runCli, starterProject } from './helpers.js';
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

/**
 * CVSS 4.0 against scores computed by FIRST's reference calculator, as published in the test data
 * of Red Hat's `cvss` library (github.com/RedHatProductSecurity/cvss, tests/vectors_simple4,
 * vectors_threat4, vectors_security4, vectors_supplemental4 and test_cvss4.py), never by the
 * library Dossier uses. There the score of a vector with threat or environmental metrics is its
 * CVSS-BT/BE/BTE score (`refined` here); `baseScore` here is always CVSS-B.
 */
const PHYSICAL_ALL_HIGH = 'CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H';
const CVSS4_BASE: readonly (readonly [string, number, string])[] = [
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L', 9.2, 'Critical'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H', 9.5, 'Critical'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H', 9.3, 'Critical'],
  ['CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:H/SA:N', 9.0, 'Critical'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', 8.7, 'High'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.6, 'High'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L', 7.8, 'High'],
  [PHYSICAL_ALL_HIGH, 7.3, 'High'],
  ['CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:L/SI:L/SA:H', 7.0, 'High'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:L/SA:N', 6.9, 'Medium'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:L/VI:N/VA:N/SC:H/SI:N/SA:H', 6.0, 'Medium'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L', 5.3, 'Medium'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:N/SC:L/SI:N/SA:N', 4.8, 'Medium'],
  ['CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N', 4.0, 'Medium'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N', 2.3, 'Low'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N', 2.1, 'Low'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N', 1.8, 'Low'],
  ['CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0.0, 'None'],
];
/** Vectors with threat/environmental metrics: their CVSS-B score, and the reference's score of the whole vector. */
const CVSS4_REFINED: readonly (readonly [string, number, string, number])[] = [
  [`${PHYSICAL_ALL_HIGH}/E:A`, 7.3, 'CVSS-BT', 7.3],
  [`${PHYSICAL_ALL_HIGH}/E:P`, 7.3, 'CVSS-BT', 5.9],
  [`${PHYSICAL_ALL_HIGH}/E:U`, 7.3, 'CVSS-BT', 4.1],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:U', 0.0, 'CVSS-BT', 0.0],
  [`${PHYSICAL_ALL_HIGH}/CR:M/IR:M/AR:M`, 7.3, 'CVSS-BE', 5.5],
  [`${PHYSICAL_ALL_HIGH}/CR:L/IR:L/AR:L`, 7.3, 'CVSS-BE', 5.4],
  [`${PHYSICAL_ALL_HIGH}/CR:H/IR:M/AR:L`, 7.3, 'CVSS-BE', 7.1],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/AR:L', 8.7, 'CVSS-BE', 7.9],
  // No impact on the vulnerable or subsequent system: CVSS-B is 0 (None); the environment raises it.
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:H', 0.0, 'CVSS-BE', 7.7],
];
/**
 * Full vectors of test_cvss4.py's severity test, whose expected severity is that of the whole vector
 * (CVSS-BTE); their metrics are put in Table 23's order here (the reference accepts any order).
 */
const CVSS4_BTE_SEVERITY: readonly (readonly [string, string])[] = [
  [
    'CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:A/VC:H/VI:N/VA:H/SC:L/SI:N/SA:H/E:U/CR:H/IR:H/AR:H/MAV:N/MAC:L/MAT:N/MPR:N/MUI:N/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/S:P/AU:N/R:I/V:D/RE:M/U:Red',
    'Critical',
  ],
  [
    'CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:P/VC:N/VI:L/VA:L/SC:H/SI:N/SA:N/E:A/CR:M/IR:M/AR:M/MAV:L/MAC:H/MAT:P/MPR:N/MUI:P/MVC:L/MVI:N/MVA:H/MSC:H/MSI:H/MSA:S/S:N/AU:Y/R:I/V:C/RE:M/U:Amber',
    'High',
  ],
  [
    'CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:H/VI:H/VA:N/SC:H/SI:N/SA:N/E:P/CR:H/IR:H/AR:H/MAV:L/MAC:L/MAT:N/MPR:H/MUI:P/MVC:L/MVI:L/MVA:N/MSC:H/MSI:H/MSA:S/S:N/AU:Y/R:I/V:C/RE:L/U:Green',
    'Medium',
  ],
  [
    'CVSS:4.0/AV:L/AC:H/AT:P/PR:N/UI:P/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:P/CR:H/IR:L/AR:L/MAV:L/MAC:L/MAT:N/MPR:L/MUI:A/MVC:L/MVI:N/MVA:H/MSC:H/MSI:L/MSA:N/S:P/AU:N/R:A/V:D/RE:L/U:Red',
    'Low',
  ],
  [
    'CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:L/VI:N/VA:H/SC:L/SI:H/SA:H/E:P/CR:H/IR:H/AR:H/MAV:L/MAC:L/MAT:P/MPR:L/MUI:P/MVC:N/MVI:N/MVA:N/MSC:N/MSI:N/MSA:N/S:P/AU:N/R:U/V:C/RE:H/U:Red',
    'None',
  ],
];

describe('CVSS 4.0 against FIRST’s reference calculator', () => {
  it.each(CVSS4_BASE)('%s: CVSS-B %d %s', (vector, baseScore, severity) => {
    const score = scoreCvss4(vector);
    expect(score).toEqual({ version: '4.0', vector, baseScore, severity });
  });

  it.each(CVSS4_REFINED)('%s: CVSS-B %d, %s %d', (vector, baseScore, nomenclature, refined) => {
    const score = scoreCvss4(vector);
    expect(score).toMatchObject({ baseScore, refined: { nomenclature, score: refined } });
  });

  it.each(CVSS4_BTE_SEVERITY)('%s: CVSS-BTE severity %s', (vector, severity) => {
    const score = scoreCvss4(vector);
    expect(score).toMatchObject({ refined: { nomenclature: 'CVSS-BTE', severity } });
  });

  it('supplemental metrics change neither the score nor its name (still CVSS-B)', () => {
    for (const supplemental of ['S:N/AU:N/R:A/V:D/RE:L/U:Clear', 'S:P/AU:Y/R:I/V:C/RE:H/U:Red']) {
      const score = scoreCvss4(`${PHYSICAL_ALL_HIGH}/${supplemental}`);
      expect(score).toMatchObject({ baseScore: 7.3, severity: 'High' });
      expect(score).not.toHaveProperty('refined');
    }
  });

  it('metrics given as Not Defined (X) leave the score CVSS-B', () => {
    const score = scoreCvss4(`${PHYSICAL_ALL_HIGH}/E:X/CR:X/MAV:X`);
    expect(score).toMatchObject({ baseScore: 7.3 });
    expect(score).not.toHaveProperty('refined');
  });
});

describe('CVSS 4.0 vectors that cannot be scored', () => {
  const BASE = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', 'base metrics missing: SA'],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'base metrics missing: AT'],
    [BASE.replace('SA:N', 'SA:Q'), 'SA:Q is not a valid value'],
    [`${BASE}/MSC:S`, 'MSC:S is not a valid value'],
    [`${BASE}/U:red`, 'U:red is not a valid value'],
    [BASE.replace('AV:N', 'AV:N/AV:L'), 'AV is given twice'],
    [`${BASE}/E:A/E:U`, 'E is given twice'],
    [BASE.replace('AV:N/AC:L', 'AC:L/AV:N'), 'AV comes after AC'],
    [`${BASE}/S:N/E:A`, 'E comes after S'],
    [`${BASE}/ZZ:1`, 'unknown metric ZZ'],
    [`${BASE}/E`, '"E" is not METRIC:VALUE'],
    [`${BASE}/`, '"" is not METRIC:VALUE'],
  ])('%s: %s', (vector, why) => {
    const score = scoreCvss4(vector);
    expect(score).not.toHaveProperty('baseScore');
    expect((score as { error: string }).error).toContain(why);
    expect(parseCvss4(vector)).toHaveProperty('error');
    // The rating of a finding says so and carries no number.
    expect(cvssRatings([vector])).toEqual([
      { vector, version: '4.0', baseScore: null, severity: null, note: expect.stringContaining(why) },
    ]);
  });

  it('another version is not a 4.0 vector', () => {
    expect(scoreCvss4('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toEqual({
      error: 'not a CVSS 4.0 vector (it must start with CVSS:4.0/)',
    });
  });
});

describe.skipIf(!zipsPresent)('CVSS vectors of the real OSV archives', () => {
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
  }, 300_000);

  it('every CVSS_V4 vector parses and is scored, with a score and severity in range', async () => {
    let vectors = 0;
    const unscored: string[] = [];
    for (const zip of ZIPS) {
      for await (const entry of readZipTextEntries(zip, { accept: (n) => n.endsWith('.json') })) {
        const record = JSON.parse(entry.text) as { id: string; severity?: { type: string; score: string }[] };
        for (const s of record.severity ?? []) {
          if (s.type !== 'CVSS_V4') continue;
          vectors++;
          const [rating] = cvssRatings([s.score]);
          if (rating?.version !== '4.0' || rating.baseScore === null)
            unscored.push(`${record.id}: ${s.score}: ${rating?.note}`);
          else expect(rating.severity, s.score).toBe(cvssSeverity(rating.baseScore));
        }
      }
    }
    // The crates.io archive publishes CVSS 4.0 vectors (39 distinct ones when this was written).
    expect(vectors).toBeGreaterThan(30);
    expect(unscored).toEqual([]);
  }, 300_000);
});

describe('CVSS ratings of a finding', () => {
  it('scores 3.x and 4.0, keeps 2.0 vectors unscored with the reason, and ignores database ratings', () => {
    const ratings = cvssRatings([
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      // 8.7 in the reference calculator's data (see CVSS 4.0 below).
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N',
      'AV:N/AC:L/Au:N/C:P/I:N/A:N',
      'CVSS:3.1/AV:N/AC:L',
      'HIGH',
    ]);
    expect(ratings.map((r) => [r.version, r.baseScore, r.severity, r.note ?? null])).toEqual([
      ['3.1', 7.5, 'High', null],
      ['4.0', 8.7, 'High', null],
      ['4.0', null, null, 'unparseable vector: base metrics missing: SA'],
      ['2.0', null, null, 'CVSS 2.0 score not computed'],
      ['3.1', null, null, expect.stringContaining('unparseable vector: base metrics missing')],
    ]);
    expect(ratings.map(cvssScoreText)).toEqual([
      'CVSS 3.1 7.5 High',
      'CVSS 4.0 8.7 High CVSS-B',
      'CVSS 4.0 not scored',
      'CVSS 2.0 not scored',
      'CVSS 3.1 not scored',
    ]);
  });

  it('a 4.0 rating with threat/environmental metrics says its base score is CVSS-B and gives the other', () => {
    const [rating] = cvssRatings([
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:U/AR:L',
    ]);
    expect(rating).toMatchObject({ version: '4.0', baseScore: 8.7, severity: 'High' });
    expect(rating!.refined?.nomenclature).toBe('CVSS-BTE');
    expect(rating!.note).toContain('base score is CVSS-B');
    expect(rating!.note).toContain(`CVSS-BTE is ${rating!.refined!.score.toFixed(1)}`);
    expect(cvssText(rating!)).toMatch(/^CVSS 4\.0 8\.7 High CVSS-B, CVSS-BTE \d\.\d \w+ \(CVSS:4\.0\//);
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
  }, 300_000);
});

describe('CVSS 4.0 end to end: an OSV advisory with a CVSS_V4 severity', () => {
  const LOCKFILE = fs.readFileSync(path.join(REPO, 'test/fixtures/lockfiles/package-lock-v3.json'), 'utf8');
  // Scores from FIRST's reference calculator (see CVSS4_BASE and CVSS4_REFINED above).
  const CRITICAL = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L';
  const UNREPORTED = `${PHYSICAL_ALL_HIGH}/E:U`;
  const advisory = (id: string, cve: string, vector: string) => ({
    schema_version: '1.7.0',
    id,
    modified: '2026-11-10T00:00:00Z',
    published: '2026-11-09T00:00:00Z',
    aliases: [cve],
    summary: `Fixture advisory ${id} for debug`,
    severity: [{ type: 'CVSS_V4', score: vector }],
    affected: [
      {
        package: { ecosystem: 'npm', name: 'debug', purl: 'pkg:npm/debug' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '4.0.0' }, { fixed: '4.3.5' }] }],
      },
    ],
  });

  it('the scan (text and JSON), the VEX (CycloneDX and OpenVEX) and the SOUP list show the score', () => {
    const dir = starterProject({ 'web/package-lock.json': LOCKFILE });
    fs.mkdirSync(path.join(dir, 'advisories'));
    fs.writeFileSync(
      path.join(dir, 'advisories/x_TEST-4001.json'),
      JSON.stringify(advisory('x_TEST-4001', 'CVE-2099-4001', CRITICAL)),
    );
    fs.writeFileSync(
      path.join(dir, 'advisories/x_TEST-4002.json'),
      JSON.stringify(advisory('x_TEST-4002', 'CVE-2099-4002', UNREPORTED)),
    );
    expect(runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir).code).toBe(0);
    expect(runCli(['advisories', 'import', 'advisories'], dir).code).toBe(0);
    // A fictional EPSS file scoring the first CVE only.
    fs.writeFileSync(
      path.join(dir, 'epss.csv'),
      '#model_version:v2025.03.14,score_date:2026-11-01T00:00:00Z\ncve,epss,percentile\nCVE-2099-4001,0.12345,0.9\n',
    );
    expect(runCli(['advisories', 'import', 'epss.csv'], dir).code).toBe(0);

    const text = runCli(['soup', 'scan'], dir).stdout;
    expect(text).toContain(`    CVSS 4.0 9.2 Critical CVSS-B (${CRITICAL})`);
    expect(text).toContain(`    CVSS 4.0 7.3 High CVSS-B, CVSS-BT 4.1 Medium (${UNREPORTED})`);

    const report = JSON.parse(runCli(['soup', 'scan', '--format', 'json'], dir).stdout);
    const cvssOf = (id: string) =>
      report.findings.find((f: { advisory: string }) => f.advisory === id).cvss as unknown[];
    expect(cvssOf('x_TEST-4001')).toEqual([
      { vector: CRITICAL, version: '4.0', baseScore: 9.2, severity: 'Critical' },
    ]);
    expect(cvssOf('x_TEST-4002')).toEqual([
      {
        vector: UNREPORTED,
        version: '4.0',
        baseScore: 7.3,
        severity: 'High',
        refined: { nomenclature: 'CVSS-BT', score: 4.1, severity: 'Medium' },
        note: expect.stringContaining('CVSS-BT is 4.1 Medium'),
      },
    ]);

    const debugId = /^(SOUP-\d+) debug 4\.3\.4/m.exec(text)![1]!;
    fs.writeFileSync(
      path.join(dir, 'records/VE-001.md'),
      `---\nid: VE-001\nkind: vulnerability-evaluation\ntitle: debug fixture\nsoup: ${debugId}\nadvisory: CVE-2099-4001\nversion: 4.3.4\nstate: affected\nimpact: Fixture.\naction: Update debug.\nreviewer: A. Reviewer\ndate: 2026-11-20\n---\nFixture.\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'records/VE-002.md'),
      `---\nid: VE-002\nkind: vulnerability-evaluation\ntitle: debug fixture 2\nsoup: ${debugId}\nadvisory: CVE-2099-4002\nversion: 4.3.4\nstate: under_investigation\nreviewer: A. Reviewer\ndate: 2026-11-20\n---\nFixture.\n`,
    );
    const EPSS = 'EPSS 0.123 (percentile 90.0, scores of 2026-11-01) for CVE-2099-4001';
    const NO_EPSS = 'EPSS: no score in the scores of 2026-11-01';
    const cdx = JSON.parse(runCli(['sbom', '--vex', 'cyclonedx'], dir).stdout);
    const vulnerability = (id: string) => cdx.vulnerabilities.find((v: { id: string }) => v.id === id);
    expect(vulnerability('CVE-2099-4001').ratings).toEqual([
      { score: 9.2, severity: 'critical', method: 'CVSSv4', vector: CRITICAL },
    ]);
    expect(vulnerability('CVE-2099-4002').ratings).toEqual([
      {
        score: 7.3,
        severity: 'high',
        method: 'CVSSv4',
        vector: UNREPORTED,
        justification: expect.stringContaining('base score is CVSS-B'),
      },
    ]);
    expect(vulnerability('CVE-2099-4001').properties).toEqual(
      expect.arrayContaining([
        { name: 'dossier:kev', value: 'not-checked' },
        { name: 'dossier:epss-status', value: 'scored' },
        { name: 'dossier:epss-date', value: '2026-11-01' },
        { name: 'dossier:epss-cve', value: 'CVE-2099-4001' },
        { name: 'dossier:epss', value: '0.12345' },
        { name: 'dossier:epss-percentile', value: '0.9' },
      ]),
    );
    expect(vulnerability('CVE-2099-4002').properties).toContainEqual({
      name: 'dossier:epss-status',
      value: 'not-scored',
    });
    const openvex = JSON.parse(runCli(['sbom', '--vex', 'openvex'], dir).stdout);
    const notes = openvex.statements.map((st: { status_notes: string }) => st.status_notes).join('\n');
    expect(notes).toContain(`CVSS 4.0 9.2 Critical CVSS-B (${CRITICAL}).`);
    expect(notes).toContain('CISA KEV: not checked (no CISA KEV catalog loaded).');
    expect(notes).toContain(`${EPSS}.`);
    expect(notes).toContain(`${NO_EPSS}.`);

    const list = runCli(['soup', 'list'], dir).stdout;
    expect(list).toContain('- CVSS: CVSS 4.0 9.2 Critical CVSS-B');
    expect(list).toContain('- CVSS: CVSS 4.0 7.3 High CVSS-B, CVSS-BT 4.1 Medium');
    expect(list).toContain('- CISA KEV: not checked (no CISA KEV catalog loaded)');
    expect(list).toContain(`- EPSS: ${EPSS}`);
    expect(list).toContain(`- EPSS: ${NO_EPSS}`);

    // The documents: the SOUP List and the SBOM and vulnerability assessment summary.
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('the project did not load');
    const store = openAdvisoryStore(path.join(dir, '.dossier/advisories.sqlite'), { readonly: true });
    const analysis = analyze(loaded.project, { advisories: store, today: '2026-12-01' });
    const context = documentContext(analysis, { date: '2026-12-01' });
    const markdownOf = (key: string) =>
      renderMarkdown(
        documentsFor(context)
          .find((d) => d.key === key)!
          .model(),
      );
    const soupDocument = markdownOf('SOUP');
    expect(soupDocument).toContain(
      `CVE-2099-4001: affected (CVSS 4.0 9.2 Critical CVSS-B; CISA KEV not checked (no CISA KEV catalog loaded); ${EPSS})`,
    );
    expect(soupDocument).toContain(`CVSS 4.0 7.3 High CVSS-B, CVSS-BT 4.1 Medium; CISA KEV not checked`);
    expect(soupDocument).toContain(NO_EPSS);
    const summary = markdownOf('SBOM');
    expect(summary).toContain(`CVSS 4.0 9.2 Critical CVSS-B (${CRITICAL})`);
    expect(summary).toContain(EPSS);
    store.close();
  }, 300_000);
});

describe('the CVSS 4.0 calculator is loaded only to score a 4.0 vector', () => {
  // A preloaded hook that reports every load of the package on standard error.
  const hook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cvss-load-')), 'hook.cjs');
  fs.writeFileSync(
    hook,
    `const M = require('node:module'); const load = M._load;
M._load = function (request, ...rest) {
  if (request === 'ae-cvss-calculator') process.stderr.write('LOADED ae-cvss-calculator\\n');
  return load.call(this, request, ...rest);
};\n`,
  );
  const node = (args: string[]) =>
    spawnSync(process.execPath, ['--require', hook, ...args], { cwd: REPO, encoding: 'utf8' });

  it('not at CLI start-up (dossier --version)', () => {
    const r = node(['dist/cli/main.js', '--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('LOADED');
  });

  it('when a 4.0 vector is scored (the hook does see it)', () => {
    const r = node([
      '--input-type=module',
      '-e',
      `const { cvssRatings } = await import('./dist/soup/cvss/ratings.js');
console.log(cvssRatings(['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N'])[0].baseScore);`,
    ]);
    expect(r.stdout.trim(), r.stderr).toBe('8.7');
    expect(r.stderr).toContain('LOADED ae-cvss-calculator');
  });
});
