/**
 * `headCommitFromFiles` (src/util/git-head-file.ts) reads the commit HEAD names as git does, or says
 * it cannot; the versions `link/suspect` found in git are remembered only while HEAD names the same
 * commit (src/links/what-changed.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { headCommitFromFiles } from '../src/util/git-head-file.js';
import { gitFixture } from './git-fixture.js';

describe('headCommitFromFiles', () => {
  it('names the commit git names, through loose and packed refs, a detached HEAD, a subfolder and a worktree', () => {
    const repo = gitFixture();
    expect(headCommitFromFiles(repo.top)).toBeUndefined(); // no commit yet
    repo.write({ 'a/b.txt': 'one' });
    const first = repo.commit('first');
    expect(headCommitFromFiles(repo.top)).toBe(first);
    expect(headCommitFromFiles(path.join(repo.top, 'a'))).toBe(first);
    repo.write({ 'a/b.txt': 'two' });
    const second = repo.commit('second');
    expect(headCommitFromFiles(repo.top)).toBe(second);
    repo.git('pack-refs', '--all');
    expect(fs.existsSync(path.join(repo.top, '.git/refs/heads/main'))).toBe(false);
    expect(headCommitFromFiles(repo.top)).toBe(second);
    repo.git('checkout', '-q', '--detach', first);
    expect(headCommitFromFiles(repo.top)).toBe(first);
    repo.git('checkout', '-q', 'main');
    const worktree = `${repo.top}-wt`;
    repo.git('worktree', 'add', '-q', '-b', 'side', worktree, first);
    expect(headCommitFromFiles(worktree)).toBe(first);
    expect(headCommitFromFiles(repo.top)).toBe(second);
  });

  it('says it cannot where history can change without HEAD: replace refs, grafts; and outside git', () => {
    const repo = gitFixture();
    repo.write({ 'x.txt': '1' });
    const first = repo.commit('first');
    repo.write({ 'x.txt': '2' });
    const second = repo.commit('second');
    repo.git('replace', second, first);
    expect(headCommitFromFiles(repo.top)).toBeUndefined();
    repo.git('replace', '-d', second);
    expect(headCommitFromFiles(repo.top)).toBe(second);
    fs.mkdirSync(path.join(repo.top, '.git/info'), { recursive: true });
    fs.writeFileSync(path.join(repo.top, '.git/info/grafts'), `${second}\n`);
    expect(headCommitFromFiles(repo.top)).toBeUndefined();
    expect(headCommitFromFiles(fs.mkdtempSync(path.join(path.dirname(repo.top), 'no-git-')))).toBeUndefined();
  });
});

/**
 * The starter project committed as reviewed, then SYS-001 edited: its derived requirements' links
 * are suspect, and git holds the reviewed version.
 */
function reviewedThenEdited() {
  const files = starterFiles({
    name: 'Test device',
    manufacturer: 'Test Co',
    safetyClass: 'C',
    date: '2026-10-01',
  });
  const repo = gitFixture();
  repo.write(files);
  const reviewed = repo.commit('as reviewed');
  const sys = 'records/system/SYS-001.md';
  repo.write({
    [sys]: files[sys]!.replace('within the accuracy stated', 'within ±2 % of the accuracy stated'),
  });
  /** The messages of the suspect links to SYS-001, from a new load and analysis. */
  const suspectMessages = () => {
    const loaded = loadProject(repo.top);
    if (!loaded.ok) throw new Error('load');
    return analyze(loaded.project)
      .diagnostics.filter((d) => d.code === 'link/suspect' && d.message.includes('derivesFrom SYS-001'))
      .map((d) => d.message);
  };
  return { repo, reviewed, suspectMessages };
}

describe('versions found in git for link/suspect', () => {
  it('are remembered only while HEAD names the same commit', () => {
    const { repo, reviewed, suspectMessages } = reviewedThenEdited();
    const before = suspectMessages();
    expect(before.length).toBeGreaterThan(0);
    for (const m of before) expect(m).toContain(`reviewed version in commit ${reviewed.slice(0, 12)}`);
    // The same history under another commit id: the answer names the new commit, not the one remembered.
    repo.git('commit', '-q', '--amend', '--only', '-m', 'as reviewed, reworded');
    const amended = repo.git('rev-parse', 'HEAD').trim();
    expect(amended).not.toBe(reviewed);
    const after = suspectMessages();
    expect(after.length).toBe(before.length);
    for (const m of after) expect(m).toContain(`reviewed version in commit ${amended.slice(0, 12)}`);
  });

  it('are not remembered when git could not be asked', () => {
    const { reviewed, suspectMessages } = reviewedThenEdited();
    const path = process.env.PATH;
    // No git on the PATH: HEAD is still read from the files, but git's answer is not there to keep.
    process.env.PATH = '';
    let without: string[];
    try {
      without = suspectMessages();
    } finally {
      process.env.PATH = path;
    }
    expect(without.length).toBeGreaterThan(0);
    for (const m of without) expect(m).toContain('which parts changed is not known');
    for (const m of suspectMessages())
      expect(m).toContain(`reviewed version in commit ${reviewed.slice(0, 12)}`);
  });
});
