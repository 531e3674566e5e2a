import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjectAt, RevisionError, WORKTREE } from '../src/history/project-at.js';
import { loadProject } from '../src/load/project.js';
import { fingerprint } from '../src/model/fingerprint.js';
import { gitFixture } from './git-fixture.js';
import { CONFIG, EXAMPLE, writeProject } from './helpers.js';

const srs = (id: string, title: string, extra = '') =>
  `---\nid: ${id}\nkind: software-requirement\ntitle: ${title}\nstatus: draft\n${extra}---\nThe software shall ${title.toLowerCase()}.\n`;

function ids(result: ReturnType<typeof loadProjectAt>): string[] {
  if (!result.ok) throw new Error(JSON.stringify(result.findings));
  return result.project.records.map((r) => r.id).sort();
}

describe('loadProjectAt: the project at a git revision', () => {
  it('reads a project in a subfolder of the repository at each revision, never the working tree', () => {
    const repo = gitFixture();
    repo.write({
      'README.md': 'top\n',
      'device/dossier.yaml': CONFIG,
      'device/records/software/SRS-001.md': srs('SRS-001', 'Stop the motor'),
    });
    const first = repo.commit('first');
    repo.write({
      'device/records/software/SRS-001.md': srs('SRS-001', 'Stop the motor at once'),
      'device/records/software/SRS-002.md': srs('SRS-002', 'Alarm'),
    });
    repo.commit('second');
    repo.git('tag', 'v1.0.0');
    // Uncommitted: only the working tree has it.
    repo.write({ 'device/records/software/SRS-003.md': srs('SRS-003', 'Log') });
    const root = path.join(repo.top, 'device');

    const atFirst = loadProjectAt(root, first);
    expect(atFirst.commit).toBe(first);
    expect(ids(atFirst)).toEqual(['SRS-001']);
    expect(atFirst.ok && atFirst.project.records[0]!.title).toBe('Stop the motor');
    expect(atFirst.ok && atFirst.project.records[0]!.origin.source.path).toBe('records/software/SRS-001.md');
    expect(ids(loadProjectAt(root, 'v1.0.0'))).toEqual(['SRS-001', 'SRS-002']);
    expect(ids(loadProjectAt(root, 'HEAD~1'))).toEqual(['SRS-001']);
    const worktree = loadProjectAt(root, WORKTREE);
    expect(worktree.commit).toBeUndefined();
    expect(ids(worktree)).toEqual(['SRS-001', 'SRS-002', 'SRS-003']);
    // Nothing was checked out: the working tree still holds the uncommitted file.
    expect(fs.existsSync(path.join(root, 'records/software/SRS-003.md'))).toBe(true);
  });

  it("applies that revision's globs, excludes and size limit", () => {
    const repo = gitFixture();
    repo.write({
      'dossier.yaml': `${CONFIG}exclude:\n  - records/drafts/**\n`,
      'records/software/SRS-001.md': srs('SRS-001', 'Stop'),
      'records/drafts/SRS-009.md': srs('SRS-009', 'Draft'),
      'records/software/SRS-002.md': srs('SRS-002', 'Big', `notes: "${'x'.repeat(3000)}"\n`),
    });
    const excluded = repo.commit('drafts excluded');
    repo.write({ 'dossier.yaml': `${CONFIG}limits:\n  maxFileBytes: 2000\n` });
    const limited = repo.commit('drafts included, small files only');

    expect(ids(loadProjectAt(repo.top, excluded))).toEqual(['SRS-001', 'SRS-002']);
    const atLimited = loadProjectAt(repo.top, limited);
    expect(ids(atLimited)).toEqual(['SRS-001', 'SRS-009']);
    expect(atLimited.ok && atLimited.project.unloaded.map((u) => [u.file, u.finding.code])).toEqual([
      ['records/software/SRS-002.md', 'load/too-large'],
    ]);
  });

  it('reads records the same way as the loader: the example at HEAD equals its working tree', () => {
    const repo = gitFixture();
    fs.cpSync(EXAMPLE, path.join(repo.top, 'example'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}out`),
    });
    repo.commit('the example');
    const root = path.join(repo.top, 'example');
    const disk = loadProject(root);
    const git = loadProjectAt(root, 'HEAD');
    if (!disk.ok || !git.ok) throw new Error('both must load');
    const summary = (p: typeof disk.project) =>
      p.records.map((r) => `${r.id} ${r.origin.source.path} ${fingerprint(r)} ${r.status}`);
    expect(summary(git.project)).toEqual(summary(disk.project));
    expect(git.project.findings.map((f) => f.code)).toEqual(disk.project.findings.map((f) => f.code));
    expect(git.project.codeTags).toEqual(disk.project.codeTags);
    expect(git.project.codeTags.length).toBeGreaterThan(0);
    expect(git.project.unloaded).toEqual([]);
  });

  it('follows a record file that is a symbolic link inside the project; one leading out does not load', () => {
    const repo = gitFixture();
    repo.write({ 'dossier.yaml': CONFIG, 'shared/SRS-001.md': srs('SRS-001', 'Stop') });
    fs.mkdirSync(path.join(repo.top, 'records'), { recursive: true });
    fs.symlinkSync('../shared/SRS-001.md', path.join(repo.top, 'records/SRS-001.md'));
    fs.symlinkSync('../../elsewhere.md', path.join(repo.top, 'records/SRS-002.md'));
    const commit = repo.commit('links');
    const at = loadProjectAt(repo.top, commit);
    expect(ids(at)).toEqual(['SRS-001']);
    expect(at.ok && at.project.unloaded.map((u) => [u.file, u.finding.code])).toEqual([
      ['records/SRS-002.md', 'load/outside-root'],
    ]);
  });

  it('a revision without dossier.yaml is a configuration error, not an empty project', () => {
    const repo = gitFixture();
    repo.write({ 'notes.txt': 'x\n' });
    const before = repo.commit('before the project');
    repo.write({ 'dossier.yaml': CONFIG });
    repo.commit('project');
    const at = loadProjectAt(repo.top, before);
    expect(at.ok).toBe(false);
    expect(!at.ok && at.findings[0]!.code).toBe('config/missing');
  });

  it('unknown revisions and folders outside git are one-line errors', () => {
    const repo = gitFixture();
    repo.write({ 'dossier.yaml': CONFIG });
    repo.commit('project');
    expect(() => loadProjectAt(repo.top, 'v9.9.9')).toThrow(RevisionError);
    expect(() => loadProjectAt(repo.top, 'v9.9.9')).toThrow(/unknown revision "v9.9.9"/);
    // A revision that looks like an option is a name, never an option.
    expect(() => loadProjectAt(repo.top, '--output=pwned')).toThrow(/unknown revision/);
    expect(fs.existsSync(path.join(repo.top, 'pwned'))).toBe(false);
    const empty = gitFixture();
    empty.write({ 'dossier.yaml': CONFIG });
    expect(() => loadProjectAt(empty.top, 'HEAD')).toThrow(/has no commit yet/);
    const plain = writeProject({});
    let message = '';
    try {
      loadProjectAt(plain, 'HEAD');
    } catch (error) {
      expect(error).toBeInstanceOf(RevisionError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/not in a git repository/);
    expect(message).not.toContain('\n');
  });
});
