import fs from 'node:fs';
import path from 'node:path';
import type { EvidenceReader } from '../evidence/release-gate.js';
import { insideProject, WriteRefusedError } from '../util/write-guard.js';

/**
 * The bytes of a file of the project as it is on disk now, undefined when it is not there: the
 * reports behind the runs and the evidence manifest of earlier gates, read the same way by
 * `dossier release check` and `dossier build` so that both give one verdict. A path that leads
 * outside the project (`..`, absolute, a symlink out) is not archived with the records (5.8.7), so it
 * reads as missing and the gate says so, as for discovery (Dossier reads only inside the root).
 */
export function projectFileReader(dir: string): EvidenceReader {
  const root = path.resolve(dir);
  return (file) => {
    let absolute: string;
    try {
      absolute = insideProject(root, file);
    } catch (e) {
      if (e instanceof WriteRefusedError) return undefined;
      throw e;
    }
    return fs.existsSync(absolute) && fs.statSync(absolute).isFile() ? fs.readFileSync(absolute) : undefined;
  };
}
