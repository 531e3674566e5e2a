#!/usr/bin/env node
// Benchmark of the verdict commands on the 100,000-record synthetic project (issue 9 targets):
//   - `dossier release check 0.1.0`: at most 0.7 × the baseline's time, peak memory < 600 MB;
//   - `dossier check`: no slower than the baseline.
//
//   node bench/gate.mjs [--baseline <checkout>] [--runs 3] [--size 100000]
//
// Build first (`npm run bench` does both). `--baseline` names another checkout of Dossier with its
// own `dist/` built (e.g. `git worktree add ../dossier-base <commit> && (cd ../dossier-base && npm
// ci && npm run build)`): both are run on the same generated project, alternating run by run, so
// that the machine's load hits both alike. Without it only this checkout is measured and the
// relative targets are not judged.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedProject } from './generate.mjs';
import { measure, median, option, procAvailable } from './measure.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const RUNS = Number(option('--runs') ?? 3);
const SIZE = Number(option('--size') ?? 100_000);
const baselineRoot = option('--baseline');

const versions = [{ name: 'this checkout', cli: path.join(ROOT, 'dist', 'cli', 'main.js') }];
if (baselineRoot) {
  const cli = path.resolve(baselineRoot, 'dist', 'cli', 'main.js');
  if (!fs.existsSync(cli)) {
    console.error(`--baseline: ${cli} does not exist; build the baseline checkout first`);
    process.exit(2);
  }
  versions.push({ name: `baseline (${baselineRoot})`, cli });
}

const dir = cachedProject(SIZE).dir;
const manifest = path.join(os.tmpdir(), `dossier-bench-manifest-${process.pid}.json`);
const commands = {
  check: (cli) => [cli, 'check', dir, '--format', 'json'],
  'release check': (cli) => [
    cli,
    'release',
    'check',
    '0.1.0',
    dir,
    '--format',
    'json',
    '--manifest',
    manifest,
  ],
};
// The generated project is not in git: a fixed build date keeps the documents the same run to run.
const env = { ...process.env, SOURCE_DATE_EPOCH: '1793491200' };

const results = {};
for (const [command, argsOf] of Object.entries(commands)) {
  for (const v of versions) await measure(argsOf(v.cli), { env }); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    for (const v of versions) {
      const r = await measure(argsOf(v.cli), { env });
      if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${v.name} ${command} failed: ${r.stderr}`);
      const key = `${command}|${v.name}`;
      results[key] = results[key] ?? { wall: [], peak: [] };
      results[key].wall.push(r.wallMs / 1000);
      if (r.peakKb !== null) results[key].peak.push(r.peakKb / 1024);
    }
  }
}
fs.rmSync(manifest, { force: true });

const rows = [];
for (const command of Object.keys(commands)) {
  for (const v of versions) {
    const r = results[`${command}|${v.name}`];
    rows.push([
      command,
      v.name,
      median(r.wall).toFixed(2),
      Math.min(...r.wall).toFixed(2),
      r.peak.length ? Math.max(...r.peak).toFixed(0) : 'n/a',
    ]);
  }
}
const header = ['command', 'version', 'median s', 'min s', 'peak MB'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(
  `\n${SIZE.toLocaleString('en-US')} records, ${RUNS} runs each${procAvailable ? '' : ' (no /proc: peak n/a)'}`,
);
console.log(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const r of rows) console.log(line(r));

const verdicts = [];
const ours = (command) => results[`${command}|${versions[0].name}`];
const gatePeak = Math.max(...ours('release check').peak);
if (procAvailable) verdicts.push(['release check peak < 600 MB', gatePeak < 600]);
if (versions.length > 1) {
  const base = (command) => results[`${command}|${versions[1].name}`];
  const ratio = median(ours('release check').wall) / median(base('release check').wall);
  verdicts.push([`release check ≤ 0.7 × baseline (${ratio.toFixed(2)} ×)`, ratio <= 0.7]);
  const checkRatio = median(ours('check').wall) / median(base('check').wall);
  // "No slower": within 10 % of the baseline, the run-to-run noise of a shared machine.
  verdicts.push([`check no slower than baseline (${checkRatio.toFixed(2)} ×)`, checkRatio <= 1.1]);
}
for (const [name, ok] of verdicts) console.log(`${ok ? 'PASS' : 'MISS'}  ${name}`);
if (verdicts.some(([, ok]) => !ok)) process.exitCode = 1;
