import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EvidenceReader, OversizedFile } from '../evidence/release-gate.js';
import { LIMITS } from '../model/limits.js';
import { insideProject, WriteRefusedError } from '../util/write-guard.js';

/**
 * The bytes of a file of the project as it is on disk now, undefined when it is not there: the
 * reports behind the runs and the evidence manifest of earlier gates, read the same way by
 * `dossier release check` and `dossier build` so that both give one verdict. A path that leads
 * outside the project (`..`, absolute, a symlink out) is not archived with the records (5.8.7), so it
 * reads as missing and the gate says so, as for discovery (Dossier reads only inside the root).
 * A file over `maxBytes` (`limits.maxReportBytes`) is hashed as it streams and never read whole: the
 * gate compares its hash and says it is too large to re-read.
 */
export function projectFileReader(dir: string, maxBytes = LIMITS.maxReportBytes.default): EvidenceReader {
  const root = path.resolve(dir);
  return (file) => {
    let absolute: string;
    try {
      absolute = insideProject(root, file);
    } catch (e) {
      if (e instanceof WriteRefusedError) return undefined;
      throw e;
    }
    if (!fs.existsSync(absolute)) return undefined;
    const stat = fs.statSync(absolute);
    if (!stat.isFile()) return undefined;
    return stat.size > maxBytes ? hashOversized(absolute, maxBytes) : fs.readFileSync(absolute);
  };
}

/** The sha256 of a file read in chunks (the same hash as reportSha256 of its bytes). */
function hashOversized(file: string, limit: number): OversizedFile {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(1024 * 1024);
  const fd = fs.openSync(file, 'r');
  let size = 0;
  try {
    for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) {
      hash.update(chunk.subarray(0, n));
      size += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { oversized: true, size, limit, sha256: hash.digest('hex') };
}
