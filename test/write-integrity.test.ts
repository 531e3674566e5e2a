/**
 * Issue 10 §2: nothing written is lost to a concurrent command or a person's late edit, and
 * nothing is written outside the project. The races run real CLI processes; the window between
 * reading a file and renaming over it is held open with the test-only pause hook
 * (`DOSSIER_TEST_WRITE_PAUSE`, see src/util/test-pause.ts), so they are deterministic.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openAdvisoryStore } from '../src/soup/advisories/store.js';
import { CLI, REPO, runCli, starterProject } from './helpers.js';

const LOCK_V3 = fs.readFileSync(path.join(REPO, 'test/fixtures/lockfiles/package-lock-v3.json'), 'utf8');
const LOCK_V1 = fs.readFileSync(path.join(REPO, 'test/fixtures/lockfiles/package-lock-v1.json'), 'utf8');
const JUNIT = fs.readFileSync(path.join(REPO, 'test/fixtures/evidence/ctest-junit.xml'), 'utf8');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  let exited = false;
  void done.then(() => {
    exited = true;
  });
  return { done, hasExited: () => exited, kill: () => child.kill('SIGKILL') };
}

/** Waits until the paused writer says it reached the rename, or the process ended without pausing. */
async function untilPaused(pause: string, run: { hasExited: () => boolean }): Promise<boolean> {
  for (let i = 0; i < 600; i++) {
    if (fs.existsSync(path.join(pause, 'reached'))) return true;
    if (run.hasExited()) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

const pauseDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-pause-'));

function soupProject() {
  return starterProject({ 'web/package-lock.json': LOCK_V3, 'api/package-lock.json': LOCK_V1 });
}

const soupIds = (dir: string) =>
  fs
    .readdirSync(path.join(dir, 'records/soup'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => fs.readFileSync(path.join(dir, 'records/soup', f), 'utf8'))
    .join('\n');

describe('the project lock', () => {
  it('a second soup import while one is writing is refused, naming the holder, and nothing is lost', async () => {
    const dir = soupProject();
    const pause = pauseDir();
    const first = start(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir, {
      DOSSIER_TEST_WRITE_PAUSE: pause,
    });
    const paused = await untilPaused(pause, first);
    const second = runCli(['soup', 'import', 'api/package-lock.json', '--date', '2026-11-20'], dir);
    fs.writeFileSync(path.join(pause, 'go'), '');
    const firstDone = await first.done;
    expect(paused).toBe(true);
    expect(firstDone.code).toBe(0);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/project is locked by dossier soup import \(PID \d+ on .+, since /);
    expect(second.stdout).not.toContain('wrote');
    // The first run's records are all there; the second wrote nothing (run it again now).
    expect(soupIds(dir)).toContain('purl: pkg:npm/debug@4.3.4');
    expect(fs.existsSync(path.join(dir, '.dossier/lock'))).toBe(false);
    const again = runCli(['soup', 'import', 'api/package-lock.json', '--date', '2026-11-20'], dir);
    expect(again.code).toBe(0);
  }, 300_000);

  it('a lock left by a process that is gone is recovered with a message', () => {
    const dir = soupProject();
    // Above the kernel's largest PID (pid_max is at most 2^22), so no process has it.
    const deadPid = 2 ** 22 + 7;
    fs.mkdirSync(path.join(dir, '.dossier'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.dossier/lock'),
      JSON.stringify({
        owner: 'dossier soup import',
        pid: deadPid,
        hostname: os.hostname(),
        started: new Date().toISOString(),
      }),
    );
    const r = runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`removed a stale lock of dossier soup import (PID ${deadPid}`);
    expect(r.stderr).toContain('no longer runs');
    expect(fs.existsSync(path.join(dir, '.dossier/lock'))).toBe(false);
  });

  it('a lock held by a live process, or from another host, refuses with exit 2 and writes nothing', () => {
    for (const holder of [
      { owner: 'dossier evidence import', pid: process.pid, hostname: os.hostname() },
      { owner: 'dossier soup import', pid: 12345, hostname: 'build-agent-7' },
    ]) {
      const dir = soupProject();
      fs.mkdirSync(path.join(dir, '.dossier'), { recursive: true });
      const lock = JSON.stringify({ ...holder, started: new Date().toISOString() });
      fs.writeFileSync(path.join(dir, '.dossier/lock'), lock);
      const r = runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `project is locked by ${holder.owner} (PID ${holder.pid} on ${holder.hostname}, since `,
      );
      expect(fs.existsSync(path.join(dir, 'records/soup/imported.yaml'))).toBe(false);
      expect(fs.readFileSync(path.join(dir, '.dossier/lock'), 'utf8')).toBe(lock);
    }
  });

  it('a lock older than the timeout is recovered even if its PID runs', () => {
    const dir = soupProject();
    fs.mkdirSync(path.join(dir, '.dossier'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.dossier/lock'),
      JSON.stringify({
        owner: 'dossier soup import',
        pid: process.pid,
        hostname: os.hostname(),
        started: '2020-01-01T00:00:00.000Z',
      }),
    );
    const r = runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('removed a stale lock of dossier soup import');
    expect(r.stderr).toContain('older than');
  });

  it('evidence import takes the lock too', () => {
    const dir = starterProject({ 'evidence/ctest.xml': JUNIT });
    fs.mkdirSync(path.join(dir, '.dossier'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.dossier/lock'),
      JSON.stringify({
        owner: 'dossier soup import',
        pid: process.pid,
        hostname: os.hostname(),
        started: new Date().toISOString(),
      }),
    );
    const args = ['evidence', 'import', 'evidence/ctest.xml', '--version', '1.0.0', '--executed-by', 'CI'];
    const r = runCli(args, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('project is locked by dossier soup import');
    expect(fs.existsSync(path.join(dir, 'records/test-runs'))).toBe(false);
  });
});

describe('a person’s edit made while an import runs', () => {
  it('is kept: the import re-checks the file just before its rename and refuses to write it', async () => {
    const dir = soupProject();
    expect(runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir).code).toBe(0);
    const file = path.join(dir, 'records/soup/imported.yaml');
    const pause = pauseDir();
    const run = start(['soup', 'import', 'api/package-lock.json', '--date', '2026-11-21'], dir, {
      DOSSIER_TEST_WRITE_PAUSE: pause,
    });
    const paused = await untilPaused(pause, run);
    const edited = `${fs.readFileSync(file, 'utf8')}# reviewed by J. Doe while the import ran\n`;
    fs.writeFileSync(file, edited);
    fs.writeFileSync(path.join(pause, 'go'), '');
    const done = await run.done;
    expect(paused).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(edited);
    expect(done.code).toBe(2);
    expect(done.stderr).toContain(
      'records/soup/imported.yaml changed on disk while the import ran; your edit was kept and nothing was written',
    );
  }, 300_000);
});

describe('a multi-file write killed half-way', () => {
  // `--used-by SI-001` makes the import write two files: the item record (its `uses`) and the new
  // SOUP collection. The pause points are: 1 after the temporary files, 2 and 3 before each rename.
  const args = ['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20', '--used-by', 'SI-001'];
  const item = (dir: string) => fs.readFileSync(path.join(dir, 'records/architecture/SI-001.md'), 'utf8');
  const collection = (dir: string) => path.join(dir, 'records/soup/imported.yaml');
  const leftovers = (dir: string) =>
    [
      ...fs.readdirSync(path.join(dir, 'records/architecture')),
      ...(fs.existsSync(path.join(dir, 'records/soup'))
        ? fs.readdirSync(path.join(dir, 'records/soup'))
        : []),
      ...fs.readdirSync(path.join(dir, '.dossier')),
    ].filter((f) => f.includes('dossier-') || f.startsWith('journal'));

  async function killedAt(point: number) {
    const dir = soupProject();
    const before = item(dir);
    const pause = pauseDir();
    const run = start(args, dir, {
      DOSSIER_TEST_WRITE_PAUSE: pause,
      DOSSIER_TEST_WRITE_PAUSE_AT: String(point),
    });
    expect(await untilPaused(pause, run)).toBe(true);
    run.kill();
    await run.done;
    return { dir, before };
  }

  it('killed after its first rename, the next command completes it: both files new, nothing left over', async () => {
    const { dir, before } = await killedAt(3);
    // The state the kill left: the item is new, the collection not written yet.
    expect(item(dir)).not.toBe(before);
    expect(fs.existsSync(collection(dir))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.dossier/journal.json'))).toBe(true);
    const r = runCli(['check', '--format', 'json'], dir);
    expect(r.stderr).toContain('dossier soup import');
    expect(r.stderr).toContain('its write was completed');
    expect(item(dir)).toContain('uses: [SOUP-001');
    expect(fs.readFileSync(collection(dir), 'utf8')).toContain('purl: pkg:npm/debug@4.3.4');
    expect(leftovers(dir)).toEqual([]);
  }, 300_000);

  it('killed before any rename, the next command removes its temporary files and changes nothing', async () => {
    const { dir, before } = await killedAt(1);
    expect(leftovers(dir).length).toBeGreaterThan(0);
    const r = runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20', '-n'], dir);
    expect(r.stderr).toContain('interrupted before it wrote anything');
    expect(item(dir)).toBe(before);
    expect(fs.existsSync(collection(dir))).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  }, 300_000);

  it('killed half-way and a file edited since, the write is undone and the person’s file kept', async () => {
    const { dir } = await killedAt(3);
    const edited = `${item(dir)}\nEdited by J. Doe after the crash.\n`;
    fs.writeFileSync(path.join(dir, 'records/architecture/SI-001.md'), edited);
    const r = runCli(['check'], dir);
    expect(r.stderr).toContain('its write was undone');
    expect(r.stderr).toContain('records/architecture/SI-001.md changed since');
    expect(item(dir)).toBe(edited);
    expect(fs.existsSync(collection(dir))).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  }, 300_000);

  it('a damaged journal is refused, naming what to do, and nothing is read or written', () => {
    const dir = soupProject();
    fs.mkdirSync(path.join(dir, '.dossier'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.dossier/journal.json'), '{"schemaVersion":1,"state":"comm');
    const r = runCli(['check'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.dossier/journal.json records an interrupted write but cannot be read');
    const imp = runCli(args, dir);
    expect(imp.code).toBe(2);
    expect(fs.existsSync(collection(dir))).toBe(false);
  });
});

describe('writes stay inside the project', () => {
  const outsideName = () => `dossier-outside-${process.pid}-${Math.random().toString(36).slice(2)}.yaml`;

  it('refuses soup.importInto that leaves the project', () => {
    const name = outsideName();
    const dir = soupProject();
    const config = path.join(dir, 'dossier.yaml');
    const text = fs.readFileSync(config, 'utf8');
    fs.writeFileSync(
      config,
      text.includes('\nsoup:')
        ? text.replace('\nsoup:', `\nsoup:\n  importInto: ../${name}`)
        : `${text}soup:\n  importInto: ../${name}\n`,
    );
    const r = runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`../${name} is outside the project`);
    expect(fs.existsSync(path.join(dir, '..', name))).toBe(false);
  });

  it('refuses --into outside the project and --into through a symlink that leads out', () => {
    const dir = soupProject();
    const name = outsideName();
    const r = runCli(['soup', 'import', 'web/package-lock.json', '--into', `../${name}`], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is outside the project');
    expect(fs.existsSync(path.join(dir, '..', name))).toBe(false);

    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-elsewhere-'));
    fs.symlinkSync(elsewhere, path.join(dir, 'records/linked'));
    const s = runCli(['soup', 'import', 'web/package-lock.json', '--into', 'records/linked/soup.yaml'], dir);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('records/linked/soup.yaml is outside the project');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('refuses evidence import --into outside the project', () => {
    const dir = starterProject({ 'evidence/ctest.xml': JUNIT });
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-elsewhere-'));
    const into = path.relative(dir, outside);
    const args = ['evidence', 'import', 'evidence/ctest.xml', '--version', '1.0.0', '--executed-by', 'CI'];
    const r = runCli([...args, '--into', into], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is outside the project');
    expect(fs.readdirSync(outside)).toEqual([]);
  });
});

describe('concurrent first imports into a new advisory database', () => {
  it('an import that opens the database while another is creating its schema waits and succeeds', async () => {
    const dir = starterProject();
    fs.mkdirSync(path.join(dir, 'advisories'));
    fs.writeFileSync(
      path.join(dir, 'advisories/x_TEST-0001.json'),
      JSON.stringify({
        schema_version: '1.7.0',
        id: 'x_TEST-0001',
        modified: '2026-11-10T00:00:00Z',
        summary: 'test',
        affected: [{ package: { ecosystem: 'npm', name: 'debug' }, ranges: [] }],
      }),
    );
    // The schema a first import creates, taken from a store made here.
    const reference = path.join(dir, 'reference.sqlite');
    openAdvisoryStore(reference).close();
    const db = new Database(reference, { readonly: true });
    const statements = db
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'",
      )
      .all()
      .map((r) => r.sql);
    const version = db.pragma('user_version', { simple: true }) as number;
    db.close();
    // Another import, creating the schema in its transaction, holds the write lock for a while.
    const target = path.join(dir, '.dossier/advisories.sqlite');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(target)});
      db.pragma('journal_mode = WAL');
      db.exec('BEGIN IMMEDIATE');
      for (const sql of ${JSON.stringify(statements)}) db.exec(sql);
      db.pragma('user_version = ${version}');
      process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, 1500);`;
    const holder = spawn(process.execPath, ['-e', script], { cwd: REPO });
    const holderDone = new Promise((r) => holder.on('close', r));
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const second = await start(['advisories', 'import', 'advisories'], dir).done;
    await holderDone;
    expect(second.stderr).not.toContain('already exists');
    expect(second.code).toBe(0);
  }, 300_000);

  it('three concurrent first imports all succeed', async () => {
    const dir = starterProject();
    fs.mkdirSync(path.join(dir, 'advisories'));
    fs.writeFileSync(
      path.join(dir, 'advisories/x_TEST-0001.json'),
      JSON.stringify({
        schema_version: '1.7.0',
        id: 'x_TEST-0001',
        modified: '2026-11-10T00:00:00Z',
        summary: 'test',
        affected: [{ package: { ecosystem: 'npm', name: 'debug' }, ranges: [] }],
      }),
    );
    const runs = await Promise.all(
      [1, 2, 3].map(() => start(['advisories', 'import', 'advisories'], dir).done),
    );
    for (const r of runs) {
      expect(r.stderr).not.toContain('already exists');
      expect(r.code).toBe(0);
    }
  }, 300_000);
});
