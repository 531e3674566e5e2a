#!/usr/bin/env node
// Benchmark of the gap scan on the 100,000-record synthetic project (issue 11 target: under 5 s).
//
//   node bench/gap-scan.mjs [--runs 3] [--size 100000]
//
// Build first (`npm run bench` does both). Times the whole command a CI job runs,
// `dossier gap-scan <project> --format json` (load, analysis, release gate of the version judged,
// every evaluator, the JSON report), as wall time of the child process with its peak memory, in three
// modes as bench/run.mjs does: `cold` (--no-cache), `touched` (one record file's identity changed
// before the run: the result cache cannot give the report, the parse cache holds every text) and
// `warm` (nothing changed: the result cache gives the report). `dossier check --format json`
// (touched) alternates with them run by run, so that a shared machine's load hits all alike and the
// scan's cost over the check it builds on is visible. In this process it also times the scan alone
// (gapScan over an analysis already made), in CPU time. The target is judged in each mode.
import { cachedProject } from './generate.mjs';
import { CLI, measure, median, option, procAvailable, touchOneRecordFile } from './measure.mjs';

const RUNS = Number(option('--runs') ?? 3);
const SIZE = Number(option('--size') ?? 100_000);
const TARGET_S = 5;

const { dir } = cachedProject(SIZE);
const env = { ...process.env, DOSSIER_TODAY: '2026-12-01' };
const scanArgv = [CLI, 'gap-scan', dir, '--format', 'json'];
const commands = {
  'gap-scan cold': { argv: [...scanArgv, '--no-cache'] },
  'gap-scan touched': { argv: scanArgv, touch: true },
  'gap-scan warm': { argv: scanArgv },
  'check touched': { argv: [CLI, 'check', dir, '--format', 'json'], touch: true },
};

const results = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (const { argv } of Object.values(commands)) await measure(argv, { env }); // warm the file cache
let reference;
for (let i = 0; i < RUNS; i++) {
  for (const [name, { argv, touch }] of Object.entries(commands)) {
    if (touch) touchOneRecordFile(dir);
    const r = await measure(argv, { env });
    // Exit 1 is the expected verdict (the synthetic project has no plans, reviews or attestations).
    if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${name} failed (${r.exitCode}): ${r.stderr}`);
    if (name.startsWith('gap-scan')) {
      if (JSON.parse(r.stdout).clauses.length !== 97)
        throw new Error('the gap scan did not list the 97 clauses');
      reference ??= r.stdout;
      if (r.stdout !== reference) throw new Error(`${name}: the report differs from the first run's`);
    }
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
console.log(`\n${SIZE.toLocaleString('en-US')} records, ${RUNS} runs each`);
for (const name of Object.keys(commands)) console.log(`  dossier ${name.padEnd(17)} ${line(name).text}`);
console.log(
  `  gap-scan / check (touched): ${(line('gap-scan touched').median / line('check touched').median).toFixed(2)} ×; the scan alone (gapScan, CPU): median ${median(scanCpu).toFixed(2)} s`,
);
for (const mode of ['cold', 'touched', 'warm']) {
  const { median: m } = line(`gap-scan ${mode}`);
  const ok = m < TARGET_S;
  console.log(
    `${ok ? 'PASS' : 'MISS'}  gap-scan of ${SIZE.toLocaleString('en-US')} records, ${mode}: < ${TARGET_S} s (measured ${m.toFixed(2)} s)`,
  );
  if (!ok) process.exitCode = 1;
}
