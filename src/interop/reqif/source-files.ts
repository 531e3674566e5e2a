/**
 * The files a ReqIF import reads: `.reqif` files as text, and `.reqifz` archives opened into their
 * `.reqif` documents and attachment files. Decoding and archive limits live here; the ReqIF
 * structure does not.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { LIMITS } from '../../model/limits.js';
import { readZipEntries, ZipArchiveError, ZipLimitError, type ZipLimits } from '../../soup/osv/read-zip.js';
import { ImportError, type ImportedAttachment, type ImportIssue } from '../model.js';
import { readSourceBytes } from '../source-files.js';

/** One ReqIF document to parse: its text and the name reports use (`a.reqifz!dir/b.reqif`). */
export interface ReqifSourceText {
  readonly label: string;
  readonly text: string;
  /** The folder attachments are resolved against: the archive folder of the entry, `''` at the root. */
  readonly archiveFolder?: string;
}

export interface ReqifSources {
  readonly documents: ReqifSourceText[];
  readonly attachments: ImportedAttachment[];
  readonly issues: ImportIssue[];
}

/**
 * Default bounds for `.reqifz` archives: the limits Dossier applies to OSV archives per entry and
 * ratio, and 1 GiB in all (a requirements export is far smaller; a bomb is far larger).
 */
export const REQIFZ_LIMITS: ZipLimits = {
  maxEntryBytes: LIMITS.maxZipEntryBytes.default,
  maxRatio: LIMITS.maxZipRatio.default,
  maxTotalBytes: 1024 * 1024 * 1024,
};

/** Entries archivers add that are not part of the export (macOS resource forks and folder metadata). */
function isArchiverJunk(name: string): boolean {
  return name.startsWith('__MACOSX/') || /(^|\/)\.DS_Store$/.test(name) || /(^|\/)Thumbs\.db$/i.test(name);
}

/**
 * A normalised relative path inside an archive, or undefined when it would leave it (absolute,
 * `..`, a drive letter): such an entry is never written anywhere.
 */
export function safeArchivePath(name: string): string | undefined {
  const parts: string[] = [];
  if (/^([a-zA-Z]:|[\\/])/.test(name)) return undefined;
  for (const part of name.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}

export async function loadReqifSources(
  files: readonly string[],
  zipLimits: ZipLimits,
): Promise<ReqifSources> {
  const sources: ReqifSources = { documents: [], attachments: [], issues: [] };
  for (const file of files) {
    if (/\.reqifz$/i.test(file)) await loadArchive(file, zipLimits, sources);
    else
      sources.documents.push({
        label: file,
        text: decode(await readSourceBytes(file), file, sources.issues),
      });
  }
  return sources;
}

async function loadArchive(file: string, limits: ZipLimits, sources: ReqifSources): Promise<void> {
  try {
    await stat(file); // a missing file is reported as such, not as a broken archive
  } catch {
    await readSourceBytes(file); // throws the ImportError that says why
  }
  const before = sources.documents.length;
  try {
    for await (const entry of readZipEntries(file, { limits, accept: (name) => !isArchiverJunk(name) })) {
      const inner = safeArchivePath(entry.name);
      if (inner === undefined) {
        sources.issues.push({
          severity: 'warning',
          code: 'skipped',
          message: `${file}: entry "${entry.name}" points outside the archive (absolute or ".."); it was not read`,
          location: { file },
        });
        continue;
      }
      const label = `${file}!${inner}`;
      if (/\.reqif$/i.test(inner)) {
        const folder = inner.includes('/') ? inner.slice(0, inner.lastIndexOf('/')) : '';
        sources.documents.push({
          label,
          text: decode(entry.bytes, label, sources.issues),
          archiveFolder: folder,
        });
      } else sources.attachments.push({ path: inner, bytes: new Uint8Array(entry.bytes) });
    }
  } catch (error) {
    if (error instanceof ZipLimitError)
      throw new ImportError(
        `${file}: refused as a possible zip bomb: ${error.message}. If the archive is genuine, unpack it and import its .reqif file, or raise the reqifz limits`,
        { file },
      );
    if (error instanceof ZipArchiveError)
      throw new ImportError(`${file}: not a readable .reqifz (zip) archive: ${error.message}`, { file });
    throw error;
  }
  if (sources.documents.length === before)
    throw new ImportError(`${file}: the archive holds no .reqif file; a .reqifz must contain at least one`, {
      file,
    });
}

/**
 * The document's text. ReqIF requires UTF-8; a byte-order mark or an XML declaration naming
 * another encoding that the platform knows (ISO-8859-1, windows-1252, UTF-16) is honoured, with a
 * warning, rather than garbling every non-ASCII character.
 */
export function decode(bytes: Buffer, label: string, issues: ImportIssue[]): string {
  if (bytes.length === 0)
    throw new ImportError(`${label}: the file is empty; export the ReqIF again`, { file: label });
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return foreign(bytes.subarray(2), 'utf-16le', label, issues);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return foreign(bytes.subarray(2), 'utf-16be', label, issues);
  const head = bytes.subarray(0, 200).toString('latin1');
  const declared = /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) return foreign(bytes, declared, label, issues);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(
      `${label}: the file is not valid UTF-8, which ReqIF requires; re-export it as UTF-8 (or declare its real encoding in the XML declaration)`,
      { file: label },
    );
  }
}

function foreign(bytes: Uint8Array, encoding: string, label: string, issues: ImportIssue[]): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new ImportError(
      `${label}: declares the encoding "${encoding}", which cannot be decoded here; ReqIF requires UTF-8, so re-export it as UTF-8`,
      { file: label, line: 1 },
    );
  }
  try {
    const text = decoder.decode(bytes);
    issues.push({
      severity: 'warning',
      code: 'approximated',
      message: `${label}: declares the encoding "${encoding}" where ReqIF requires UTF-8; it was read as ${encoding}`,
      location: { file: label, line: 1 },
    });
    return text;
  } catch {
    throw new ImportError(
      `${label}: is not valid ${encoding} as its XML declaration says; re-export it as UTF-8`,
      {
        file: label,
        line: 1,
      },
    );
  }
}

/** Joins an archive folder and an object's `data` into an archive path, or undefined if it leaves the archive. */
export function resolveArchivePath(folder: string | undefined, data: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(data)) return undefined; // a URL, not a file in the export
  const decoded = (() => {
    try {
      return decodeURIComponent(data);
    } catch {
      return data;
    }
  })();
  return safeArchivePath(folder ? path.posix.join(folder, decoded) : decoded);
}
