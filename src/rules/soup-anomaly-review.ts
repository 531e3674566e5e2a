import { anomalyReviewMaxAgeDays } from '../model/config.js';
import { fieldAnchor } from '../model/record.js';
import {
  anomalyReviewOf,
  reviewBlocksAt,
  reviewNotCurrent,
  vulnerabilityReviewGap,
} from '../soup/anomaly-review.js';
import { unmatchableWhy } from '../soup/scan.js';
import type { Rule } from './rule.js';

const describeSoup = (soup: { id: string; title: string; fields: Record<string, unknown> }, cls: string) =>
  `${soup.id} (${soup.title} ${String(soup.fields.version)}, class ${cls})`;

/**
 * The anomaly-list review of each SOUP item in use must be current today. A warning in check at
 * every class, because it depends on the day it runs; `dossier release check` blocks class B and C
 * on it, judged at the release date (release/soup-anomaly-review). A missing review of class B/C
 * SOUP is soup/missing-content's error; of class A SOUP it is warned here.
 */
export const soupAnomalyReviewNotCurrent: Rule = {
  code: 'soup/anomaly-review-not-current',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['7.1.3'],
  // anomalyReviewOf reads the SOUP's anomalyReview.
  reads: { kinds: ['soup'] },
  summary:
    'The anomaly-list review of a SOUP item is missing (class A) or older than soup.anomalyReviewMaxAgeDays (default 180).',
  hint: 'review the supplier anomaly lists (bug tracker, errata, release notes, advisories) for the version in use again and record it in `anomalyReview` (`date`, `reviewer`, `conclusion`)',
  *check({ safety, project, today }) {
    const maxAge = anomalyReviewMaxAgeDays(project.config);
    for (const { soup, cls } of safety.soup) {
      const problem = reviewNotCurrent(anomalyReviewOf(soup), today, 'today', maxAge);
      if (!problem || (problem.kind === 'missing' && reviewBlocksAt(safety.scheme, cls))) continue;
      yield {
        code: 'soup/anomaly-review-not-current',
        severity: 'warning',
        message: `${describeSoup(soup, cls)} ${problem.kind === 'missing' ? problem.text : `has its ${problem.text}`} (7.1.3)`,
        recordId: soup.id,
        at: fieldAnchor(soup, problem.kind === 'missing' ? 'id' : 'anomalyReview'),
      };
    }
  },
};

/**
 * SOUP no advisory database can match has no scan to show for its vulnerabilities: its anomaly-list
 * review must cover them and name its sources. An error for class B and C (a release blocker too),
 * a warning for class A.
 */
export const soupVulnerabilitiesUnreviewed: Rule = {
  code: 'soup/vulnerabilities-unreviewed',
  severity: 'error',
  applicability: 'table',
  clauses: ['7.1.3', 'FD&C 524B'],
  // unmatchableWhy and anomalyReviewOf read the SOUP record (purl, cpe, repository, anomalyReview).
  reads: { kinds: ['soup'] },
  summary:
    'No advisory database can match this SOUP item, and its anomaly-list review does not cover vulnerabilities (coversVulnerabilities and sources).',
  hint: 'search the vulnerability sources for the version in use (NVD/CVE by product name, the supplier security advisories) and record it: `anomalyReview: { …, coversVulnerabilities: true, sources: [...] }`',
  *check({ safety }) {
    for (const { soup, cls } of safety.soup) {
      const why = unmatchableWhy(soup);
      if (why === undefined) continue;
      const review = anomalyReviewOf(soup);
      // Without any review, class B/C SOUP already has soup/missing-content's error.
      if (!review && reviewBlocksAt(safety.scheme, cls)) continue;
      const gap = vulnerabilityReviewGap(review);
      if (!gap) continue;
      yield {
        code: 'soup/vulnerabilities-unreviewed',
        severity: reviewBlocksAt(safety.scheme, cls) ? 'error' : 'warning',
        message: `${describeSoup(soup, cls)}: no advisory database can match it (${why}), and ${gap}, so its known vulnerabilities are not checked (7.1.3)`,
        recordId: soup.id,
        at: fieldAnchor(soup, review ? 'anomalyReview' : 'id'),
      };
    }
  },
};
