/**
 * Turning the paths a user gives an importer into the files a reader parses. A file given by name
 * is always read (the user chose it, whatever its extension); a directory is walked for files the
 * reader accepts, in a sorted order so that two imports of the same tree give the same batch.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ImportError } from './model.js';

/** Directories a docs-as-code tree carries that never hold sources: build output, tooling. */
const SKIPPED_DIRS = new Set(['node_modules', '_build', 'build', '__pycache__']);

/** The files under `paths`, explicit files first-come, directory contents sorted; no duplicates. */
export async function listSourceFiles(
  paths: readonly string[],
  accept: (name: string) => boolean,
  /** What the reader looks for ("*.sdoc files"), for the error when a directory holds none. */
  what: string,
): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      out.push(file);
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new ImportError(`${path}: no such file or directory.`, { file: path });
    if (info.isDirectory()) {
      const found = await walk(path, accept);
      // An import that silently reads nothing looks like an empty project; say where we looked.
      if (found.length === 0)
        throw new ImportError(`${path}: no ${what} found in this directory.`, { file: path });
      for (const file of found) add(file);
    } else add(path);
  }
  return out;
}

async function walk(dir: string, accept: (name: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      // Hidden directories (.git, .venv) are tool state, not documents.
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      out.push(...(await walk(full, accept)));
    } else if (entry.isFile() && accept(entry.name)) out.push(full);
  }
  return out;
}

/** A source file's bytes; a file that cannot be read is an ImportError saying why and what to do. */
export async function readSourceBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportError(
      code === 'ENOENT'
        ? `${file}: no such file: check the path`
        : code === 'EISDIR'
          ? `${file}: is a folder; give the files in it`
          : `${file}: cannot be read (${code ?? (error as Error).message})`,
      { file },
    );
  }
}

/** A source file as text, a leading byte order mark dropped; unreadable files are an ImportError. */
export async function readSourceText(file: string): Promise<string> {
  const text = (await readSourceBytes(file)).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Lines of a text, whatever its line endings. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Many source files read at once, in the given order, a bounded number in flight: a Doorstop
 * tree is one file per item, and reading ten thousand of them one after the other waits on the
 * file system ten thousand times.
 */
export async function readSourceTexts(files: readonly string[], inFlight = 32): Promise<string[]> {
  const texts = new Array<string>(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      texts[index] = await readSourceText(files[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, files.length) }, worker));
  return texts;
}
