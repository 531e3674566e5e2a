/**
 * Review coverage of the design outputs: which records must be verified by a review of which type
 * (5.2.6 requirements, 5.3.6 architecture, 5.4.4 detailed design), and whether a review covers a
 * record today. One reading for `dossier check` (its coverage rules) and the release gate.
 *
 * A review covers a record when it is active, names the record in `reviewed`, passed (outcome
 * `passed` or `passed-with-actions`) and holds a fingerprint equal to the record's content now: a
 * change after the review leaves the record unreviewed until it is reviewed again. For a release
 * the review must also be dated, on or before the release date.
 */
import type { TraceGraph } from '../graph/graph.js';
import type { KindName } from '../model/kinds.js';
import type { DossierRecord } from '../model/record.js';
import type { ReviewType } from '../model/vocabulary.js';
import {
  fingerprintState,
  isPassed,
  labelOfReviewType,
  outcomeOf,
  reviewDateOf,
  reviewsOf,
} from './review.js';

export interface ReviewObligation {
  readonly reviewType: ReviewType;
  /** The clause that asks for the review; decides at which classes it applies (Table A.1). */
  readonly clause: string;
  readonly kind: KindName;
  /** Which records of the kind need it. */
  readonly applies: (record: DossierRecord) => boolean;
  /** "software requirement", "software item", "software unit". */
  readonly noun: string;
}

const isUnit = (record: DossierRecord) => record.fields.itemType === 'unit';

/** Which design outputs need which review, as data. */
export const REVIEW_OBLIGATIONS = {
  requirements: {
    reviewType: 'requirements',
    clause: '5.2.6',
    kind: 'software-requirement',
    applies: () => true,
    noun: 'software requirement',
  },
  architecture: {
    reviewType: 'architecture',
    clause: '5.3.6',
    kind: 'software-item',
    applies: (record) => !isUnit(record),
    noun: 'software item',
  },
  detailedDesign: {
    reviewType: 'detailed-design',
    clause: '5.4.4',
    kind: 'software-item',
    applies: isUnit,
    noun: 'software unit',
  },
} as const satisfies Record<string, ReviewObligation>;

export interface CoverageOptions {
  /** For a release: the review must be dated on or before this date (the release date). */
  readonly onOrBefore?: string;
  /** How the date is named in messages, e.g. "the release date 2026-09-28". */
  readonly dateName?: string;
}

export type Coverage =
  | { readonly covered: true; readonly by: DossierRecord }
  | { readonly covered: false; readonly why: string };

/** Whether a passed review of the type covers the record's current content. */
export function reviewCoverage(
  graph: TraceGraph,
  record: DossierRecord,
  reviewType: ReviewType,
  options: CoverageOptions = {},
): Coverage {
  const reviews = reviewsOf(graph, record, reviewType).sort(byDateThenId);
  if (reviews.length === 0) {
    return { covered: false, why: `no ${labelOfReviewType(reviewType)} names it in \`reviewed\`` };
  }
  const reasons: string[] = [];
  for (const review of reviews) {
    const why = notCoveringBecause(review, record, options);
    if (why === undefined) return { covered: true, by: review };
    reasons.push(`${review.id} ${why}`);
  }
  return { covered: false, why: reasons.join('; ') };
}

/** Why one review does not cover the record (undefined when it does). */
function notCoveringBecause(
  review: DossierRecord,
  record: DossierRecord,
  options: CoverageOptions,
): string | undefined {
  if (!isPassed(review)) {
    const outcome = outcomeOf(review);
    return outcome === undefined ? 'records no outcome' : `has outcome ${outcome}`;
  }
  const state = fingerprintState(review, record);
  if (state.state === 'missing') return 'holds no fingerprint of it (run dossier review fingerprint)';
  if (state.state === 'changed') return 'reviewed an earlier content: it changed since';
  if (options.onOrBefore !== undefined) {
    const date = reviewDateOf(review);
    if (date === undefined) return 'has no date, so it cannot show the review came before the release';
    if (date > options.onOrBefore) {
      return `is dated ${date}, after ${options.dateName ?? options.onOrBefore}`;
    }
  }
  return undefined;
}

function byDateThenId(a: DossierRecord, b: DossierRecord): number {
  const da = reviewDateOf(a) ?? '';
  const db = reviewDateOf(b) ?? '';
  if (da !== db) return da < db ? 1 : -1; // newest first: the review that matters most is named first
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
