/**
 * The file memo of `dossier serve` (src/load/file-memo.ts): a reload reads only the files whose
 * identity changed, and the project it gives is the project a fresh load gives.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { starterFiles } from '../src/init/starter.js';
import { discoverFiles, rediscover } from '../src/load/discover.js';
import { FileMemo, RACY_MS } from '../src/load/file-memo.js';
import { loadProject, type Project } from '../src/load/project.js';
import { identityOf } from '../src/util/input-trace.js';
import { gitFixture } from './git-fixture.js';
import { CLI, starterProject } from './helpers.js';

/** Every file of the project dated an hour ago: outside the racy window, as files at rest are. */
function agedProject(overrides: Record<string, string> = {}): string {
  const dir = starterProject(overrides);
  const past = new Date(Date.now() - 3600_000);
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else fs.utimesSync(full, past, past);
    }
  };
  walk(dir);
  return dir;
}

/**
 * A memo whose clock runs {@link RACY_MS} and a second ahead: the files {@link agedProject} dated
 * back are at rest (their change times, which no one can set back, are new), and so is every file
 * a test writes. Tests of the racy window set the clock themselves.
 */
function restingMemo(): FileMemo {
  return new FileMemo(() => Date.now() + RACY_MS + 1000);
}

function load(dir: string, memo?: FileMemo): Project {
  const result = loadProject(dir, memo ? { fileMemo: memo } : {});
  if (!result.ok) throw new Error('did not load');
  return result.project;
}

/** What a project says, without object identity: records, findings, unloaded files, diagnostics. */
function shape(project: Project) {
  return {
    records: project.records.map((r) => ({ ...r, origin: { ...r.origin, source: r.origin.source.path } })),
    findings: project.findings,
    unloaded: project.unloaded.map((u) => u.file),
    diagnostics: analyze(project, { today: '2026-12-01' }).diagnostics,
  };
}

const SRS = 'records/software/SRS-001.md';

describe('the file memo', () => {
  it('a reload reads only the changed file and gives what a fresh load gives', () => {
    const dir = agedProject();
    const memo = restingMemo();
    const first = load(dir, memo);
    const files = memo.read;
    expect(files).toBeGreaterThan(3);
    expect(memo.reused).toBe(0);

    const again = load(dir, memo);
    expect(memo.read).toBe(0);
    expect(memo.reused).toBe(files);
    // The same record objects: what was computed from them is not computed again.
    expect(again.records[0]).toBe(first.records[0]);

    const file = path.join(dir, SRS);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Changed in place'));
    const changed = load(dir, memo);
    expect(memo.read).toBe(1);
    expect(memo.reused).toBe(files - 1);
    expect(changed.records.find((r) => r.id === 'SRS-001')?.title).toBe('Changed in place');
    expect(shape(changed)).toEqual(shape(load(dir)));
  });

  it('sees a change that keeps the size and puts the modification time back (the change time moved)', () => {
    const dir = agedProject();
    const memo = restingMemo();
    load(dir, memo);
    const file = path.join(dir, SRS);
    const before = fs.statSync(file);
    const text = fs.readFileSync(file, 'utf8');
    const same = text.replace(/^title: (.)/m, (_, c: string) => `title: ${c === 'X' ? 'Y' : 'X'}`);
    expect(same.length).toBe(text.length);
    fs.writeFileSync(file, same);
    fs.utimesSync(file, before.atime, before.mtime);
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
    const project = load(dir, memo);
    expect(memo.read).toBe(1);
    expect(project.records.find((r) => r.id === 'SRS-001')?.title).toMatch(/^[XY]/);
  });

  // With the real clock every file of agedProject is in the racy window (dating a file back makes
  // its change time new): these tests look at whether the file they write is kept (`holds`).
  /** A memo whose clock the test sets, starting with agedProject's files at rest. */
  const clockedMemo = () => {
    const clock = { now: Date.now() + RACY_MS + 1000 };
    return { memo: new FileMemo(() => clock.now), clock };
  };
  /** Once the racy window is over, the file is kept: the load after that reads nothing. */
  const expectKeptOnceAged = (dir: string, memo: FileMemo, clock: { now: number }) => {
    clock.now = Date.now() + RACY_MS + 1000;
    load(dir, memo);
    expect(memo.holds(SRS)).toBe(true);
    load(dir, memo);
    expect(memo.read).toBe(0);
  };

  it('does not keep a file modified within the racy window: it is read again until it has aged', () => {
    const dir = agedProject();
    const { memo, clock } = clockedMemo();
    load(dir, memo);
    fs.appendFileSync(path.join(dir, SRS), '\nMore text.\n');
    clock.now = Date.now();
    load(dir, memo);
    expect(memo.holds(SRS)).toBe(false);
    // Still within RACY_MS of its modification: not kept, read again although it did not change.
    load(dir, memo);
    expect(memo.holds(SRS)).toBe(false);
    expectKeptOnceAged(dir, memo, clock);
  });

  it('a write that puts the modification time back is within the racy window by its change time', () => {
    const dir = agedProject();
    const { memo, clock } = clockedMemo();
    load(dir, memo);
    const file = path.join(dir, SRS);
    const before = fs.statSync(file);
    // As `cp -p` or `touch -r` write: new content, the old modification time; only the change time is new.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Copied over'));
    fs.utimesSync(file, before.atime, before.mtime);
    clock.now = Date.now();
    expect(load(dir, memo).records.find((r) => r.id === 'SRS-001')?.title).toBe('Copied over');
    // A second such write within the change time's granularity would keep the identity: not kept.
    expect(memo.holds(SRS)).toBe(false);
    expectKeptOnceAged(dir, memo, clock);
  });

  it('does not keep a file that could not be read: the next load reads it again', () => {
    const dir = agedProject();
    const memo = restingMemo();
    const files = [SRS];
    memo.begin(dir, 'config', { files, findings: [] });
    // What the reader gives for an I/O error (too many open files, a network drive gone a moment).
    const finding = { code: 'load/unreadable', message: 'cannot read file: EMFILE', at: { file: SRS } };
    memo.set(SRS, {
      result: { records: [], findings: [], failure: { finding, idsInText: [] } },
      validated: [],
      continued: false,
    });
    memo.begin(dir, 'config', { files, findings: [] });
    expect(memo.holds(SRS)).toBe(false);
    // A file whose content does not load (here: empty of records) is kept: reading it again gives
    // the same. The reader gives the identity of the file it opened.
    const identity = identityOf(fs.statSync(path.join(dir, SRS)));
    memo.set(SRS, { result: { records: [], findings: [], identity }, validated: [], continued: false });
    memo.begin(dir, 'config', { files, findings: [] });
    expect(memo.holds(SRS)).toBe(true);
  });

  it('a new file is read, a deleted one leaves, a changed dossier.yaml drops everything', () => {
    const dir = agedProject();
    const memo = restingMemo();
    load(dir, memo);
    const files = memo.read;
    fs.writeFileSync(
      path.join(dir, 'records/software/SRS-900.md'),
      '---\nid: SRS-900\ntitle: New one\nstatus: draft\ncategory: functional\nderivesFrom: [SYS-001]\n---\nText.\n',
    );
    expect(load(dir, memo).records.some((r) => r.id === 'SRS-900')).toBe(true);
    expect(memo.read).toBe(1);
    fs.rmSync(path.join(dir, 'records/software/SRS-900.md'));
    expect(load(dir, memo).records.some((r) => r.id === 'SRS-900')).toBe(false);
    expect(memo.read).toBe(0);
    expect(memo.reused).toBe(files);

    const config = path.join(dir, 'dossier.yaml');
    fs.appendFileSync(config, '\n# a comment changes the text\n');
    load(dir, memo);
    expect(memo.read).toBe(files);
    expect(memo.reused).toBe(0);
  });
});

describe('a targeted load (the files a watcher named)', () => {
  const targeted = (dir: string, memo: FileMemo, changedFiles: string[]): Project => {
    const result = loadProject(dir, { fileMemo: memo, changedFiles });
    if (!result.ok) throw new Error('did not load');
    return result.project;
  };
  const NEW = 'records/software/SRS-900.md';
  const NEW_TEXT =
    '---\nid: SRS-900\ntitle: New one\nstatus: draft\ncategory: functional\nderivesFrom: [SYS-001]\n---\nText.\n';

  it('looks only at the named file and gives what a full load gives', () => {
    const dir = agedProject();
    const memo = restingMemo();
    const files = load(dir, memo).sources.size - 1;
    const file = path.join(dir, SRS);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Named change'));
    const project = targeted(dir, memo, [SRS]);
    expect(memo.targeted).toBe(true);
    expect(memo.read).toBe(1);
    expect(memo.reused).toBe(files - 1);
    expect(project.records.find((r) => r.id === 'SRS-001')?.title).toBe('Named change');
    expect(shape(project)).toEqual(shape(load(dir)));
  });

  it('trusts the files not named: only a full load finds a change the watcher missed', () => {
    const dir = agedProject();
    const memo = restingMemo();
    load(dir, memo);
    const file = path.join(dir, SRS);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Missed change'));
    // The watcher named another path (a dropped event): the targeted load keeps what it had...
    const stale = targeted(dir, memo, ['records/notes.txt']);
    expect(memo.read).toBe(0);
    expect(stale.records.find((r) => r.id === 'SRS-001')?.title).not.toBe('Missed change');
    // ...which is why `dossier serve` confirms every targeted load with a full one.
    expect(load(dir, memo).records.find((r) => r.id === 'SRS-001')?.title).toBe('Missed change');
    expect(memo.read).toBe(1);
  });

  it('finds a new file it is told of, drops a deleted one, ignores a file the globs do not match', () => {
    const dir = agedProject();
    const memo = restingMemo();
    load(dir, memo);
    fs.writeFileSync(path.join(dir, NEW), NEW_TEXT);
    fs.writeFileSync(path.join(dir, 'records/notes.txt'), 'not a record\n');
    const added = targeted(dir, memo, [NEW, 'records/notes.txt']);
    expect(memo.read).toBe(1);
    expect(added.records.some((r) => r.id === 'SRS-900')).toBe(true);
    expect(shape(added)).toEqual(shape(load(dir)));
    fs.rmSync(path.join(dir, NEW));
    const removed = targeted(dir, memo, [NEW]);
    expect(memo.read).toBe(0);
    expect(removed.records.some((r) => r.id === 'SRS-900')).toBe(false);
    expect(shape(removed)).toEqual(shape(load(dir)));
  });

  it('reads a file it did not keep even when the watcher names another (an earlier read failed)', () => {
    const dir = agedProject();
    const memo = restingMemo();
    const files = load(dir, memo).sources.size - 1;
    // As if SRS-001 could not be read last time: nothing is kept of it.
    const finding = { code: 'load/unreadable', message: 'cannot read file: EMFILE', at: { file: SRS } };
    memo.set(SRS, {
      result: { records: [], findings: [], failure: { finding, idsInText: [] } },
      validated: [],
      continued: false,
    });
    const other = 'records/software/SRS-002.md';
    const file = path.join(dir, other);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Other change'));
    const project = targeted(dir, memo, [other]);
    expect(memo.read).toBe(2);
    expect(memo.reused).toBe(files - 2);
    expect(shape(project)).toEqual(shape(load(dir)));
    // A file added and another deleted in one batch: the list is placed, not walked.
    fs.writeFileSync(path.join(dir, NEW), NEW_TEXT);
    fs.rmSync(file);
    const both = targeted(dir, memo, [other, NEW]);
    expect(memo.targeted).toBe(true);
    expect(both.records.map((r) => r.id)).toContain('SRS-900');
    expect(both.records.map((r) => r.id)).not.toContain('SRS-002');
    expect(shape(both)).toEqual(shape(load(dir)));
  });

  it('asks git again about an empty file when another file is named (nothing patched over it)', () => {
    const repo = gitFixture();
    const files = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' });
    // An empty YAML file: no finding of its own, only git says whether records were lost from it.
    const emptied = 'records/tests/system-tests.yaml';
    repo.write(files);
    repo.commit('with the system tests');
    repo.write({ [emptied]: '' });
    repo.commit('system tests emptied');
    const memo = restingMemo();
    expect(load(repo.top, memo).unloaded).toEqual([]);
    // HEAD now holds a record in the empty file again (the working file is as it was).
    repo.git('reset', '-q', '--soft', 'HEAD~1');
    const file = path.join(repo.top, SRS);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Named change'));
    const project = targeted(repo.top, memo, [SRS]);
    expect(project.unloaded.map((u) => u.file)).toEqual([emptied]);
    expect(shape(project)).toEqual(shape(load(repo.top)));
  });

  it('walks the folders again for a folder, a link, or a changed dossier.yaml', () => {
    const dir = agedProject();
    const memo = restingMemo();
    const files = load(dir, memo).sources.size - 1;
    // A new folder: its files may have been written before the watcher saw the folder.
    fs.mkdirSync(path.join(dir, 'records/software/more'));
    fs.writeFileSync(path.join(dir, 'records/software/more/SRS-900.md'), NEW_TEXT);
    const walked = targeted(dir, memo, ['records/software/more']);
    expect(memo.targeted).toBe(false);
    expect(walked.records.some((r) => r.id === 'SRS-900')).toBe(true);
    expect(shape(walked)).toEqual(shape(load(dir)));
    // dossier.yaml: everything is read again, whatever was named.
    fs.appendFileSync(path.join(dir, 'dossier.yaml'), '\n# a comment changes the text\n');
    targeted(dir, memo, [SRS]);
    expect(memo.read).toBe(files + 1);
  });

  it('rediscover declines what a path cannot say alone', () => {
    const dir = agedProject();
    const config = { include: ['records/**/*.md'], exclude: [] as string[] };
    const walk = discoverFiles(dir, config.include, config.exclude);
    const again = (changed: string[], previous = walk) =>
      rediscover(dir, config.include, config.exclude, previous, changed);
    expect(again([SRS])).toEqual(walk);
    expect(again(['records/software'])).toBeUndefined(); // a folder
    expect(again(['records/../dossier.yaml'])).toBeUndefined(); // not a normal path
    fs.symlinkSync(path.join(dir, SRS), path.join(dir, 'records/software/SRS-linked.md'));
    expect(again(['records/software/SRS-linked.md'])).toBeUndefined(); // a link
    const throughLinks = discoverFiles(dir, config.include, config.exclude);
    expect(throughLinks.throughLinks).toBe(true);
    expect(again([SRS], throughLinks)).toBeUndefined(); // the last walk went through a link
    // A folder that went away with its files: only a walk knows which.
    fs.rmSync(path.join(dir, 'records/software'), { recursive: true });
    expect(again(['records/software'])).toBeUndefined();
  });
});

function get(port: number, p: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('dossier serve re-analyses with the memo', () => {
  it('reads again only the edited file, says so, and serves the change', { timeout: 120_000 }, async () => {
    const dir = agedProject();
    // The server's clock is the real one: its first load must see the files at rest (their change
    // times, new from dating them back, out of the racy window).
    await new Promise((r) => setTimeout(r, RACY_MS + 500));
    const child = spawn(process.execPath, [CLI, 'serve', dir, '--port', '0', '--no-cache'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    const until = async (test: () => boolean, what: string) => {
      for (let i = 0; i < 600 && !test(); i++) await new Promise((r) => setTimeout(r, 100));
      if (!test()) throw new Error(`timed out waiting for ${what}; stderr: ${err}`);
    };
    try {
      await until(() => /127\.0\.0\.1:(\d+)\//.test(out), 'the server');
      const port = Number(/127\.0\.0\.1:(\d+)\//.exec(out)![1]);
      const file = path.join(dir, SRS);
      fs.writeFileSync(
        file,
        fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Edited while served'),
      );
      await until(() => /re-analysed in \d+ ms/.test(err), 'the re-analysis');
      const files = load(dir).sources.size - 1; // every record file (sources also hold dossier.yaml)
      expect(err).toMatch(
        new RegExp(
          `re-analysed in \\d+ ms \\(1 of ${files} files read again, only the files the watcher named looked at, load \\d+ ms\\)`,
        ),
      );
      expect(await get(port, '/records/SRS-001')).toContain('Edited while served');
      // The full load that confirms the targeted one, once things are quiet, found nothing more:
      // no second analysis.
      await new Promise((r) => setTimeout(r, 3000));
      expect(err.match(/re-analysed in/g)).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
