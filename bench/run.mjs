#!/usr/bin/env node
// Benchmark of `dossier check` on synthetic projects.
//
//   node bench/run.mjs [--sizes 1000,10000,100000] [--seed N] [--runs 3] [--projects standard,warnings]
//
// Build first (`npm run bench` does both). For each size and project (the standard one, and the
// warnings-heavy one: a quarter of the requirements untested, bench/generate.mjs --untested): generate
// the project into bench/.work/<size>[-untested]/ (reused when the marker shows the same size, seed
// and generator), run `node dist/cli/main.js check <dir> --format json --no-cache` once to warm the
// file cache, then time `--runs` runs of each mode, alternating run by run so that a shared machine's
// load hits them alike: `first` (as `cold`, without the command's code cache: the first run after
// installing), `cold` (--no-cache: every file parsed, as on a fresh checkout), `touched`
// (one record file's identity changed 2 s before the run, so that the result cache cannot give the
// report and the run reads every file, but the parse cache holds every text) and `warm` (nothing
// changed since the `touched` run: the result cache gives the report). Reports the median and minimum wall
// time and the peak resident memory (VmHWM, polled from /proc every 10 ms), checks that the project
// has 0 errors and that both modes print the same report, and compares the results against the
// performance targets. Start-up (`--version`) is timed the same way.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedProject, GENERATOR_HASH, WARNINGS_UNTESTED } from './generate.mjs';
import { measure, median, procAvailable, touchOneRecordFile } from './measure.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const WORK = path.join(BENCH, '.work');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

// Issue 14: cold check at most half of the earlier 0.9 s / 1.9 s / 8.3 s on the warnings-heavy
// project; start-up under 0.25 s; with the cache, 100,000 records under 2 s.
const TARGETS = [
  {
    name: 'start-up (--version): median < 0.25 s',
    project: 'startup',
    metric: 'medianS',
    limit: 0.25,
    unit: 's',
  },
  {
    name: '1,000 records, warnings-heavy, cold: median < 0.45 s',
    size: 1_000,
    project: 'warnings',
    mode: 'cold',
    metric: 'medianS',
    limit: 0.45,
    unit: 's',
  },
  {
    name: '10,000 records, warnings-heavy, cold: median < 0.95 s',
    size: 10_000,
    project: 'warnings',
    mode: 'cold',
    metric: 'medianS',
    limit: 0.95,
    unit: 's',
  },
  {
    name: '100,000 records, warnings-heavy, cold: median < 4.15 s',
    size: 100_000,
    project: 'warnings',
    mode: 'cold',
    metric: 'medianS',
    limit: 4.15,
    unit: 's',
  },
  {
    name: '100,000 records, warm cache: median < 2 s',
    size: 100_000,
    project: 'standard',
    mode: 'warm',
    metric: 'medianS',
    limit: 2,
    unit: 's',
  },
  {
    name: '100,000 records, warnings-heavy, warm cache: median < 2 s',
    size: 100_000,
    project: 'warnings',
    mode: 'warm',
    metric: 'medianS',
    limit: 2,
    unit: 's',
  },
  {
    name: '10,000 records, cold: median < 1 s',
    size: 10_000,
    project: 'standard',
    mode: 'cold',
    metric: 'medianS',
    limit: 1,
    unit: 's',
  },
  {
    name: '100,000 records, cold: median < 5 s',
    size: 100_000,
    project: 'standard',
    mode: 'cold',
    metric: 'medianS',
    limit: 5,
    unit: 's',
  },
  {
    name: '100,000 records: peak memory < 1 GB',
    size: 100_000,
    project: 'standard',
    mode: 'cold',
    metric: 'peakMB',
    limit: 1024,
    unit: 'MB',
  },
];
const PROJECTS = { standard: 0, warnings: WARNINGS_UNTESTED };
// `first`: as `cold`, without the command's code cache (src/cli/code-cache.ts): the first run after
// installing Dossier or upgrading Node. Every other run uses the code cache in CODE_CACHE, which the
// warm-up run fills (as a user's first run does).
const MODES = { first: ['--no-cache'], cold: ['--no-cache'], touched: [], warm: [] };
const CODE_CACHE = path.join(WORK, 'code-cache');
const envOf = (mode) => ({ ...process.env, DOSSIER_CODE_CACHE: mode === 'first' ? 'off' : CODE_CACHE });

function parseArgs(argv) {
  const options = { sizes: [1_000, 10_000, 100_000], seed: 1, runs: 3, projects: Object.keys(PROJECTS) };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--sizes')
      options.sizes = value()
        .split(',')
        .map((s) => Number(s.replace(/_/g, '')));
    else if (flag === '--seed') options.seed = Number(value());
    else if (flag === '--runs') options.runs = Number(value());
    else if (flag === '--projects') options.projects = value().split(',');
    else {
      console.error(
        `unknown argument ${argv[i]}\nusage: node bench/run.mjs [--sizes 1000,10000] [--seed N] [--runs 3] [--projects standard,warnings]`,
      );
      process.exit(2);
    }
  }
  if (!options.sizes.every((n) => Number.isInteger(n) && n >= 20)) throw new Error('--sizes: integers ≥ 20');
  if (!Number.isInteger(options.seed)) throw new Error('--seed: an integer');
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs: an integer ≥ 1');
  if (!options.projects.every((p) => p in PROJECTS)) throw new Error('--projects: standard, warnings');
  return options;
}

/** One `dossier check` run: wall time, peak memory, exit code and parsed JSON report. */
async function runCheck(dir, mode) {
  const { wallMs, peakKb, exitCode, stdout, stderr } = await measure(
    [CLI, 'check', dir, '--format', 'json', ...MODES[mode]],
    { env: envOf(mode) },
  );
  let report = null;
  try {
    report = JSON.parse(stdout);
  } catch {
    // reported below
  }
  return { wallMs, peakKb, exitCode, report, stdout, stderr };
}

function pad(text, width, right = true) {
  const s = String(text);
  return right ? s.padStart(width) : s.padEnd(width);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(CLI)) {
    console.error(
      `${path.relative(process.cwd(), CLI)} not found: build first (npx tsc -p tsconfig.build.json, or npm run bench)`,
    );
    process.exit(2);
  }
  fs.mkdirSync(WORK, { recursive: true });
  fs.rmSync(CODE_CACHE, { recursive: true, force: true });
  console.log(
    `dossier check benchmark: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ` +
      `seed ${options.seed}, ${options.runs} timed runs after 1 warm-up` +
      (procAvailable ? '' : ' (no /proc: peak memory n/a)'),
  );

  const results = [];
  let problems = 0;
  // Start-up: the command line alone.
  {
    const wall = [];
    const env = envOf('cold');
    await measure([CLI, '--version'], { env });
    for (let i = 0; i < Math.max(5, options.runs); i++)
      wall.push((await measure([CLI, '--version'], { env })).wallMs);
    results.push({
      project: 'startup',
      mode: '',
      size: 0,
      records: null,
      files: null,
      medianS: median(wall) / 1000,
      minS: Math.min(...wall) / 1000,
      peakMB: null,
      errors: null,
      warnings: null,
      runsS: wall.map((ms) => ms / 1000),
      notes: [],
    });
  }
  for (const size of options.sizes) {
    for (const project of options.projects) {
      const { dir, generated, generateS } = cachedProject(size, options.seed, {
        untested: PROJECTS[project],
      });
      process.stdout.write(
        `  ${size} records, ${project}: ${generated ? `generated in ${generateS.toFixed(2)} s` : 'reusing generated project'}; running`,
      );
      fs.rmSync(path.join(dir, '.dossier', 'cache'), { recursive: true, force: true });
      await runCheck(dir, 'cold'); // warm-up (file cache, code cache)
      await runCheck(dir, 'warm'); // fills the parse cache
      const runs = Object.fromEntries(Object.keys(MODES).map((mode) => [mode, []]));
      for (let i = 0; i < options.runs; i++) {
        for (const mode of Object.keys(MODES)) {
          if (mode === 'touched') touchOneRecordFile(dir);
          runs[mode].push(await runCheck(dir, mode));
          process.stdout.write('.');
        }
      }
      process.stdout.write('\n');
      const reference = runs.cold[0].stdout;
      for (const [mode, modeRuns] of Object.entries(runs)) {
        const last = modeRuns[modeRuns.length - 1];
        const notes = [];
        for (const run of modeRuns) {
          if (run.exitCode !== 0 && run.exitCode !== 1)
            notes.push(`exit code ${run.exitCode}: ${run.stderr.trim().slice(0, 500)}`);
          if (!run.report) notes.push('output is not a JSON report');
          if (run.stdout !== reference) notes.push('the report differs from the cold run (--no-cache)');
        }
        const summary = last.report?.summary ?? null;
        if (summary && summary.errors !== 0) {
          const first = last.report.diagnostics.filter((d) => d.severity === 'error').slice(0, 5);
          notes.push(
            `${summary.errors} errors, e.g. ${first.map((d) => `${d.code}: ${d.message}`).join('; ')}`,
          );
        }
        const peaks = modeRuns.map((r) => r.peakKb).filter((kb) => kb !== null);
        const result = {
          project,
          mode,
          size,
          records: summary?.records ?? null,
          files: summary?.files ?? null,
          medianS: median(modeRuns.map((r) => r.wallMs)) / 1000,
          minS: Math.min(...modeRuns.map((r) => r.wallMs)) / 1000,
          peakMB: peaks.length > 0 ? Math.max(...peaks) / 1024 : null,
          errors: summary?.errors ?? null,
          warnings: summary?.warnings ?? null,
          runsS: modeRuns.map((r) => r.wallMs / 1000),
          exitCodes: modeRuns.map((r) => r.exitCode),
          generateS,
          notes: [...new Set(notes)],
        };
        if (result.notes.length > 0) problems++;
        results.push(result);
      }
    }
  }

  // Table
  const header = [
    'project',
    'cache',
    'records',
    'files',
    'median s',
    'min s',
    'peak MB',
    'errors',
    'warnings',
  ];
  const widths = [9, 7, 9, 8, 9, 7, 8, 7, 9];
  const rows = results.map((r) => [
    r.project,
    r.mode,
    r.project === 'startup' ? '-' : (r.records ?? r.size),
    r.project === 'startup' ? '-' : (r.files ?? '?'),
    r.medianS.toFixed(3),
    r.minS.toFixed(3),
    r.peakMB === null ? 'n/a' : r.peakMB.toFixed(0),
    r.project === 'startup' ? '-' : (r.errors ?? '?'),
    r.project === 'startup' ? '-' : (r.warnings ?? '?'),
  ]);
  console.log('');
  console.log(header.map((h, i) => pad(h, widths[i], i > 1)).join('  '));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(row.map((c, i) => pad(c, widths[i], i > 1)).join('  '));
  for (const r of results)
    for (const note of r.notes) console.log(`  ! ${r.size} ${r.project} ${r.mode}: ${note}`);

  // Targets
  console.log('');
  const targets = TARGETS.map((t) => {
    const r = results.find(
      (x) => x.project === t.project && (t.project === 'startup' || (x.size === t.size && x.mode === t.mode)),
    );
    const value = r ? r[t.metric] : null;
    const verdict = !r ? 'NOT RUN' : value === null ? 'N/A' : value < t.limit ? 'PASS' : 'MISS';
    const shown = value === null ? (r ? 'n/a' : '-') : `${value.toFixed(t.unit === 's' ? 3 : 0)} ${t.unit}`;
    console.log(`  ${pad(verdict, 7, false)}  ${t.name} (measured ${shown})`);
    return { ...t, value, verdict };
  });

  const out = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? null,
    cpus: os.cpus().length,
    totalMemoryMB: Math.round(os.totalmem() / 1024 / 1024),
    seed: options.seed,
    runs: options.runs,
    generator: GENERATOR_HASH,
    peakMemory: procAvailable ? `VmHWM from /proc/<pid>/status, polled every 10 ms` : 'n/a',
    results,
    targets,
  };
  const resultsPath = path.join(WORK, 'results.json');
  fs.writeFileSync(resultsPath, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nResults written to ${path.relative(process.cwd(), resultsPath)}`);
  if (problems > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
