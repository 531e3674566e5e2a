/**
 * Shared by the security tests: the CLI run asynchronously (so a local server in the test process
 * can answer it, and several runs can share the machine), with every network access denied and
 * recorded, and a snapshot of a folder to prove that nothing was written where it must not be.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, REPO } from './helpers.js';

/** Preloaded into every run: records and refuses any network access (see the file). */
export const DENY_NETWORK = pathToFileURL(path.join(REPO, 'test/deny-network.mjs')).href;

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The network accesses the command attempted (empty when it stayed offline). */
  readonly network: readonly string[];
  readonly timedOut: boolean;
}

let runCounter = 0;

/**
 * Runs `dossier <args>` in `cwd` with node's network functions replaced by ones that record the
 * attempt and throw (unless `denyNetwork: false`). Never rejects: a crash, a signal or a timeout is
 * in the result.
 */
export function runCliGuarded(
  args: readonly string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string; denyNetwork?: boolean } = {},
): Promise<CliRun> {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-net-')), `${++runCounter}.log`);
  return new Promise((resolve) => {
    const preload = options.denyNetwork === false ? [] : ['--import', DENY_NETWORK];
    const child = spawn(process.execPath, [...preload, CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', DOSSIER_TEST_NETWORK_LOG: log, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.end(options.input ?? '');
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const network = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
      fs.rmSync(path.dirname(log), { recursive: true, force: true });
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        network,
        timedOut,
      });
    });
  });
}

/** Every file under `dir` (posix paths) with the sha256 of its content; `skip` filters relative paths. */
export function snapshot(dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (skip(child)) continue;
      const full = path.join(dir, child);
      if (e.isDirectory()) walk(child);
      else if (e.isSymbolicLink()) files.set(child, `-> ${fs.readlinkSync(full)}`);
      else files.set(child, createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  walk('');
  return files;
}

/** What changed between two snapshots: added, removed and changed paths, sorted. */
export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [file, hash] of after) {
    if (!before.has(file)) changed.push(`added ${file}`);
    else if (before.get(file) !== hash) changed.push(`changed ${file}`);
  }
  for (const file of before.keys()) if (!after.has(file)) changed.push(`removed ${file}`);
  return changed.sort();
}

/** Raw characters a terminal would interpret (C0 but newline, DEL, C1, bidirectional controls). */
export const RAW_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the tests look for raw control characters
  /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What a crash looks like on either stream, whatever the command. */
export const CRASH =
  /internal error|\n\s+at \S+ \(|Maximum call stack|FATAL ERROR|JavaScript heap out of memory|Segmentation fault/;

/** Runs `tasks` with at most `limit` at a time, results in order. */
export async function limited<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
