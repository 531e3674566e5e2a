/**
 * The review record (kind `review`) read as typed values: what the rules, the release gate and
 * `dossier review fingerprint` need from it. Pure; the loader has already checked the shapes.
 */
import type { TraceGraph } from '../graph/graph.js';
import { fingerprintOf } from '../model/fingerprint.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { REVIEW_CRITERIA, REVIEW_TYPES, type ReviewOutcome, type ReviewType } from '../model/vocabulary.js';

export interface ReviewParticipant {
  readonly name: string;
  readonly role?: string;
  readonly independent?: boolean;
}

export interface ReviewFinding {
  readonly description: string;
  readonly resolution?: string;
  readonly problemReport?: string;
}

export interface ReviewCriterionResult {
  readonly met: boolean;
  readonly note?: string;
}

export const reviewTypeOf = (review: DossierRecord) => review.fields.reviewType as ReviewType;
export const reviewDateOf = (review: DossierRecord) => review.fields.date as string | undefined;
export const outcomeOf = (review: DossierRecord) => review.fields.outcome as ReviewOutcome | undefined;
export const participantsOf = (review: DossierRecord) =>
  (review.fields.participants as readonly ReviewParticipant[] | undefined) ?? [];
export const findingsOf = (review: DossierRecord) =>
  (review.fields.findings as readonly ReviewFinding[] | undefined) ?? [];
export const criteriaOf = (review: DossierRecord) =>
  (review.fields.criteria as Readonly<Record<string, ReviewCriterionResult>> | undefined) ?? {};
export const fingerprintsOf = (review: DossierRecord) =>
  (review.fields.fingerprints as Readonly<Record<string, string>> | undefined) ?? {};

/** The clause a review type serves (5.2.6, 5.3.6, 5.4.4, 5.5.2, ISO 13485 7.3.5, 5.1.2). */
export function clauseOfReviewType(type: ReviewType): string {
  return REVIEW_TYPES.find((t) => t.key === type)?.clause ?? '5.1.6';
}

export function labelOfReviewType(type: ReviewType): string {
  return REVIEW_TYPES.find((t) => t.key === type)?.label ?? type;
}

/** The criteria a review of this type records one by one (none for code, design and plan reviews). */
export function criteriaOfType(
  type: ReviewType,
): readonly { readonly key: string; readonly clause: string; readonly label: string }[] {
  return (
    (
      REVIEW_CRITERIA as Partial<
        Record<ReviewType, readonly { key: string; clause: string; label: string }[]>
      >
    )[type] ?? []
  );
}

/** A review that concluded the reviewed outputs are acceptable (with or without actions). */
export function isPassed(review: DossierRecord): boolean {
  const outcome = outcomeOf(review);
  return outcome === 'passed' || outcome === 'passed-with-actions';
}

/** How a review's record of one reviewed record compares with that record today. */
export type FingerprintState =
  | { readonly state: 'current'; readonly recorded: string }
  | { readonly state: 'changed'; readonly recorded: string; readonly now: string }
  | { readonly state: 'missing'; readonly now: string };

export { fingerprintOf } from '../model/fingerprint.js';

export function fingerprintState(review: DossierRecord, reviewed: DossierRecord): FingerprintState {
  const recorded = fingerprintsOf(review)[reviewed.id];
  const now = fingerprintOf(reviewed);
  if (recorded === undefined) return { state: 'missing', now };
  return recorded === now ? { state: 'current', recorded } : { state: 'changed', recorded, now };
}

/** Active reviews of a type that name the record in `reviewed`. */
export function reviewsOf(graph: TraceGraph, record: DossierRecord, type: ReviewType): DossierRecord[] {
  return graph
    .sources(record, 'reviewed', 'review')
    .filter((review) => isActive(review) && reviewTypeOf(review) === type);
}
