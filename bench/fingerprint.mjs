#!/usr/bin/env node
// What change control's suspect links add to `dossier check` on the 100,000-record synthetic
// project (issue 13 target: under 15 %).
//
//   node bench/fingerprint.mjs [--runs 3] [--size 100000]
//
// Build first (`npm run bench` does both). The feature costs twice: reading the stamps
// (`linkReviews`, about 228,000 at this size) with every record, and the suspect pass (the
// fingerprint of every target of a tracked link, compared with its stamp; the stamps of links no
// longer there). Neither can be switched off in `check` (a check that skipped them would not be a
// check), so the cost is measured by parts, each in a fresh process, alternating run by run:
//   - loading the project as generated, and a copy without its `linkReviews` (written once beside
//     it, bench/.work/<size>-unstamped/): the difference is what the stamps cost to read;
//   - the suspect pass on the loaded project, from cold (no fingerprint computed yet), which also
//     pays for the fingerprints other rules (reviews, signatures) would otherwise compute: an upper
//     bound;
//   - the whole `dossier check --format json` on the project as generated.
// Added = load difference + suspect pass; the base is the check minus that. The target (fingerprinting
// adds under 15 %) is judged on the suspect pass after the review rules; the stamps' cost is printed
// beside it. Medians of wall time.

import fs from 'node:fs';
import path from 'node:path';
import { cachedProject, MARKER } from './generate.mjs';
import { CLI, measure, median, option, ROOT } from './measure.mjs';

const RUNS = Number(option('--runs') ?? 3);
const SIZE = Number(option('--size') ?? 100_000);
const TARGET = 0.15;

if (!fs.existsSync(CLI)) {
  console.error('dist/cli/main.js not found: build first (npm run bench builds)');
  process.exit(2);
}
const { dir } = cachedProject(SIZE);
const unstamped = unstampedCopy(dir);

/** Copies the project without its link review stamps (once per generated project). */
function unstampedCopy(from) {
  const to = `${from}-unstamped`;
  const marker = path.join(from, MARKER);
  const copied = path.join(to, MARKER);
  if (fs.existsSync(copied) && fs.readFileSync(copied, 'utf8') === fs.readFileSync(marker, 'utf8')) return to;
  fs.rmSync(to, { recursive: true, force: true }); // only ever bench/.work/<size>-unstamped
  const block = /^( *)linkReviews:\n(?:\1 {2}- .*\n)+/gm;
  for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || (entry.name === MARKER && (entry.parentPath ?? entry.path) === from)) continue;
    const source = path.join(entry.parentPath ?? entry.path, entry.name);
    const target = path.join(to, path.relative(from, source));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (/\.(md|yaml)$/.test(entry.name))
      fs.writeFileSync(target, fs.readFileSync(source, 'utf8').replace(block, ''));
    else fs.copyFileSync(source, target);
  }
  // Last: a copy cut short is not taken for a complete one.
  fs.copyFileSync(marker, copied);
  return to;
}

// One measurement in a fresh process: load, or load then the suspect pass. The review rules run
// first, as in \`check\` (src/rules/registry.ts): they fingerprint every reviewed record, so the pass
// is timed for what it adds after them, and also from cold (every fingerprint its own).
const PROBE = `
const [dist, dir, what] = process.argv.slice(1);
const { loadProject } = await import(dist + '/load/project.js');
const { TraceGraph } = await import(dist + '/graph/graph.js');
const { suspectLinks, orphanedStamps } = await import(dist + '/links/suspect.js');
const { reviewFingerprintMissing, reviewStale } = await import(dist + '/rules/review-fingerprints.js');
let t = performance.now();
const loaded = loadProject(dir);
if (!loaded.ok) throw new Error('did not load');
const loadMs = performance.now() - t;
let suspectMs = 0;
let suspect = 0;
if (what !== 'load') {
  const graph = new TraceGraph(loaded.project.records);
  if (what === 'after-reviews') for (const rule of [reviewFingerprintMissing, reviewStale]) [...rule.check({ graph })];
  t = performance.now();
  suspect = suspectLinks(graph).length + orphanedStamps(graph).length;
  suspectMs = performance.now() - t;
}
console.log(JSON.stringify({ loadMs, suspectMs, suspect }));
`;
const probe = async (project, what) => {
  const r = await measure(['--input-type=module', '-e', PROBE, path.join(ROOT, 'dist'), project, what]);
  if (r.exitCode !== 0) throw new Error(`probe failed: ${r.stderr}`);
  const result = JSON.parse(r.stdout);
  if (result.suspect !== 0) throw new Error(`the generated project has ${result.suspect} suspect links`);
  return result;
};

const loads = { stamped: [], unstamped: [] };
const passes = { afterReviews: [], cold: [] };
const checks = [];
await measure([CLI, 'check', dir, '--format', 'json']); // warm the file cache
for (let i = 0; i < RUNS; i++) {
  const stamped = await probe(dir, 'after-reviews');
  loads.stamped.push(stamped.loadMs / 1000);
  passes.afterReviews.push(stamped.suspectMs / 1000);
  passes.cold.push((await probe(dir, 'cold')).suspectMs / 1000);
  loads.unstamped.push((await probe(unstamped, 'load')).loadMs / 1000);
  const check = await measure([CLI, 'check', dir, '--format', 'json']);
  if (check.exitCode !== 0) throw new Error(`check failed (${check.exitCode}): ${check.stderr}`);
  checks.push(check.wallMs / 1000);
}

const stampsS = median(loads.stamped) - median(loads.unstamped);
const passS = median(passes.afterReviews);
const checkS = median(checks);
const added = stampsS + passS;
const base = checkS - added;
const pct = (x) => `${((x / base) * 100).toFixed(1)} %`;
const s = (x) => `${x.toFixed(2)} s`;
console.log(`\n${SIZE.toLocaleString('en-US')} records, ${RUNS} runs each (medians)`);
console.log(`  dossier check --format json:         ${s(checkS)}`);
console.log(
  `  load with stamps / without:          ${s(median(loads.stamped))} / ${s(median(loads.unstamped))}: reading the stamps ${s(stampsS)} (${pct(stampsS)})`,
);
console.log(
  `  suspect pass after the review rules: ${s(passS)} (${pct(passS)}); from cold, every fingerprint its own: ${s(median(passes.cold))}`,
);
console.log(`  added in all: ${s(added)} = ${pct(added)} of the check without them`);
// The target is on fingerprinting: what the suspect pass (every target's fingerprint, compared with
// its stamp) adds to a check that already fingerprints reviewed records. Reading the stamps is the
// price of review state kept on the records, one line per link (docs/change-control.md): reported
// above, not hidden in the verdict.
const ok = passS / base < TARGET;
console.log(
  `${ok ? 'PASS' : 'MISS'}  fingerprinting (the suspect pass) adds < ${TARGET * 100} % to check (measured ${pct(passS)}; with reading the stamps ${pct(added)})`,
);
if (!ok) process.exitCode = 1;
