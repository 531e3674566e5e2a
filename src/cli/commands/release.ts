import path from 'node:path';
import { build } from '../../build/build.js';
import { evidenceHashesOf, releaseGate } from '../../evidence/release-gate.js';
import {
  evidenceManifest,
  type ManifestEntry,
  RELEASE_FORMATS,
  renderGateJson,
  renderGateText,
} from '../../evidence/release-report.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { projectBuildDate } from '../../util/build-date.js';
import { DOSSIER_VERSION } from '../../version.js';
import { analyzeWithAdvisories } from '../advisory-db.js';
import { projectFileHasher } from '../evidence-hasher.js';
import { displayRoot, EXIT, emit, loadOrReport, oneOf } from '../io.js';
import { releaseRecordOf } from '../release-record.js';
import { writeOut } from '../terminal.js';

export interface ReleaseCheckOptions {
  format: string;
  advisories?: string;
  manifest?: string;
  out?: string;
}

/**
 * `dossier release check <version>`: every blocker by clause, exit 1 while any remains, and the
 * evidence manifest (sha256 of each evidence file and each generated document, 5.8.7, 5.8.8).
 */
export function runReleaseCheck(version: string, dir: string, options: ReleaseCheckOptions): number {
  const format = oneOf(options.format, RELEASE_FORMATS, '--format');
  const { timestamp } = projectBuildDate(dir);
  const { project, exitCode } = loadOrReport(dir, { refuse: `check release ${version}` });
  if (!project) return exitCode!;
  const { analysis, snapshots } = analyzeWithAdvisories(dir, project, options.advisories, {
    required: false,
  });
  releaseRecordOf(analysis, version);
  const hashEvidence = projectFileHasher(dir);
  const hashes = evidenceHashesOf(analysis, version, hashEvidence);
  const result = releaseGate(analysis, version, hashes);
  // Only the hashes of the documents are needed: the sink lets each go once it is hashed.
  const documents = build(
    analysis,
    {
      displayRoot: displayRoot(dir),
      timestamp,
      hashEvidence,
      gate: result,
      ...(snapshots ? { advisorySnapshots: snapshots } : {}),
    },
    (artifact) => {
      for (const _ of artifact.chunks); // hashed as they pass; nothing else is kept
    },
  ).files;
  const entries: ManifestEntry[] = [
    ...[...hashes].map(
      ([file, hash]): ManifestEntry => ({ path: file, sha256: hash ?? 'missing', role: 'evidence' }),
    ),
    ...documents.map((f): ManifestEntry => ({ path: `build/${f.path}`, sha256: f.sha256, role: 'document' })),
  ];
  const manifestFile = path.resolve(
    options.manifest ?? path.join(dir, 'out', `release-${version}`, 'evidence-manifest.json'),
  );
  writeFileAtomic(
    manifestFile,
    evidenceManifest(result, entries, { name: 'dossier', version: DOSSIER_VERSION }),
  );
  emit(format === 'json' ? renderGateJson(result) : renderGateText(result), { out: options.out, format });
  if (format === 'text' && !options.out) {
    writeOut(`Evidence manifest: ${path.relative(process.cwd(), manifestFile)}\n`);
  }
  return result.blockers.length > 0 ? EXIT.findings : EXIT.ok;
}
