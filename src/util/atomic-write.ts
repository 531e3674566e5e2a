import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a file atomically: the content goes to a temporary file in the same folder, is flushed,
 * and is renamed over the target, so a crash never leaves a half-written file.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array | Iterable<string>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'w');
  try {
    if (typeof content === 'string' || content instanceof Uint8Array) fs.writeFileSync(fd, content);
    else for (const chunk of content) fs.writeSync(fd, chunk);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Creates a file atomically and only if it does not exist yet: the content is written to a temporary
 * file and hard-linked to the target, which fails instead of replacing an existing file.
 * Returns false when the file already exists.
 */
export function createFileExclusive(file: string, content: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
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
