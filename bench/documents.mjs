#!/usr/bin/env node
// Benchmark of the documentation package (issue 12 targets):
//   - the whole package of the bundled example in all four formats: under 15 s;
//   - the Software Requirements Specification of the 10,000-record synthetic project as PDF under
//     60 s and as DOCX under 30 s, each under 1 GB peak memory.
//
//   node bench/documents.mjs [--runs 3] [--size 10000]
//
// Build first (`npm run bench` does both). Each figure is the wall time of the command a user runs,
// `dossier docs build` (load, analysis, the documents, rendering, writing), with its peak memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedProject } from './generate.mjs';
import { CLI, measure, median, option, procAvailable, ROOT } from './measure.mjs';

const RUNS = Number(option('--runs') ?? 3);
const SIZE = Number(option('--size') ?? 10_000);
const EXAMPLE = path.join(ROOT, 'examples', 'infusion-pump');
const env = { ...process.env, SOURCE_DATE_EPOCH: '1796083200' };
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-docs-'));

const { dir } = cachedProject(SIZE);
const cases = [
  {
    name: 'example package, md+html+docx+pdf',
    argv: [CLI, 'docs', 'build', EXAMPLE, '--out', out],
    targetS: 15,
  },
  {
    name: `SRS of ${SIZE.toLocaleString('en-US')} records as PDF`,
    argv: [CLI, 'docs', 'build', dir, '--only', 'SRS', '--format', 'pdf', '--out', out],
    targetS: 60,
  },
  {
    name: `SRS of ${SIZE.toLocaleString('en-US')} records as DOCX`,
    argv: [CLI, 'docs', 'build', dir, '--only', 'SRS', '--format', 'docx', '--out', out],
    targetS: 30,
  },
];
const PEAK_LIMIT_MB = 1024;

let failed = false;
console.log(`\nDocumentation package, ${RUNS} runs each`);
for (const c of cases) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measure(c.argv, { env });
    if (r.exitCode !== 0) throw new Error(`${c.name} failed (${r.exitCode}): ${r.stderr}`);
    runs.push(r);
  }
  const wall = runs.map((r) => r.wallMs / 1000);
  const peakMb = procAvailable ? Math.max(...runs.map((r) => r.peakKb ?? 0)) / 1024 : null;
  const timeOk = median(wall) < c.targetS;
  const memoryOk = peakMb === null || peakMb < PEAK_LIMIT_MB;
  failed ||= !timeOk || !memoryOk;
  console.log(
    `${timeOk && memoryOk ? 'PASS' : 'MISS'}  ${c.name}: median ${median(wall).toFixed(2)} s (target < ${c.targetS} s), min ${Math.min(...wall).toFixed(2)} s${peakMb !== null ? `, peak ${peakMb.toFixed(0)} MB (limit ${PEAK_LIMIT_MB} MB)` : ''}`,
  );
}
fs.rmSync(out, { recursive: true, force: true });
if (failed) process.exitCode = 1;
