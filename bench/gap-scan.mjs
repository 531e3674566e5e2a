#!/usr/bin/env node
// Benchmark of the gap scan on the 100,000-record synthetic project (issue 11 target: under 5 s).
//
//   node bench/gap-scan.mjs [--runs 3] [--size 100000]
//
// Build first (`npm run bench` does both). Times the whole command a CI job runs,
// `dossier gap-scan <project> --format json` (load, analysis, release gate of the version judged,
// every evaluator, the JSON report), as wall time of the child process with its peak memory, and
// `dossier check --format json` alternating with it run by run, so that a shared machine's load hits
// both alike and the scan's cost over the check it builds on is visible. In this process it also
// times the scan alone (gapScan over an analysis already made), in CPU time. The target is judged
// on the command's median wall time.
import { cachedProject } from './generate.mjs';
import { CLI, measure, median, option, procAvailable } from './measure.mjs';

const RUNS = Number(option('--runs') ?? 3);
const SIZE = Number(option('--size') ?? 100_000);
const TARGET_S = 5;

const { dir } = cachedProject(SIZE);
const env = { ...process.env, DOSSIER_TODAY: '2026-12-01' };
const commands = {
  'gap-scan': [CLI, 'gap-scan', dir, '--format', 'json'],
  check: [CLI, 'check', dir, '--format', 'json'],
};

const results = { 'gap-scan': [], check: [] };
for (const argv of Object.values(commands)) await measure(argv, { env }); // warm the file cache
for (let i = 0; i < RUNS; i++) {
  for (const [name, argv] of Object.entries(commands)) {
    const r = await measure(argv, { env });
    // Exit 1 is the expected verdict (the synthetic project has no plans, reviews or attestations).
    if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${name} failed (${r.exitCode}): ${r.stderr}`);
    if (name === 'gap-scan' && JSON.parse(r.stdout).clauses.length !== 97)
      throw new Error('the gap scan did not list the 97 clauses');
    results[name].push(r);
  }
}

// The scan alone, in process, in CPU time (the machine's load does not inflate it).
const { loadProject } = await import('../dist/load/project.js');
const { analyze } = await import('../dist/analyze.js');
const { gapScan } = await import('../dist/gap/scan.js');
const loaded = loadProject(dir);
if (!loaded.ok) throw new Error('the generated project did not load');
const analysis = analyze(loaded.project, { today: env.DOSSIER_TODAY });
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const scanCpu = [];
for (let i = 0; i < RUNS; i++) {
  const start = cpuMs();
  gapScan(analysis);
  scanCpu.push((cpuMs() - start) / 1000);
}

const line = (name) => {
  const runs = results[name];
  const wall = runs.map((r) => r.wallMs / 1000);
  const peaks = runs.map((r) => r.peakKb).filter((kb) => kb !== null);
  return {
    median: median(wall),
    text: `median ${median(wall).toFixed(2)} s, min ${Math.min(...wall).toFixed(2)} s${procAvailable && peaks.length ? `, peak ${(Math.max(...peaks) / 1024).toFixed(0)} MB` : ''}`,
  };
};
const scan = line('gap-scan');
const check = line('check');
console.log(`\n${SIZE.toLocaleString('en-US')} records, ${RUNS} runs each`);
console.log(`  dossier gap-scan --format json: ${scan.text}`);
console.log(`  dossier check --format json:    ${check.text}`);
console.log(
  `  gap-scan / check: ${(scan.median / check.median).toFixed(2)} ×; the scan alone (gapScan, CPU): median ${median(scanCpu).toFixed(2)} s`,
);
const ok = scan.median < TARGET_S;
console.log(
  `${ok ? 'PASS' : 'MISS'}  gap-scan of ${SIZE.toLocaleString('en-US')} records < ${TARGET_S} s (measured ${scan.median.toFixed(2)} s)`,
);
if (!ok) process.exitCode = 1;
