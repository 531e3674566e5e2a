/**
 * The multi-file write journal (src/util/write-journal.ts), as a library: all files or none, never
 * over a file that changed, never outside the project; and the loader's refusal to read a project
 * whose write another command holds open.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/load/project.js';
import { sha256Hex } from '../src/util/hash.js';
import { ChangedOnDiskError, WriteRefusedError } from '../src/util/write-guard.js';
import { JOURNAL_FILE, recoverInterruptedWrite, writeFilesAtomically } from '../src/util/write-journal.js';
import { starterProject } from './helpers.js';

const tempRoot = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-journal-'));
const everything = (root: string) =>
  fs.readdirSync(root, { recursive: true, withFileTypes: false }).map(String).sort();

describe('writeFilesAtomically', () => {
  it('writes every file, replacing and creating, and leaves no journal, backup or temporary file', () => {
    const root = tempRoot();
    fs.writeFileSync(path.join(root, 'a.yaml'), 'old a\n');
    writeFilesAtomically(root, 'test', [
      { path: 'a.yaml', content: 'new a\n', unchangedSince: sha256Hex(Buffer.from('old a\n')) },
      { path: 'sub/b.yaml', content: 'new b\n', unchangedSince: null },
    ]);
    expect(fs.readFileSync(path.join(root, 'a.yaml'), 'utf8')).toBe('new a\n');
    expect(fs.readFileSync(path.join(root, 'sub/b.yaml'), 'utf8')).toBe('new b\n');
    expect(everything(root)).toEqual(['.dossier', 'a.yaml', 'sub', 'sub/b.yaml']);
  });

  it('writes nothing when one target changed since it was read, or a new one appeared', () => {
    const root = tempRoot();
    fs.writeFileSync(path.join(root, 'a.yaml'), 'edited by a person\n');
    fs.writeFileSync(path.join(root, 'b.yaml'), 'appeared meanwhile\n');
    for (const second of [
      { path: 'a.yaml', content: 'x\n', unchangedSince: sha256Hex(Buffer.from('old a\n')) },
      { path: 'b.yaml', content: 'x\n', unchangedSince: null },
    ]) {
      expect(() =>
        writeFilesAtomically(root, 'test', [
          { path: 'c.yaml', content: 'c\n', unchangedSince: null },
          second,
        ]),
      ).toThrow(ChangedOnDiskError);
      expect(fs.existsSync(path.join(root, 'c.yaml'))).toBe(false);
    }
    expect(fs.readFileSync(path.join(root, 'a.yaml'), 'utf8')).toBe('edited by a person\n');
    expect(everything(root)).toEqual(['.dossier', 'a.yaml', 'b.yaml']);
  });

  it('refuses a path outside the project before writing anything', () => {
    const root = tempRoot();
    expect(() =>
      writeFilesAtomically(root, 'test', [
        { path: 'in.yaml', content: 'x\n', unchangedSince: null },
        { path: '../out.yaml', content: 'x\n', unchangedSince: null },
      ]),
    ).toThrow(WriteRefusedError);
    expect(everything(root)).toEqual([]);
  });

  it('a journal that names files outside the project is refused as damaged, not followed', () => {
    const root = tempRoot();
    fs.mkdirSync(path.join(root, '.dossier'));
    const journal = {
      schemaVersion: 1,
      owner: 'x',
      pid: 1,
      state: 'committed',
      files: [{ path: '../victim.yaml', temp: 'a', backup: null, before: null, after: 'ff' }],
    };
    fs.writeFileSync(path.join(root, JOURNAL_FILE), JSON.stringify(journal));
    expect(() => recoverInterruptedWrite(root, () => {})).toThrow(/cannot be read/);
  });
});

describe('the loader and an interrupted write', () => {
  it('does not read a project whose write a running command holds: load/write-pending', () => {
    const dir = starterProject();
    fs.mkdirSync(path.join(dir, '.dossier'), { recursive: true });
    const holder = { owner: 'dossier soup import', pid: process.pid, hostname: os.hostname() };
    fs.writeFileSync(
      path.join(dir, '.dossier/lock'),
      JSON.stringify({ ...holder, started: new Date().toISOString() }),
    );
    fs.writeFileSync(
      path.join(dir, JOURNAL_FILE),
      JSON.stringify({
        schemaVersion: 1,
        owner: 'dossier soup import',
        pid: process.pid,
        state: 'prepared',
        files: [],
      }),
    );
    const started = Date.now();
    const result = loadProject(dir);
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    if (!result.ok) {
      expect(result.findings[0]?.code).toBe('load/write-pending');
      expect(result.findings[0]?.message).toContain(`dossier soup import (PID ${process.pid}`);
    }
  }, 20_000);
});

describe('a journal Dossier did not write', () => {
  it('cannot make recovery remove a record: only its own sidecar files are accepted', () => {
    const root = tempRoot();
    fs.mkdirSync(path.join(root, '.dossier'));
    fs.writeFileSync(path.join(root, 'precious.md'), 'a record\n');
    const journal = {
      schemaVersion: 1,
      owner: 'x',
      pid: 1,
      state: 'prepared',
      files: [{ path: 'a.yaml', temp: 'precious.md', backup: null, before: null, after: 'ff' }],
    };
    fs.writeFileSync(path.join(root, JOURNAL_FILE), JSON.stringify(journal));
    expect(() => recoverInterruptedWrite(root, () => {})).toThrow(/cannot be read/);
    expect(fs.readFileSync(path.join(root, 'precious.md'), 'utf8')).toBe('a record\n');
  });
});
