/**
 * The plan sections the gap scan reads, through one function: {@link planSectionsForClause}, over
 * the plans library (src/plans/coverage.ts), so that the gap scan and `plan/section-*` in `check`
 * read plans the same way and judge them at the same class (the highest in the project, 4.3 f).
 */
import type { Analysis } from '../analyze.js';
import type { PlanType } from '../model/vocabulary.js';
import type { PlanSectionEvidence } from '../plans/coverage.js';
import { planCoverage, planSectionsForClause as sectionsUnder } from '../plans/coverage.js';
import { planTypeSpec } from '../plans/plan-data.js';

export type { PlanSectionEvidence };

/** The title of a plan type (data/plan-sections.json), for messages. */
export const planTypeTitle = (planType: PlanType): string => planTypeSpec(planType).title;

/** The plan type that may hold this one through `covers` (5.1 lets the development plan hold CM). */
export const planTypeCoveredBy = (planType: PlanType): PlanType | undefined =>
  planTypeSpec(planType).coveredBy;

/** Every plan section under `clause`, in each plan that holds its type; see src/plans/coverage.ts. */
export function planSectionsForClause(
  analysis: Pick<Analysis, 'graph' | 'safety'>,
  clause: string,
): PlanSectionEvidence[] {
  return sectionsUnder(planCoverage(analysis), clause);
}
