import { type DossierRecord, fieldAnchor, isActive, valueAnchor } from '../model/record.js';
import {
  clauseOfReviewType,
  criteriaOf,
  criteriaOfType,
  findingsOf,
  labelOfReviewType,
  outcomeOf,
  participantsOf,
  reviewTypeOf,
} from '../reviews/review.js';
import type { Rule, RuleContext } from './rule.js';

/**
 * What a review record must say to be a record of a review (5.2.6, 5.3.6, 5.4.4, 5.5.2, ISO 13485
 * 7.3.5): when, who, and the outcome; the criteria of its type one by one; and what became of each
 * finding. Each finding is judged at the clause of the review's type and at the class of what it
 * reviewed (src/safety/subject-class.ts), so a detailed design review of a class B unit is not held
 * to 5.4.4, which asks for it at class C only.
 */
function* activeReviews({ graph }: RuleContext): Generator<DossierRecord> {
  for (const review of graph.ofKind('review')) if (isActive(review)) yield review;
}

const describe = (review: DossierRecord) =>
  `${review.id} (${labelOfReviewType(reviewTypeOf(review))}, ${review.title})`;

export const reviewIncomplete: Rule = {
  code: 'review/incomplete',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.2.6', '5.3.6', '5.4.4', '5.5.2', 'ISO 13485 7.3.5', '5.1.2'],
  reads: { kinds: ['review'] },
  summary: 'A review does not say what it reviewed, when it took place, who took part, or its outcome.',
  hint: 'list the records reviewed in `reviewed`; record `date`, `participants` (name, role, and `independent: true` for a reviewer not responsible for what is reviewed) and `outcome` (passed, passed-with-actions or failed)',
  *check(context) {
    for (const review of activeReviews(context)) {
      const missing = [
        ...((review.links.reviewed ?? []).length === 0 ? ['`reviewed` records'] : []),
        ...(review.fields.date === undefined ? ['`date`'] : []),
        ...(participantsOf(review).length === 0 ? ['`participants`'] : []),
        ...(outcomeOf(review) === undefined ? ['`outcome`'] : []),
      ];
      if (missing.length === 0) continue;
      yield {
        code: 'review/incomplete',
        clauses: [clauseOfReviewType(reviewTypeOf(review))],
        message: `${describe(review)} has no ${missing.join(', ')}`,
        recordId: review.id,
        at: fieldAnchor(review, 'id'),
      };
    }
  },
};

export const reviewCriteriaMissing: Rule = {
  code: 'review/criteria-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.2.6', '5.3.6', '5.4.4'],
  reads: { kinds: ['review'] },
  summary:
    'A requirements, architecture or detailed design review does not record each verification criterion of its type.',
  hint: 'record each criterion under `criteria:` with `met: true` or `met: false` and a note on what was checked (docs/reviews.md lists the criteria of each review type)',
  *check(context) {
    for (const review of activeReviews(context)) {
      const recorded = criteriaOf(review);
      for (const criterion of criteriaOfType(reviewTypeOf(review))) {
        if (recorded[criterion.key] !== undefined) continue;
        yield {
          code: 'review/criteria-missing',
          clauses: [criterion.clause],
          message: `${describe(review)} does not record the criterion \`${criterion.key}\` (${criterion.clause}: ${criterion.label})`,
          recordId: review.id,
          at: fieldAnchor(review, review.fields.criteria === undefined ? 'id' : 'criteria'),
        };
      }
    }
  },
};

export const reviewCriterionUnmet: Rule = {
  code: 'review/criterion-unmet',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.2.6', '5.3.6', '5.4.4'],
  reads: { kinds: ['review'] },
  summary: 'A review records a criterion as not met, yet its outcome is `passed`.',
  hint: 'a review that finds a criterion not met has not passed: record what is missing as a finding and set the outcome to passed-with-actions or failed; or, if the criterion is met after all, say so with `met: true` and a note',
  *check(context) {
    for (const review of activeReviews(context)) {
      if (outcomeOf(review) !== 'passed') continue;
      const recorded = criteriaOf(review);
      for (const criterion of criteriaOfType(reviewTypeOf(review))) {
        if (recorded[criterion.key]?.met !== false) continue;
        yield {
          code: 'review/criterion-unmet',
          clauses: [criterion.clause],
          message: `${describe(review)} has outcome passed, but records \`${criterion.key}\` (${criterion.label}) as not met`,
          recordId: review.id,
          at: valueAnchor(review, 'criteria', criterion.key, 'met'),
        };
      }
    }
  },
};

export const reviewFindingOpen: Rule = {
  code: 'review/finding-open',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.2.6', '5.3.6', '5.4.4', '5.5.2', 'ISO 13485 7.3.5', '5.1.2', '9.1'],
  reads: { kinds: ['review'] },
  summary: 'A review finding is neither resolved nor turned into a problem report.',
  hint: 'say how the finding was resolved in `resolution`, or raise a problem report for it and name it in `problemReport` (clause 9)',
  *check(context) {
    for (const review of activeReviews(context)) {
      const findings = findingsOf(review);
      for (let i = 0; i < findings.length; i++) {
        const finding = findings[i]!;
        if (finding.resolution !== undefined || finding.problemReport !== undefined) continue;
        yield {
          code: 'review/finding-open',
          clauses: [clauseOfReviewType(reviewTypeOf(review)), '9.1'],
          message: `${describe(review)} finding ${i + 1} ("${shorten(finding.description)}") is neither resolved nor turned into a problem report`,
          recordId: review.id,
          at: valueAnchor(review, 'findings', i),
        };
      }
    }
  },
};

export const reviewFindingNotProblemReport: Rule = {
  code: 'review/finding-not-problem-report',
  severity: 'error',
  applicability: 'table',
  clauses: ['9.1'],
  reads: { kinds: ['review'] },
  summary: "A review finding's `problemReport` names no problem report.",
  hint: 'name the id of the problem report (kind problem-report) raised for the finding, or write the problem report first',
  *check(context) {
    for (const review of activeReviews(context)) {
      const findings = findingsOf(review);
      for (let i = 0; i < findings.length; i++) {
        const id = findings[i]!.problemReport;
        if (id === undefined) continue;
        const target = context.graph.get(id);
        if (target?.kind === 'problem-report') continue;
        yield {
          code: 'review/finding-not-problem-report',
          message: target
            ? `${review.id} finding ${i + 1} names ${id} as its problem report, but ${id} is a ${target.kind}`
            : `${review.id} finding ${i + 1} names ${id} as its problem report, but no record has that id`,
          recordId: review.id,
          targetId: id,
          at: valueAnchor(review, 'findings', i, 'problemReport'),
        };
      }
    }
  },
};

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
}
