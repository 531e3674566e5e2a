import fs from 'node:fs';
import path from 'node:path';
import type { EvidenceReader } from '../evidence/release-gate.js';

/**
 * The bytes of a file of the project as it is on disk now, undefined when it is not there: the
 * reports behind the runs and the evidence manifest of earlier gates, read the same way by
 * `dossier release check` and `dossier build` so that both give one verdict.
 */
export function projectFileReader(dir: string): EvidenceReader {
  const root = path.resolve(dir);
  return (file) => {
    const absolute = path.join(root, file);
    return fs.existsSync(absolute) && fs.statSync(absolute).isFile() ? fs.readFileSync(absolute) : undefined;
  };
}
