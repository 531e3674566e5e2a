import fs from 'node:fs';
import path from 'node:path';
import type { EvidenceHasher } from '../evidence/release-gate.js';
import { sha256Hex } from '../util/hash.js';

/**
 * The identity of a report: the sha256 of its bytes as they are on disk, never of decoded text (an
 * ISO-8859-1 or UTF-16 report re-encoded as UTF-8 would hash differently). `evidence import`
 * records it and the release gate compares with it, so both use this one function.
 */
export function reportSha256(bytes: Uint8Array): string {
  return sha256Hex(bytes);
}

/** The sha256 of a file of the project as it is on disk now, undefined when it is not there. */
export function projectFileHasher(dir: string): EvidenceHasher {
  const root = path.resolve(dir);
  return (file) => {
    const absolute = path.join(root, file);
    return fs.existsSync(absolute) ? reportSha256(fs.readFileSync(absolute)) : undefined;
  };
}
