#!/usr/bin/env node
// Benchmark of the local OSV advisory store.
//
//   node bench/advisories.mjs [--data ../shared/data/advisories] [--components 2000] [--runs 5]
//
// Build first (`npm run build`). Imports the PyPI, Go and crates.io all.zip archives into a fresh
// temporary database (one transaction each) and times it; times a second, incremental import of the
// same archives (every record unchanged); then times the SOUP scan (`scanSoup`: purl, store lookup, range walk, alias closure) for
// SOUP records built from real package names in the data, with a spread of versions (bounds of the
// ranges, listed versions, very old and very new ones) and some names that have no advisories.
// Prints a table and PASS/MISS against the targets; exits 1 on a miss.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAdvisories } from '../dist/soup/advisories/import.js';
import { ecosystemBase } from '../dist/soup/advisories/osv-schema.js';
import { normalizePackageName, openAdvisoryStore } from '../dist/soup/advisories/store.js';
import { readOsvZip } from '../dist/soup/osv/read-zip.js';
import { purlFor } from '../dist/soup/purl.js';
import { scanSoup } from '../dist/soup/scan.js';
import { mulberry32 } from './generate.mjs';
import { printTable } from './measure.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ECOSYSTEMS = ['PyPI', 'Go', 'crates.io'];
const TARGETS = { importS: 15, matchS: 1 };

function parseArgs(argv) {
  const options = { data: path.resolve(ROOT, '../shared/data/advisories'), components: 2000, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--data') options.data = path.resolve(value());
    else if (flag === '--components') options.components = Number(value());
    else if (flag === '--runs') options.runs = Number(value());
    else {
      console.error(
        `unknown argument ${argv[i]}\nusage: node bench/advisories.mjs [--data DIR] [--components N] [--runs N]`,
      );
      process.exit(2);
    }
  }
  return options;
}

/** Package names per ecosystem with the versions the advisories mention. */
async function packagesIn(zip) {
  const packages = new Map();
  for await (const record of readOsvZip(zip)) {
    for (const affected of record.affected ?? []) {
      if (!affected.package) continue;
      const ecosystem = ecosystemBase(affected.package.ecosystem);
      const name = normalizePackageName(ecosystem, affected.package.name);
      const versions = packages.get(name) ?? new Set();
      packages.set(name, versions);
      for (const range of affected.ranges ?? []) {
        if (range.type === 'GIT') continue;
        for (const event of range.events) {
          for (const v of [event.introduced, event.fixed, event.last_affected])
            if (v && v !== '0' && v !== '0.0.0-0') versions.add(v);
        }
      }
      for (const v of (affected.versions ?? []).slice(0, 20)) versions.add(v);
    }
  }
  return packages;
}

function componentsFrom(byEcosystem, total) {
  const random = mulberry32(62304);
  const perEcosystem = Math.floor((total * 0.9) / byEcosystem.size);
  const components = [];
  for (const [ecosystem, packages] of byEcosystem) {
    const names = [...packages.keys()].sort();
    for (let i = 0; i < perEcosystem; i++) {
      const name = names[Math.floor(random() * names.length)];
      const candidates = [...packages.get(name), '0.0.1', '999.0.0'];
      components.push({ ecosystem, name, version: candidates[Math.floor(random() * candidates.length)] });
    }
  }
  // The rest: names with no advisory at all (the common case in a real SBOM).
  const ecosystems = [...byEcosystem.keys()];
  for (let i = 0; components.length < total; i++)
    components.push({
      ecosystem: ecosystems[i % ecosystems.length],
      name: `no-advisories-${i}`,
      version: '1.0.0',
    });
  return components;
}

/**
 * The scan `dossier soup scan` runs: SOUP records with purls, matched through the store, with the
 * alias closure of every finding and the pairing with evaluations (none here, the worst case).
 */
function toSoupRecords(components) {
  return components.map((c, i) => ({
    id: `SOUP-${String(i + 1).padStart(5, '0')}`,
    kind: 'soup',
    title: c.name,
    status: 'approved',
    tags: [],
    text: '',
    fields: { version: c.version, purl: purlFor(c.ecosystem, c.name, c.version) },
    links: {},
    origin: { source: { path: 'bench', yaml: '', yamlLine: 0 }, path: [] },
  }));
}

function matchAll(store, soups) {
  const scan = scanSoup(soups, [], store);
  return { findings: scan.findings.length, unmatchable: scan.unmatchable.length };
}

const seconds = (start) => (performance.now() - start) / 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const zips = ECOSYSTEMS.map((e) => path.join(options.data, `${e}-all.zip`));
  const missing = zips.filter((z) => !fs.existsSync(z));
  if (missing.length > 0) {
    console.error(
      `advisory data not found: ${missing.join(', ')}\n(give --data <dir with PyPI-all.zip, Go-all.zip, crates.io-all.zip>)`,
    );
    process.exit(2);
  }
  console.log(
    `advisory store benchmark: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}`,
  );

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-advisories-'));
  const rows = [];
  try {
    const store = openAdvisoryStore(path.join(work, 'advisories.sqlite'));
    let importTotal = 0;
    let records = 0;
    for (const zip of zips) {
      const start = performance.now();
      const summary = await importAdvisories(store, zip);
      const s = seconds(start);
      importTotal += s;
      records += summary.records;
      rows.push([
        `import ${path.basename(zip)}`,
        summary.records.toLocaleString('en-US'),
        s.toFixed(2),
        '',
        '',
      ]);
    }
    const importVerdict = importTotal < TARGETS.importS ? 'PASS' : 'MISS';
    rows.push([
      'import, all three',
      records.toLocaleString('en-US'),
      importTotal.toFixed(2),
      `< ${TARGETS.importS}`,
      importVerdict,
    ]);

    let again = 0;
    for (const zip of zips) {
      const start = performance.now();
      await importAdvisories(store, zip);
      again += seconds(start);
    }
    rows.push(['re-import (all unchanged)', records.toLocaleString('en-US'), again.toFixed(2), '', '']);

    const byEcosystem = new Map();
    for (const [i, zip] of zips.entries()) byEcosystem.set(ECOSYSTEMS[i], await packagesIn(zip));
    const components = toSoupRecords(componentsFrom(byEcosystem, options.components));

    const times = [];
    let found;
    for (let run = 0; run < options.runs; run++) {
      const start = performance.now();
      found = matchAll(store, components);
      times.push(seconds(start));
    }
    const matchVerdict = times[0] < TARGETS.matchS ? 'PASS' : 'MISS';
    rows.push([
      `scan of SOUP records (purl → store → match → aliases), first run`,
      components.length.toLocaleString('en-US'),
      times[0].toFixed(3),
      `< ${TARGETS.matchS}`,
      matchVerdict,
    ]);
    rows.push([`  median of ${options.runs} runs`, '', median(times).toFixed(3), '', '']);
    store.close();

    printTable(['step', 'items', 'seconds', 'target', 'verdict'], rows);
    console.log(
      `\n${found.findings.toLocaleString('en-US')} findings, ${found.unmatchable} components not matchable; database ${(fs.statSync(path.join(work, 'advisories.sqlite')).size / 1024 / 1024).toFixed(1)} MB`,
    );
    if (importVerdict === 'MISS' || matchVerdict === 'MISS') process.exitCode = 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
