/**
 * Issue 9 section 8, "dates are real, and still reproducible": generated documents take their date
 * from SOURCE_DATE_EPOCH, else the commit date of HEAD, else the clock; never 1970.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildDateError, resolveBuildDate } from '../src/util/build-date.js';
import { CLI, copyDir, EXAMPLE, starterProject } from './helpers.js';

function run(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: merged as NodeJS.ProcessEnv,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const COMMIT_DATE = '2024-05-06T07:08:09+02:00';

function commitAll(dir: string) {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'T',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 'T',
    GIT_COMMITTER_EMAIL: 't@example.com',
    GIT_AUTHOR_DATE: COMMIT_DATE,
    GIT_COMMITTER_DATE: COMMIT_DATE,
  };
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    // --allow-empty: a copy of the example is already committed (test/helpers.ts copyDir).
    ['commit', '-q', '--allow-empty', '-m', 'records'],
  ]) {
    const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  }
}

const NOW = new Date('2030-01-02T03:04:05.678Z');

describe('resolveBuildDate', () => {
  it('takes SOURCE_DATE_EPOCH first, then the commit date, then the clock', () => {
    const commit = () => '2024-05-06T07:08:09+02:00';
    expect(resolveBuildDate({ sourceDateEpoch: '1700000000', commitDate: commit, now: () => NOW })).toEqual({
      timestamp: '2023-11-14T22:13:20Z',
      source: 'SOURCE_DATE_EPOCH',
    });
    expect(resolveBuildDate({ commitDate: commit, now: () => NOW })).toEqual({
      timestamp: '2024-05-06T05:08:09Z',
      source: 'commit',
    });
    expect(resolveBuildDate({ commitDate: () => undefined, now: () => NOW })).toEqual({
      timestamp: '2030-01-02T03:04:05Z',
      source: 'clock',
    });
  });

  it('does not ask git when SOURCE_DATE_EPOCH is set', () => {
    let asked = false;
    resolveBuildDate({
      sourceDateEpoch: '1700000000',
      commitDate: () => {
        asked = true;
        return undefined;
      },
      now: () => NOW,
    });
    expect(asked).toBe(false);
  });

  it('rejects a SOURCE_DATE_EPOCH that is not a positive whole number of seconds (never 1970)', () => {
    for (const bad of [
      '0',
      '1',
      '31535999',
      '-5',
      '1.5',
      'yesterday',
      '1e9',
      ' 17 ',
      '99999999999999999999',
    ]) {
      expect(
        () => resolveBuildDate({ sourceDateEpoch: bad, commitDate: () => undefined, now: () => NOW }),
        bad,
      ).toThrow(BuildDateError);
    }
  });

  it('ignores a commit date in or before 1970 and uses the clock', () => {
    for (const date of ['1970-01-01T00:00:00+00:00', '1970-06-30T12:00:00+00:00', '1969-12-31T23:59:59Z'])
      expect(resolveBuildDate({ commitDate: () => date, now: () => NOW }).source, date).toBe('clock');
    expect(
      resolveBuildDate({ sourceDateEpoch: '31536000', commitDate: () => undefined, now: () => NOW })
        .timestamp,
    ).toBe('1971-01-01T00:00:00Z');
  });
});

describe('generated documents take the build date', () => {
  it('same commit, same bytes: two builds in a git repo are identical and dated by the commit', () => {
    const dir = copyDir(EXAMPLE);
    commitAll(dir);
    const env = { SOURCE_DATE_EPOCH: undefined };
    expect(run(['build', '.', '--out', 'out-a'], dir, env).code).not.toBe(2);
    // A second later the clock has moved on; the commit has not.
    spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 1100)']);
    expect(run(['build', '.', '--out', 'out-b'], dir, env).code).not.toBe(2);
    for (const file of [
      'soup/sbom.cdx.json',
      'soup/sbom.spdx.json',
      'soup/vex.cdx.json',
      'soup/vex.openvex.json',
      'soup/soup-list.md',
      'soup/soup-list.csv',
      'manifest.json',
    ]) {
      expect(fs.readFileSync(path.join(dir, 'out-b', file)), file).toEqual(
        fs.readFileSync(path.join(dir, 'out-a', file)),
      );
    }
    const cdx = JSON.parse(fs.readFileSync(path.join(dir, 'out-a/soup/sbom.cdx.json'), 'utf8'));
    expect(cdx.metadata.timestamp).toBe('2024-05-06T05:08:09Z');
    const spdx = JSON.parse(fs.readFileSync(path.join(dir, 'out-a/soup/sbom.spdx.json'), 'utf8'));
    expect(spdx.creationInfo.created).toBe('2024-05-06T05:08:09Z');
    const openvex = JSON.parse(fs.readFileSync(path.join(dir, 'out-a/soup/vex.openvex.json'), 'utf8'));
    expect(openvex.timestamp).toBe('2024-05-06T05:08:09Z');
    expect(fs.readFileSync(path.join(dir, 'out-a/soup/soup-list.md'), 'utf8')).toContain(
      '2024-05-06T05:08:09Z',
    );
    // The sbom command agrees with the build.
    const sbom = JSON.parse(run(['sbom', '.'], dir, env).stdout);
    expect(sbom.metadata.timestamp).toBe('2024-05-06T05:08:09Z');
  });

  it('SOURCE_DATE_EPOCH wins over the commit date', () => {
    const dir = starterProject();
    commitAll(dir);
    const sbom = JSON.parse(run(['sbom', '.'], dir, { SOURCE_DATE_EPOCH: '1700000000' }).stdout);
    expect(sbom.metadata.timestamp).toBe('2023-11-14T22:13:20Z');
  });

  it('outside git, without SOURCE_DATE_EPOCH, the date is now, never 1970', () => {
    const dir = starterProject();
    const before = Date.now() - 1000;
    const sbom = JSON.parse(run(['sbom', '.'], dir, { SOURCE_DATE_EPOCH: undefined }).stdout);
    const at = Date.parse(sbom.metadata.timestamp);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('an invalid SOURCE_DATE_EPOCH is a usage error naming the variable', () => {
    const dir = starterProject();
    const r = run(['sbom', '.'], dir, { SOURCE_DATE_EPOCH: '0' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SOURCE_DATE_EPOCH/);
    expect(r.stdout).toBe('');
  });
});
