/**
 * Approvals of documents: a document is approved by signing its revision with `dossier approve
 * DOC-<KEY>` (docs/documents.md#approvals). The signed fingerprint binds the document key, its
 * baseline and the hash of its content, so an approval holds for exactly the revision signed: when
 * an included record or the configuration changes, the revision changes and the document is an
 * uncontrolled draft again until it is approved anew. Pure.
 */
import type { SignatureReport, VerifiedSignature } from '../signatures/verify.js';
import { sha256Hex } from '../util/hash.js';

const PREFIX = 'DOC-';

/** The id a document's signatures are filed under: `DOC-SRS` (signatures/DOC-SRS.yaml). */
export const documentSignatureId = (key: string): string => `${PREFIX}${key}`;

/** Whether a signature id names a document rather than a record. */
export const isDocumentSignatureId = (id: string): boolean =>
  id.startsWith(PREFIX) && id.length > PREFIX.length;

/** The key of a document signature id: `DOC-SRS` → `SRS`. */
export const documentKeyOf = (id: string): string => id.slice(PREFIX.length);

/** The fingerprint a document approval signs: key, baseline and content hash, one per line. */
export function documentFingerprint(key: string, baseline: string, contentHash: string): string {
  return `fp1:${sha256Hex(`document\n${key}\n${baseline}\n${contentHash}\n`)}`;
}

export interface DocumentSignatory {
  readonly name: string;
  readonly role: string;
  readonly meaning: 'authored' | 'reviewed' | 'approved';
  /** When they signed, UTC. */
  readonly time: string;
}

/**
 * The signatures that hold for this revision of the document: valid, over this fingerprint, by a
 * signer whose identity is verified (certified signers file), and committed (their times checked
 * against git), the same rule as for records (countingSignatures).
 */
export function documentSignatories(
  report: SignatureReport,
  key: string,
  fingerprint: string,
): { holding: DocumentSignatory[]; earlier: number } {
  const id = documentSignatureId(key);
  const own = report.signatures.filter((s) => s.recordId === id);
  const counts = (s: VerifiedSignature) =>
    report.trust.state === 'certified' && s.outcome.state === 'valid' && s.committed.state === 'committed';
  const holding = own
    .filter((s) => counts(s) && s.entry.fingerprint === fingerprint)
    .map((s) => ({
      name: s.signer?.name ?? s.entry.signer,
      role: s.signer?.role ?? '',
      meaning: s.entry.meaning,
      time: s.entry.time,
    }))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.name < b.name ? -1 : 1));
  const earlier = own.filter((s) => counts(s) && s.entry.fingerprint !== fingerprint).length;
  return { holding, earlier };
}
