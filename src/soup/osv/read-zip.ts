import zlib from 'node:zlib';
import yauzl from 'yauzl';
import type { OsvRecord } from './types.js';

export interface ZipEntryProblem {
  readonly entry: string;
  readonly message: string;
}

/** The archive itself is unreadable: not a zip, truncated, or an entry's data is damaged. */
export class ZipArchiveError extends Error {}

/** One file of an archive, decoded as UTF-8. */
export interface ZipTextEntry {
  readonly name: string;
  readonly text: string;
  /** The entry's last-modified time as the archive records it. */
  readonly lastModified: Date;
}

export interface ZipReadOptions {
  /** Which entries to read (default: every file). Directories are always skipped. */
  readonly accept?: (name: string) => boolean;
  /**
   * Check each entry's CRC-32 against the central directory (yauzl does not). A mismatch throws
   * {@link ZipArchiveError}. Default true.
   */
  readonly verifyCrc?: boolean;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false }, (error, z) =>
      error || !z ? reject(new ZipArchiveError(error?.message ?? 'cannot open zip')) : resolve(z),
    ),
  );
}

async function* zipEntries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  while (true) {
    const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      const onEntry = (e: yauzl.Entry) => {
        zip.off('end', onEnd);
        zip.off('error', onError);
        resolve(e);
      };
      const onEnd = () => {
        zip.off('entry', onEntry);
        zip.off('error', onError);
        resolve(undefined);
      };
      const onError = (error: Error) => {
        zip.off('entry', onEntry);
        zip.off('end', onEnd);
        reject(new ZipArchiveError(error.message));
      };
      zip.once('entry', onEntry);
      zip.once('end', onEnd);
      zip.once('error', onError);
      zip.readEntry();
    });
    if (!entry) return;
    yield entry;
  }
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, verifyCrc: boolean): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream)
        return reject(new ZipArchiveError(`${entry.fileName}: ${error?.message ?? 'cannot read entry'}`));
      const chunks: Buffer[] = [];
      let crc = 0;
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        if (verifyCrc) crc = zlib.crc32(c, crc);
      });
      stream.on('end', () => {
        if (verifyCrc && crc >>> 0 !== entry.crc32 >>> 0)
          return reject(
            new ZipArchiveError(`${entry.fileName}: CRC-32 mismatch (the entry's data is damaged)`),
          );
        resolve(Buffer.concat(chunks));
      });
      stream.on('error', (e: Error) => reject(new ZipArchiveError(`${entry.fileName}: ${e.message}`)));
    }),
  );
}

/**
 * Streams the files of a zip archive one at a time, so archives larger than memory work. Throws
 * {@link ZipArchiveError} when the archive is not a zip, is truncated, or an entry is damaged.
 */
export async function* readZipTextEntries(
  file: string,
  options: ZipReadOptions = {},
): AsyncGenerator<ZipTextEntry> {
  const zip = await openZip(file);
  try {
    for await (const entry of zipEntries(zip)) {
      if (entry.fileName.endsWith('/')) continue;
      if (options.accept && !options.accept(entry.fileName)) continue;
      const data = await readEntry(zip, entry, options.verifyCrc ?? true);
      yield { name: entry.fileName, text: data.toString('utf8'), lastModified: entry.getLastModDate() };
    }
  } finally {
    zip.close();
  }
}

/** The file names in a zip archive (its central directory); throws {@link ZipArchiveError} if unreadable. */
export async function listZipEntries(file: string): Promise<string[]> {
  const zip = await openZip(file);
  try {
    const names: string[] = [];
    for await (const entry of zipEntries(zip)) if (!entry.fileName.endsWith('/')) names.push(entry.fileName);
    return names;
  } finally {
    zip.close();
  }
}

/**
 * Streams the OSV records of an osv.dev `all.zip` (one JSON file per advisory). Entries are read
 * one at a time, so archives larger than memory work; a bad entry is reported, not fatal.
 */
export async function* readOsvZip(file: string, problems: ZipEntryProblem[] = []): AsyncGenerator<OsvRecord> {
  for await (const entry of readZipTextEntries(file, {
    accept: (name) => name.endsWith('.json'),
    verifyCrc: false,
  })) {
    try {
      const record = JSON.parse(entry.text) as OsvRecord;
      if (typeof record?.id !== 'string') throw new Error('no "id"');
      yield record;
    } catch (error) {
      problems.push({ entry: entry.name, message: (error as Error).message });
    }
  }
}
