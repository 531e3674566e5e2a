import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from './hash.js';
import { pauseForTests } from './test-pause.js';
import { ChangedOnDiskError, insideProject } from './write-guard.js';

export interface AtomicWriteOptions {
  /** The project root: the write is refused unless it stays inside (symlinks resolved). */
  readonly root?: string;
  /**
   * The sha256 of the file's bytes when the writer read it, or `null` when it did not exist: the
   * file is checked again immediately before the rename, and a file changed meanwhile (a person's
   * edit) is left as it is and {@link ChangedOnDiskError} thrown.
   */
  readonly unchangedSince?: string | null;
}

const tempFor = (file: string) =>
  path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);

/** The sha256 of a file's bytes, or null when it does not exist. */
export function fileSha256(file: string): string | null {
  try {
    return sha256Hex(fs.readFileSync(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes a file atomically: the content goes to a temporary file in the same folder, is flushed,
 * and is renamed over the target, so a crash never leaves a half-written file.
 */
export function writeFileAtomic(
  file: string,
  content: string | Uint8Array | Iterable<string | Uint8Array>,
  options: AtomicWriteOptions = {},
): void {
  if (options.root !== undefined) insideProject(options.root, file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempFor(file);
  const fd = fs.openSync(temp, 'w');
  try {
    if (typeof content === 'string' || content instanceof Uint8Array) fs.writeFileSync(fd, content);
    else
      for (const chunk of content) {
        if (typeof chunk === 'string') fs.writeSync(fd, chunk);
        else fs.writeSync(fd, chunk);
      }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (options.unchangedSince === undefined) fs.renameSync(temp, file);
    else replaceIfUnchanged(temp, file, options.unchangedSince);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The last step of a guarded write, as close to the rename as it can be: a file that is new must
 * still be absent (a hard link, which fails rather than replace), and a file being replaced must
 * still have the bytes it was read with.
 */
function replaceIfUnchanged(temp: string, file: string, expected: string | null): void {
  pauseForTests();
  if (expected === null) {
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ChangedOnDiskError(file);
      throw error;
    }
    fs.rmSync(temp, { force: true });
    return;
  }
  if (fileSha256(file) !== expected) throw new ChangedOnDiskError(file);
  fs.renameSync(temp, file);
}

/**
 * Creates a file atomically and only if it does not exist yet: the content is written to a temporary
 * file and hard-linked to the target, which fails instead of replacing an existing file.
 * Returns false when the file already exists.
 */
export function createFileExclusive(
  file: string,
  content: string,
  options: Pick<AtomicWriteOptions, 'root'> = {},
): boolean {
  if (options.root !== undefined) insideProject(options.root, file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempFor(file);
  fs.writeFileSync(temp, content, { flag: 'wx' });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
