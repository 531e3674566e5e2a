// The result cache and an advisory database that is a symbolic link (one database shared by
// projects): SQLite keeps the write-ahead log beside the link's target, so that log is what the
// report depends on. A commit that stays in the log (another connection open: no checkpoint when
// the writer closes) must make check run again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { RACY_MS } from '../src/util/input-trace.js';
import { REPO, runCli, starterProject } from './helpers.js';

const keyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-key-'));
const ENV = { DOSSIER_TODAY: '2026-12-01', DOSSIER_DEBUG: '1', XDG_CACHE_HOME: keyHome };
const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RACY_MS + 150);

function advisory(id: string, name: string) {
  return JSON.stringify({
    schema_version: '1.7.0',
    id,
    modified: '2026-11-10T00:00:00Z',
    published: '2026-11-09T00:00:00Z',
    summary: `a vulnerability of ${name}`,
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '99.0.0' }] }],
      },
    ],
  });
}

it('a vulnerability committed to the write-ahead log of a linked advisory database is reported', () => {
  const lockfile = fs.readFileSync(path.join(REPO, 'test/fixtures/lockfiles/package-lock-v3.json'), 'utf8');
  const dir = starterProject({ 'web/package-lock.json': lockfile });
  expect(runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir, ENV).code).toBe(0);
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-shared-db-'));
  const db = path.join(shared, 'advisories.sqlite');
  for (const [folder, id, name] of [
    ['first', 'x_TEST-0001', 'not-in-use'],
    ['second', 'x_TEST-0002', 'debug'],
  ] as const) {
    fs.mkdirSync(path.join(shared, folder));
    fs.writeFileSync(path.join(shared, folder, `${id}.json`), advisory(id, name));
  }
  expect(runCli(['advisories', 'import', path.join(shared, 'first'), '--db', db], dir, ENV).code).toBe(0);
  fs.mkdirSync(path.join(dir, '.dossier'), { recursive: true });
  fs.symlinkSync(db, path.join(dir, '.dossier', 'advisories.sqlite'));
  const other = new Database(db, { readonly: true });
  try {
    other.prepare('SELECT 1').get();
    settle();
    const args = ['check', dir, '--format', 'json'];
    const kept = runCli(args, REPO, ENV);
    expect(kept.stderr).not.toMatch(/not kept/);
    expect(kept.stdout).not.toContain('x_TEST-0002');

    expect(runCli(['advisories', 'import', path.join(shared, 'second'), '--db', db], dir, ENV).code).toBe(0);
    // The commit is in the log, not yet in the database file (the test's connection is still open).
    expect(fs.statSync(`${db}-wal`).size).toBeGreaterThan(0);
    const after = runCli(args, REPO, ENV);
    expect(after.stderr).not.toMatch(/report reused/);
    expect(after.stdout).toContain('x_TEST-0002');
    expect(after.stdout).toBe(runCli([...args, '--no-cache'], REPO, ENV).stdout);
  } finally {
    other.close();
  }
}, 60_000);
