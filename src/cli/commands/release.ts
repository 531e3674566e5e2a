import fs from 'node:fs';
import path from 'node:path';
import { build } from '../../build/build.js';
import { readTemplates } from '../../docs/templates.js';
import { readGateEvidence, releaseGate, trackedManifestAfter } from '../../evidence/release-gate.js';
import {
  evidenceManifest,
  type ManifestEntry,
  RELEASE_FORMATS,
  renderGateJson,
  renderGateText,
} from '../../evidence/release-report.js';
import { limitsOf } from '../../model/limits.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { projectBuildDate } from '../../util/build-date.js';
import { sha256Hex } from '../../util/hash.js';
import { withProjectLock } from '../../util/project-lock.js';
import { writeFilesAtomically } from '../../util/write-journal.js';
import { DOSSIER_VERSION } from '../../version.js';
import { analyzeWithAdvisories } from '../advisory-db.js';
import { projectFileReader } from '../evidence-hasher.js';
import { displayRoot, EXIT, emit, loadOrReport, oneOf, warnLock } from '../io.js';
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
export async function runReleaseCheck(
  version: string,
  dir: string,
  options: ReleaseCheckOptions,
): Promise<number> {
  const format = oneOf(options.format, RELEASE_FORMATS, '--format');
  const { timestamp } = projectBuildDate(dir);
  const { project, exitCode } = loadOrReport(dir, { refuse: `check release ${version}` });
  if (!project) return exitCode!;
  const { analysis, snapshots } = analyzeWithAdvisories(dir, project, options.advisories, {
    required: false,
  });
  releaseRecordOf(analysis, version);
  const readEvidence = projectFileReader(dir, limitsOf(project.config.limits).maxReportBytes);
  const evidence = readGateEvidence(analysis, version, readEvidence);
  const result = releaseGate(analysis, version, evidence);
  // Only the hashes of the documents are needed: the sink lets each go once it is hashed.
  const documents = (
    await build(
      analysis,
      {
        displayRoot: displayRoot(dir),
        timestamp,
        readEvidence,
        documentTemplates: readTemplates(dir, project.config.documentTemplates),
        documentFormats: ['md', 'html'],
        gate: result,
        ...(snapshots ? { advisorySnapshots: snapshots } : {}),
      },
      (artifact) => {
        for (const _ of artifact.chunks); // hashed as they pass; nothing else is kept
      },
    )
  ).files;
  const entries: ManifestEntry[] = [
    ...[...evidence.files].map(
      ([file, read]): ManifestEntry => ({ path: file, sha256: read?.sha256 ?? 'missing', role: 'evidence' }),
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
  writeTrackedManifest(dir, trackedManifestAfter(analysis, version, evidence, timestamp.slice(0, 10)));
  emit(format === 'json' ? renderGateJson(result) : renderGateText(result), { out: options.out, format });
  if (format === 'text' && !options.out) {
    writeOut(`Evidence manifest: ${path.relative(process.cwd(), manifestFile)}\n`);
  }
  return result.blockers.length > 0 ? EXIT.findings : EXIT.ok;
}

/**
 * Keeps the evidence manifest of earlier gates beside the release record, for the next gate and for
 * the history of the records: written only when an entry was added, so that checking again leaves the
 * committed file as it is.
 */
function writeTrackedManifest(dir: string, manifest: { file: string; text: string } | undefined): void {
  if (!manifest) return;
  const root = path.resolve(dir);
  const absolute = path.join(root, manifest.file);
  // A tracked file of the project: written under the project lock, inside the root, and only over
  // the content just read.
  withProjectLock(root, 'dossier release check', warnLock, () => {
    const before = fs.existsSync(absolute) ? fs.readFileSync(absolute) : undefined;
    if (before?.toString('utf8') === manifest.text) return;
    writeFilesAtomically(root, 'dossier release check', [
      { path: absolute, content: manifest.text, unchangedSince: before ? sha256Hex(before) : null },
    ]);
  });
}
