/**
 * Issue 10 §3, "Sizes": hostile input is bounded by configurable limits (src/model/limits.ts) and
 * refused with a clear error: an advisory zip with a huge, highly compressed or lying entry, an
 * advisory download larger than announced or without an end, a JUnit report with a huge attribute,
 * and reports larger than the project allows, at import and at the release gate.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { readJUnit } from '../src/evidence/junit.js';
import { LIMITS } from '../src/model/limits.js';
import { AdvisoryImportError, importAdvisories } from '../src/soup/advisories/import.js';
import { type AdvisoryStore, openAdvisoryStore } from '../src/soup/advisories/store.js';
import { syncAdvisories } from '../src/soup/advisories/sync.js';
import { readDependencyFile } from '../src/soup/import/index.js';
import { readZipTextEntries, ZipLimitError } from '../src/soup/osv/read-zip.js';
import { parseXmlSafely } from '../src/util/xml-parse.js';
import { INTEGRATION, RELEASE, withAdvisoryData } from './gate-fixtures.js';
import { approved, approvedStarterProject, CLI, REPO, runCli, starterProject } from './helpers.js';
import { writeZip, type ZipInput } from './zip-writer.js';

const MiB = 1024 * 1024;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-limits-'));

/**
 * A small valid OSV record; `padding` characters of details make it as large as needed: hex digits
 * that compress about 2:1 like real records, or one repeated letter that compresses 1,000:1.
 */
function osv(id: string, padding = 0, compressible = false): string {
  return JSON.stringify({
    schema_version: '1.7.0',
    id,
    modified: '2024-01-01T00:00:00Z',
    summary: `summary of ${id}`,
    details: compressible ? 'x'.repeat(padding) : randomBytes(Math.ceil(padding / 2)).toString('hex'),
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'demo-pkg' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
      },
    ],
  });
}

function zipAt(dir: string, name: string, files: readonly ZipInput[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, writeZip(files));
  return file;
}

let store: AdvisoryStore | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});
const openStore = (dir: string) => {
  store = openAdvisoryStore(path.join(dir, 'advisories.sqlite'));
  return store;
};
const stored = (s: AdvisoryStore) => s.status().total.advisories;

/** How many advisories the database file holds (0 when the import never created it). */
function statusTotal(dir: string, db: string): number {
  const file = path.join(dir, db);
  if (!fs.existsSync(file)) return 0;
  const s = openAdvisoryStore(file, { readonly: true });
  try {
    return stored(s);
  } finally {
    s.close();
  }
}

const noStack = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/internal error/i);
};

// ---------------------------------------------------------------------------------------------- zips

describe('advisories import: zip limits', () => {
  it('refuses an entry over --max-zip-entry-bytes from the central directory, names it, imports nothing', () => {
    const dir = tmp();
    zipAt(dir, 'good.zip', [{ name: 'PYSEC-1.json', data: osv('PYSEC-1') }]);
    expect(runCli(['advisories', 'import', 'good.zip', '--db', 'a.sqlite'], dir).code).toBe(0);
    // A genuine record of 3 MB after a small one: the small one must not be imported either.
    const big = osv('PYSEC-3', 3 * MiB);
    zipAt(dir, 'big.zip', [
      { name: 'PYSEC-2.json', data: osv('PYSEC-2'), method: 'deflate' },
      { name: 'PYSEC-3.json', data: big, method: 'deflate' },
    ]);
    const size = Buffer.byteLength(big);
    const r = runCli(
      ['advisories', 'import', 'big.zip', '--db', 'a.sqlite', '--max-zip-entry-bytes', '1MiB'],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `dossier: cannot import big.zip: zip entry "PYSEC-3.json" is ${size.toLocaleString('en-US')} bytes (3.0 MiB) uncompressed, over the limit of 1,048,576 bytes (1 MiB) (limits.maxZipEntryBytes); nothing was imported. A zip this size or ratio is not an OSV archive but may be a "zip bomb"; if the archive is genuine, raise it with --max-zip-entry-bytes or \`limits.maxZipEntryBytes\` in dossier.yaml`,
    ]);
    noStack(r.stderr);
    expect(statusTotal(dir, 'a.sqlite')).toBe(1);

    // Raised, the same archive imports: the refusal was the limit's, not the data's.
    const raised = runCli(
      ['advisories', 'import', 'big.zip', '--db', 'a.sqlite', '--max-zip-entry-bytes', '8MiB'],
      dir,
    );
    expect(raised.code, raised.stderr).toBe(0);
    expect(statusTotal(dir, 'a.sqlite')).toBe(3);
  });

  it("applies limits: of the project's dossier.yaml, to zips and to files of a folder alike", () => {
    const dir = starterProject();
    fs.appendFileSync(path.join(dir, 'dossier.yaml'), 'limits:\n  maxZipEntryBytes: 1048576\n');
    zipAt(dir, 'big.zip', [{ name: 'PYSEC-3.json', data: osv('PYSEC-3', 2 * MiB), method: 'deflate' }]);
    const zip = runCli(['advisories', 'import', 'big.zip', '-C', '.'], dir);
    expect(zip.code).toBe(2);
    expect(zip.stderr).toMatch(
      /^dossier: cannot import big\.zip: zip entry "PYSEC-3\.json" is [\d,]+ bytes \(2\.0 MiB\) uncompressed, over the limit of 1,048,576 bytes \(1 MiB\) \(limits\.maxZipEntryBytes\)/,
    );

    fs.mkdirSync(path.join(dir, 'vulns/sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'vulns/PYSEC-1.json'), osv('PYSEC-1'));
    fs.writeFileSync(path.join(dir, 'vulns/sub/PYSEC-4.json'), osv('PYSEC-4', 2 * MiB));
    const folder = runCli(['advisories', 'import', 'vulns', '-C', '.'], dir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(
      /^dossier: cannot import vulns: sub\/PYSEC-4\.json is [\d,]+ bytes \(2\.0 MiB\), over the limit of 1,048,576 bytes \(1 MiB\) for one advisory file \(limits\.maxZipEntryBytes\); nothing was imported/,
    );
    noStack(folder.stderr);
    expect(fs.existsSync(path.join(dir, '.dossier/advisories.sqlite'))).toBe(true);
    expect(statusTotal(dir, '.dossier/advisories.sqlite')).toBe(0);
  });

  it('refuses a zip bomb at the default limits before inflating it, in bounded memory', () => {
    const dir = tmp();
    // A record whose details are 100 MiB of one letter deflates to about 100 KB (1,000:1): the shape
    // of the 815 KB zip with an 800 MB entry that used to take 1.7 GB and end in an internal error.
    const [head, tail] = osv('PYSEC-BOMB', 1, true).split('"x"');
    const record = Buffer.concat([
      Buffer.from(`${head}"`),
      Buffer.alloc(100 * MiB, 'x'),
      Buffer.from(`"${tail}`),
    ]);
    zipAt(dir, 'bomb.zip', [
      { name: 'PYSEC-1.json', data: osv('PYSEC-1') },
      { name: 'PYSEC-BOMB.json', data: record, method: 'deflate' },
    ]);
    expect(fs.statSync(path.join(dir, 'bomb.zip')).size).toBeLessThan(200_000);
    // A 64 MB heap: inflating and parsing the entry would not fit (it ran out of memory at 690 MB).
    const r = runCli(['advisories', 'import', 'bomb.zip', '--db', 'a.sqlite'], dir, {
      NODE_OPTIONS: '--max-old-space-size=64',
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /^dossier: cannot import bomb\.zip: zip entry "PYSEC-BOMB\.json" is 104,857,[\d]+ bytes \(100\.0 MiB\) uncompressed, over the limit of 67,108,864 bytes \(64 MiB\) \(limits\.maxZipEntryBytes\); nothing was imported/,
    );
    noStack(r.stderr);
    expect(statusTotal(dir, 'a.sqlite')).toBe(0);
  });

  it('refuses an entry compressed beyond the ratio limit, below the size limit', async () => {
    const dir = tmp();
    const s = openStore(dir);
    // 2 MiB of one repeated record field: far below 64 MiB, but about 1,000:1.
    const file = zipAt(dir, 'dense.zip', [
      { name: 'PYSEC-1.json', data: osv('PYSEC-1') },
      { name: 'PYSEC-2.json', data: osv('PYSEC-2', 2 * MiB, true), method: 'deflate' },
    ]);
    const error = await importAdvisories(s, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryImportError);
    expect((error as Error).message).toMatch(
      /^cannot import .*dense\.zip: zip entry "PYSEC-2\.json" has a compression ratio of \d{3,4}:1, over the limit of 200:1 \(limits\.maxZipRatio\); nothing was imported.*raise it with --max-zip-ratio or `limits\.maxZipRatio` in dossier\.yaml$/,
    );
    expect(stored(s)).toBe(0);
    // Raised, it imports.
    await importAdvisories(s, file, { limits: { maxZipRatio: 5000 } });
    expect(stored(s)).toBe(2);
  });

  it('caps the total uncompressed size before any entry is inflated', async () => {
    const dir = tmp();
    const s = openStore(dir);
    const file = zipAt(
      dir,
      'many.zip',
      ['PYSEC-1', 'PYSEC-2', 'PYSEC-3'].map((id) => ({ name: `${id}.json`, data: osv(id, 400_000) })),
    );
    const seen: number[] = [];
    const error = await importAdvisories(s, file, {
      limits: { maxZipTotalBytes: MiB },
      onProgress: (p) => seen.push(p.read),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /many\.zip: its entries up to "PYSEC-3\.json" add up to [\d,]+ bytes \(1\.1 MiB\) uncompressed, over the limit of 1,048,576 bytes \(1 MiB\) \(limits\.maxZipTotalBytes\); nothing was imported/,
    );
    expect(seen).toEqual([]);
    expect(stored(s)).toBe(0);
  });

  it('stops inflating an entry that holds more than its directory declares, within one chunk', async () => {
    const dir = tmp();
    const s = openStore(dir);
    // Declares 1,000 bytes (so every size and ratio check passes), holds 8 MiB.
    const file = zipAt(dir, 'lying.zip', [
      { name: 'PYSEC-1.json', data: osv('PYSEC-1') },
      { name: 'PYSEC-LIE.json', data: Buffer.alloc(8 * MiB, 0x20), method: 'deflate', declaredSize: 1000 },
    ]);
    const error = await importAdvisories(s, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryImportError);
    expect((error as Error).message).toMatch(
      /lying\.zip: zip entry "PYSEC-LIE\.json" inflates to more than the 1,000 bytes its central directory declares, so the archive is damaged or forged; reading stopped there and nothing was imported/,
    );
    expect(stored(s)).toBe(0); // PYSEC-1, read before it, was rolled back
    // Where it stopped: one inflated chunk past the declared size, not the 8 MiB.
    const limits = { maxEntryBytes: 64 * MiB, maxRatio: 200, maxTotalBytes: 1024 * MiB };
    const reading = (async () => {
      for await (const _ of readZipTextEntries(file, { limits }));
    })();
    const stopped = await reading.catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ZipLimitError);
    expect((stopped as ZipLimitError).kind).toBe('declared');
    expect((stopped as ZipLimitError).found).toBeLessThanOrEqual(1000 + 128 * 1024);
  });

  it('refuses option values that are not sizes', () => {
    const dir = tmp();
    zipAt(dir, 'good.zip', [{ name: 'PYSEC-1.json', data: osv('PYSEC-1') }]);
    const r = runCli(
      ['advisories', 'import', 'good.zip', '--db', 'a.sqlite', '--max-zip-entry-bytes', 'lots'],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-zip-entry-bytes: "lots" is not a size in bytes/);
    const ratio = runCli(
      ['advisories', 'import', 'good.zip', '--db', 'a.sqlite', '--max-zip-ratio', '2MiB'],
      dir,
    );
    expect(ratio.code).toBe(2);
    expect(ratio.stderr).toMatch(/--max-zip-ratio: "2MiB" is not a whole number greater than 0/);
  });
});

/** Largest entry, largest ratio and total of an archive, from its central directory. */
function archiveSizes(file: string): Promise<{ entry: number; ratio: number; total: number }> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const sizes = { entry: 0, ratio: 0, total: 0 };
      zip.on('entry', (e: yauzl.Entry) => {
        sizes.entry = Math.max(sizes.entry, e.uncompressedSize);
        sizes.ratio = Math.max(sizes.ratio, e.uncompressedSize / Math.max(1, e.compressedSize));
        sizes.total += e.uncompressedSize;
        zip.readEntry();
      });
      zip.on('end', () => resolve(sizes));
      zip.readEntry();
    }),
  );
}

const ADVISORIES = path.resolve(REPO, '../shared/data/advisories');
describe.skipIf(!fs.existsSync(ADVISORIES))('the default limits on real osv.dev archives', () => {
  it('leave a wide margin over the largest entry, ratio and total of PyPI, Go and crates.io', async () => {
    for (const name of ['PyPI-all.zip', 'Go-all.zip', 'crates.io-all.zip']) {
      const file = path.join(ADVISORIES, name);
      const sizes = await archiveSizes(file);
      // Measured: largest entry 25 KB, ratio 11.7, total 7.9 MB, archive 3.4 MB (docs/security.md).
      expect(sizes.entry * 1000, name).toBeLessThan(LIMITS.maxZipEntryBytes.default);
      expect(sizes.ratio * 10, name).toBeLessThan(LIMITS.maxZipRatio.default);
      expect(sizes.total * 1000, name).toBeLessThan(LIMITS.maxZipTotalBytes.default);
      expect(fs.statSync(file).size * 100, name).toBeLessThan(LIMITS.maxDownloadBytes.default);
    }
  });
});

// ---------------------------------------------------------------------------------------------- sync

interface Endless {
  readonly baseUrl: string;
  /** Bytes the server wrote before the client went away. */
  sent(): number;
  close(): Promise<void>;
}

/** Serves `/<ecosystem>/all.zip` of `size` bytes, with or without Content-Length, in 16 KiB chunks. */
function serveLarge(size: number, withLength: boolean): Promise<Endless> {
  let sent = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/zip',
      ...(withLength ? { 'content-length': size } : {}),
    });
    const chunk = Buffer.alloc(16 * 1024, 0x50);
    const pump = () => {
      while (sent < size && !res.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        sent: () => sent,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }),
  );
}

describe('advisories sync: download limit', () => {
  let served: Endless | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  it('refuses an archive whose Content-Length is over the limit before writing a byte', async () => {
    const dir = tmp();
    const s = openStore(dir);
    served = await serveLarge(4 * MiB, true);
    const cacheDir = path.join(dir, 'cache');
    const result = await syncAdvisories(s, {
      baseUrl: served.baseUrl,
      ecosystems: ['PyPI'],
      cacheDir,
      retryDelayMs: 0,
      limits: { maxDownloadBytes: 256 * 1024 },
    });
    expect(result.ok).toBe(false);
    expect(result.results[0]?.error).toBe(
      `the server announces 4,194,304 bytes (4 MiB) for ${served.baseUrl}/PyPI/all.zip, over the limit of 262,144 bytes (256 KiB) (limits.maxDownloadBytes); nothing was downloaded or imported. If the archive is genuine, raise it with --max-download-bytes or \`limits.maxDownloadBytes\` in dossier.yaml`,
    );
    expect(fs.readdirSync(cacheDir)).toEqual([]);
    expect(stored(s)).toBe(0);
  });

  it('stops a body without Content-Length at the limit and removes the partial file', async () => {
    const dir = tmp();
    const s = openStore(dir);
    served = await serveLarge(64 * MiB, false);
    const cacheDir = path.join(dir, 'cache');
    const result = await syncAdvisories(s, {
      baseUrl: served.baseUrl,
      ecosystems: ['PyPI'],
      cacheDir,
      retryDelayMs: 0,
      limits: { maxDownloadBytes: 256 * 1024 },
    });
    expect(result.ok).toBe(false);
    expect(result.results[0]?.error).toMatch(
      /^the download of http:\/\/127\.0\.0\.1:\d+\/PyPI\/all\.zip reached [\d,]+ bytes \([\d.]+ KiB\), over the limit of 262,144 bytes \(256 KiB\) \(limits\.maxDownloadBytes\); the download was stopped, its partial file removed, and nothing was imported/,
    );
    expect(fs.readdirSync(cacheDir)).toEqual([]);
    expect(stored(s)).toBe(0);
    // The connection was dropped long before the 64 MiB (socket buffers hold some).
    await new Promise((done) => setTimeout(done, 50));
    expect(served.sent()).toBeLessThan(16 * MiB);
  });

  it('takes --max-download-bytes on the command line: the ecosystem fails (exit 1), with the limit named', async () => {
    const dir = tmp();
    served = await serveLarge(MiB, true);
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          CLI,
          'advisories',
          'sync',
          '-e',
          'PyPI',
          '--base-url',
          served!.baseUrl,
          '--db',
          'x.sqlite',
          '--max-download-bytes',
          '64KiB',
          '--quiet',
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
    expect(r.stdout).toMatch(
      /^PyPI: FAILED: the server announces 1,048,576 bytes \(1 MiB\) for .*, over the limit of 65,536 bytes \(64 KiB\) \(limits\.maxDownloadBytes\)/m,
    );
    noStack(r.stderr);
    expect(fs.readdirSync(path.join(dir, 'cache'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------- XML and reports

const junitWith = (testcase: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="system">\n  <testsuite name="therapy" tests="1" timestamp="2026-09-30T08:00:00">\n    ${testcase}\n  </testsuite>\n</testsuites>\n`;

describe('XML values: one attribute or text over the limit is refused before parsing', () => {
  it('names the kind of value, its line, size, the limit and the key to raise', () => {
    const attribute = junitWith(`<testcase classname="therapy" name="[TC-001] ${'a'.repeat(200_000)}"/>`);
    const report = readJUnit(attribute, { maxValueBytes: 64 * 1024 });
    expect(report.root).toBeUndefined();
    expect(report.cases).toEqual([]);
    expect(report.problems).toEqual([
      {
        severity: 'error',
        message:
          'an attribute value of 200,009 bytes (195.3 KiB) is over the limit of 65,536 bytes (64 KiB) for one XML value (limits.maxXmlValueBytes); it was not parsed',
        line: 4,
        hint: 'a value this large exhausts memory when parsed; if the file is genuine, raise `limits.maxXmlValueBytes` in dossier.yaml',
      },
    ]);
    // Text, CDATA and multi-byte characters are counted in UTF-8 bytes.
    const text = junitWith(`<testcase name="x"><system-out>${'é'.repeat(40_000)}</system-out></testcase>`);
    expect(readJUnit(text, { maxValueBytes: 64 * 1024 }).problems[0]?.message).toMatch(
      /^a text of 80,000 bytes \(78\.1 KiB\) is over the limit/,
    );
    expect(readJUnit(text, { maxValueBytes: 100_000 }).problems).toEqual([]);
    const cdata = junitWith(
      `<testcase name="x"><system-out><![CDATA[${'<'.repeat(70_000)}]]></system-out></testcase>`,
    );
    expect(readJUnit(cdata, { maxValueBytes: 64 * 1024 }).problems[0]?.message).toMatch(
      /^a CDATA section of 70,000 bytes/,
    );
    // Just under the limit is parsed as usual.
    const under = junitWith(`<testcase classname="therapy" name="${'a'.repeat(65_000)}"/>`);
    expect(readJUnit(under, { maxValueBytes: 64 * 1024 }).cases).toHaveLength(1);
  });

  it('at the default limit, a 9 MiB attribute is refused without building it (bounded memory)', () => {
    const dir = starterProject({
      'reports/huge.xml': junitWith(
        `<testcase classname="therapy" name="[TC-001]" file="${'a'.repeat(9 * MiB)}"/>`,
      ),
    });
    // Parsing it would take about 400 MB (40 bytes per byte of the value): a 128 MB heap would not do.
    const r = runCli(
      ['evidence', 'import', 'reports/huge.xml', '-C', '.', '--version', '0.1.0', '--executed-by', 'CI'],
      dir,
      { NODE_OPTIONS: '--max-old-space-size=128' },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe(
      'reports/huge.xml:4: error: an attribute value of 9,437,184 bytes (9 MiB) is over the limit of 8,388,608 bytes (8 MiB) for one XML value (limits.maxXmlValueBytes); it was not parsed\n  hint: a value this large exhausts memory when parsed; if the file is genuine, raise `limits.maxXmlValueBytes` in dossier.yaml\n',
    );
    expect(fs.existsSync(path.join(dir, 'records/evidence'))).toBe(false);
  });

  it('applies to XML SBOMs and pom.xml, and to any document read with parseXmlSafely', () => {
    const dir = tmp();
    const bom = path.join(dir, 'bom.xml');
    fs.writeFileSync(
      bom,
      `<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">\n  <components>\n    <component type="library"><name>x</name><version>1.0</version><purl>pkg:npm/x@1.0</purl><description>${'d'.repeat(5000)}</description></component>\n  </components>\n</bom>\n`,
    );
    const result = readDependencyFile(bom, { maxXmlValueBytes: 4096 });
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /^the CycloneDX SBOM could not be read: a text of 5,000 bytes \(4\.9 KiB\) is over the limit of 4,096 bytes \(4 KiB\) .*limits\.maxXmlValueBytes/,
        ),
        line: 4,
        hint: expect.stringContaining('limits.maxXmlValueBytes'),
      }),
    ]);
    expect(readDependencyFile(bom, { maxXmlValueBytes: 8192 }).problems).toEqual([]);
    const parsed = parseXmlSafely(`<a>${'x'.repeat(LIMITS.maxXmlValueBytes.default + 1)}</a>`);
    expect(parsed.ok).toBe(false);
  });

  it('leaves large real-shaped reports alone: 30 MB of 3,000 cases with 10 KB of output each', () => {
    const output = 'INFO therapy: delivered 1.0 mL at 120 mL/h\n'.repeat(240);
    const cases = Array.from(
      { length: 3000 },
      (_, i) =>
        `<testcase classname="therapy.Case${i % 50}" name="[TC-001] step ${i}" time="0.01"><system-out>${output}</system-out></testcase>`,
    ).join('\n');
    const text = `<testsuites><testsuite name="therapy" tests="3000">${cases}</testsuite></testsuites>`;
    expect(text.length).toBeGreaterThan(30_000_000);
    expect(text.length).toBeLessThan(LIMITS.maxReportBytes.default);
    const report = readJUnit(text);
    expect(report.problems).toEqual([]);
    expect(report.cases).toHaveLength(3000);
  });
});

/** The starter with the report imported as RUN-001 and the run approved (as a reviewer would). */
function importedProject(): string {
  const dir = approvedStarterProject({
    'records/tests/integration.yaml': approved(INTEGRATION),
    'records/releases/REL-001.md': RELEASE,
    'reports/system.xml': junitWith(
      `<testcase classname="therapy" name="[TC-001] out-of-range parameters"/>`,
    ),
  });
  withAdvisoryData(dir);
  const imported = runCli(
    ['evidence', 'import', 'reports/system.xml', '-C', '.', '--version', '0.1.0', '--executed-by', 'CI'],
    dir,
  );
  if (imported.code !== 0) throw new Error(imported.stderr);
  return dir;
}

describe('report size: limits.maxReportBytes', () => {
  it('evidence import refuses a report over the limit before reading it, and writes nothing', () => {
    const dir = starterProject({
      'reports/system.xml': junitWith(`<testcase classname="therapy" name="[TC-001] x"/>`),
    });
    fs.appendFileSync(path.join(dir, 'dossier.yaml'), 'limits:\n  maxReportBytes: 100\n');
    const size = fs.statSync(path.join(dir, 'reports/system.xml')).size;
    const r = runCli(
      ['evidence', 'import', 'reports/system.xml', '-C', '.', '--version', '0.1.0', '--executed-by', 'CI'],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `reports/system.xml: error: the report is ${size} bytes, over the limit of 100 bytes for a report (limits.maxReportBytes); it was not read, nothing was imported\n  hint: split the test run into several reports; if the report is genuine, raise \`limits.maxReportBytes\` in dossier.yaml\n`,
    );
    expect(fs.existsSync(path.join(dir, 'records/evidence'))).toBe(false);
  });

  it('the release gate does not read a report over the limit: it blocks and says so, with its hash still compared', () => {
    const dir = importedProject();
    const size = fs.statSync(path.join(dir, 'reports/system.xml')).size;
    fs.appendFileSync(path.join(dir, 'dossier.yaml'), 'limits:\n  maxReportBytes: 100\n');
    const r = runCli(['release', 'check', '0.1.0', '.', '--format', 'json', '--manifest', 'out/m.json'], dir);
    expect(r.code, r.stderr).toBe(1);
    const blockers = (JSON.parse(r.stdout) as { blockers: { code: string; message: string }[] }).blockers;
    expect(blockers.filter((b) => b.code.startsWith('release/evidence'))).toEqual([
      expect.objectContaining({
        code: 'release/evidence-disagrees',
        message: `RUN-001: reports/system.xml is ${size} bytes, over the limit of 100 bytes for a report (limits.maxReportBytes), so it was not read and its results cannot be compared with the record; if the report is genuine, raise \`limits.maxReportBytes\` in dossier.yaml`,
      }),
    ]);
    // Its hash was taken as it streamed: the manifest names it, not "missing".
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'out/m.json'), 'utf8')) as {
      files: { path: string; sha256: string }[];
    };
    expect(manifest.files.find((f) => f.path === 'reports/system.xml')?.sha256).toMatch(/^[0-9a-f]{64}$/);

    // `dossier build` gives the same verdict.
    const built = runCli(['build', '.', '--out', 'out/build', '--format', 'json'], dir);
    const gate = JSON.parse(fs.readFileSync(path.join(dir, 'out/build/release/gate-0.1.0.json'), 'utf8'));
    expect(built.code).toBe(1);
    expect(gate.blockers.map((b: { code: string }) => b.code)).toContain('release/evidence-disagrees');
  });
});
