// The result cache (src/load/result-cache.ts): `check` and `gap-scan` give a kept report only while
// nothing it was computed from changed. Each test keeps a report, changes one thing the report may
// depend on, and requires a fresh run whose output equals `--no-cache`'s. A stale report would be a
// false pass, so every way in is tried: record files edited, added, removed; a file that only a rule
// reads; the environment; the date; the options; a cache file of another user.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Entry, entriesToKeep, MAX_RESULTS, RESULT_ENV } from '../src/load/result-cache.js';
import { CACHE_DIR } from '../src/load/signed-cache-file.js';
import { TRUST_ROOT_ENV } from '../src/signatures/trust-root.js';
import { RACY_MS } from '../src/util/input-trace.js';
import { REPO, runCli, starterProject } from './helpers.js';

const keyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-key-'));
const ENV = { DOSSIER_TODAY: '2026-12-01', DOSSIER_DEBUG: '1', XDG_CACHE_HOME: keyHome };
const REUSED = /result cache: report reused/;
const RESULTS = (dir: string) => path.join(dir, CACHE_DIR, 'results-v1.bin');

/** Waits until files written now are outside the racy window (a run may keep what it read). */
const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RACY_MS + 150);

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = runCli(args, REPO, { ...ENV, ...env });
  return { ...r, reused: REUSED.test(r.stderr) };
}

/** The same command without any cache: what the report must be. */
function fresh(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli([...args, '--no-cache'], REPO, { ...ENV, ...env });
}

/** One project per test, all written before a single wait, each with a report kept. */
const NAMES = [
  'same',
  'edit',
  'add',
  'remove',
  'rule-file',
  'env',
  'today',
  'format',
  'other-user',
  'gap',
  'advisories',
] as const;
const projects = {} as Record<(typeof NAMES)[number], string>;
const checkJson = (dir: string) => ['check', dir, '--format', 'json'];

beforeAll(() => {
  for (const name of NAMES) projects[name] = starterProject();
  settle();
  for (const name of NAMES) {
    const kept = run(
      name === 'gap' ? ['gap-scan', projects[name], '--format', 'json'] : checkJson(projects[name]),
    );
    expect(kept.reused).toBe(false);
    expect(kept.stderr).not.toMatch(/not kept/);
    expect(fs.existsSync(RESULTS(projects[name]))).toBe(true);
  }
}, 120_000);

describe('reused while nothing changed', () => {
  it('gives the same report and exit code as a run without cache, without writing the cache again', () => {
    const dir = projects.same;
    const written = fs.statSync(RESULTS(dir)).mtimeMs;
    const again = run(checkJson(dir));
    expect(again.reused).toBe(true);
    const plain = fresh(checkJson(dir));
    expect(again.stdout).toBe(plain.stdout);
    expect(again.code).toBe(plain.code);
    expect(fs.statSync(RESULTS(dir)).mtimeMs).toBe(written);
  });

  it('never with --no-cache or DOSSIER_NO_CACHE', () => {
    const dir = projects.same;
    expect(run([...checkJson(dir), '--no-cache']).reused).toBe(false);
    expect(run(checkJson(dir), { DOSSIER_NO_CACHE: '1' }).reused).toBe(false);
  });
});

describe('run again when what the report was computed from changed', () => {
  it('a record file edited: the new error is reported, exit 1', () => {
    const dir = projects.edit;
    const file = path.join(dir, 'records', 'software', 'SRS-001.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: [unclosed'));
    const after = run(checkJson(dir));
    expect(after.reused).toBe(false);
    expect(after.stdout).toContain('SRS-001.md');
    expect(after.code).toBe(1);
    expect(after.stdout).toBe(fresh(checkJson(dir)).stdout);
  });

  it('a record file added in a new folder, and one removed', () => {
    const add = projects.add;
    fs.mkdirSync(path.join(add, 'records', 'software', 'more'));
    fs.writeFileSync(
      path.join(add, 'records', 'software', 'more', 'SRS-900.md'),
      '---\nid: SRS-900\ntitle: Added\nstatus: draft\n---\nThe pump shall do more.\n',
    );
    const added = run(checkJson(add));
    expect(added.reused).toBe(false);
    expect(added.stdout).toContain('SRS-900');
    expect(added.stdout).toBe(fresh(checkJson(add)).stdout);

    const remove = projects.remove;
    const before = JSON.parse(run(checkJson(remove)).stdout).summary.records as number;
    fs.rmSync(path.join(remove, 'records', 'software', 'SRS-001.md'));
    const removed = run(checkJson(remove));
    expect(removed.reused).toBe(false);
    expect(JSON.parse(removed.stdout).summary.records).toBe(before - 1);
  });

  it('a file only a rule reads (signers.yaml, not a record file) appearing', () => {
    const dir = projects['rule-file'];
    fs.writeFileSync(path.join(dir, 'signers.yaml'), 'signers: [\n');
    const after = run(checkJson(dir));
    expect(after.reused).toBe(false);
    expect(after.stdout).toBe(fresh(checkJson(dir)).stdout);
  });

  it('a Dossier variable of the environment, and the date', () => {
    const env = run(checkJson(projects.env), { [TRUST_ROOT_ENV]: `sha256:${'0'.repeat(64)}` });
    expect(env.reused).toBe(false);
    expect(run(checkJson(projects.env)).reused).toBe(true);
    const today = run(checkJson(projects.today), { DOSSIER_TODAY: '2027-12-01' });
    expect(today.reused).toBe(false);
    expect(today.stdout).toBe(fresh(checkJson(projects.today), { DOSSIER_TODAY: '2027-12-01' }).stdout);
  });

  it('another format or --strict is another report; each is kept on its own', () => {
    const dir = projects.format;
    const text = run(['check', dir, '--format', 'text']);
    expect(text.reused).toBe(false);
    expect(run(['check', dir, '--format', 'text']).reused).toBe(true);
    expect(run(checkJson(dir)).reused).toBe(true);
    const strict = run([...checkJson(dir), '--strict']);
    expect(strict.reused).toBe(false);
    expect(strict.code).toBe(fresh([...checkJson(dir), '--strict']).code);
  });

  it('a cache file signed by another user is never used', () => {
    const dir = projects['other-user'];
    const otherHome = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-key-'));
    expect(run(checkJson(dir), { XDG_CACHE_HOME: otherHome }).reused).toBe(false);
  });

  it('an advisory database appearing', () => {
    const dir = projects.advisories;
    fs.mkdirSync(path.join(dir, '.dossier'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.dossier', 'advisories.sqlite'), 'not a database');
    const after = run(checkJson(dir));
    expect(after.reused).toBe(false);
    expect(after.code).toBe(fresh(checkJson(dir)).code);
  });

  it('gap-scan: reused, then run again after an edit', () => {
    const dir = projects.gap;
    const args = ['gap-scan', dir, '--format', 'json'];
    const again = run(args);
    expect(again.reused).toBe(true);
    expect(again.stdout).toBe(fresh(args).stdout);
    fs.rmSync(path.join(dir, 'records', 'software', 'SRS-001.md'));
    const after = run(args);
    expect(after.reused).toBe(false);
    expect(after.stdout).toBe(fresh(args).stdout);
  });
});

describe('not kept when the run could not be fully traced', () => {
  it('records that did not load (git is asked what they held)', () => {
    const dir = starterProject({ 'records/software/broken.yaml': 'kind: test\nrecords: [\n' });
    settle();
    const first = run(checkJson(dir));
    expect(first.stderr).toMatch(/report not kept: (records did not load|git was asked)/);
    expect(run(checkJson(dir)).reused).toBe(false);
  });

  it('files changed just before the run', () => {
    const dir = starterProject();
    expect(run(checkJson(dir)).stderr).toMatch(/report not kept: .* changed less than 2 s before the run/);
  });
});

describe('what is kept', () => {
  const entry = (variant: string, chars: number): Entry => ({
    variant,
    text: 'x'.repeat(chars),
    exitCode: 0,
    observations: ['s/p/a.md'],
    states: ['x'],
  });

  it('the newest results within the count and the size budget, the newest always', () => {
    const newestFirst = Array.from({ length: MAX_RESULTS + 2 }, (_, i) => entry(`v${i}`, 10));
    expect(entriesToKeep(newestFirst).map((e) => e.variant)).toEqual(
      newestFirst.slice(0, MAX_RESULTS).map((e) => e.variant),
    );
    // Each about 100 characters with its observation: a budget of 250 keeps two.
    const big = ['a', 'b', 'c'].map((v) => entry(v, 90));
    expect(entriesToKeep(big, 250).map((e) => e.variant)).toEqual(['a', 'b']);
    expect(entriesToKeep([entry('huge', 1000), ...big], 250).map((e) => e.variant)).toEqual(['huge']);
  });
});

describe('every environment variable Dossier reads names the report', () => {
  it('each one read in src/ is in RESULT_ENV', () => {
    const names = new Set<string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          const text = fs.readFileSync(p, 'utf8');
          for (const m of text.matchAll(/\benv\.([A-Z_][A-Z0-9_]*)/g)) names.add(m[1]!);
          for (const m of text.matchAll(/\benv\[([A-Za-z_]+)\]/g)) names.add(`[${m[1]}]`);
        }
      }
    };
    walk(path.join(REPO, 'src'));
    // Variables read through a constant: the constants' values.
    const constants: Record<string, string> = {
      '[TRUST_ROOT_ENV]': TRUST_ROOT_ENV,
      '[CLI_OVERRIDE]': 'DOSSIER_SELF_VALIDATE_CLI',
    };
    const read = [...names].map((n) => constants[n] ?? n);
    expect(read.length).toBeGreaterThan(5);
    expect(read.filter((n) => !RESULT_ENV.test(n))).toEqual([]);
  });
});
