import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES } from '../src/cli/code-cache.js';
import { CLI, REPO } from './helpers.js';

// The code cache of the command's chunks (src/cli/code-cache.ts). It hooks Node's CommonJS loader
// for the whole process, so each case runs in a child process: a small "bundle" of two .cjs files,
// loaded as dist/cli/main.js loads cli.cjs, with the cache in a folder of the test's own.
const COMPILED = pathToFileURL(path.join(REPO, 'dist/cli/code-cache.js')).href;

interface Run {
  stats: { used: number; compiled: number; written: number };
  value: string;
}

function bundle(dep = "module.exports = 'first';"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-code-'));
  fs.writeFileSync(path.join(dir, 'entry.cjs'), "module.exports = require('./dep.cjs');\n");
  fs.writeFileSync(path.join(dir, 'dep.cjs'), `${dep}\n`);
  fs.writeFileSync(
    path.join(dir, 'run.mjs'),
    [
      `import { installCodeCache } from ${JSON.stringify(COMPILED)};`,
      "import { createRequire } from 'node:module';",
      'const stats = installCodeCache(import.meta.dirname);',
      "const value = createRequire(import.meta.url)('./entry.cjs');",
      // Registered after the cache's own handler: prints what it wrote too.
      "process.on('exit', () => console.log(JSON.stringify({ stats, value })));",
    ].join('\n'),
  );
  return dir;
}

function run(dir: string, cache: string, nodeOptions = ''): Run {
  const result = spawnSync(process.execPath, [path.join(dir, 'run.mjs')], {
    encoding: 'utf8',
    env: { ...process.env, DOSSIER_CODE_CACHE: cache, NODE_OPTIONS: nodeOptions },
  });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Run;
}

const entriesIn = (cache: string): string[] =>
  fs.existsSync(cache)
    ? fs.readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.bin'))
    : [];

const newCacheFolder = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-code-cache-')), 'c');

describe('the code cache of the command', () => {
  it('writes an entry per chunk on the first run and compiles from them on the next', () => {
    const dir = bundle();
    const cache = newCacheFolder();
    const first = run(dir, cache);
    expect(first).toEqual({ stats: { used: 0, compiled: 2, written: 2 }, value: 'first' });
    const entries = entriesIn(cache);
    expect(entries).toHaveLength(2);
    if (process.getuid) {
      for (const entry of entries) expect(fs.statSync(path.join(cache, entry)).mode & 0o077).toBe(0);
    }
    expect(run(dir, cache)).toEqual({ stats: { used: 2, compiled: 0, written: 0 }, value: 'first' });
  });

  it('never runs the code of an earlier text, even one of the same length', () => {
    const dir = bundle("module.exports = 'first';");
    const cache = newCacheFolder();
    run(dir, cache);
    fs.writeFileSync(path.join(dir, 'dep.cjs'), "module.exports = 'other';\n");
    const changed = run(dir, cache);
    expect(changed.value).toBe('other');
    expect(changed.stats).toEqual({ used: 1, compiled: 1, written: 1 });
  });

  it('keeps the code compiled under other flags apart (V8 would refuse it)', () => {
    const dir = bundle();
    const cache = newCacheFolder();
    run(dir, cache);
    const flagged = '--max-old-space-size=300';
    expect(run(dir, cache, flagged).stats).toEqual({ used: 0, compiled: 2, written: 2 });
    expect(run(dir, cache, flagged).stats).toEqual({ used: 2, compiled: 0, written: 0 });
    expect(run(dir, cache).stats).toEqual({ used: 2, compiled: 0, written: 0 });
  });

  it.runIf(process.getuid !== undefined)('takes no entry that others could have written', () => {
    const dir = bundle();
    const cache = newCacheFolder();
    run(dir, cache);
    for (const entry of entriesIn(cache)) fs.chmodSync(path.join(cache, entry), 0o666);
    expect(run(dir, cache).stats).toEqual({ used: 0, compiled: 2, written: 2 });
    for (const entry of entriesIn(cache)) expect(fs.statSync(path.join(cache, entry)).mode & 0o077).toBe(0);
    expect(run(dir, cache).stats.used).toBe(2);
  });

  it('compiles from the text when an entry is damaged, and writes it again', () => {
    const dir = bundle();
    const cache = newCacheFolder();
    run(dir, cache);
    for (const entry of entriesIn(cache)) {
      const file = path.join(cache, entry);
      const data = fs.readFileSync(file);
      data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0xff;
      fs.writeFileSync(file, data);
    }
    expect(run(dir, cache)).toEqual({ stats: { used: 0, compiled: 2, written: 2 }, value: 'first' });
    expect(run(dir, cache).stats.used).toBe(2);
  });

  it(`keeps the ${MAX_ENTRIES} most recently written entries`, () => {
    const dir = bundle();
    const cache = newCacheFolder();
    run(dir, cache);
    const [folder] = fs.readdirSync(cache);
    const mine = entriesIn(cache);
    const old = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < MAX_ENTRIES; i++) {
      const file = path.join(cache, folder!, `${String(i).padStart(64, '0')}.bin`);
      fs.writeFileSync(file, 'an entry of an earlier build');
      fs.utimesSync(file, old, old);
    }
    for (const entry of mine) fs.rmSync(path.join(cache, entry));
    expect(run(dir, cache).stats.written).toBe(2);
    const kept = entriesIn(cache);
    expect(kept).toHaveLength(MAX_ENTRIES);
    for (const entry of mine) expect(kept).toContain(entry);
  });

  it('is off with DOSSIER_CODE_CACHE=off: nothing written anywhere', () => {
    const dir = bundle();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-home-'));
    const result = spawnSync(process.execPath, [path.join(dir, 'run.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, DOSSIER_CODE_CACHE: 'off', HOME: home, XDG_CACHE_HOME: path.join(home, 'xdg') },
    });
    expect(JSON.parse(result.stdout)).toEqual({
      stats: { used: 0, compiled: 0, written: 0 },
      value: 'first',
    });
    expect(fs.readdirSync(home)).toEqual([]);
  });

  it.runIf(process.getuid !== undefined)('is not used in a folder others can write into', () => {
    const dir = bundle();
    const cache = newCacheFolder();
    run(dir, cache);
    const [folder] = fs.readdirSync(cache);
    fs.chmodSync(path.join(cache, folder!), 0o777);
    expect(run(dir, cache).stats).toEqual({ used: 0, compiled: 0, written: 0 });
  });

  it('the installed command fills it and gives the same output from it', () => {
    const cache = newCacheFolder();
    const env = { ...process.env, DOSSIER_CODE_CACHE: cache, NO_COLOR: '1' };
    const version = () => spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8', env });
    const first = version();
    expect(first.status).toBe(0);
    const entries = entriesIn(cache);
    expect(entries.length).toBeGreaterThan(0);
    const again = version();
    expect(again.stdout).toBe(first.stdout);
    expect(again.stderr).toBe('');
    // Nothing more to write: every chunk the run loaded was compiled from its entry.
    expect(entriesIn(cache)).toEqual(entries);
  });

  it("the command's chunks keep the strict semantics of the ES modules they were written as, and import nothing", () => {
    const folder = path.join(REPO, 'dist/cli');
    const chunks = fs.readdirSync(folder).filter((f) => f.endsWith('.cjs'));
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      const text = fs.readFileSync(path.join(folder, chunk), 'utf8');
      expect(text.replace(/^#!.*\n/, '').startsWith('"use strict";'), chunk).toBe(true);
      // A script compiled with cached code has no loader for import(): every import is a require.
      const code = text.split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
      expect(
        code.filter((line) => /(^|[^\w.$])import\s*\(/.test(line)),
        chunk,
      ).toEqual([]);
    }
  });
});
