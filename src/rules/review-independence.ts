import type { TraceGraph } from '../graph/graph.js';
import { compareById, type DossierRecord, fieldAnchor, isActive } from '../model/record.js';
import type { ReviewType } from '../model/vocabulary.js';
import { clauseOfReviewType, labelOfReviewType, participantsOf, reviewTypeOf } from '../reviews/review.js';
import type { Rule } from './rule.js';

/** The active plans that ask for an independent participant in reviews of the type. */
export function plansAskingIndependence(graph: TraceGraph, type: ReviewType): DossierRecord[] {
  return graph
    .ofKind('plan')
    .filter(
      (plan) =>
        isActive(plan) && ((plan.fields.independentReview as string[] | undefined) ?? []).includes(type),
    )
    .sort(compareById);
}

/**
 * The plans decide which reviews need an independent participant (5.1.6: the verification tasks
 * and who performs them; ISO 13485 7.3.5). Where no plan lists the review type in
 * `independentReview`, nothing is asked: the standard itself does not require independence.
 */
export const reviewIndependenceMissing: Rule = {
  code: 'review/independence-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.1.6', 'ISO 13485 7.3.5'],
  // plansAskingIndependence reads the plans' independentReview.
  reads: { kinds: ['plan', 'review'] },
  summary:
    'A review has no independent participant although a plan lists its review type in `independentReview`.',
  hint: 'have a reviewer who is not responsible for the reviewed outputs take part and mark them `independent: true` in `participants`; or, if the plan is wrong, change the plan',
  *check({ graph }) {
    for (const review of graph.ofKind('review')) {
      if (!isActive(review)) continue;
      const type = reviewTypeOf(review);
      const plans = plansAskingIndependence(graph, type);
      if (plans.length === 0 || participantsOf(review).some((p) => p.independent === true)) continue;
      yield {
        code: 'review/independence-missing',
        clauses: ['5.1.6', clauseOfReviewType(type)],
        message: `${review.id} (${labelOfReviewType(type)}) has no participant marked \`independent: true\`, which ${plans.map((p) => p.id).join(', ')} ask${plans.length === 1 ? 's' : ''} for in ${labelOfReviewType(type)}s`,
        recordId: review.id,
        at: fieldAnchor(review, review.fields.participants === undefined ? 'id' : 'participants'),
        related: plans.map((plan) => ({
          message: `${plan.id} lists ${type} in independentReview`,
          at: fieldAnchor(plan, 'independentReview'),
        })),
      };
    }
  },
};
