/**
 * Configuration identification of a release (IEC 62304 8.1.3, issue 11 §1): the gate blocks a
 * release whose record does not identify its configuration or disagrees with the records, and
 * `dossier release record` fills it in from git and the records without losing what people wrote.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { configurationGaps, identityOf, soupBaseline } from '../src/evidence/release-configuration.js';
import { releaseOf } from '../src/evidence/release-gate.js';
import { statusAccounting } from '../src/evidence/status-accounting.js';
import { loadProject } from '../src/load/project.js';
import { RELEASE } from './gate-fixtures.js';
import { runCli, starterProject } from './helpers.js';

const SOUP = `kind: soup
records:
  - id: SOUP-001
    title: zlib
    manufacturer: zlib project
    version: 1.3.1
    versionChanges:
      - { from: 1.2.13, to: 1.3.1, date: 2026-11-01, evaluation: Bug-fix release; no API change. }
`;

const withoutConfiguration = RELEASE.replace(/configuration:\n(?: {2}.*\n)+/, '');

function analysed(files: Record<string, string>) {
  const dir = starterProject(files);
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error('load');
  const analysis = analyze(loaded.project);
  return { dir, analysis, release: releaseOf(analysis, '0.1.0')! };
}

const git = (dir: string, ...args: string[]) => {
  const r = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};

function repository(files: Record<string, string>) {
  const dir = starterProject(files);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'records');
  return dir;
}

const releaseFile = (dir: string) => path.join(dir, 'records/releases/REL-001.md');

describe('the release gate checks the configuration (8.1.3)', () => {
  it('blocks a release record without configuration, naming the command that fills it in', () => {
    const { analysis, release } = analysed({ 'records/releases/REL-001.md': withoutConfiguration });
    expect(configurationGaps(analysis, release).map((g) => g.message)).toEqual([
      'REL-001 records no configuration (commit, SOUP baseline, software items); run `dossier release record 0.1.0`',
    ]);
  });

  it('blocks a SOUP baseline or item list that disagrees with the records of the version', () => {
    const { analysis, release } = analysed({
      'records/soup.yaml': SOUP,
      'records/releases/REL-001.md': RELEASE.replace('    - { id: SI-002, version: 0.1.0 }\n', ''),
    });
    const gaps = configurationGaps(analysis, release).map((g) => g.message);
    expect(gaps).toHaveLength(2);
    // The release of 2026-10-01 had zlib 1.2.13: the change of 2026-11-01 came after it.
    expect(gaps[0]).toContain('not in the baseline: SOUP-001@1.2.13');
    expect(gaps[1]).toContain('not listed: SI-002');
  });

  it('a SOUP of the version without a version is a gap, never a baseline entry "undefined"', () => {
    const { analysis, release } = analysed({
      'records/soup.yaml': SOUP.replace(/ {4}version: 1\.3\.1\n {4}versionChanges:\n.*\n/, ''),
      'records/releases/REL-001.md': RELEASE,
    });
    expect(soupBaseline(analysis, identityOf(release))).toEqual([]);
    expect(configurationGaps(analysis, release).map((g) => g.message)).toEqual([
      'SOUP-001 has no version, so the configuration of REL-001 cannot identify it: record the exact version (8.1.2 c)',
    ]);
  });

  it('passes a configuration that agrees, and release check reports the blocker by code', () => {
    const { analysis, release } = analysed({ 'records/releases/REL-001.md': RELEASE });
    expect(configurationGaps(analysis, release)).toEqual([]);
    const dir = starterProject({ 'records/releases/REL-001.md': withoutConfiguration });
    const r = runCli(['release', 'check', '0.1.0', '.', '--format', 'json', '--manifest', 'out/m.json'], dir);
    expect(r.stdout).toContain('release/configuration-incomplete');
  });

  it('the SOUP baseline of a release gives each SOUP at its version then', () => {
    const { analysis, release } = analysed({
      'records/soup.yaml': SOUP,
      'records/releases/REL-001.md': RELEASE,
    });
    expect(soupBaseline(analysis, identityOf(release))).toEqual([{ id: 'SOUP-001', version: '1.2.13' }]);
  });
});

describe('dossier release record', () => {
  const inReview = `${withoutConfiguration.replace('status: approved', 'status: in-review').replace('approvedBy:', '# who signs: the release board\napprovedBy:')}`;

  it('fills commit and tag from the version tag, SOUP and items, keeping comments and text', () => {
    const dir = repository({ 'records/soup.yaml': SOUP, 'records/releases/REL-001.md': inReview });
    git(dir, 'tag', 'v0.1.0');
    const tagged = git(dir, 'rev-parse', 'HEAD');
    fs.writeFileSync(path.join(dir, 'later.txt'), 'a later commit');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'later');
    const r = runCli(['release', 'record', '0.1.0'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `REL-001: commit ${tagged}; tag v0.1.0; SOUP baseline of 1 item; 2 software items`,
    );
    expect(r.stdout).toContain('for people to record: configuration.buildId');
    const text = fs.readFileSync(releaseFile(dir), 'utf8');
    expect(text).toContain('# who signs: the release board');
    expect(text).toContain('First release.');
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    const written = releaseOf(analyze(loaded.project), '0.1.0')!;
    expect(written.fields.configuration).toEqual({
      commit: tagged,
      tag: 'v0.1.0',
      soup: [{ id: 'SOUP-001', version: '1.2.13' }],
      items: [
        { id: 'SI-001', version: '0.1.0' },
        { id: 'SI-002', version: '0.1.0' },
      ],
    });
    expect(configurationGaps(analyze(loaded.project), written)).toEqual([]);
    const again = runCli(['release', 'record', '0.1.0'], dir);
    expect(again.stdout).toContain('is up to date; nothing changed');
  });

  it('an item with sourceFiles gets the last commit up to the release commit that changed them', () => {
    const dir = repository({ 'records/releases/REL-001.md': inReview, 'src/app.c': 'int main;\n' });
    const sourcesWritten = git(dir, 'rev-parse', 'HEAD');
    const item = path.join(dir, 'records/architecture/SI-002.md');
    fs.writeFileSync(
      item,
      fs.readFileSync(item, 'utf8').replace('itemType:', 'sourceFiles: [src/**]\nitemType:'),
    );
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'the item names its source files (they do not change)');
    git(dir, 'tag', '0.1.0');
    fs.writeFileSync(path.join(dir, 'src/app.c'), 'int main2;\n');
    git(dir, 'commit', '-qam', 'after the release');
    expect(runCli(['release', 'record', '0.1.0'], dir).code).toBe(0);
    expect(fs.readFileSync(releaseFile(dir), 'utf8')).toContain(
      `id: SI-002\n      version: ${sourcesWritten}`,
    );
  });

  it('without a version tag it records no commit and says how to give one; --commit gives it', () => {
    const dir = repository({ 'records/releases/REL-001.md': inReview });
    const r = runCli(['release', 'record', '0.1.0'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no commit recorded: no tag v0.1.0 or 0.1.0');
    const head = git(dir, 'rev-parse', 'HEAD');
    expect(runCli(['release', 'record', '0.1.0', '--commit', 'HEAD'], dir).stdout).toContain(
      `commit ${head}`,
    );
    const bad = runCli(['release', 'record', '0.1.0', '--commit', '--upload-pack=x'], dir);
    expect(bad.code).toBe(2);
  });

  it('creates a draft release record for a version that has none, which loads and says what is left to record', () => {
    const dir = repository({ 'records/soup.yaml': SOUP, 'records/releases/REL-001.md': RELEASE });
    git(dir, 'tag', 'v0.2.0');
    const r = runCli(['release', 'record', '0.2.0'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('records/releases/REL-002.md: created REL-002 for 0.2.0 (draft)');
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    expect(loaded.project.unloaded).toEqual([]);
    const created = releaseOf(analyze(loaded.project), '0.2.0')!;
    expect(created.id).toBe('REL-002');
    expect(created.status).toBe('draft');
    expect(created.text).toContain('`buildProcedure`');
    expect((created.fields.configuration as { soup: unknown }).soup).toEqual([
      { id: 'SOUP-001', version: '1.3.1' },
    ]);
    expect(runCli(['release', 'record', '0.2.0'], dir).stdout).toContain('is up to date');
  });

  it('does not change an approved release record, and a dry run writes nothing', () => {
    const dir = repository({ 'records/releases/REL-001.md': withoutConfiguration });
    git(dir, 'tag', 'v0.1.0');
    const before = fs.readFileSync(releaseFile(dir), 'utf8');
    const r = runCli(['release', 'record', '0.1.0'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('REL-001 is approved, and its configuration is part of what was approved');
    expect(fs.readFileSync(releaseFile(dir), 'utf8')).toBe(before);
    fs.writeFileSync(releaseFile(dir), inReview);
    const dry = runCli(['release', 'record', '0.1.0', '-n'], dir);
    expect(dry.stdout).toContain('(dry run: nothing written)');
    expect(fs.readFileSync(releaseFile(dir), 'utf8')).toBe(inReview);
  });
});

describe('dossier release changes (configuration status accounting, 8.3)', () => {
  it('lists the example’s change requests, resolved problems and SOUP changes between 1.0.0 and 1.1.0', () => {
    const r = runCli(['release', 'changes', '1.0.0', '1.1.0', 'examples/infusion-pump', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.changeRequests.map((c: { id: string }) => c.id)).toEqual([
      'CR-001',
      'CR-002',
      'CR-003',
      'CR-004',
      'CR-005',
    ]);
    expect(report.problemsResolved.map((p: { id: string }) => p.id)).toEqual([
      'PR-001',
      'PR-002',
      'PR-003',
      'PR-006',
    ]);
    expect(report.knownAnomalies).toEqual({ added: [], removed: ['PR-006'] });
    expect(report.soup).toEqual([
      { id: 'SOUP-003', title: 'Mbed TLS', from: '3.6.0', to: '3.6.2', changeRequest: 'CR-004' },
    ]);
    expect(report.notes).toEqual([]);
    const md = runCli([
      'release',
      'changes',
      '1.0.0',
      '1.1.0',
      'examples/infusion-pump',
      '--format',
      'markdown',
    ]);
    expect(md.stdout).toContain('| CR-004 | Update Mbed TLS from 3.6.0 to 3.6.2 | closed |  |');
  });

  it('names the versions that have a release record when one does not', () => {
    const r = runCli(['release', 'changes', '1.0.0', '9.9.9', 'examples/infusion-pump']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no release record has version 9.9.9 (release records: 1.0.0, 1.1.0)');
  });

  it('computes a baseline the release record lacks, and says so', () => {
    const { analysis } = analysed({
      'records/soup.yaml': SOUP,
      'records/releases/REL-001.md': withoutConfiguration,
      'records/releases/REL-002.md': withoutConfiguration
        .replaceAll('REL-001', 'REL-002')
        .replaceAll('0.1.0', '0.2.0')
        .replace('date: 2026-10-01', 'date: 2026-11-15')
        .replace('approvedOn: 2026-09-30', 'approvedOn: 2026-11-14'),
    });
    const report = statusAccounting(analysis, '0.1.0', '0.2.0');
    expect(report.soup).toEqual([{ id: 'SOUP-001', title: 'zlib', from: '1.2.13', to: '1.3.1' }]);
    expect(report.notes).toHaveLength(2);
    expect(report.notes[0]).toContain('REL-001 records no SOUP baseline');
  });
});
