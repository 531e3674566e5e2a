/**
 * Reading a record file's text: one open, its identity, its bytes within the size limit, decoded
 * as UTF-8 — or the finding that says why there is no text. Kept apart from the parsing (read-file.ts)
 * so that the reading worker (src/load/read-worker.ts) loads only this.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../diagnostics/diagnostic.js';
import { type FileIdentity, identityOf } from '../util/input-trace.js';
import { firstInvalidUtf8 } from '../util/utf8.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text of a file read within the size limit, or the finding that says why there is none. */
export interface TextRead {
  readonly text?: string;
  readonly finding?: Finding;
  /** For a file that is not UTF-8: its text decoded with replacement characters (to find ids). */
  readonly lossyText?: string;
  /** The identity of the file opened, taken before its bytes were read. */
  readonly identity?: FileIdentity;
}

/** Reads a whole file as UTF-8 text, enforcing the size limit. Returns a finding instead of throwing. */
export function readText(root: string, rel: string, maxBytes: number): TextRead {
  let bytes: Buffer;
  let identity: FileIdentity | undefined;
  try {
    // One open + fstat + read: a separate stat() by path cost 10 % of a 100,000-record check.
    const fd = fs.openSync(path.join(root, rel), 'r');
    try {
      const stats = fs.fstatSync(fd);
      identity = identityOf(stats);
      if (stats.size > maxBytes) return { finding: tooLargeFinding(rel, stats.size, maxBytes), identity };
      bytes = readAll(fd, stats.size);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    return {
      finding: {
        code: 'load/unreadable',
        message: `cannot read file: ${describeError(error)}`,
        at: { file: rel },
      },
    };
  }
  return { ...decodeText(rel, bytes), identity };
}

/** The finding for a file over `limits.maxFileBytes` (read from disk or from git). */
export function tooLargeFinding(rel: string, size: number, maxBytes: number): Finding {
  return {
    code: 'load/too-large',
    message: `file is ${size.toLocaleString('en-US')} bytes, over the ${maxBytes.toLocaleString('en-US')}-byte limit for a record file`,
    at: { file: rel, line: 1, column: 1 },
    hint: 'split it into smaller collection files, or raise `limits.maxFileBytes` in dossier.yaml',
  };
}

/** A file's bytes as UTF-8 text without a byte order mark, or the finding that it is not UTF-8. */
export function decodeText(rel: string, bytes: Uint8Array): TextRead {
  try {
    let text = utf8.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, offset);
    let line = 1;
    for (const b of before) if (b === 0x0a) line++;
    return {
      // Decoded with replacement characters, only to find the ids the file held.
      lossyText: new TextDecoder('utf-8').decode(bytes),
      finding: {
        code: 'load/not-utf8',
        message: `file is not valid UTF-8 (first bad byte at offset ${offset})`,
        at: { file: rel, line, column: 1 },
        hint: 're-save the file as UTF-8 (without changing its content), e.g. `iconv -f latin1 -t utf-8`',
      },
    };
  }
}

/** Reads `size` bytes (fewer if the file shrank meanwhile) from an open file. */
function readAll(fd: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let offset = 0;
  while (offset < size) {
    const n = fs.readSync(fd, buffer, offset, size - offset, offset);
    if (n === 0) break;
    offset += n;
  }
  return offset === size ? buffer : buffer.subarray(0, offset);
}

export function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ? `${e.code}` : String(error);
}
