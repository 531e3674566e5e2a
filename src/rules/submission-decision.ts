import type { Finding } from '../diagnostics/diagnostic.js';
import { appliesTo } from '../evidence/verdicts.js';
import { changeRequestsAfter, clearedOf } from '../impact/cleared.js';
import { FDA_510K_SOFTWARE_FLOW } from '../impact/submission-flow.js';
import { type DossierRecord, fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

const CODE = 'change/submission-decision';

/**
 * A change to a 510(k)-cleared device needs a documented decision whether a new 510(k) is required
 * (21 CFR 807.81(a)(3); FDA "Deciding When to Submit a 510(k) for a Software Change to an Existing
 * Device"), made by a person: the change request records it as `submissionDecision`, citing the
 * guidance version. Applies to change requests made after a clearance (not included in the cleared
 * release or an earlier one) that change records of the cleared version.
 */
export const submissionDecision: Rule = {
  code: CODE,
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['8.2.1', '21 CFR 807.81(a)(3)'],
  summary:
    'A change request that changes records of a 510(k)-cleared version records the 510(k) decision (submissionDecision) citing the guidance.',
  hint: 'run `dossier impact CR-… --510k --answers FILE`, decide with regulatory affairs, and record `submissionDecision: { outcome, guidance, decidedBy, date, rationale }` (docs/change-impact.md)',
  *check({ graph }) {
    const cleared = graph.ofKind('release').filter((r) => isActive(r) && clearedOf(r) !== undefined);
    const needed = new Map<DossierRecord, { release: DossierRecord; records: string[] }>();
    for (const release of cleared) {
      const version = String(release.fields.version);
      for (const cr of changeRequestsAfter(graph, release)) {
        if (needed.has(cr)) continue;
        const released = (cr.links.changes ?? []).filter((id) => {
          const record = graph.get(id);
          return record !== undefined && appliesTo(record, version);
        });
        if (released.length > 0) needed.set(cr, { release, records: released });
      }
    }
    const version = FDA_510K_SOFTWARE_FLOW.guidance.version;
    for (const [cr, { release, records }] of needed) {
      const decision = cr.fields.submissionDecision as { guidance?: string } | undefined;
      const k = clearedOf(release)?.kNumber;
      if (!decision) {
        yield {
          code: CODE,
          message: `${cr.id} changes records of ${String(release.fields.version)}, which FDA cleared${k ? ` (${k})` : ''}: ${records.join(', ')}; it records no 510(k) decision (submissionDecision)`,
          recordId: cr.id,
          at: fieldAnchor(cr),
        } satisfies Finding;
      } else if (decision.guidance !== version) {
        yield {
          code: CODE,
          message: `${cr.id} decided under "${decision.guidance}", not the guidance version of the flow Dossier holds ("${version}"): check the decision against the current guidance`,
          recordId: cr.id,
          at: fieldAnchor(cr, 'submissionDecision'),
        } satisfies Finding;
      }
    }
  },
};
