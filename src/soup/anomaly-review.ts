/**
 * IEC 62304 7.1.3 asks for the evaluation of the anomaly lists SOUP suppliers publish (bug
 * trackers, errata, release notes), not only of vulnerabilities. A review counts while it is
 * recent (soup.anomalyReviewMaxAgeDays before the release date, or today), and for SOUP that no
 * advisory database can match (C and C++ libraries named by `pkg:github`/`pkg:generic`, vendored
 * code, no purl) it must also say that it covered vulnerabilities, and from which sources: it is the
 * only evidence there is.
 */

import type { DossierRecord } from '../model/record.js';
import { type ClassScheme, clauseAppliesAt } from '../safety/class-scheme.js';
import { daysBetween } from '../util/clock.js';

export interface AnomalyReview {
  readonly date: string;
  readonly reviewer?: string;
  readonly conclusion: string;
  readonly coversVulnerabilities?: boolean;
  readonly sources?: readonly string[];
}

export function anomalyReviewOf(soup: DossierRecord): AnomalyReview | undefined {
  const review = soup.fields.anomalyReview as AnomalyReview | undefined;
  return review && typeof review.date === 'string' ? review : undefined;
}

export interface ReviewProblem {
  readonly kind: 'missing' | 'after' | 'outdated';
  readonly text: string;
}

/**
 * Why the review is not current at `referenceDate` (`what` names the date: "the release date",
 * "today"), or undefined when it is. A review dated after the reference date is not evidence for it.
 */
export function reviewNotCurrent(
  review: AnomalyReview | undefined,
  referenceDate: string,
  what: string,
  maxAgeDays: number,
): ReviewProblem | undefined {
  if (!review) return { kind: 'missing', text: 'has no anomaly list review (`anomalyReview`)' };
  const age = daysBetween(review.date, referenceDate);
  if (age < 0)
    return {
      kind: 'after',
      text: `anomaly list reviewed on ${review.date}, after ${referenceDate} (${what}): the review in force at that date is not in the records`,
    };
  if (age > maxAgeDays)
    return {
      kind: 'outdated',
      text: `anomaly list reviewed on ${review.date}, ${age} days before ${referenceDate} (${what}); a review counts for at most ${maxAgeDays} days (soup.anomalyReviewMaxAgeDays)`,
    };
  return undefined;
}

/**
 * Why the review does not stand in for advisory data, for SOUP no advisory database can match, or
 * undefined when it does: it must say `coversVulnerabilities: true` and name its `sources`.
 */
export function vulnerabilityReviewGap(review: AnomalyReview | undefined): string | undefined {
  if (!review) return 'it has no anomaly list review (`anomalyReview`)';
  if (review.coversVulnerabilities !== true)
    return 'its anomaly list review does not say it covered vulnerabilities (`coversVulnerabilities: true`)';
  if (!review.sources || review.sources.length === 0)
    return 'its anomaly list review names no `sources` consulted';
  return undefined;
}

/**
 * Where 7.1.3 applies (Table A.1: class B and C) a missing or stale review blocks a release and a
 * review that does not cover vulnerabilities is an error; elsewhere (class A) it is a warning,
 * because FDA expects every known vulnerability assessed (FD&C 524B).
 */
export function reviewBlocksAt(scheme: ClassScheme, cls: string): boolean {
  return clauseAppliesAt(scheme, '7.1.3', cls);
}
