import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdvisoryImportError, importAdvisories } from '../src/soup/advisories/import.js';
import { validateOsvRecord } from '../src/soup/advisories/osv-schema.js';
import {
  type AdvisoryStore,
  AdvisoryStoreError,
  defaultAdvisoryDbPath,
  openAdvisoryStore,
} from '../src/soup/advisories/store.js';
import { type SyncProgress, syncAdvisories } from '../src/soup/advisories/sync.js';
import { matchVersion } from '../src/soup/osv/match.js';
import { listZipEntries } from '../src/soup/osv/read-zip.js';
import { comparatorFor } from '../src/soup/versions/index.js';
import { REPO, runCli } from './helpers.js';
import { dataOffset, writeZip } from './zip-writer.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-advisories-'));
const TREE = path.join(REPO, 'test/fixtures/advisories/tree');

interface RecordSpec {
  modified?: string;
  ecosystem?: string;
  name?: string;
  withdrawn?: string;
  aliases?: string[];
  upstream?: string[];
  related?: string[];
  summary?: string;
  fixed?: string;
}

/** A small valid OSV record. */
function osv(id: string, spec: RecordSpec = {}): Record<string, unknown> {
  return {
    schema_version: '1.7.0',
    id,
    modified: spec.modified ?? '2024-01-01T00:00:00Z',
    ...(spec.withdrawn ? { withdrawn: spec.withdrawn } : {}),
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    ...(spec.upstream ? { upstream: spec.upstream } : {}),
    ...(spec.related ? { related: spec.related } : {}),
    summary: spec.summary ?? `summary of ${id}`,
    affected: [
      {
        package: { ecosystem: spec.ecosystem ?? 'PyPI', name: spec.name ?? 'demo-pkg' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: spec.fixed ?? '2.0' }] }],
      },
    ],
    x_custom: { kept: true },
  };
}

function zipFile(dir: string, name: string, records: readonly unknown[], raw: Record<string, string> = {}) {
  const files = [
    ...records.map((r) => ({ name: `${(r as { id: string }).id}.json`, data: JSON.stringify(r, null, 2) })),
    ...Object.entries(raw).map(([n, data]) => ({ name: n, data })),
  ];
  const file = path.join(dir, name);
  fs.writeFileSync(file, writeZip(files));
  return file;
}

const count = (store: AdvisoryStore) => store.status().total.advisories;
const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);

let dir: string;
let store: AdvisoryStore | undefined;
const open = (file = path.join(dir, 'db', 'advisories.sqlite')) => {
  store = openAdvisoryStore(file);
  return store;
};

beforeAll(() => {
  // zlib.crc32 came with Node 20.15; the zip writer and the CRC check depend on it.
  expect(typeof zlib.crc32).toBe('function');
});

afterEach(() => {
  store?.close();
  store = undefined;
});

describe('import', () => {
  it('imports a zip: records findable by package, raw record kept whole', async () => {
    dir = tmp();
    const s = open();
    const zip = zipFile(dir, 'PyPI-all.zip', [
      osv('PYSEC-1', { name: 'Demo_Pkg' }),
      osv('PYSEC-2', { name: 'other', modified: '2024-03-01T00:00:00.123456Z' }),
    ]);
    const summary = await importAdvisories(s, zip, { now: new Date('2024-05-01T00:00:00Z') });
    expect(summary).toMatchObject({
      kind: 'zip',
      records: 2,
      added: 2,
      updated: 0,
      unchanged: 0,
      withdrawn: 0,
      invalid: [],
      snapshot: '2024-03-01T00:00:00.123456Z',
      snapshotBasis: 'modified',
      importedAt: '2024-05-01T00:00:00.000Z',
    });
    expect(summary.ecosystems).toEqual([
      expect.objectContaining({ ecosystem: 'PyPI', records: 2, comparator: true }),
    ]);
    // PEP 503: Demo_Pkg, demo.pkg and DEMO-PKG are one project.
    expect(ids(s.findAffecting('PyPI', 'demo.pkg'))).toEqual(['PYSEC-1']);
    expect(ids(s.findAffecting('PyPI', 'DEMO-PKG'))).toEqual(['PYSEC-1']);
    expect(s.findAffecting('PyPI', 'nothing')).toEqual([]);
    expect(s.findAffecting('npm', 'demo-pkg')).toEqual([]);
    expect(s.get('PYSEC-1')[0]).toEqual(osv('PYSEC-1', { name: 'Demo_Pkg' }));
  });

  it('imports a folder of JSON and YAML recursively, skipping hidden folders and other files', async () => {
    dir = tmp();
    const s = open();
    const summary = await importAdvisories(s, TREE);
    expect(summary.kind).toBe('directory');
    expect(summary.invalid).toEqual([]);
    expect(summary.records).toBe(3);
    expect(summary.ecosystems.map((e) => e.ecosystem)).toEqual(['PyPI', 'crates.io', 'npm']);
    const [pysec] = s.findAffecting('PyPI', 'Example_Pkg');
    expect(pysec?.id).toBe('PYSEC-2099-1');
    // Timestamps stay strings; an unquoted 1.10 keeps its text instead of becoming the number 1.1.
    expect(pysec?.modified).toBe('2099-01-02T03:04:05.123456Z');
    expect(pysec?.affected?.[0]?.versions).toEqual(['1.0', '1.10', '1.10.1']);
    const [rust] = s.findAffecting('crates.io', 'tiny-arena');
    expect(rust?.modified).toBe('2099-03-01T00:00:00Z');
    expect(rust?.affected?.[0]?.database_specific).toEqual({ informational: null, score: 7.5 });
    expect(ids(s.findAffecting('npm', 'left-padder'))).toEqual(['GHSA-0000-1111-2222']);
    expect(s.get('IGNORED-1')).toEqual([]);
    // The records match versions with the existing matcher.
    const pypi = comparatorFor('PyPI')!;
    const isPkg = () => true;
    expect(matchVersion(pysec!, isPkg, '1.10.1', pypi).affected).toBe(true);
    expect(matchVersion(pysec!, isPkg, '1.10.2', pypi).affected).toBe(false);
  });

  it('imports a single OSV file', async () => {
    dir = tmp();
    const s = open();
    const summary = await importAdvisories(s, path.join(TREE, 'ghsa/GHSA-0000-1111-2222.json'));
    expect(summary).toMatchObject({ kind: 'file', added: 1 });
  });

  it('is incremental by modified: older or equal is left alone, newer replaces', async () => {
    dir = tmp();
    const s = open();
    const first = zipFile(dir, 'a.zip', [osv('PYSEC-1', { modified: '2024-01-01T00:00:00.000001Z' })]);
    await importAdvisories(s, first);

    const older = zipFile(dir, 'b.zip', [
      osv('PYSEC-1', { modified: '2023-06-01T00:00:00Z', summary: 'older text' }),
    ]);
    expect(await importAdvisories(s, older)).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    expect(s.get('PYSEC-1')[0]?.summary).toBe('summary of PYSEC-1');

    const same = zipFile(dir, 'c.zip', [
      osv('PYSEC-1', { modified: '2024-01-01T00:00:00.000001Z', summary: 'same date' }),
    ]);
    expect(await importAdvisories(s, same)).toMatchObject({ unchanged: 1 });

    // One microsecond later is newer (Date.parse would see the same millisecond).
    const newer = zipFile(dir, 'd.zip', [
      osv('PYSEC-1', { modified: '2024-01-01T00:00:00.000002Z', summary: 'newer text', name: 'renamed' }),
    ]);
    expect(await importAdvisories(s, newer)).toMatchObject({ updated: 1, unchanged: 0 });
    expect(s.get('PYSEC-1')[0]?.summary).toBe('newer text');
    // The package index follows the new record.
    expect(s.findAffecting('PyPI', 'demo-pkg')).toEqual([]);
    expect(ids(s.findAffecting('PyPI', 'renamed'))).toEqual(['PYSEC-1']);
    expect(count(s)).toBe(1);
  });

  it("compares content when `modified` is Go's zero-time placeholder (golang/vulndb files)", async () => {
    dir = tmp();
    const s = open();
    const zero = '0001-01-01T00:00:00Z';
    await importAdvisories(s, zipFile(dir, 'a.zip', [osv('GO-1', { ecosystem: 'Go', modified: zero })]));
    const again = await importAdvisories(
      s,
      zipFile(dir, 'b.zip', [osv('GO-1', { ecosystem: 'Go', modified: zero })]),
    );
    expect(again).toMatchObject({ unchanged: 1, snapshotBasis: 'archive-dates' });
    const changed = await importAdvisories(
      s,
      zipFile(dir, 'c.zip', [osv('GO-1', { ecosystem: 'Go', modified: zero, fixed: '2.1' })]),
    );
    expect(changed).toMatchObject({ updated: 1 });
  });

  it('stores withdrawn advisories for the record but never returns them from findAffecting', async () => {
    dir = tmp();
    const s = open();
    const summary = await importAdvisories(
      s,
      zipFile(dir, 'a.zip', [osv('PYSEC-1'), osv('PYSEC-2', { withdrawn: '2024-02-01T00:00:00Z' })]),
    );
    expect(summary.withdrawn).toBe(1);
    expect(ids(s.findAffecting('PyPI', 'demo-pkg'))).toEqual(['PYSEC-1']);
    expect(ids(s.withdrawnFor('PyPI', 'demo-pkg'))).toEqual(['PYSEC-2']);
    expect(ids(s.listWithdrawn())).toEqual(['PYSEC-2']);
    expect(ids(s.get('PYSEC-2'))).toEqual(['PYSEC-2']);
    expect(s.status().ecosystems[0]).toMatchObject({ ecosystem: 'PyPI', advisories: 2, withdrawn: 1 });
  });

  it('takes the alias closure: symmetric and transitive, never through upstream or related', async () => {
    dir = tmp();
    const s = open();
    await importAdvisories(
      s,
      zipFile(dir, 'a.zip', [
        osv('A-1', { aliases: ['B-1'] }),
        osv('B-1', { aliases: ['C-1'] }),
        osv('D-1', { aliases: ['CVE-2024-0001'] }),
        osv('E-1', { aliases: ['CVE-2024-0001'] }),
        osv('U-1', { upstream: ['A-1'], related: ['B-1'] }),
        osv('R-1', { related: ['C-1'], aliases: [] }),
      ]),
    );
    expect(s.aliasClosure('A-1')).toEqual(['A-1', 'B-1', 'C-1']);
    expect(s.aliasClosure('C-1')).toEqual(['A-1', 'B-1', 'C-1']);
    // Two advisories that alias the same CVE are the same vulnerability.
    expect(s.aliasClosure('D-1')).toEqual(['CVE-2024-0001', 'D-1', 'E-1']);
    expect(s.aliasClosure('U-1')).toEqual(['U-1']);
    expect(s.aliasClosure('R-1')).toEqual(['R-1']);
    expect(s.aliasClosure('UNKNOWN-1')).toEqual(['UNKNOWN-1']);
    // get by alias: the advisories that list it.
    expect(ids(s.get('CVE-2024-0001'))).toEqual(['D-1', 'E-1']);
    expect(ids(s.get('C-1'))).toEqual(['B-1']); // C-1 is only an alias, which B-1 lists
    expect(ids(s.get('B-1'))).toEqual(['B-1', 'A-1']);
  });

  it('leaves the database unchanged when the zip is truncated, with a clear error', async () => {
    dir = tmp();
    const s = open();
    await importAdvisories(s, zipFile(dir, 'good.zip', [osv('PYSEC-1')]));
    const bytes = writeZip(
      [osv('PYSEC-2'), osv('PYSEC-3'), osv('PYSEC-4')].map((r) => ({
        name: `${r.id}.json`,
        data: JSON.stringify(r),
      })),
    );
    const truncated = path.join(dir, 'truncated.zip');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const before = count(s);
    const error = await importAdvisories(s, truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryImportError);
    expect((error as Error).message).toContain('truncated.zip');
    expect((error as Error).message).toMatch(/damaged or truncated.*nothing was imported/);
    expect((error as Error).message).not.toContain('\n');
    expect(count(s)).toBe(before);
  });

  it('rolls back everything when an entry is damaged after others were read (CRC-32)', async () => {
    dir = tmp();
    const s = open();
    const records = [osv('PYSEC-2'), osv('PYSEC-3'), osv('PYSEC-4')];
    const bytes = writeZip(records.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })));
    const at = dataOffset(bytes, 'PYSEC-4.json') + 10;
    bytes[at] = bytes[at]! ^ 0xff;
    const damaged = path.join(dir, 'damaged.zip');
    fs.writeFileSync(damaged, bytes);
    await expect(importAdvisories(s, damaged)).rejects.toThrow(/damaged\.zip.*CRC-32 mismatch/);
    expect(count(s)).toBe(0);
    expect(s.status().ecosystems).toEqual([]);
  });

  it('rejects what is not a zip, a folder or an OSV file, and a missing source', async () => {
    dir = tmp();
    const s = open();
    const text = path.join(dir, 'all.zip');
    fs.writeFileSync(text, '<html>Service unavailable</html>');
    await expect(importAdvisories(s, text)).rejects.toThrow(/all\.zip: not a zip archive/);
    await expect(importAdvisories(s, path.join(dir, 'missing.zip'))).rejects.toThrow(
      /missing\.zip: no such file or folder/,
    );
  });

  it('skips records that break the OSV schema, says which and why, and imports the rest', async () => {
    dir = tmp();
    const s = open();
    const noModified = { ...osv('BAD-1') };
    delete noModified.modified;
    const twoKeys = osv('BAD-2');
    (twoKeys.affected as { ranges: { events: unknown[] }[] }[])[0]!.ranges[0]!.events = [
      { introduced: '0', fixed: '1.0' },
    ];
    const zip = zipFile(
      dir,
      'mixed.zip',
      [
        osv('GOOD-1'),
        noModified,
        twoKeys,
        { ...osv('BAD-3'), aliases: 'CVE-1' },
        osv('BAD-4', { ecosystem: 'FooBar' }),
        { ...osv('BAD-5'), modified: 'yesterday' },
        osv('GOOD-2', { ecosystem: 'Hex', name: 'plug' }),
      ],
      { 'broken.json': '{"id": "BAD-6", ', 'README.txt': 'ignored' },
    );
    const summary = await importAdvisories(s, zip);
    expect(summary.records).toBe(2);
    expect(ids(s.findAffecting('PyPI', 'demo-pkg'))).toEqual(['GOOD-1']);
    const why = Object.fromEntries(summary.invalid.map((i) => [i.entry, i.reason]));
    expect(Object.keys(why).sort()).toEqual([
      'BAD-1.json',
      'BAD-2.json',
      'BAD-3.json',
      'BAD-4.json',
      'BAD-5.json',
      'broken.json',
    ]);
    expect(why['BAD-1.json']).toBe('modified: required string is missing');
    expect(why['BAD-2.json']).toMatch(
      /^affected\[0\]\.ranges\[0\]\.events\[0\]: .*exactly one of.*introduced and fixed/,
    );
    expect(why['BAD-3.json']).toBe('aliases: expected array, got string');
    expect(why['BAD-4.json']).toMatch(/affected\[0\]\.package\.ecosystem: unknown ecosystem "FooBar"/);
    expect(why['BAD-5.json']).toMatch(/^modified: not an RFC 3339 date-time/);
    expect(why['broken.json']).toMatch(/^not valid JSON/);
    expect(summary.invalid.find((i) => i.entry === 'BAD-2.json')?.id).toBe('BAD-2');

    // A real OSV ecosystem without a comparator is stored but flagged.
    expect(summary.ecosystems.find((e) => e.ecosystem === 'Hex')).toMatchObject({
      comparator: false,
      records: 1,
    });
    expect(s.status().ecosystems.find((e) => e.ecosystem === 'Hex')).toMatchObject({
      comparator: false,
      advisories: 1,
      lastImport: { invalid: 6 },
    });
    expect(ids(s.findAffecting('Hex', 'plug'))).toEqual(['GOOD-2']);
  });

  it('accepts nulls where the OSV schema allows them and unknown fields anywhere', () => {
    const record = { ...osv('X-1'), aliases: null, severity: null, x_new_field: [1, 2], affected: null };
    expect(validateOsvRecord(record)).toEqual({ ok: true, record });
    expect(validateOsvRecord([])).toMatchObject({ ok: false });
  });

  it('keeps ecosystem suffixes: Debian matches every release, Debian:12 only its own', async () => {
    dir = tmp();
    const s = open();
    await importAdvisories(
      s,
      zipFile(dir, 'a.zip', [
        osv('DSA-1', { ecosystem: 'Debian:12', name: 'openssl' }),
        osv('DSA-2', { ecosystem: 'Debian:11', name: 'openssl' }),
      ]),
    );
    expect(ids(s.findAffecting('Debian', 'openssl'))).toEqual(['DSA-1', 'DSA-2']);
    expect(ids(s.findAffecting('Debian:12', 'openssl'))).toEqual(['DSA-1']);
    expect(s.status().ecosystems.map((e) => e.ecosystem)).toEqual(['Debian']);
  });
});

describe('store file', () => {
  it('defaults to <project>/.dossier/advisories.sqlite and creates the folders', () => {
    dir = tmp();
    const file = defaultAdvisoryDbPath(path.join(dir, 'project'));
    expect(file).toBe(path.join(dir, 'project', '.dossier', 'advisories.sqlite'));
    open(file).close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('refuses a database written by a newer Dossier, a foreign file, and a missing one read-only', async () => {
    dir = tmp();
    const file = path.join(dir, 'a.sqlite');
    const s = openAdvisoryStore(file);
    s.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openAdvisoryStore(file)).toThrow(/newer Dossier \(advisory database schema 99/);

    const junk = path.join(dir, 'junk.sqlite');
    fs.writeFileSync(junk, 'this is not SQLite at all, just text that is long enough to have a header....');
    expect(() => openAdvisoryStore(junk)).toThrow(AdvisoryStoreError);
    expect(() => openAdvisoryStore(path.join(dir, 'none.sqlite'), { readonly: true })).toThrow(
      /no advisory database at .*none\.sqlite.*advisories sync/,
    );
  });

  it('uses WAL journaling', async () => {
    dir = tmp();
    const file = path.join(dir, 'a.sqlite');
    openAdvisoryStore(file).close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });
});

// ---------------------------------------------------------------------------------------------- real data

const ADVISORIES = path.resolve(REPO, '../shared/data/advisories');
const present = fs.existsSync(ADVISORIES);
if (!present)
  console.warn(
    `[skip] ${ADVISORIES} is absent (a fresh clone has no ../shared): real advisory-store tests skipped`,
  );

describe.skipIf(!present)('advisory store on the real osv.dev archives (../shared/data/advisories)', () => {
  it('imports PyPI, Go and crates.io: one advisory per zip entry, findable by package', async () => {
    dir = tmp();
    const s = open();
    const expected: Record<string, number> = {};
    for (const ecosystem of ['PyPI', 'Go', 'crates.io']) {
      const zip = path.join(ADVISORIES, `${ecosystem}-all.zip`);
      expected[ecosystem] = (await listZipEntries(zip)).filter((n) => n.endsWith('.json')).length;
      const summary = await importAdvisories(s, zip);
      expect(summary.invalid).toEqual([]);
      expect(summary.records).toBe(expected[ecosystem]);
    }
    const status = s.status();
    expect(Object.fromEntries(status.ecosystems.map((e) => [e.ecosystem, e.advisories]))).toEqual(expected);
    expect(status.total.advisories).toBe(2661 + 4291 + 1206);
    expect(status.ecosystems.every((e) => e.comparator && e.snapshot !== null)).toBe(true);
    // golang/vulndb's files carry the zero time in `modified`: the archive dates stand in.
    expect(status.ecosystems.find((e) => e.ecosystem === 'Go')?.snapshotBasis).toBe('archive-dates');

    expect(ids(s.findAffecting('PyPI', 'Jinja2'))).toContain('PYSEC-2014-8');
    expect(ids(s.findAffecting('crates.io', 'openssl'))).toContain('RUSTSEC-2016-0001');
    expect(ids(s.findAffecting('Go', 'github.com/coder/coder/v2'))).toContain('GO-2024-3228');
    expect(ids(s.get('CVE-2016-10931'))).toEqual(['RUSTSEC-2016-0001']);
    // GO-2022-0617 (k8s.io/kubernetes) is withdrawn.
    expect(ids(s.findAffecting('Go', 'k8s.io/kubernetes'))).not.toContain('GO-2022-0617');
    expect(ids(s.withdrawnFor('Go', 'k8s.io/kubernetes'))).toContain('GO-2022-0617');
    expect(status.total.withdrawn).toBe(10 + 17 + 13);
    // wasmtime: RUSTSEC-2021-0110 aliases the CVEs that three PYSEC records alias one each.
    expect(s.aliasClosure('PYSEC-2021-321')).toEqual(
      expect.arrayContaining(['PYSEC-2021-320', 'PYSEC-2021-321', 'PYSEC-2021-322', 'RUSTSEC-2021-0110']),
    );

    // Re-importing the same archive changes nothing.
    const again = await importAdvisories(s, path.join(ADVISORIES, 'crates.io-all.zip'));
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 1206 });
  }, 300_000);
});

// ---------------------------------------------------------------------------------------------- sync

interface Served {
  readonly baseUrl: string;
  readonly requests: { url: string; range?: string }[];
  close(): Promise<void>;
}

type Behaviour = 'normal' | 'cut-first' | 'cut-first-then-ignore-range' | 'corrupt';

/** Serves `/<ecosystem>/all.zip` like GCS: Content-Length, x-goog-hash md5, Range → 206. */
function serve(archives: Record<string, Buffer>, behaviour: Behaviour = 'normal'): Promise<Served> {
  const requests: { url: string; range?: string }[] = [];
  const server = http.createServer((req, res) => {
    const range = req.headers.range;
    requests.push({ url: req.url ?? '', ...(range ? { range } : {}) });
    const ecosystem = decodeURIComponent((req.url ?? '').split('/')[1] ?? '');
    const body = archives[ecosystem];
    if (!body || !req.url?.endsWith('/all.zip')) {
      res.writeHead(404).end('no such object');
      return;
    }
    const md5 = createHash('md5').update(body).digest('base64');
    const headers = { 'x-goog-hash': `crc32c=AAAAAA==, md5=${md5}`, 'content-type': 'application/zip' };
    const first = requests.filter((r) => r.url === req.url).length === 1;
    if ((behaviour === 'cut-first' || behaviour === 'cut-first-then-ignore-range') && first) {
      res.writeHead(200, { ...headers, 'content-length': body.length });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    const start = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? 0) : 0;
    if (start > 0 && behaviour !== 'cut-first-then-ignore-range') {
      res.writeHead(206, {
        ...headers,
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      res.end(body.subarray(start));
      return;
    }
    const sent = Buffer.from(body);
    if (behaviour === 'corrupt') sent[sent.length >> 1] = sent[sent.length >> 1]! ^ 0x55;
    res.writeHead(200, { ...headers, 'content-length': sent.length });
    res.end(sent);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }),
  );
}

/** An archive big enough to arrive in several chunks. */
function bigArchive(prefix: string, ecosystem: string, n: number): Buffer {
  const records = Array.from({ length: n }, (_, i) =>
    osv(`${prefix}-${i}`, { ecosystem, name: `pkg-${i % 40}`, summary: 'x'.repeat(400 + (i % 7)) }),
  );
  return writeZip(records.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r, null, 2) })));
}

describe('sync', () => {
  let served: Served | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  it('downloads, verifies the MD5, renames into place and imports; URL-encodes the ecosystem', async () => {
    dir = tmp();
    const s = open();
    served = await serve({
      'crates.io': bigArchive('RUSTSEC', 'crates.io', 300),
      PyPI: bigArchive('PYSEC', 'PyPI', 5),
    });
    const progress: SyncProgress[] = [];
    const cacheDir = path.join(dir, 'cache');
    const result = await syncAdvisories(s, {
      baseUrl: `${served.baseUrl}/`,
      ecosystems: ['crates.io', 'PyPI'],
      cacheDir,
      onProgress: (p) => progress.push(p),
      retryDelayMs: 0,
    });
    expect(result.ok).toBe(true);
    expect(result.results.map((r) => [r.ecosystem, r.ok, r.md5Verified, r.resumed])).toEqual([
      ['crates.io', true, true, false],
      ['PyPI', true, true, false],
    ]);
    expect(served.requests.map((r) => r.url)).toEqual(['/crates.io/all.zip', '/PyPI/all.zip']);
    expect(result.results[0]?.import).toMatchObject({
      added: 300,
      source: `${served.baseUrl}/crates.io/all.zip`,
    });
    expect(fs.readdirSync(cacheDir).sort()).toEqual(['PyPI-all.zip', 'crates.io-all.zip']);
    expect(s.status().ecosystems.find((e) => e.ecosystem === 'crates.io')).toMatchObject({
      advisories: 300,
      source: `${served.baseUrl}/crates.io/all.zip`,
    });

    const downloads = progress.filter((p) => p.phase === 'download' && p.ecosystem === 'crates.io');
    expect(downloads.length).toBeGreaterThan(1);
    const last = downloads[downloads.length - 1] as Extract<SyncProgress, { phase: 'download' }>;
    expect(last.received).toBe(last.total);
    expect(progress.some((p) => p.phase === 'verify')).toBe(true);
    expect(progress.some((p) => p.phase === 'import' && p.done)).toBe(true);
  });

  it('resumes an interrupted download with Range', async () => {
    dir = tmp();
    const s = open();
    const archive = bigArchive('PYSEC', 'PyPI', 400);
    served = await serve({ PyPI: archive }, 'cut-first');
    const progress: SyncProgress[] = [];
    const result = await syncAdvisories(s, {
      baseUrl: served.baseUrl,
      ecosystems: ['PyPI'],
      cacheDir: path.join(dir, 'cache'),
      onProgress: (p) => progress.push(p),
      retryDelayMs: 0,
    });
    expect(result.results[0]).toMatchObject({
      ok: true,
      resumed: true,
      md5Verified: true,
      bytes: archive.length,
    });
    expect(served.requests).toHaveLength(2);
    expect(served.requests[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(served.requests[1]!.range!)![0])).toBeGreaterThan(0);
    expect(progress.some((p) => p.phase === 'retry')).toBe(true);
    expect(count(s)).toBe(400);
    expect(fs.readFileSync(path.join(dir, 'cache', 'PyPI-all.zip')).equals(archive)).toBe(true);
  });

  it('resumes in a later run when the first one gave up', async () => {
    dir = tmp();
    const s = open();
    const archive = bigArchive('PYSEC', 'PyPI', 400);
    served = await serve({ PyPI: archive }, 'cut-first');
    const options = { baseUrl: served.baseUrl, ecosystems: ['PyPI'], cacheDir: path.join(dir, 'cache') };
    const first = await syncAdvisories(s, { ...options, retries: 0 });
    expect(first.ok).toBe(false);
    expect(first.results[0]?.error).toMatch(/broke off|ended early/);
    expect(count(s)).toBe(0);
    expect(fs.existsSync(path.join(dir, 'cache', 'PyPI-all.zip.part'))).toBe(true);
    const second = await syncAdvisories(s, { ...options, retries: 0 });
    expect(second.results[0]).toMatchObject({ ok: true, resumed: true });
    expect(served.requests[1]?.range).toBeDefined();
    expect(count(s)).toBe(400);
  });

  it('starts over when the server ignores Range (200 instead of 206)', async () => {
    dir = tmp();
    const s = open();
    const archive = bigArchive('PYSEC', 'PyPI', 400);
    served = await serve({ PyPI: archive }, 'cut-first-then-ignore-range');
    const result = await syncAdvisories(s, {
      baseUrl: served.baseUrl,
      ecosystems: ['PyPI'],
      cacheDir: path.join(dir, 'cache'),
      retryDelayMs: 0,
    });
    expect(served.requests[1]?.range).toBeDefined();
    expect(result.results[0]).toMatchObject({ ok: true, resumed: false, bytes: archive.length });
    expect(fs.readFileSync(path.join(dir, 'cache', 'PyPI-all.zip')).equals(archive)).toBe(true);
    expect(count(s)).toBe(400);
  });

  it('rejects a corrupted body (MD5 mismatch) without importing anything', async () => {
    dir = tmp();
    const s = open();
    served = await serve({ PyPI: bigArchive('PYSEC', 'PyPI', 50) }, 'corrupt');
    const cacheDir = path.join(dir, 'cache');
    const result = await syncAdvisories(s, {
      baseUrl: served.baseUrl,
      ecosystems: ['PyPI'],
      cacheDir,
      retryDelayMs: 0,
    });
    expect(result.ok).toBe(false);
    expect(result.results[0]?.error).toMatch(/corrupt \(MD5 .*nothing was imported/);
    expect(count(s)).toBe(0);
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  it('carries on after a failed ecosystem and reports it', async () => {
    dir = tmp();
    const s = open();
    served = await serve({ PyPI: bigArchive('PYSEC', 'PyPI', 3) });
    const result = await syncAdvisories(s, {
      baseUrl: served.baseUrl,
      ecosystems: ['Hex', 'PyPI'],
      cacheDir: path.join(dir, 'cache'),
      retryDelayMs: 0,
    });
    expect(result.ok).toBe(false);
    expect(result.results[0]).toMatchObject({ ecosystem: 'Hex', ok: false });
    expect(result.results[0]?.error).toMatch(/HTTP 404.*"Hex"/);
    expect(result.results[1]).toMatchObject({ ecosystem: 'PyPI', ok: true });
    expect(count(s)).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------- CLI

describe('dossier advisories (CLI)', () => {
  it('status --format json: per-ecosystem counts, snapshot, age and staleness warnings', async () => {
    dir = tmp();
    const db = path.join(dir, 'db.sqlite');
    const s = open(db);
    await importAdvisories(
      s,
      zipFile(dir, 'a.zip', [osv('PYSEC-1'), osv('PYSEC-2', { withdrawn: '2024-02-01T00:00:00Z' })]),
    );
    s.close();
    const r = runCli(['advisories', 'status', '--db', db, '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      schemaVersion: 1,
      db,
      dbSchemaVersion: 5,
      maxAgeDays: 30,
      total: { advisories: 2, withdrawn: 1, withoutPackage: 0 },
    });
    expect(out.ecosystems).toEqual([
      expect.objectContaining({
        ecosystem: 'PyPI',
        advisories: 2,
        withdrawn: 1,
        comparator: true,
        snapshot: '2024-01-01T00:00:00Z',
        snapshotBasis: 'modified',
        stale: true,
        source: path.join(dir, 'a.zip'),
      }),
    ]);
    expect(out.ecosystems[0].ageDays).toBeGreaterThan(300);
    expect(out.warnings).toEqual([
      expect.stringMatching(/^PyPI: the advisory snapshot is .* days old \(more than 30\)/),
    ]);
    expect(r.stderr).toMatch(/^warning: PyPI: the advisory snapshot is/);

    const strict = runCli(['advisories', 'status', '--db', db, '--strict', '--max-age-days', '100000']);
    expect(strict.code).toBe(0);
    expect(strict.stdout).toMatch(/PyPI\s+2\s+1\s+2024-01-01/);
    expect(runCli(['advisories', 'status', '--db', db, '--strict']).code).toBe(1);
  });

  it('status without a database: one line, exit 2', () => {
    dir = tmp();
    const r = runCli(['advisories', 'status'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no advisory database at .*advisories\.sqlite: run "dossier advisories sync"/);
  });

  it('import: a missing file is one clear line and exit 2; a real import goes to .dossier by default', () => {
    dir = tmp();
    const missing = runCli(['advisories', 'import', 'no-such-all.zip'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'dossier: cannot import no-such-all.zip: no such file or folder (give an osv.dev all.zip, a folder of OSV .json/.yaml files, or NVD CVE API 2.0 JSON)\n',
    );
    expect(missing.stdout).toBe('');

    zipFile(dir, 'PyPI-all.zip', [osv('PYSEC-1'), osv('PYSEC-2')]);
    const ok = runCli(['advisories', 'import', 'PyPI-all.zip', '--format', 'json'], dir);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).imports[0]).toMatchObject({ added: 2, kind: 'zip' });
    expect(fs.existsSync(path.join(dir, '.dossier', 'advisories.sqlite'))).toBe(true);
  });

  it('import: skipped records give exit 1 and are named on stderr; a damaged zip gives exit 2', () => {
    dir = tmp();
    zipFile(dir, 'mixed.zip', [osv('GOOD-1'), osv('BAD-1', { ecosystem: 'FooBar' })]);
    const r = runCli(['advisories', 'import', 'mixed.zip', '--db', 'x.sqlite'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/mixed\.zip: 1 record \(1 added.*1 record skipped/);
    expect(r.stderr).toMatch(
      /warning: mixed\.zip: skipped BAD-1\.json \(BAD-1\): .*unknown ecosystem "FooBar"/,
    );

    fs.writeFileSync(
      path.join(dir, 'cut.zip'),
      fs.readFileSync(path.join(dir, 'mixed.zip')).subarray(0, 100),
    );
    const cut = runCli(['advisories', 'import', 'cut.zip', '--db', 'x.sqlite'], dir);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/^dossier: cannot import cut\.zip: the zip archive is damaged or truncated/);
    expect(cut.stderr).not.toMatch(/\n\s+at /);
  });

  it('sync: an unknown ecosystem name is a usage error with a suggestion', () => {
    dir = tmp();
    const r = runCli(['advisories', 'sync', '--ecosystem', 'pypi', '--db', 'x.sqlite'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"pypi" is not an OSV ecosystem \(did you mean "PyPI"\?\)/);
  });

  it('sync: downloads from --base-url, progress on stderr only, exit 1 when an ecosystem fails', async () => {
    dir = tmp();
    const served = await serve({ PyPI: bigArchive('PYSEC', 'PyPI', 20) });
    try {
      // runCli blocks (spawnSync) and the server runs in this process, so spawn asynchronously.
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            path.join(REPO, 'dist/cli/main.js'),
            'advisories',
            'sync',
            '-e',
            'PyPI',
            '-e',
            'Hex',
            '--base-url',
            served.baseUrl,
            '--db',
            'x.sqlite',
          ],
          { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => {
          stdout += c;
        });
        child.stderr.on('data', (c) => {
          stderr += c;
        });
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^PyPI: .* MD5 verified; 20 records \(20 added/m);
      expect(r.stdout).toMatch(/^Hex: FAILED: HTTP 404/m);
      expect(r.stderr).toMatch(/^PyPI: downloading/m);
      expect(r.stderr).toMatch(/1 of 2 ecosystems failed \(Hex\)/);
      expect(r.stdout).not.toMatch(/downloading|%/);
    } finally {
      await served.close();
    }
  });
});
