#!/usr/bin/env node
// Benchmark of the import and export commands as a user runs them (issue 15 targets, each < 10 s
// and < 1 GB peak memory):
//   - `dossier import reqif` of a 10,000-object ReqIF file into a project: read, plan, and write
//     10,000 record files;
//   - `dossier import xlsx` of a 10,000-row workbook with a mapping file, the same way;
//   - `dossier export reqif` of the 10,000-record synthetic project (bench/generate.mjs).
//
//   node bench/interop-cli.mjs [--size 10000]
//
// Build first (`npm run bench` does). The inputs are written with Dossier's own writers from
// records shaped like real ones (Markdown text with lists and a table, fields, two links each).
// bench/interop-reqif.mjs and bench/interop-sheet.mjs time the readers and writers alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedProject } from './generate.mjs';
import { CLI, measure, option, procAvailable } from './measure.mjs';

const SIZE = Number(option('--size') ?? 10_000);
const TARGET_S = 10;
const TARGET_MB = 1024;
const STAMP = '2026-01-01T00:00:00Z';

const { writeReqif } = await import('../dist/interop/reqif/write.js');
const { writeXlsx } = await import('../dist/interop/sheet/write-xlsx.js');

/** Records as an export from another tool would hold them: system and software requirements, linked. */
function records(n) {
  return Array.from({ length: n }, (_, i) => {
    const system = i < n / 10;
    const id = system ? `SYS-${String(i + 1).padStart(5, '0')}` : `SRS-${String(i + 1).padStart(5, '0')}`;
    return {
      id,
      kind: system ? 'system-requirement' : 'software-requirement',
      title: `Requirement ${i + 1}: limit the bolus dose (${i % 7} mL)`,
      status: i % 3 === 0 ? 'approved' : 'draft',
      text: `The pump **shall** refuse a bolus above the configured limit.\n\n- case ${i}\n  - sub-case\n- other case\n\n| In | Out |\n| --- | --- |\n| ${i} | ${i * 2} |`,
      fields: system ? {} : { category: 'functional', riskControl: i % 2 === 0 },
      links: system
        ? {}
        : {
            derivesFrom: [
              `SYS-${String((i % Math.ceil(n / 10)) + 1).padStart(5, '0')}`,
              `SYS-${String((i % 37) + 1).padStart(5, '0')}`,
            ],
          },
    };
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-interop-'));
const data = records(SIZE);
const reqif = path.join(work, 'source.reqif');
fs.writeFileSync(reqif, writeReqif(data, { creationTime: STAMP }));
const xlsx = path.join(work, 'source.xlsx');
fs.writeFileSync(xlsx, await writeXlsx(data, { created: STAMP }));
const mapping = path.join(work, 'mapping.yaml');
fs.writeFileSync(
  mapping,
  [
    'sheet:',
    '  sheets: [system-requirement, software-requirement]',
    '  id: id',
    '  title: title',
    '  text: text',
    '  markdownText: true',
    '  provenance: {status: status}',
    '',
  ].join('\n'),
);

/** A fresh project from `dossier init`, with no records of its own in the way. */
async function emptyProject(name) {
  const dir = path.join(work, name);
  const init = await measure([CLI, 'init', dir]);
  if (init.exitCode !== 0) throw new Error(init.stderr);
  fs.rmSync(path.join(dir, 'records'), { recursive: true, force: true });
  return dir;
}

const results = [];
async function timed(label, argv, check) {
  const r = await measure(argv, { env: { ...process.env, SOURCE_DATE_EPOCH: '1767225600' } });
  if (r.exitCode !== 0) throw new Error(`${label} failed (${r.exitCode}): ${r.stderr.slice(0, 2000)}`);
  check?.(r);
  const seconds = r.wallMs / 1000;
  const mb = r.peakKb === null ? null : r.peakKb / 1024;
  const ok = seconds < TARGET_S && (mb === null || mb < TARGET_MB);
  results.push(ok);
  console.log(
    `${ok ? 'PASS' : 'MISS'}  ${label}: ${seconds.toFixed(2)} s${procAvailable && mb !== null ? `, peak ${mb.toFixed(0)} MB` : ''} (target < ${TARGET_S} s, < ${TARGET_MB} MB)`,
  );
}

const created = (expected) => (r) => {
  const report = JSON.parse(r.stdout);
  if (report.counts.created !== expected)
    throw new Error(`created ${report.counts.created}, not ${expected}`);
};

const p1 = await emptyProject('reqif-project');
await timed(
  `dossier import reqif, ${SIZE.toLocaleString('en-US')} objects (${(fs.statSync(reqif).size / 1e6).toFixed(1)} MB) → ${SIZE.toLocaleString('en-US')} record files`,
  [CLI, 'import', 'reqif', reqif, '-C', p1, '--format', 'json'],
  created(SIZE),
);
const p2 = await emptyProject('xlsx-project');
await timed(
  `dossier import xlsx, ${SIZE.toLocaleString('en-US')} rows (${(fs.statSync(xlsx).size / 1e6).toFixed(1)} MB) → ${SIZE.toLocaleString('en-US')} record files`,
  [CLI, 'import', 'xlsx', xlsx, '-C', p2, '-m', mapping, '--format', 'json'],
  created(SIZE),
);
const { dir: synthetic } = cachedProject(10_000);
await timed('dossier export reqif of the 10,000-record synthetic project', [
  CLI,
  'export',
  'reqif',
  synthetic,
  '--out',
  path.join(work, 'export.reqif'),
]);

fs.rmSync(work, { recursive: true, force: true });
process.exitCode = results.every(Boolean) ? 0 : 1;
