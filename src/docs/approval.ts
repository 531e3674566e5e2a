/**
 * Approvals of documents: a document is approved by signing its revision with `dossier approve
 * DOC-<KEY>` (docs/documents.md#approvals). The signed fingerprint binds the document key, its
 * baseline and the hash of its content, so an approval holds for exactly the revision signed: when
 * an included record or the configuration changes, the revision changes and the document is an
 * uncontrolled draft again until it is approved anew. Pure.
 */
import { documentSignatureId } from '../signatures/files.js';
import { countingSignatures, type SignatureReport } from '../signatures/verify.js';
import { sha256Hex } from '../util/hash.js';

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
 * against git): the signatures that count for a record (countingSignatures), over this revision.
 */
export function documentSignatories(
  report: SignatureReport,
  key: string,
  fingerprint: string,
): { holding: DocumentSignatory[]; earlier: number } {
  const counting = countingSignatures(report, documentSignatureId(key));
  const holding = counting
    .filter((s) => s.entry.fingerprint === fingerprint)
    .map((s) => ({
      name: s.signer?.name ?? s.entry.signer,
      role: s.signer?.role ?? '',
      meaning: s.entry.meaning,
      time: s.entry.time,
    }))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.name < b.name ? -1 : 1));
  const earlier = counting.filter((s) => s.entry.fingerprint !== fingerprint).length;
  return { holding, earlier };
}
