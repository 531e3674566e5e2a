/**
 * Document control, defined: a document's revision is the baseline it was built from plus a hash
 * of the fingerprints of every record it includes and of the project configuration (documents show
 * its device description, risk acceptability criteria and document numbers), so the revision
 * changes whenever the content changes (a reformatted file or an approval elsewhere does not). Pure.
 */
import type { TraceGraph } from '../graph/graph.js';
import { fingerprintOf } from '../reviews/review.js';
import { documentSignatureId } from '../signatures/files.js';
import type { SignatureReport } from '../signatures/verify.js';
import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';
import { documentFingerprint, documentSignatories } from './approval.js';
import type { DocumentControl } from './model.js';

export function documentControl(
  graph: TraceGraph,
  recordIds: readonly string[],
  baseline: string,
  date: string,
  settings: { readonly number?: string | undefined; readonly author?: string | undefined } | undefined,
  config: unknown,
  approvals: { readonly key: string; readonly report: SignatureReport },
): DocumentControl {
  const lines = [...new Set(recordIds)].sort().map((id) => {
    const record = graph.get(id);
    return `${id} ${record ? fingerprintOf(record) : 'missing'}`;
  });
  // Last, after every record line ("config" sorts among ids otherwise): the configuration as data.
  lines.push(`config ${sha256Hex(canonicalJson(config))}`);
  const contentHash = sha256Hex(`${lines.join('\n')}\n`);
  const fingerprint = documentFingerprint(approvals.key, baseline, contentHash);
  const signed = documentSignatories(approvals.report, approvals.key, fingerprint);
  const approvedBy = signed.holding.filter((s) => s.meaning === 'approved');
  const id = documentSignatureId(approvals.key);
  return {
    ...(settings?.number !== undefined ? { number: settings.number } : {}),
    ...(settings?.author !== undefined ? { author: settings.author } : {}),
    baseline,
    revision: `${baseline}+${contentHash.slice(0, 8)}`,
    contentHash,
    date,
    status: approvedBy.length > 0 ? 'controlled' : 'uncontrolled draft',
    statusReason:
      approvedBy.length > 0
        ? `Revision approved by ${approvedBy.map((a) => `${a.name}${a.role ? ` (${a.role})` : ''} on ${a.time.slice(0, 10)}`).join(', ')}`
        : signed.earlier > 0
          ? `No approval holds for this revision: ${signed.earlier} signature${signed.earlier === 1 ? '' : 's'} of an earlier revision no longer hold${signed.earlier === 1 ? 's' : ''}, because its content changed; approve it with dossier approve ${id}`
          : `No revision of this document is approved; approve it with dossier approve ${id} (a valid, committed signature by a certified signer)`,
    fingerprint,
    signatories: signed.holding,
  };
}
