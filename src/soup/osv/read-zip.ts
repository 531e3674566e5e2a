import zlib from 'node:zlib';
import yauzl from 'yauzl';
import type { Limits } from '../../model/limits.js';
import type { OsvRecord } from './types.js';

export interface ZipEntryProblem {
  readonly entry: string;
  readonly message: string;
}

/** The archive itself is unreadable: not a zip, truncated, or an entry's data is damaged. */
export class ZipArchiveError extends Error {}

/**
 * Bounds on what reading an archive may inflate, so that a small hostile zip (a "zip bomb", or an
 * entry whose directory lies about its size) cannot exhaust memory or time.
 */
export interface ZipLimits {
  /** Largest uncompressed size of one entry (bytes). */
  readonly maxEntryBytes: number;
  /** Largest ratio of an entry's uncompressed to its compressed size. */
  readonly maxRatio: number;
  /** Largest sum of the uncompressed sizes of the entries read (bytes). */
  readonly maxTotalBytes: number;
}

/** The zip bounds of a project's `limits` (dossier.yaml), for every reader of archives. */
export function zipLimitsOf(
  limits: Pick<Limits, 'maxZipEntryBytes' | 'maxZipRatio' | 'maxZipTotalBytes'>,
): ZipLimits {
  return {
    maxEntryBytes: limits.maxZipEntryBytes,
    maxRatio: limits.maxZipRatio,
    maxTotalBytes: limits.maxZipTotalBytes,
  };
}

/** Which bound an archive broke; `declared` means an entry inflated to more than its directory says. */
export type ZipLimitKind = 'entry' | 'ratio' | 'total' | 'declared';

/**
 * The archive is over a {@link ZipLimits} bound, or an entry inflated to more than its declared
 * size. Thrown before the entry is inflated when the central directory shows it, else as soon as
 * inflating passes the bound (the stream is destroyed there). `found` is what was seen: the declared
 * size, the ratio, the running total, or the bytes inflated so far.
 */
export class ZipLimitError extends ZipArchiveError {
  constructor(
    readonly kind: ZipLimitKind,
    readonly entry: string,
    readonly found: number,
    readonly limit: number,
  ) {
    super(
      kind === 'declared'
        ? `${entry}: inflates to more than the ${limit} bytes its central directory declares`
        : `${entry}: ${kind === 'total' ? 'the total uncompressed size reaches' : kind === 'ratio' ? 'compression ratio' : 'uncompressed size'} ${found}, over the limit of ${limit}`,
    );
  }
}

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
  /** Bounds on the accepted entries (default: none beyond each entry's declared size). */
  readonly limits?: ZipLimits;
}

const ratioOf = (uncompressed: number, compressed: number) =>
  uncompressed === 0 ? 0 : compressed === 0 ? Number.POSITIVE_INFINITY : uncompressed / compressed;

/**
 * The first bound an entry of `size` uncompressed bytes breaks, given the total of the entries
 * before it: its declared size from the central directory, or what it has inflated to so far.
 */
function overLimit(
  entry: yauzl.Entry,
  size: number,
  totalBefore: number,
  limits: ZipLimits,
): ZipLimitError | undefined {
  const name = entry.fileName;
  if (size > limits.maxEntryBytes) return new ZipLimitError('entry', name, size, limits.maxEntryBytes);
  const ratio = ratioOf(size, entry.compressedSize);
  if (ratio > limits.maxRatio) return new ZipLimitError('ratio', name, ratio, limits.maxRatio);
  if (totalBefore + size > limits.maxTotalBytes)
    return new ZipLimitError('total', name, totalBefore + size, limits.maxTotalBytes);
  return undefined;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise<yauzl.ZipFile>((resolve, reject) =>
    // yauzl's own size check (validateEntrySizes) is replaced by the count in readEntry, which names the
    // entry and the limit and stops inflating at once.
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: false },
      (error, z) =>
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

/**
 * Inflates one entry into memory. The bytes are counted as they come: more than the entry declares
 * (a directory that lies about the size), or past a limit, destroys the stream at once, so a hostile
 * entry never inflates further than one chunk beyond its bound.
 */
function readEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  verifyCrc: boolean,
  limits: ZipLimits | undefined,
  totalBefore: number,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream)
        return reject(new ZipArchiveError(`${entry.fileName}: ${error?.message ?? 'cannot read entry'}`));
      const chunks: Buffer[] = [];
      let crc = 0;
      let size = 0;
      let failed = false;
      const fail = (e: ZipArchiveError) => {
        if (failed) return;
        failed = true;
        stream.destroy();
        reject(e);
      };
      stream.on('data', (c: Buffer) => {
        if (failed) return;
        size += c.length;
        const over =
          size > entry.uncompressedSize
            ? new ZipLimitError('declared', entry.fileName, size, entry.uncompressedSize)
            : limits && overLimit(entry, size, totalBefore, limits);
        if (over) return fail(over);
        chunks.push(c);
        if (verifyCrc) crc = zlib.crc32(c, crc);
      });
      stream.on('end', () => {
        if (failed) return;
        if (size !== entry.uncompressedSize)
          return fail(
            new ZipArchiveError(
              `${entry.fileName}: holds ${size} bytes, but its central directory declares ${entry.uncompressedSize}`,
            ),
          );
        if (verifyCrc && crc >>> 0 !== entry.crc32 >>> 0)
          return fail(
            new ZipArchiveError(`${entry.fileName}: CRC-32 mismatch (the entry's data is damaged)`),
          );
        resolve(Buffer.concat(chunks));
      });
      stream.on('error', (e: Error) => fail(new ZipArchiveError(`${entry.fileName}: ${e.message}`)));
    }),
  );
}

/**
 * Checks every accepted entry's declared size, ratio and the running total against `limits`, from
 * the central directory alone: a hostile archive is refused before anything is inflated.
 */
async function checkDeclaredSizes(
  file: string,
  accept: ((name: string) => boolean) | undefined,
  limits: ZipLimits,
): Promise<void> {
  const zip = await openZip(file);
  try {
    let total = 0;
    for await (const entry of zipEntries(zip)) {
      if (entry.fileName.endsWith('/') || (accept && !accept(entry.fileName))) continue;
      const over = overLimit(entry, entry.uncompressedSize, total, limits);
      if (over) throw over;
      total += entry.uncompressedSize;
    }
  } finally {
    zip.close();
  }
}

export interface ZipByteEntry {
  readonly name: string;
  readonly bytes: Buffer;
  /** The entry's last-modified time as the archive records it. */
  readonly lastModified: Date;
}

/**
 * Streams the files of a zip archive one at a time as bytes (attachments, images), so archives
 * larger than memory work. Throws {@link ZipArchiveError} when the archive is not a zip, is
 * truncated, or an entry is damaged, and {@link ZipLimitError} when it is over `limits`: from the
 * central directory before any entry is inflated, and again while inflating, since a directory can lie.
 */
export async function* readZipEntries(
  file: string,
  options: ZipReadOptions = {},
): AsyncGenerator<ZipByteEntry> {
  if (options.limits) await checkDeclaredSizes(file, options.accept, options.limits);
  const zip = await openZip(file);
  try {
    let total = 0;
    for await (const entry of zipEntries(zip)) {
      if (entry.fileName.endsWith('/')) continue;
      if (options.accept && !options.accept(entry.fileName)) continue;
      const data = await readEntry(zip, entry, options.verifyCrc ?? true, options.limits, total);
      total += data.length;
      yield { name: entry.fileName, bytes: data, lastModified: entry.getLastModDate() };
    }
  } finally {
    zip.close();
  }
}

/** {@link readZipEntries} with each entry decoded as UTF-8 text. */
export async function* readZipTextEntries(
  file: string,
  options: ZipReadOptions = {},
): AsyncGenerator<ZipTextEntry> {
  for await (const entry of readZipEntries(file, options)) {
    yield { name: entry.name, text: entry.bytes.toString('utf8'), lastModified: entry.lastModified };
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
