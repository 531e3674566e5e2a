import type { Analysis } from '../analyze.js';
import { releaseOf } from '../evidence/release-gate.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { UsageError } from './io.js';

/**
 * The release record of `version`, for the commands that describe one release (`release check`,
 * `sbom --release`); a usage error naming the versions that have one when there is none.
 */
export function releaseRecordOf(analysis: Analysis, version: string): DossierRecord {
  const release = releaseOf(analysis, version);
  if (release) return release;
  const releases = analysis.graph.ofKind('release').filter(isActive);
  const versions = [...new Set(releases.map((r) => String(r.fields.version)))].sort();
  throw new UsageError(
    `no release record has version ${version}${versions.length > 0 ? ` (release records: ${versions.join(', ')})` : ''}; write the release record (5.8) first`,
  );
}
