/**
 * All-or-nothing writes of several project files (issue 10 §2). A command that changes more than
 * one file (an import that edits a collection and creates another) must never leave one file new
 * and the other old when it is killed half-way. The write goes through a journal under `.dossier/`:
 *
 * 1. `prepared`: the journal names every target and the temporary file its content goes to; then
 *    each temporary file is written and flushed. A crash here leaves targets untouched: the next
 *    command deletes the temporary files (rolls back).
 * 2. `committed`: every temporary file is complete and each target still has the bytes the command
 *    read; each existing target gets a hard-linked backup, then the temporary files are renamed over
 *    the targets one by one, each checked again just before its rename. A crash here is finished by
 *    the next command (rolled forward), unless a person changed a target meanwhile, in which case the
 *    write is rolled back to the backups and the person's file kept.
 * 3. The journal, backups and temporary files are removed, and the folders flushed.
 *
 * Every caller holds the project lock (src/util/project-lock.ts), and the lock's holder completes an
 * interrupted write before it does anything else, so only one journal can exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from './hash.js';
import { pauseForTests } from './test-pause.js';
import { ChangedOnDiskError, insideProject, WriteRefusedError } from './write-guard.js';

export const JOURNAL_FILE = '.dossier/journal.json';

export interface PlannedWrite {
  /** The target, relative to the project root (forward slashes) or absolute inside it. */
  readonly path: string;
  readonly content: string | Uint8Array;
  /**
   * The sha256 of the target's bytes when the command read it, or null when it must not exist yet
   * (a new file is never written over one that appeared meanwhile).
   */
  readonly unchangedSince: string | null;
}

interface JournalEntry {
  /** Relative to the project root, forward slashes. */
  readonly path: string;
  readonly temp: string;
  /** The hard link to the old content while the write is committed; null for a new file. */
  readonly backup: string | null;
  readonly before: string | null;
  readonly after: string;
}

interface Journal {
  readonly schemaVersion: 1;
  readonly owner: string;
  readonly pid: number;
  readonly state: 'prepared' | 'committed';
  readonly files: readonly JournalEntry[];
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** The sha256 of a file's bytes, or null when it does not exist. */
function currentSha256(file: string): string | null {
  try {
    return sha256Hex(fs.readFileSync(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Flushes a folder, so the renames and links made in it survive a power loss. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems cannot flush a folder; the renames are still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeFlushed(file: string, content: string | Uint8Array, flag: 'w' | 'wx' = 'w'): void {
  const fd = fs.openSync(file, flag);
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function saveJournal(root: string, journal: Journal): void {
  const file = path.join(root, JOURNAL_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFlushed(temp, `${JSON.stringify(journal, null, 2)}\n`);
  fs.renameSync(temp, file);
  syncFolder(path.dirname(file));
}

function removeJournal(root: string): void {
  fs.rmSync(path.join(root, JOURNAL_FILE), { force: true });
  syncFolder(path.join(root, path.dirname(JOURNAL_FILE)));
}

const sidecar = (rel: string, tag: string) =>
  toPosix(path.join(path.dirname(rel), `.${path.basename(rel)}.dossier-${tag}`));

/**
 * Writes every planned file, or none of them. Throws {@link ChangedOnDiskError} (nothing written)
 * when a target changed since the command read it, and {@link WriteRefusedError} for a path outside
 * the project. The caller holds the project lock. `owner` names the command in the journal.
 */
export function writeFilesAtomically(root: string, owner: string, writes: readonly PlannedWrite[]): void {
  if (writes.length === 0) return;
  const absoluteRoot = path.resolve(root);
  const seen = new Set<string>();
  const entries: JournalEntry[] = writes.map((w) => {
    const absolute = insideProject(absoluteRoot, w.path);
    const rel = toPosix(path.relative(absoluteRoot, absolute));
    if (seen.has(rel)) throw new Error(`internal: ${rel} planned twice in one write`);
    seen.add(rel);
    return {
      path: rel,
      temp: sidecar(rel, `new-${process.pid}`),
      backup: w.unchangedSince === null ? null : sidecar(rel, `old-${process.pid}`),
      before: w.unchangedSince,
      after: sha256Hex(typeof w.content === 'string' ? Buffer.from(w.content, 'utf8') : w.content),
    };
  });
  const at = (rel: string) => path.join(absoluteRoot, rel);
  const journal = { schemaVersion: 1 as const, owner, pid: process.pid, files: entries };

  saveJournal(absoluteRoot, { ...journal, state: 'prepared' });
  try {
    writes.forEach((w, i) => {
      const entry = entries[i]!;
      fs.mkdirSync(path.dirname(at(entry.path)), { recursive: true });
      writeFlushed(at(entry.temp), w.content);
    });
    pauseForTests();
    for (const entry of entries) {
      if (currentSha256(at(entry.path)) !== entry.before) throw new ChangedOnDiskError(at(entry.path));
    }
  } catch (error) {
    rollBack(absoluteRoot, entries, []);
    throw error;
  }

  saveJournal(absoluteRoot, { ...journal, state: 'committed' });
  for (const entry of entries) {
    if (!entry.backup) continue;
    fs.rmSync(at(entry.backup), { force: true });
    fs.linkSync(at(entry.path), at(entry.backup));
  }
  const applied: JournalEntry[] = [];
  for (const entry of entries) {
    pauseForTests();
    try {
      apply(at, entry);
    } catch (error) {
      rollBack(absoluteRoot, entries, applied);
      throw error;
    }
    applied.push(entry);
  }
  finish(absoluteRoot, entries);
}

/** Puts one file in place if it still has the content it was read with. */
function apply(at: (rel: string) => string, entry: JournalEntry): void {
  const target = at(entry.path);
  if (entry.before === null) {
    try {
      fs.linkSync(at(entry.temp), target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ChangedOnDiskError(target);
      throw error;
    }
    fs.rmSync(at(entry.temp), { force: true });
    return;
  }
  if (currentSha256(target) !== entry.before) throw new ChangedOnDiskError(target);
  fs.renameSync(at(entry.temp), target);
}

/** Restores the applied files that still hold what this write put there, and removes the rest. */
function rollBack(
  root: string,
  entries: readonly JournalEntry[],
  applied: readonly JournalEntry[],
): string[] {
  const at = (rel: string) => path.join(root, rel);
  const kept: string[] = [];
  for (const entry of applied) {
    const now = currentSha256(at(entry.path));
    if (now !== entry.after) {
      kept.push(entry.path);
      continue;
    }
    if (entry.backup && fs.existsSync(at(entry.backup))) fs.renameSync(at(entry.backup), at(entry.path));
    else if (entry.before === null) fs.rmSync(at(entry.path), { force: true });
  }
  finish(root, entries);
  return kept;
}

/** Removes temporary files, backups and the journal, and flushes the folders written to. */
function finish(root: string, entries: readonly JournalEntry[]): void {
  const folders = new Set<string>();
  for (const entry of entries) {
    fs.rmSync(path.join(root, entry.temp), { force: true });
    if (entry.backup) fs.rmSync(path.join(root, entry.backup), { force: true });
    folders.add(path.dirname(path.join(root, entry.path)));
  }
  for (const folder of folders) syncFolder(folder);
  removeJournal(root);
}

function readJournal(root: string): Journal | 'unreadable' | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, JOURNAL_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 'unreadable';
  }
  try {
    const value = JSON.parse(text) as Partial<Journal>;
    const entryOk = (e: Partial<JournalEntry>) =>
      typeof e.path === 'string' &&
      typeof e.temp === 'string' &&
      (e.backup === null || typeof e.backup === 'string') &&
      (e.before === null || typeof e.before === 'string') &&
      typeof e.after === 'string' &&
      // The journal names only files inside the project, and removes only its own sidecar files.
      !e.path.split('/').includes('..') &&
      !path.isAbsolute(e.path) &&
      e.temp.startsWith(sidecar(e.path, 'new-')) &&
      (e.backup === null || e.backup.startsWith(sidecar(e.path, 'old-')));
    if (
      value.schemaVersion === 1 &&
      (value.state === 'prepared' || value.state === 'committed') &&
      Array.isArray(value.files) &&
      value.files.every((e) => typeof e === 'object' && e !== null && entryOk(e))
    ) {
      return value as Journal;
    }
  } catch {
    // Falls through: a journal Dossier did not write whole.
  }
  return 'unreadable';
}

/** True when a write was interrupted and not yet completed or rolled back. */
export const hasPendingWrite = (root: string) => fs.existsSync(path.join(path.resolve(root), JOURNAL_FILE));

/**
 * Completes or rolls back a write that a killed command left behind, and says what it did through
 * `tell` (one line each). The caller holds the project lock. A journal that cannot be read (not
 * written by Dossier, or damaged) is left in place and refused: which files are half-written is
 * then unknown, and a person has to look.
 */
export function recoverInterruptedWrite(root: string, tell: (message: string) => void): void {
  const absoluteRoot = path.resolve(root);
  const journal = readJournal(absoluteRoot);
  if (journal === undefined) return;
  if (journal === 'unreadable') {
    throw new WriteRefusedError(
      `${JOURNAL_FILE} records an interrupted write but cannot be read; the files it names may be half-written. Compare the project with git (git status, git diff), restore what is wrong, then delete ${JOURNAL_FILE}`,
    );
  }
  const at = (rel: string) => path.join(absoluteRoot, rel);
  const who = `${journal.owner} (PID ${journal.pid})`;
  const names = journal.files.map((e) => e.path).join(', ');
  if (journal.state === 'prepared') {
    rollBack(absoluteRoot, journal.files, []);
    tell(`${who} was interrupted before it wrote anything; its temporary files were removed (${names})`);
    return;
  }
  // Committed: finish it, unless a person changed one of its files since.
  const foreign = journal.files.filter((e) => {
    const now = currentSha256(at(e.path));
    if (now === e.after) return false;
    return !(now === e.before && fs.existsSync(at(e.temp)));
  });
  if (foreign.length === 0) {
    for (const entry of journal.files) {
      if (currentSha256(at(entry.path)) !== entry.after) apply(at, entry);
    }
    finish(absoluteRoot, journal.files);
    tell(`${who} was interrupted while writing; its write was completed (${names})`);
    return;
  }
  const applied = journal.files.filter((e) => currentSha256(at(e.path)) === e.after);
  rollBack(absoluteRoot, journal.files, applied);
  tell(
    `${who} was interrupted while writing, and ${foreign.map((e) => e.path).join(', ')} changed since; its write was undone and those files kept as they are. Run the command again`,
  );
}
