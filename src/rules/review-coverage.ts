import { fieldAnchor, isActive } from '../model/record.js';
import { REVIEW_OBLIGATIONS, type ReviewObligation, reviewCoverage } from '../reviews/coverage.js';
import { labelOfReviewType } from '../reviews/review.js';
import type { Rule } from './rule.js';

/**
 * The design outputs are verified (5.2.6 software requirements, 5.3.6 architecture, 5.4.4 detailed
 * design): each record by a passed review of its current content. A warning in `dossier check`,
 * like work still to do before the release: the release gate blocks the records of the release
 * that are not covered (release/requirement-unreviewed and the others), as it does for tests.
 */
function coverageRule(code: string, obligation: ReviewObligation, summary: string, hint: string): Rule {
  return {
    code,
    severity: 'warning',
    applicability: 'table',
    clauses: [obligation.clause],
    // reviewCoverage reads the reviews and the fingerprint of the record (kind `obligation.kind`).
    reads: { kinds: ['review', obligation.kind] },
    summary,
    hint,
    // Local: the record and the reviews that name it (src/rules/local-rerun.ts).
    local: { reach: 1 },
    *check({ graph }) {
      for (const record of graph.ofKind(obligation.kind)) {
        if (!isActive(record) || !obligation.applies(record)) continue;
        const coverage = reviewCoverage(graph, record, obligation.reviewType);
        if (coverage.covered) continue;
        yield {
          code,
          message: `${record.id} (${record.title}) is not covered by a passed ${labelOfReviewType(obligation.reviewType)} of its current content (${obligation.clause}): ${coverage.why}`,
          recordId: record.id,
          at: fieldAnchor(record, 'id'),
        };
      }
    },
  };
}

export const requirementUnreviewed = coverageRule(
  'requirement/unreviewed',
  REVIEW_OBLIGATIONS.requirements,
  'A software requirement is not covered by a passed requirements review (5.2.6) of its current content.',
  'review it in a review with `reviewType: requirements` that lists it in `reviewed`, records the 5.2.6 criteria and a passed outcome, then run `dossier review fingerprint <REV-id>`',
);

export const itemArchitectureUnreviewed = coverageRule(
  'item/architecture-unreviewed',
  REVIEW_OBLIGATIONS.architecture,
  'A software system or item is not covered by a passed architecture review (5.3.6) of its current content.',
  'verify it in a review with `reviewType: architecture` that lists it in `reviewed`, records the 5.3.6 criteria and a passed outcome, then run `dossier review fingerprint <REV-id>`',
);

export const unitDesignUnreviewed = coverageRule(
  'unit/design-unreviewed',
  REVIEW_OBLIGATIONS.detailedDesign,
  'A software unit is not covered by a passed detailed design review (5.4.4) of its current content.',
  'verify its detailed design in a review with `reviewType: detailed-design` that lists it in `reviewed`, records the 5.4.4 criteria and a passed outcome, then run `dossier review fingerprint <REV-id>`',
);
