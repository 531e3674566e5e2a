/**
 * The central directory of a zip archive, read in place: where each entry's headers are, its name,
 * compression and sizes. Enough for the two things Dossier does to zip files it handles (dating
 * the entries of a DOCX it wrote, zip-dates.ts; reading the styles of a reference DOCX,
 * templates.ts). No zip64, no encryption, no archive spanning: refused rather than guessed at.
 */
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export class ZipError extends Error {}

export interface ZipEntry {
  readonly name: string;
  /** Offsets of the entry's central directory record and of its local header. */
  readonly central: number;
  readonly local: number;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly flags: number;
}

/** The entries of the archive, in central directory order. */
export function zipEntries(zip: Uint8Array): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--)
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new ZipError('not a zip archive: no end of central directory');
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== CENTRAL)
      throw new ZipError('zip central directory is not where it says');
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    if (local + 30 > zip.length || view.getUint32(local, true) !== LOCAL)
      throw new ZipError('zip local header is not where it says');
    entries.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      central: at,
      local,
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      flags: view.getUint16(at + 8, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/** The content of one entry, or undefined when the archive has none of that name. */
export function readZipEntry(
  zip: Uint8Array,
  name: string,
  maxBytes = 64 * 1024 * 1024,
): Uint8Array | undefined {
  const entry = zipEntries(zip).find((e) => e.name === name);
  if (!entry) return undefined;
  if (entry.flags & 1) throw new ZipError(`${name} is encrypted`);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const start =
    entry.local + 30 + view.getUint16(entry.local + 26, true) + view.getUint16(entry.local + 28, true);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: maxBytes });
  throw new ZipError(`${name} uses a compression method other than deflate (${entry.method})`);
}
