/**
 * Document control, defined: a document's revision is the baseline it was built from plus a hash
 * of the fingerprints of every record it includes and of the project configuration (documents show
 * its device description, risk acceptability criteria and document numbers), so the revision
 * changes whenever the content changes (a reformatted file or an approval elsewhere does not). Pure.
 */
import type { TraceGraph } from '../graph/graph.js';
import { fingerprintOf } from '../reviews/review.js';
import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';
import type { DocumentControl } from './model.js';

export function documentControl(
  graph: TraceGraph,
  recordIds: readonly string[],
  baseline: string,
  date: string,
  settings: { readonly number?: string | undefined; readonly author?: string | undefined } = {},
  config?: unknown,
): DocumentControl {
  const lines = [...new Set(recordIds)].sort().map((id) => {
    const record = graph.get(id);
    return `${id} ${record ? fingerprintOf(record) : 'missing'}`;
  });
  // Last, after every record line ("config" sorts among ids otherwise): the configuration as data.
  if (config !== undefined) lines.push(`config ${sha256Hex(canonicalJson(config))}`);
  const contentHash = sha256Hex(`${lines.join('\n')}\n`);
  return {
    ...(settings.number !== undefined ? { number: settings.number } : {}),
    ...(settings.author !== undefined ? { author: settings.author } : {}),
    baseline,
    revision: `${baseline}+${contentHash.slice(0, 8)}`,
    contentHash,
    date,
    status: 'uncontrolled draft',
    statusReason:
      'Dossier does not yet record approvals of documents (only of records): no revision of this document is approved',
  };
}
