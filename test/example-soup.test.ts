/**
 * The example device's SOUP against the shared OSV data: the "done when" for SOUP and
 * cybersecurity, run the way a user would (import the advisories, scan, break an evaluation, check).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDir, EXAMPLE, EXAMPLE_TRUST_ROOT, REPO, runCli } from './helpers.js';
import { MBEDTLS_362_CVES, NVD_SAMPLE } from './nvd-readme-table.js';

// The example's trust root, pinned as CI pins it (docs/signatures.md).
process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const DATA = path.resolve(REPO, '../shared/data');
const present = fs.existsSync(path.join(DATA, 'advisories/crates.io-all.zip'));
if (!present) console.warn(`SKIPPED: ${DATA} is absent; the example SOUP scan tests need ../shared`);
const nvdPresent = fs.existsSync(NVD_SAMPLE);
if (!nvdPresent) console.warn(`SKIPPED: ${NVD_SAMPLE} is absent; the example NVD tests need ../shared`);
// MBEDTLS_362_CVES: the README's table; cJSON 1.7.18, lwIP 2.2.0 and FreeRTOS 11.1.0 fall inside no
// record, nor does nanopb 0.4.8 (CVE-2021-21401 ends before 0.3.9.8 and spans 0.4.0 to before 0.4.5).

describe.skipIf(!present)('the example device against the shared advisory data', () => {
  let db: string;
  beforeAll(() => {
    db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-example-adv-')), 'advisories.sqlite');
    const zips = ['PyPI', 'Go', 'crates.io'].map((e) => path.join(DATA, `advisories/${e}-all.zip`));
    const imported = runCli([
      'advisories',
      'import',
      ...zips,
      path.join(EXAMPLE, 'advisories/npm'),
      ...(nvdPresent ? [NVD_SAMPLE] : []),
      '--db',
      db,
      '-q',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
  }, 300_000);

  it('soup scan lists each finding with its evaluation and exits 0', () => {
    const scan = runCli(['soup', 'scan', EXAMPLE, '--advisories', db, '--no-save', '--format', 'json']);
    expect(scan.code, scan.stdout).toBe(0);
    const report = JSON.parse(scan.stdout);
    expect(report.findings.length).toBeGreaterThanOrEqual(3);
    for (const f of report.findings) {
      expect(f.evaluation, `${f.soup} ${f.advisory}`).not.toBeNull();
      expect(f.needsEvaluation).toBe(false);
    }
    const advisories = report.findings.map((f: { advisory: string }) => f.advisory);
    expect(advisories).toEqual(expect.arrayContaining(['RUSTSEC-2022-0093', 'RUSTSEC-2024-0344']));
    // The fixture bounded by a prerelease (htm 3.1.2-canary.0 and later) must not match htm 3.1.1,
    // and the withdrawn fixture must not appear.
    expect(advisories).not.toContain('x_SP200-NPM-2026-0002');
    expect(advisories).not.toContain('x_SP200-NPM-2026-0003');
    expect(report.withdrawn.map((w: { advisory: string }) => w.advisory)).toContain('x_SP200-NPM-2026-0003');
    // C libraries without an OSV ecosystem or a CPE are listed for a manual review, not dropped;
    // those with a CPE are matched against the NVD.
    const unmatchable = report.unmatchable.map((u: { soupId: string }) => u.soupId);
    expect(unmatchable).toContain('SOUP-002');
    expect(unmatchable).not.toContain('SOUP-001');
    if (nvdPresent)
      expect(
        report.findings
          .filter((f: { soup: string }) => f.soup === 'SOUP-003')
          .map((f: { advisory: string }) => f.advisory),
      ).toEqual(MBEDTLS_362_CVES);
  });

  it('release check 1.1.0 with the shared data: every finding evaluated, the NVD sample too old for its date; 1.0.0 lacks current reviews', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-example-manifest-'));
    const manifest = path.join(dir, 'manifest.json');
    const r = runCli([
      'release',
      'check',
      '1.1.0',
      EXAMPLE,
      '--advisories',
      db,
      '--manifest',
      manifest,
      '--format',
      'json',
    ]);
    // The C libraries of 1.1.0 are matched by CPE. The shared NVD sample reaches 2026-06-17, 103
    // days before the release date (2026-09-28): the gate says so and blocks (7.1.3), and without
    // NVD data at all it says "not checked"; it never passes on data that could not check them.
    expect(r.code, r.stdout).toBe(1);
    const blockers = JSON.parse(r.stdout).blockers.map(
      (b: { code: string; message: string }) => `${b.code}: ${b.message}`,
    );
    expect(blockers).toEqual([
      nvdPresent
        ? expect.stringMatching(
            /^release\/advisory-data-stale: NVD advisory data reaches only 2026-06-17 .*103 days before 2026-09-28/,
          )
        : expect.stringMatching(
            /^release\/vulnerabilities-not-checked: 5 SOUP items with a CPE not scanned: no NVD data \(SOUP-001, SOUP-003, SOUP-004, SOUP-009, SOUP-010\)/,
          ),
    ]);
    const ages = JSON.parse(fs.readFileSync(manifest, 'utf8')).advisoryData.ecosystems;
    expect(ages.map((e: { ecosystem: string }) => e.ecosystem)).toEqual([
      'crates.io',
      'Go',
      'npm',
      'NVD',
      'PyPI',
    ]);
    expect(ages.find((e: { ecosystem: string }) => e.ecosystem === 'crates.io')).toMatchObject({
      newestModified: '2026-08-21T06:28:40Z',
      ageDays: 38,
      status: 'unused',
    });
    // 1.0.0 (2025-10-15) predates the anomaly-list reviews on record (2026-08): they are no
    // evidence for it.
    const old = runCli([
      'release',
      'check',
      '1.0.0',
      EXAMPLE,
      '--advisories',
      db,
      '--format',
      'json',
      '--manifest',
      manifest,
    ]);
    const reviews = JSON.parse(old.stdout).blockers.filter(
      (b: { code: string }) => b.code === 'release/soup-anomaly-review',
    );
    expect(reviews.map((b: { record: string }) => b.record)).toContain('SOUP-001');
    expect(reviews[0].message).toContain('after 2025-10-15');
  });

  it('deleting one evaluation makes check fail citing 7.1.3', () => {
    const copy = copyDir(EXAMPLE);
    const evaluation = path.join(copy, 'records/soup/evaluations/VE-001.md');
    const advisory = /advisory: (\S+)/.exec(fs.readFileSync(evaluation, 'utf8'))![1]!;
    fs.rmSync(evaluation);
    const check = runCli(['check', copy, '--advisories', db, '--format', 'json']);
    expect(check.code).toBe(1);
    const errors = JSON.parse(check.stdout).diagnostics.filter(
      (d: { severity: string }) => d.severity === 'error',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'soup/unevaluated-vulnerability',
      clauses: expect.arrayContaining(['7.1.3']),
    });
    expect(errors[0].message).toContain(advisory);
    expect(runCli(['soup', 'scan', copy, '--advisories', db, '--no-save']).code).toBe(1);
  });

  it('the CycloneDX SBOM validates against 1.6 and carries the NTIA elements and FDA support fields', () => {
    const sbom = JSON.parse(runCli(['sbom', EXAMPLE, '--advisories', db]).stdout);
    const schemas = path.join(DATA, 'schemas/cyclonedx');
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(schemas, f), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(read('spdx.schema.json'), 'spdx.schema.json');
    ajv.addSchema(read('jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
    const validate = ajv.compile(read('bom-1.6.schema.json'));
    expect(validate(sbom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(sbom.metadata.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(sbom.metadata.authors ?? sbom.metadata.manufacturer).toBeDefined();
    const withDeps = new Set(sbom.dependencies.map((d: { ref: string }) => d.ref));
    for (const c of sbom.components) {
      expect(c.supplier?.name, c['bom-ref']).toBeTruthy();
      expect(c.name).toBeTruthy();
      expect(c.version).toBeTruthy();
      expect(c.purl, c['bom-ref']).toMatch(/^pkg:/);
      expect(withDeps.has(c['bom-ref'])).toBe(true);
      const names = (c.properties ?? []).map((p: { name: string }) => p.name);
      expect(
        names.some((n: string) => n.startsWith('cdx:fda:')),
        c['bom-ref'],
      ).toBe(true);
    }
    // The NTIA unique identifier of a C library: its CPE (the first the record lists).
    const mbed = sbom.components.find((c: { 'bom-ref': string }) => c['bom-ref'] === 'SOUP-003');
    expect(mbed.cpe).toBe('cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*');
    // Same records, same bytes.
    expect(runCli(['sbom', EXAMPLE, '--advisories', db]).stdout).toBe(`${JSON.stringify(sbom, null, 2)}\n`);
  });
});

describe.skipIf(!nvdPresent)('the example C libraries against the real NVD sample', () => {
  let db: string;
  beforeAll(() => {
    db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-example-nvd-')), 'advisories.sqlite');
    const imported = runCli(['advisories', 'import', NVD_SAMPLE, '--db', db, '-q']);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('finds exactly the README table: the six Mbed TLS 3.6.2 CVEs, nothing for cJSON, lwIP, FreeRTOS, nanopb', () => {
    const scan = runCli(['soup', 'scan', EXAMPLE, '--advisories', db, '--no-save', '--format', 'json']);
    const report = JSON.parse(scan.stdout);
    const nvd = report.findings.filter((f: { ecosystem: string }) => f.ecosystem === 'NVD');
    expect(nvd.map((f: { soup: string; advisory: string }) => `${f.soup} ${f.advisory}`)).toEqual(
      MBEDTLS_362_CVES.map((id) => `SOUP-003 ${id}`),
    );
    for (const f of nvd) {
      expect(f.conditional, f.advisory).toBeNull();
      expect(f.reasons.join('\n'), f.advisory).not.toMatch(/COULD NOT COMPARE/);
    }
    // Four of the six are filed only under the trustedfirmware vendor name.
    const byVendor = (vendor: string) =>
      nvd
        .filter((f: { reasons: string[] }) => f.reasons.some((r) => r.startsWith(`cpe:2.3:a:${vendor}:`)))
        .map((f: { advisory: string }) => f.advisory);
    expect(byVendor('trustedfirmware')).toEqual([
      'CVE-2025-27809',
      'CVE-2025-27810',
      'CVE-2025-49600',
      'CVE-2025-49601',
    ]);
    expect(byVendor('arm')).toEqual(['CVE-2025-52496', 'CVE-2025-52497']);
    // The SOUP with a CPE was scanned; only the OSV ecosystems lack data in this store.
    expect(report.notScanned.map((n: { ecosystem: string }) => n.ecosystem)).toEqual(['crates.io', 'npm']);
  });

  it('the six findings are exactly the ones the example evaluates for Mbed TLS', () => {
    const scan = JSON.parse(
      runCli(['soup', 'scan', EXAMPLE, '--advisories', db, '--no-save', '--format', 'json']).stdout,
    );
    const evaluated = scan.findings
      .filter((f: { soup: string }) => f.soup === 'SOUP-003')
      .map((f: { advisory: string; evaluation: { id: string } | null; needsEvaluation: boolean }) => [
        f.advisory,
        f.evaluation?.id,
        f.needsEvaluation,
      ]);
    expect(evaluated).toEqual(MBEDTLS_362_CVES.map((id, i) => [id, `VE-00${i + 4}`, false]));
    // No evaluation of the example names a CVE that does not affect the version in use.
    expect(scan.unmatchedEvaluations).toEqual([]);
    const dir = path.join(EXAMPLE, 'records/soup/evaluations');
    const onMbed = fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .filter((text) => /^soup: SOUP-003$/m.test(text))
      .map((text) => /^advisory: (\S+)$/m.exec(text)![1]);
    expect(onMbed.sort()).toEqual(MBEDTLS_362_CVES);
  });

  it('check passes with the NVD data; without any advisory database the CPE SOUP is "not checked"', () => {
    const withData = runCli(['check', EXAMPLE, '--advisories', db, '--format', 'json']);
    expect(withData.code, withData.stdout).toBe(0);
    const codes = JSON.parse(withData.stdout).diagnostics.map(
      (d: { code: string; message: string }) => `${d.code}: ${d.message}`,
    );
    expect(codes.filter((c: string) => c.startsWith('soup/unevaluated-vulnerability'))).toEqual([]);
    const without = runCli(['check', EXAMPLE, '--format', 'json'], REPO, {
      DOSSIER_ADVISORY_DB: path.join(path.dirname(db), 'none.sqlite'),
    });
    const messages = JSON.parse(without.stdout).diagnostics.map(
      (d: { code: string; message: string }) => `${d.code}: ${d.message}`,
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^soup\/no-advisory-data: 5 SOUP items with a CPE not scanned: no NVD data \(SOUP-001, SOUP-003, SOUP-004, SOUP-009, SOUP-010\)/,
      ),
    );

    // Its hint names NVD's own data, which `advisories sync` (osv.dev) cannot fetch.
    const nvd = JSON.parse(without.stdout).diagnostics.find(
      (d: { code: string; message: string }) =>
        d.code === 'soup/no-advisory-data' && d.message.includes('no NVD data'),
    );
    expect(nvd.hint).toContain('import NVD CVE data');
    expect(nvd.hint).not.toContain('advisories sync');
  });
});
