// The result cache's "same Dossier build" (src/load/signed-cache-file.ts buildId): a report kept by
// one installation of Dossier is never given by another, even when the version is the same and the
// files carry the same modification time (npm installs every package file with the time
// 1985-10-26T08:15:00Z), and never once a data table Dossier reads (data/*.json) changed.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RACY_MS } from '../src/util/input-trace.js';
import { REPO, starterProject } from './helpers.js';

const NPM_TIME = new Date('1985-10-26T08:15:00Z');
const keyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-key-'));
const ENV = { DOSSIER_TODAY: '2026-12-01', DOSSIER_DEBUG: '1', XDG_CACHE_HOME: keyHome, NO_COLOR: '1' };
const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RACY_MS + 150);

/** Dossier as npm installs it: the bundle, data/ and package.json, every file at npm's fixed time. */
function install(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-install-'));
  const cli = path.join(dir, 'dist', 'cli');
  fs.mkdirSync(cli, { recursive: true });
  for (const e of fs.readdirSync(path.join(REPO, 'dist', 'cli'), { withFileTypes: true }))
    if (e.isFile() && /\.c?js$/.test(e.name))
      fs.copyFileSync(path.join(REPO, 'dist', 'cli', e.name), path.join(cli, e.name));
  fs.cpSync(path.join(REPO, 'data'), path.join(dir, 'data'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  for (const f of [
    ...fs.readdirSync(cli).map((n) => path.join(cli, n)),
    ...fs.readdirSync(path.join(dir, 'data')).map((n) => path.join(dir, 'data', n)),
    path.join(dir, 'package.json'),
  ])
    fs.utimesSync(f, NPM_TIME, NPM_TIME);
  return dir;
}

/** Replaces `from` by `to` in the installation's file holding it, which keeps npm's fixed time. */
function patchInstalled(files: string[], from: string, to: string): void {
  const file = files.find((f) => fs.readFileSync(f, 'utf8').includes(from));
  if (!file) throw new Error(`no installed file holds ${from}`);
  // A new file, as an installation writes it: another inode and change time, npm's modification time.
  const text = fs.readFileSync(file, 'utf8').replace(from, to);
  fs.rmSync(file);
  fs.writeFileSync(file, text);
  fs.utimesSync(file, NPM_TIME, NPM_TIME);
}

function gapScan(installed: string, dir: string, extra: string[] = []) {
  const r = spawnSync(
    process.execPath,
    [path.join(installed, 'dist', 'cli', 'main.js'), 'gap-scan', dir, '--format', 'json', ...extra],
    {
      encoding: 'utf8',
      env: { ...process.env, ...ENV },
    },
  );
  return { code: r.status, stdout: r.stdout, reused: /result cache: report reused/.test(r.stderr) };
}

const cases = ['code', 'data'] as const;
const setup = {} as Record<(typeof cases)[number], { installed: string; dir: string }>;

beforeAll(() => {
  for (const name of cases) setup[name] = { installed: install(), dir: starterProject() };
  settle();
  for (const name of cases) {
    const { installed, dir } = setup[name];
    expect(gapScan(installed, dir).reused).toBe(false);
    expect(gapScan(installed, dir).reused).toBe(true);
  }
}, 60_000);

describe('a report kept by one build of Dossier is not given by another', () => {
  it('another build of any part of the code, installed with the same version and time', () => {
    const { installed, dir } = setup.code;
    const cli = path.join(installed, 'dist', 'cli');
    patchInstalled(
      fs.readdirSync(cli).map((n) => path.join(cli, n)),
      'highestClass: scan.highestClass,',
      'highestClass: "changed-build",',
    );
    const after = gapScan(installed, dir);
    expect(after.reused).toBe(false);
    expect(after.stdout).toContain('changed-build');
    expect(after.stdout).toBe(gapScan(installed, dir, ['--no-cache']).stdout);
  });

  it('a data table of Dossier changed (the gap catalog, read when the command is loaded)', () => {
    const { installed, dir } = setup.data;
    patchInstalled(
      [path.join(installed, 'data', 'iec62304-gap-catalog.json')],
      '"title": "Planning"',
      '"title": "Planning (changed table)"',
    );
    const after = gapScan(installed, dir);
    expect(after.reused).toBe(false);
    expect(after.stdout).toContain('Planning (changed table)');
    expect(after.stdout).toBe(gapScan(installed, dir, ['--no-cache']).stdout);
  });
});
