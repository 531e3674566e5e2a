import type { TraceGraph } from '../graph/graph.js';
import { KIND_NAMES, type KindName, linkSpec } from '../model/kinds.js';
import { type DossierRecord, fieldAnchor, isActive, valueAnchor } from '../model/record.js';
import {
  clauseOfReviewType,
  fingerprintState,
  fingerprintsOf,
  labelOfReviewType,
  reviewsOf,
  reviewTypeOf,
} from '../reviews/review.js';
import type { Rule } from './rule.js';

/**
 * A review binds to the content it reviewed through the fingerprints of the reviewed records
 * (docs/format.md#fingerprints). Without them nobody can tell later what was reviewed; with them a
 * change after the review shows. Both are judged at the clause of the review's type and at the
 * class of the reviewed record.
 */

const REVIEW_CLAUSES = ['5.2.6', '5.3.6', '5.4.4', '5.5.2', 'ISO 13485 7.3.5', '5.1.2'];

/** The review kind and every kind a review's `reviewed` link may name (what review/stale reads). */
const REVIEWED_AND_REVIEW: readonly KindName[] = [
  ...new Set<KindName>(['review', ...(linkSpec('review', 'reviewed')?.targets ?? KIND_NAMES)]),
].sort();

/** The active reviews and, for each, the records it names in `reviewed` that exist. */
function* reviewedPairs(graph: TraceGraph): Generator<{ review: DossierRecord; reviewed: DossierRecord }> {
  for (const review of graph.ofKind('review')) {
    if (!isActive(review)) continue;
    for (const reviewed of graph.targets(review, 'reviewed')) yield { review, reviewed };
  }
}

export const reviewFingerprintMissing: Rule = {
  code: 'review/fingerprint-missing',
  severity: 'error',
  applicability: 'table',
  clauses: REVIEW_CLAUSES,
  reads: { kinds: ['review'] },
  summary:
    'A review holds no fingerprint for a record it reviewed, so what it reviewed cannot be told from a later version.',
  hint: 'run `dossier review fingerprint <REV-id>` when the review takes place: it records the content fingerprint of every reviewed record',
  // Local: the review and the records it reviewed (src/rules/local-rerun.ts).
  local: { reach: 1 },
  *check({ graph }) {
    for (const { review, reviewed } of reviewedPairs(graph)) {
      if (fingerprintState(review, reviewed).state !== 'missing') continue;
      yield {
        code: 'review/fingerprint-missing',
        clauses: [clauseOfReviewType(reviewTypeOf(review))],
        message: `${review.id} reviewed ${reviewed.id} but holds no fingerprint of it, so what it reviewed cannot be told from a later version`,
        recordId: review.id,
        subjectId: reviewed.id,
        at: fieldAnchor(review, review.fields.fingerprints === undefined ? 'id' : 'fingerprints'),
      };
    }
  },
};

/**
 * A reviewed record changed since the review. Not reported when another review of the same type
 * holds the record's current fingerprint (the later review superseded this one for that record), nor
 * for a record made obsolete.
 * A warning: changes between releases are normal work; the release gate blocks a release whose
 * requirements, items or units are not covered by a review of their current content.
 */
export const reviewStale: Rule = {
  code: 'review/stale',
  severity: 'warning',
  applicability: 'table',
  clauses: REVIEW_CLAUSES,
  // fingerprintState reads the fingerprint of each reviewed record: every kind `reviewed` may name.
  reads: { kinds: REVIEWED_AND_REVIEW },
  summary:
    'A record changed after it was reviewed, and no later review of the same type covers its current content.',
  hint: 'review the change (a new review, or this one again) and record it: `dossier review fingerprint <REV-id>` writes the current fingerprints; `dossier review fingerprint <REV-id> --check` shows which fields changed when git holds the reviewed version',
  // Local: the review, the records it reviewed and the other reviews of them (src/rules/local-rerun.ts).
  local: { reach: 2 },
  *check({ graph }) {
    for (const { review, reviewed } of reviewedPairs(graph)) {
      // A record made obsolete needs no current review; its change went through change control.
      if (!isActive(reviewed)) continue;
      const state = fingerprintState(review, reviewed);
      if (state.state !== 'changed') continue;
      const type = reviewTypeOf(review);
      const superseded = reviewsOf(graph, reviewed, type).some(
        (other) => other !== review && fingerprintState(other, reviewed).state === 'current',
      );
      if (superseded) continue;
      yield {
        code: 'review/stale',
        clauses: [clauseOfReviewType(type)],
        message: `${reviewed.id} (${reviewed.title}) changed after ${review.id} (${labelOfReviewType(type)}${review.fields.date ? ` of ${String(review.fields.date)}` : ''}) reviewed it: fingerprint ${short(state.now)}, reviewed ${short(state.recorded)}`,
        recordId: review.id,
        subjectId: reviewed.id,
        at: fingerprintsOf(review)[reviewed.id]
          ? valueAnchor(review, 'fingerprints', reviewed.id)
          : fieldAnchor(review, 'id'),
        related: [{ message: `${reviewed.id} as it is now`, at: fieldAnchor(reviewed, 'id') }],
      };
    }
  },
};

const short = (fp: string) => `${fp.slice(0, 16)}…`;
