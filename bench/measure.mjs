// Runs a command as a child process and measures it: wall time from spawn to exit, and peak
// resident memory (VmHWM from /proc/<pid>/status, polled every 10 ms; null without /proc).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds } from './cpu-time.mjs';

/** The bench folder, the repository, and the command as users run it (build first). */
export const BENCH = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.dirname(BENCH);
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

const POLL_MS = 10;

export function readHwmKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export const procAvailable = fs.existsSync(`/proc/${process.pid}/status`) && readHwmKb(process.pid) !== null;

/** Spawns `node <args…>`; resolves with { wallMs, peakKb, exitCode, stdout, stderr }. */
export function measure(args, options = {}) {
  return new Promise((resolve, reject) => {
    const out = [];
    const err = [];
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let peakKb = null;
    const poll = () => {
      const kb = readHwmKb(child.pid);
      if (kb !== null && (peakKb === null || kb > peakKb)) peakKb = kb;
    };
    const timer = procAvailable ? setInterval(poll, POLL_MS) : null;
    if (procAvailable) poll();
    let wallMs = null;
    let exitCode = null;
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', (error) => {
      if (timer) clearInterval(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      wallMs = performance.now() - start;
      exitCode = code ?? signal;
      if (timer) clearInterval(timer);
    });
    child.on('close', () =>
      resolve({
        wallMs,
        peakKb,
        exitCode,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The value after `--name` on the command line of a bench script, or undefined. */
export function option(name) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * Times a command that prints JSON: one warm-up run (the file cache), then `runs` timed runs, each
 * required to exit 0, then `runs` runs in CPU time. Wall seconds, peak MB, CPU seconds and the
 * last report.
 */
export async function timeJsonCommand(argv, runs, what) {
  await measure(argv);
  const wall = [];
  const peak = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const r = await measure(argv);
    if (r.exitCode !== 0) throw new Error(`${what} failed (${r.exitCode}): ${r.stderr}`);
    wall.push(r.wallMs / 1000);
    if (r.peakKb !== null) peak.push(r.peakKb / 1024);
    report = JSON.parse(r.stdout);
  }
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const seconds = cpuSeconds(argv);
    if (seconds !== null) cpu.push(seconds);
  }
  return { wall, peak, cpu, report };
}

/** Prints a results table: the first column left-aligned, the others right-aligned. */
export function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/**
 * Changes one record file's identity (its times, not its content) and waits until it is outside the
 * racy window: the result cache (docs/config.md#the-result-cache) cannot give the next report, and
 * the run after it may keep its own. What a `check` after an edit costs.
 */
export function touchOneRecordFile(dir) {
  const folder = path.join(dir, 'records', 'software');
  const first = fs
    .readdirSync(folder, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'))
    .sort()[0];
  const now = new Date();
  fs.utimesSync(path.join(folder, first), now, now);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_100);
}
