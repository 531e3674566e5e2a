import fs from 'node:fs';
import path from 'node:path';
import type { EvidenceHasher } from '../evidence/release-gate.js';
import { sha256Hex } from '../util/hash.js';

/** The sha256 of a file of the project as it is on disk now, undefined when it is not there. */
export function projectFileHasher(dir: string): EvidenceHasher {
  const root = path.resolve(dir);
  return (file) => {
    const absolute = path.join(root, file);
    return fs.existsSync(absolute) ? sha256Hex(fs.readFileSync(absolute)) : undefined;
  };
}
