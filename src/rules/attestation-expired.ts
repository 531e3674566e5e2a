import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

/**
 * An attestation stands in for evidence that lives outside the repository (a QMS certificate for
 * 4.1, the risk management procedure for 4.2). Past its `validUntil` it attests nothing: the
 * evidence it refers to has expired, so it must be renewed rather than silently counted.
 */
export const attestationExpired: Rule = {
  code: 'attestation/expired',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.1', '4.2'],
  reads: { kinds: ['attestation'] },
  summary: 'An attestation is past its `validUntil` date: the evidence it refers to has expired.',
  hint: 'renew the certificate or procedure it refers to and record the new reference, date and validUntil; or mark the attestation obsolete',
  *check({ graph, today }) {
    for (const record of graph.ofKind('attestation')) {
      const until = record.fields.validUntil;
      if (!isActive(record) || typeof until !== 'string' || until >= today) continue;
      yield {
        code: 'attestation/expired',
        message: `${record.id} (${record.title}) expired on ${until}; it no longer attests ${((record.fields.clauses as string[] | undefined) ?? []).join(', ')}`,
        recordId: record.id,
        at: fieldAnchor(record, 'validUntil'),
      };
    }
  },
};
