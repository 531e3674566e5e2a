/**
 * Import of NVD CVE API 2.0 JSON into the advisory store: the streaming reader against a plain
 * JSON.parse of the same file, single-CVE files as the fkie-cad mirror stores them, incremental
 * re-import, the criteria index, broken input, and the schema 2 → 3 upgrade.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AdvisoryImportError, importAdvisories } from '../src/soup/advisories/import.js';
import { openAdvisoryStore } from '../src/soup/advisories/store.js';
import { looksLikeNvd, streamNvdFile } from '../src/soup/nvd/stream.js';
import { REPO, runCli } from './helpers.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-nvd-'));
const SAMPLE = path.resolve(REPO, '../shared/data/vulnerability-feeds/nvd/cves-sample.json');
const present = fs.existsSync(SAMPLE);
if (!present) console.warn(`SKIPPED: ${SAMPLE} is absent; the NVD sample import tests need ../shared`);

/** A small CVE in the API 2.0 shape, with one configuration per criterion given. */
function cve(id: string, lastModified: string, criteria: string[] = [], extra: Record<string, unknown> = {}) {
  return {
    id,
    sourceIdentifier: 'cve@mitre.org',
    published: '2025-01-01T00:00:00.000',
    lastModified,
    vulnStatus: 'Analyzed',
    descriptions: [{ lang: 'en', value: `${id} in a "quoted" \\ {braced} [library]` }],
    ...(criteria.length
      ? {
          configurations: [
            {
              nodes: [
                {
                  operator: 'OR',
                  negate: false,
                  cpeMatch: criteria.map((c) => ({ vulnerable: true, criteria: c, matchCriteriaId: 'X' })),
                },
              ],
            },
          ],
        }
      : {}),
    ...extra,
  };
}

const page = (cves: object[], wrapper: Record<string, unknown> = {}) => ({
  resultsPerPage: cves.length,
  startIndex: 0,
  totalResults: cves.length,
  format: 'NVD_CVE',
  version: '2.0',
  timestamp: '2026-01-01T00:00:00.000',
  ...wrapper,
  vulnerabilities: cves.map((c) => ({ cve: c })),
});

async function collect(file: string, chunkBytes: number) {
  const out: string[] = [];
  let rest = '';
  for await (const item of streamNvdFile(file, { maxElementBytes: 1e7, maxOtherBytes: 1e7, chunkBytes })) {
    if (item.kind === 'element') out.push(item.text);
    else rest = item.rest;
  }
  return { elements: out.map((t) => JSON.parse(t)), rest: JSON.parse(rest) };
}

describe('the streaming NVD reader', () => {
  it('hands out each element as JSON.parse of the whole file sees it, whatever the chunk size', async () => {
    const dir = tmp();
    const file = path.join(dir, 'page.json');
    const data = page([
      cve('CVE-2025-0001', '2025-02-01T00:00:00.000', ['cpe:2.3:a:acme:lib:*:*:*:*:*:*:*:*']),
      cve('CVE-2025-0002', '2025-02-02T00:00:00.000', [], { note: 'ümlaut ✓ \u2028 "]}' }),
    ]);
    fs.writeFileSync(file, `\ufeff${JSON.stringify(data, null, 2)}`);
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      const { elements, rest } = await collect(file, chunk);
      expect(elements, `chunk ${chunk}`).toEqual(data.vulnerabilities);
      expect(rest, `chunk ${chunk}`).toEqual({ ...data, vulnerabilities: [] });
    }
  });

  it('refuses a truncated file', async () => {
    const file = path.join(tmp(), 'cut.json');
    const text = JSON.stringify(page([cve('CVE-2025-0001', '2025-02-01T00:00:00.000')]));
    fs.writeFileSync(file, text.slice(0, text.length - 30));
    await expect(collect(file, 16)).rejects.toThrow(/truncated/);
  });

  it('tells NVD data from OSV records by their start', () => {
    expect(looksLikeNvd(JSON.stringify(page([])))).toBe('page');
    expect(looksLikeNvd(JSON.stringify(cve('CVE-2025-0001', '2025-02-01T00:00:00.000')))).toBe('cve');
    expect(looksLikeNvd('{"CVE_data_type":"CVE","CVE_Items":[]}')).toBe('nvd-1.1');
    expect(
      looksLikeNvd(JSON.stringify({ id: 'GHSA-x', modified: '2025-01-01T00:00:00Z', affected: [] })),
    ).toBeUndefined();
  });
});

describe('NVD import into the advisory store', () => {
  it('stores CVEs with their criteria, is incremental by lastModified, and dates the data', async () => {
    const dir = tmp();
    const file = path.join(dir, 'page.json');
    const a = cve('CVE-2025-0001', '2025-02-01T10:00:00.000', ['cpe:2.3:a:acme:lib:*:*:*:*:*:*:*:*']);
    const b = cve('CVE-2025-0002', '2025-03-01T10:00:00.500', ['cpe:2.3:o:acme:rtos:1.0:*:*:*:*:*:*:*']);
    const rejected = { ...cve('CVE-2025-0003', '2025-01-01T00:00:00.000'), vulnStatus: 'Rejected' };
    fs.writeFileSync(file, JSON.stringify(page([a, b, rejected])));
    const store = openAdvisoryStore(path.join(dir, 'db.sqlite'));
    const first = await importAdvisories(store, file);
    expect(first).toMatchObject({ kind: 'file', records: 3, added: 3, withdrawn: 1, invalid: [] });
    expect(first.ecosystems).toEqual([
      expect.objectContaining({ ecosystem: 'NVD', records: 3, snapshot: '2025-03-01T10:00:00.500Z' }),
    ]);
    expect(store.findCves('acme', 'lib').map((c) => c.id)).toEqual(['CVE-2025-0001']);
    expect(store.findCves('acme', 'rtos').map((c) => c.id)).toEqual(['CVE-2025-0002']);
    expect(store.findCves('other', 'lib')).toEqual([]);
    expect(store.advisoryData()).toEqual([
      {
        ecosystem: 'NVD',
        advisories: 3,
        withdrawn: 1,
        newestModified: '2025-03-01T10:00:00.5Z',
        basis: 'modified',
      },
    ]);
    // The same data again changes nothing; a newer revision of one record replaces it.
    const again = await importAdvisories(store, file);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
    const newer = cve('CVE-2025-0001', '2025-04-01T00:00:00.000', ['cpe:2.3:a:acme:other:*:*:*:*:*:*:*:*']);
    fs.writeFileSync(file, JSON.stringify(page([newer])));
    expect(await importAdvisories(store, file)).toMatchObject({ updated: 1 });
    expect(store.findCves('acme', 'lib')).toEqual([]);
    expect(store.findCves('acme', 'other').map((c) => c.id)).toEqual(['CVE-2025-0001']);
    store.close();
  });

  it('imports a folder of single-CVE files (the fkie-cad layout) and skips a broken record by name', async () => {
    const dir = tmp();
    const tree = path.join(dir, 'CVE-2025', 'CVE-2025-00xx');
    fs.mkdirSync(tree, { recursive: true });
    fs.writeFileSync(
      path.join(tree, 'CVE-2025-0001.json'),
      JSON.stringify(
        cve('CVE-2025-0001', '2025-02-01T00:00:00.000', ['cpe:2.3:a:acme:lib:1.0:*:*:*:*:*:*:*']),
        null,
        2,
      ),
    );
    fs.writeFileSync(
      path.join(tree, 'CVE-2025-0002.json'),
      JSON.stringify(cve('CVE-2025-0002', '2025-02-01T00:00:00.000', ['cpe:2.3:a:acme:lib'])),
    );
    const store = openAdvisoryStore(path.join(dir, 'db.sqlite'));
    const summary = await importAdvisories(store, path.join(dir, 'CVE-2025'));
    expect(summary).toMatchObject({ kind: 'directory', records: 1, added: 1 });
    expect(summary.invalid).toEqual([
      {
        entry: 'CVE-2025-00xx/CVE-2025-0002.json',
        id: 'CVE-2025-0002',
        reason: expect.stringMatching(/cpeMatch\[0\].*has 5 colon-separated components/),
      },
    ]);
    store.close();
  });

  it('says when a file is one page of a longer API response', async () => {
    const dir = tmp();
    const file = path.join(dir, 'page-1.json');
    fs.writeFileSync(
      file,
      JSON.stringify(page([cve('CVE-2025-0001', '2025-02-01T00:00:00.000')], { totalResults: 2500 })),
    );
    const store = openAdvisoryStore(path.join(dir, 'db.sqlite'));
    const summary = await importAdvisories(store, file);
    expect(summary.warnings).toEqual([expect.stringMatching(/holds 1 of 2500 results.*import every page/)]);
    store.close();
  });

  it('refuses a truncated file or a retired 1.1 feed and writes nothing', async () => {
    const dir = tmp();
    const cut = path.join(dir, 'cut.json');
    const text = JSON.stringify(
      page([
        cve('CVE-2025-0001', '2025-02-01T00:00:00.000'),
        cve('CVE-2025-0002', '2025-02-01T00:00:00.000'),
      ]),
    );
    fs.writeFileSync(cut, text.slice(0, text.length - 40));
    const old = path.join(dir, 'nvdcve-1.1-2021.json');
    fs.writeFileSync(old, '{"CVE_data_type":"CVE","CVE_data_format":"MITRE","CVE_Items":[]}');
    const store = openAdvisoryStore(path.join(dir, 'db.sqlite'));
    await expect(importAdvisories(store, cut)).rejects.toThrow(AdvisoryImportError);
    await expect(importAdvisories(store, cut)).rejects.toThrow(
      /cut\.json is not readable NVD CVE API 2\.0 JSON \(the file ends inside a value.*nothing was imported/,
    );
    await expect(importAdvisories(store, old)).rejects.toThrow(/NVD 1\.1 JSON feed, which NVD retired/);
    expect(store.advisoryData()).toEqual([]);
    store.close();
  });

  it('stores a CVE with deep nesting in a field it does not read, as the text read', async () => {
    const dir = tmp();
    const file = path.join(dir, 'deep.json');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const element = `{"cve":{"id":"CVE-2025-0009","sourceIdentifier":"x","vulnStatus":"Analyzed","lastModified":"2025-01-01T00:00:00.000","extra":${deep},"configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:acme:lib:*:*:*:*:*:*:*:*"}]}]}]}}`;
    fs.writeFileSync(file, `{"format":"NVD_CVE","version":"2.0","vulnerabilities":[${element}]}`);
    const store = openAdvisoryStore(path.join(dir, 'db.sqlite'));
    expect(await importAdvisories(store, file)).toMatchObject({ records: 1, invalid: [] });
    expect(store.findCves('acme', 'lib').map((c) => c.id)).toEqual(['CVE-2025-0009']);
    store.close();
    const raw = new Database(path.join(dir, 'db.sqlite'), { readonly: true });
    expect(raw.prepare('SELECT raw FROM nvd_cves').pluck().get()).toBe(element);
    raw.close();
  });

  it('status lists NVD with its age, and warns about CVEs no CPE can match (no configurations yet)', () => {
    const dir = tmp();
    const file = path.join(dir, 'page.json');
    const awaiting = { ...cve('CVE-2026-0002', '2026-01-02T00:00:00.000'), vulnStatus: 'Awaiting Analysis' };
    fs.writeFileSync(
      file,
      JSON.stringify(
        page([
          cve('CVE-2026-0001', '2026-01-01T00:00:00.000', ['cpe:2.3:a:acme:lib:*:*:*:*:*:*:*:*']),
          awaiting,
        ]),
      ),
    );
    const db = path.join(dir, 'db.sqlite');
    expect(runCli(['advisories', 'import', file, '--db', db]).code).toBe(0);
    const status = JSON.parse(runCli(['advisories', 'status', '--db', db, '--format', 'json']).stdout);
    expect(status.ecosystems).toEqual([
      expect.objectContaining({
        ecosystem: 'NVD',
        advisories: 2,
        comparator: true,
        snapshot: '2026-01-02T00:00:00Z',
      }),
    ]);
    expect(status.warnings).toContainEqual(
      expect.stringMatching(/^NVD: 1 CVE has no CPE configurations yet/),
    );
  });

  it('upgrades a schema 2 database when opened for writing; read-only it holds no NVD data', async () => {
    const dir = tmp();
    const file = path.join(dir, 'v2.sqlite');
    openAdvisoryStore(file).close();
    const raw = new Database(file);
    raw.exec('DROP TABLE nvd_criteria; DROP TABLE nvd_cves;');
    raw.pragma('user_version = 2');
    raw.close();
    const readonly = openAdvisoryStore(file, { readonly: true });
    expect(readonly.findCves('acme', 'lib')).toEqual([]);
    expect(readonly.nvdData()).toBeUndefined();
    readonly.close();
    const store = openAdvisoryStore(file);
    const page1 = path.join(dir, 'p.json');
    fs.writeFileSync(
      page1,
      JSON.stringify(
        page([cve('CVE-2025-0001', '2025-02-01T00:00:00.000', ['cpe:2.3:a:acme:lib:*:*:*:*:*:*:*:*'])]),
      ),
    );
    await importAdvisories(store, page1);
    expect(store.findCves('acme', 'lib').map((c) => c.id)).toEqual(['CVE-2025-0001']);
    store.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(5);
    check.close();
  });
});

describe.skipIf(!present)('the real NVD sample (../shared/data/vulnerability-feeds/nvd)', () => {
  it('imports all 17 records, dated by the newest lastModified (CVE-2025-52497)', () => {
    const db = path.join(tmp(), 'db.sqlite');
    const r = runCli(['advisories', 'import', SAMPLE, '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.imports[0]).toMatchObject({ records: 17, added: 17, withdrawn: 0, invalid: [] });
    expect(out.imports[0].ecosystems).toEqual([
      expect.objectContaining({ ecosystem: 'NVD', records: 17, snapshot: '2026-06-17T09:36:36.253Z' }),
    ]);
    const store = openAdvisoryStore(db, { readonly: true });
    // The README's vendor traps: both Mbed TLS vendors and both cJSON vendors are indexed.
    expect(store.findCves('trustedfirmware', 'mbed_tls').map((c) => c.id)).toEqual([
      'CVE-2024-23170',
      'CVE-2024-45157',
      'CVE-2025-27809',
      'CVE-2025-27810',
      'CVE-2025-49600',
      'CVE-2025-49601',
    ]);
    expect(store.findCves('arm', 'mbed_tls').map((c) => c.id)).toEqual([
      'CVE-2024-23170',
      'CVE-2025-27809',
      'CVE-2025-27810',
      'CVE-2025-52496',
      'CVE-2025-52497',
    ]);
    expect(store.findCves('davegamble', 'cjson').map((c) => c.id)).toEqual([
      'CVE-2023-50471',
      'CVE-2023-50472',
    ]);
    expect(store.findCves('cjson_project', 'cjson').map((c) => c.id)).toEqual(['CVE-2024-31755']);
    // Each stored CVE is the record as published.
    const sample = JSON.parse(fs.readFileSync(SAMPLE, 'utf8'));
    const zlib = sample.vulnerabilities.find(
      (v: { cve: { id: string } }) => v.cve.id === 'CVE-2022-37434',
    ).cve;
    // The configurations come back from the criteria index as the record has them (but for the
    // NVD's own criterion ids, which matching does not use).
    const strip = (configurations: { nodes: { cpeMatch: { matchCriteriaId?: string }[] }[] }[]) =>
      configurations.map((c) => ({
        ...c,
        nodes: c.nodes.map((n) => ({ ...n, cpeMatch: n.cpeMatch.map(({ matchCriteriaId: _, ...m }) => m) })),
      }));
    const stored = store.findCves('zlib', 'zlib')[0]!;
    expect(stored.cve.configurations).toEqual(strip(zlib.configurations));
    expect(stored).toMatchObject({
      id: 'CVE-2022-37434',
      published: zlib.published.endsWith('Z') ? zlib.published : `${zlib.published}Z`,
      summary: expect.stringMatching(/^zlib through 1\.2\.12 has a heap-based buffer over-read/),
      severity: [expect.stringMatching(/^CVSS:3\.1\//)],
    });
    store.close();
  });
});
