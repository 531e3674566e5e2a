#!/usr/bin/env node
// Benchmark of matching SOUP by git repository and tags (OSV records with GIT ranges).
//
//   node bench/osv-git.mjs [--records 20000] [--components 2000] [--runs 5]
//
// Build first (`npm run build`). Writes synthetic OSV records in the shape of
// test/fixtures/osv-git/ (OSS-Fuzz style with a package, and NVD-converted without one; GIT ranges
// whose repository URL is written in varying forms; versions[] of 5 to 40 tags in mixed styles)
// over 3,000 repositories into bench/.work/, imports them into a fresh database, then times the
// SOUP scan of 2,000 items identified by `repository` (index look-up by normalised URL, tag
// normalisation, evaluation pairing). Target: under 2 s (issue 16). Exits 1 on a miss.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAdvisories } from '../dist/soup/advisories/import.js';
import { openAdvisoryStore } from '../dist/soup/advisories/store.js';
import { scanSoup } from '../dist/soup/scan.js';
import { mulberry32 } from './generate.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const WORK = path.join(ROOT, 'bench/.work/osv-git');
const REPOS = 3000;
const TARGET_S = 2;

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const records = opt('--records', 20_000);
const components = opt('--components', 2000);
const runs = opt('--runs', 5);

const rand = mulberry32(62304);
const pick = (list) => list[Math.floor(rand() * list.length)];
const hex = () => Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
const repoUrl = (r) =>
  pick([
    `https://github.com/Vendor${r}/lib${r}`,
    `https://github.com/vendor${r}/lib${r}.git`,
    `git@github.com:Vendor${r}/lib${r}.git`,
  ]);
const tag = (r, major, minor, patch) =>
  pick([`v${major}.${minor}.${patch}`, `lib${r}-${major}.${minor}.${patch}`, `${major}_${minor}_${patch}`]);

fs.rmSync(WORK, { recursive: true, force: true });
fs.mkdirSync(WORK, { recursive: true });
for (let i = 0; i < records; i++) {
  const r = Math.floor(rand() * REPOS);
  const major = 1 + Math.floor(rand() * 4);
  const versions = [];
  const count = 5 + Math.floor(rand() * 36);
  for (let k = 0; k < count; k++) versions.push(tag(r, major, Math.floor(k / 10), k % 10));
  const affected = {
    ...(rand() < 0.5 ? { package: { name: `lib${r}`, ecosystem: 'OSS-Fuzz' } } : {}),
    ranges: [{ type: 'GIT', repo: repoUrl(r), events: [{ introduced: hex() }, { fixed: hex() }] }],
    ...(rand() < 0.9 ? { versions } : {}),
  };
  const record = {
    schema_version: '1.6.0',
    id: `OSV-2099-${String(i).padStart(6, '0')}`,
    modified: '2099-01-01T00:00:00Z',
    summary: `synthetic ${i}`,
    affected: [affected],
  };
  fs.writeFileSync(path.join(WORK, `${record.id}.json`), JSON.stringify(record));
}

const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-git-')), 'db.sqlite');
const store = openAdvisoryStore(dbFile);
let t = performance.now();
await importAdvisories(store, WORK);
const importS = (performance.now() - t) / 1000;

const soups = Array.from({ length: components }, (_, i) => {
  const r = i % REPOS;
  return {
    id: `SOUP-${String(i + 1).padStart(4, '0')}`,
    kind: 'soup',
    title: `lib${r}`,
    status: 'approved',
    tags: [],
    text: '',
    links: {},
    fields: {
      version: `${1 + (i % 4)}.${i % 4}.${i % 10}`,
      repository: `https://github.com/vendor${r}/lib${r}`,
    },
    file: 'bench.yaml',
    line: 1,
  };
});
const times = [];
let findings = 0;
for (let run = 0; run < runs; run++) {
  t = performance.now();
  findings = scanSoup(soups, [], store).findings.length;
  times.push((performance.now() - t) / 1000);
}
store.close();
const best = Math.min(...times);
console.log(
  `osv-git: ${records.toLocaleString('en-US')} records imported in ${importS.toFixed(1)} s; ` +
    `scan of ${components} SOUP items by repository: best ${best.toFixed(2)} s of ${runs} (target ${TARGET_S} s), ${findings} findings`,
);
process.exit(best <= TARGET_S ? 0 : 1);
