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

// The example's trust root, pinned as CI pins it (docs/signatures.md).
process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const DATA = path.resolve(REPO, '../shared/data');
const present = fs.existsSync(path.join(DATA, 'advisories/crates.io-all.zip'));
if (!present) console.warn(`SKIPPED: ${DATA} is absent; the example SOUP scan tests need ../shared`);

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
      '--db',
      db,
      '-q',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
  }, 120_000);

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
    // C libraries without an OSV ecosystem are listed for a manual review, not dropped.
    expect(report.unmatchable.map((u: { soupId: string }) => u.soupId)).toContain('SOUP-001');
  });

  it('release check 1.1.0 passes with the shared data, the data ages in its manifest; 1.0.0 lacks current reviews', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-example-manifest-'));
    const manifest = path.join(dir, 'manifest.json');
    const r = runCli(['release', 'check', '1.1.0', EXAMPLE, '--advisories', db, '--manifest', manifest]);
    expect(r.code, r.stdout).toBe(0);
    const ages = JSON.parse(fs.readFileSync(manifest, 'utf8')).advisoryData.ecosystems;
    expect(ages.map((e: { ecosystem: string }) => e.ecosystem)).toEqual(['crates.io', 'Go', 'npm', 'PyPI']);
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
    // Same records, same bytes.
    expect(runCli(['sbom', EXAMPLE, '--advisories', db]).stdout).toBe(`${JSON.stringify(sbom, null, 2)}\n`);
  });
});
