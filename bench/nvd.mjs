#!/usr/bin/env node
// Benchmark of NVD import and CPE matching.
//
//   node bench/nvd.mjs [--cves 40000] [--components 2000] [--runs 5]
//
// Build first (`npm run build`). Writes a synthetic NVD CVE API 2.0 year file of 40,000 CVEs into
// bench/.work/ (kept between runs), built from the shapes of the real records in
// ../shared/data/vulnerability-feeds/nvd/cves-sample.json when present (metrics, weaknesses, CNA
// `affected`, configurations with 1 to 5 criteria, some AND configurations with a platform node),
// else from a built-in record of the same shape. Imports it into a fresh database in a child
// process and reports the time and that process's peak RSS (the file is streamed: memory must not
// grow with the file). Then times the SOUP scan of 2,000 SOUP items matched by CPE (store look-up,
// configuration walk, version comparison, evaluation pairing). Exits 1 on a miss.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAdvisories } from '../dist/soup/advisories/import.js';
import { openAdvisoryStore } from '../dist/soup/advisories/store.js';
import { scanSoup } from '../dist/soup/scan.js';
import { mulberry32 } from './generate.mjs';
import { printTable } from './measure.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const WORK = path.join(ROOT, 'bench/.work');
const SAMPLE = path.resolve(ROOT, '../shared/data/vulnerability-feeds/nvd/cves-sample.json');
const TARGETS = { importS: 30, peakRssMb: 512, matchS: 2 };
const PRODUCTS = 3000;

function parseArgs(argv) {
  const options = { cves: 40_000, components: 2000, runs: 5, child: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--cves') options.cves = Number(value());
    else if (flag === '--components') options.components = Number(value());
    else if (flag === '--runs') options.runs = Number(value());
    else if (flag === '--child-import') options.child = [value(), value()];
    else {
      console.error(
        `unknown argument ${argv[i]}\nusage: node bench/nvd.mjs [--cves N] [--components N] [--runs N]`,
      );
      process.exit(2);
    }
  }
  return options;
}

/** Real CVE objects to copy shapes from (or one built-in record of the same layout). */
function templates() {
  if (fs.existsSync(SAMPLE))
    return JSON.parse(fs.readFileSync(SAMPLE, 'utf8')).vulnerabilities.map((v) => v.cve);
  return [
    {
      id: 'CVE-2025-0000',
      sourceIdentifier: 'cve@mitre.org',
      published: '2025-01-01T00:00:00.000',
      lastModified: '2025-01-01T00:00:00.000',
      vulnStatus: 'Analyzed',
      cveTags: [],
      descriptions: [
        {
          lang: 'en',
          value: 'A buffer overflow in a library allows remote attackers to cause a denial of service.',
        },
      ],
      metrics: {
        cvssMetricV31: [
          {
            source: 'nvd@nist.gov',
            type: 'Primary',
            cvssData: {
              version: '3.1',
              vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
              baseScore: 7.5,
              baseSeverity: 'HIGH',
            },
            exploitabilityScore: 3.9,
            impactScore: 3.6,
          },
        ],
      },
      weaknesses: [
        { source: 'nvd@nist.gov', type: 'Primary', description: [{ lang: 'en', value: 'CWE-787' }] },
      ],
      configurations: [],
      references: [{ url: 'https://example.com/advisory', source: 'cve@mitre.org' }],
    },
  ];
}

const product = (i) => ({ vendor: `vendor_${i % 997}`, product: `product_${i}` });
const version = (random) =>
  `${Math.floor(random() * 5)}.${Math.floor(random() * 20)}.${Math.floor(random() * 30)}`;

/** One criterion of a random product: a range, an exact version, or `-`, as the NVD writes them. */
function criterion(random, vulnerable = true) {
  const p = product(Math.floor(random() * PRODUCTS));
  const kind = random();
  const part = random() < 0.1 ? 'o' : 'a';
  if (kind < 0.6) {
    const bounds = {};
    if (random() < 0.5) bounds.versionStartIncluding = version(random);
    bounds[random() < 0.8 ? 'versionEndExcluding' : 'versionEndIncluding'] = version(random);
    return {
      vulnerable,
      criteria: `cpe:2.3:${part}:${p.vendor}:${p.product}:*:*:*:*:*:*:*:*`,
      matchCriteriaId: 'B',
      ...bounds,
    };
  }
  const v = kind < 0.95 ? version(random) : '-';
  return {
    vulnerable,
    criteria: `cpe:2.3:${part}:${p.vendor}:${p.product}:${v}:*:*:*:*:*:*:*`,
    matchCriteriaId: 'E',
  };
}

function configurations(random) {
  const n = 1 + Math.floor(random() * 5);
  const nodes = [
    { operator: 'OR', negate: false, cpeMatch: Array.from({ length: n }, () => criterion(random)) },
  ];
  if (random() < 0.1)
    return [
      {
        operator: 'AND',
        nodes: [
          ...nodes,
          {
            operator: 'OR',
            negate: false,
            cpeMatch: [
              { vulnerable: false, criteria: 'cpe:2.3:h:acme:board:-:*:*:*:*:*:*:*', matchCriteriaId: 'H' },
            ],
          },
        ],
      },
    ];
  return [{ nodes }];
}

/** Writes the year file as a stream (the generator keeps one record in memory). */
async function generate(file, count) {
  const random = mulberry32(524);
  const shapes = templates();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(`${file}.part`);
  const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((r) => out.once('drain', r)));
  await write(
    `{\n  "resultsPerPage": ${count},\n  "startIndex": 0,\n  "totalResults": ${count},\n  "format": "NVD_CVE",\n  "version": "2.0",\n  "timestamp": "2025-12-31T23:59:59.000",\n  "vulnerabilities": [\n`,
  );
  for (let i = 0; i < count; i++) {
    const shape = shapes[i % shapes.length];
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (i % 12)).padStart(2, '0');
    const cve = {
      ...shape,
      id: `CVE-2025-${String(10000 + i)}`,
      published: `2025-${month}-${day}T10:00:00.000`,
      lastModified: `2025-${month}-${day}T12:00:00.000`,
      configurations: configurations(random),
    };
    await write(
      `    ${JSON.stringify({ cve }, null, 2).replace(/\n/g, '\n    ')}${i + 1 < count ? ',' : ''}\n`,
    );
  }
  await write('  ]\n}\n');
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  fs.renameSync(`${file}.part`, file);
}

/** The child: imports the file and prints the summary, the time and its own peak RSS. */
async function childImport(file, db) {
  const store = openAdvisoryStore(db);
  const start = performance.now();
  const summary = await importAdvisories(store, file);
  const seconds = (performance.now() - start) / 1000;
  store.close();
  process.stdout.write(
    JSON.stringify({
      records: summary.records,
      invalid: summary.invalid.length,
      seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

function soupRecords(total) {
  const random = mulberry32(62304);
  return Array.from({ length: total }, (_, i) => {
    // Three in four name a product of the data (two vendor aliases for some), the rest none.
    const known = i % 4 !== 3;
    const p = known
      ? product(Math.floor(random() * PRODUCTS))
      : { vendor: 'nobody', product: `unknown_${i}` };
    const v = version(random);
    const cpe = [`cpe:2.3:a:${p.vendor}:${p.product}:${v}:*:*:*:*:*:*:*`];
    if (known && i % 5 === 0) cpe.push(`cpe:2.3:o:${p.vendor}:${p.product}:${v}:*:*:*:*:*:*:*`);
    return {
      id: `SOUP-${String(i + 1).padStart(5, '0')}`,
      kind: 'soup',
      title: p.product,
      status: 'approved',
      tags: [],
      text: '',
      fields: { version: v, purl: `pkg:generic/${p.product}@${v}`, cpe },
      links: {},
      origin: { source: { path: 'bench', yaml: '', yamlLine: 0 }, path: [] },
    };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.child) return childImport(...options.child);
  console.log(
    `NVD benchmark: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}`,
  );
  const file = path.join(WORK, `nvdcve-2.0-synthetic-${options.cves}.json`);
  if (!fs.existsSync(file)) {
    const start = performance.now();
    await generate(file, options.cves);
    console.log(
      `generated ${path.relative(ROOT, file)} in ${((performance.now() - start) / 1000).toFixed(1)} s`,
    );
  }
  const sizeMb = fs.statSync(file).size / 1024 / 1024;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-nvd-'));
  const db = path.join(work, 'advisories.sqlite');
  const rows = [];
  let failed = false;
  try {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child-import', file, db], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`import failed: ${child.stderr}`);
    const imported = JSON.parse(child.stdout);
    const importOk =
      imported.seconds < TARGETS.importS && imported.records === options.cves && imported.invalid === 0;
    const rssOk = imported.peakRssMb < TARGETS.peakRssMb;
    failed ||= !importOk || !rssOk;
    rows.push([
      `import ${sizeMb.toFixed(0)} MB year file (streamed)`,
      imported.records.toLocaleString('en-US'),
      imported.seconds.toFixed(2),
      `< ${TARGETS.importS} s`,
      importOk ? 'PASS' : 'MISS',
    ]);
    rows.push([
      '  peak RSS of the importing process',
      '',
      `${imported.peakRssMb.toFixed(0)} MB`,
      `< ${TARGETS.peakRssMb} MB`,
      rssOk ? 'PASS' : 'MISS',
    ]);

    const store = openAdvisoryStore(db, { readonly: true });
    const soups = soupRecords(options.components);
    const times = [];
    let scan;
    for (let run = 0; run < options.runs; run++) {
      const start = performance.now();
      scan = scanSoup(soups, [], store);
      times.push((performance.now() - start) / 1000);
    }
    store.close();
    const matchOk = times[0] < TARGETS.matchS;
    failed ||= !matchOk;
    rows.push([
      'scan of SOUP matched by CPE, first run',
      soups.length.toLocaleString('en-US'),
      times[0].toFixed(3),
      `< ${TARGETS.matchS} s`,
      matchOk ? 'PASS' : 'MISS',
    ]);
    rows.push([`  median of ${options.runs} runs`, '', median(times).toFixed(3), '', '']);

    printTable(['step', 'items', 'result', 'target', 'verdict'], rows);
    const conditional = scan.findings.filter((f) => f.conditional).length;
    console.log(
      `\n${scan.findings.length.toLocaleString('en-US')} findings (${conditional} conditional), ${scan.notScanned.length} not scanned; database ${(fs.statSync(db).size / 1024 / 1024).toFixed(1)} MB`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (failed) process.exit(1);
}

await main();
